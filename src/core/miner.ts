/**
 * Mining: a block template from the best tip and the mempool, and a pure search over a range of
 * proofs. The cooperative driver that runs it slice by slice is Node.mineContinuously.
 */
import type { Block, BlockHeader } from './block.ts';
import { blockVersion, encodeHeader, makeBlock, transactionsRoot } from './block.ts';
import type { BlockEntry, BlockTree } from './chain.ts';
import type { Mempool } from './mempool.ts';
import type { PowJob, PowSearch } from './pow-kernel.ts';
import { HEADER_BYTES, mineRange, preparePowJob } from './pow-kernel.ts';
import { compactToTarget } from './target.ts';
import type { Transaction } from './tx.ts';
import { COINBASE_BYTES, makeCoinbase } from './tx.ts';
import type { Address, Height } from './types.ts';

/** A block waiting for its proof. */
export interface BlockTemplate {
  readonly parent: BlockEntry;
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
  readonly target: bigint;
  readonly job: PowJob;
}

/**
 * A template on the best tip paying `miner` the reward plus fees. Its timestamp is the clock, but
 * never at or below the median of the last 11 blocks (Bitcoin's max(mtp + 1, now)).
 */
export function createTemplate(
  tree: BlockTree,
  mempool: Mempool,
  miner: Address,
  nowMs: number,
): BlockTemplate {
  const { parent, header, transactions, target } = nextBlock(tree, mempool, miner, nowMs);
  return { parent, header, transactions, target, job: preparePowJob(encodeHeader(header), target) };
}

/**
 * The block a sampled-work miner forges when the runtime's draw says it found one: the same
 * template a real miner would hash, with no proof (a sampled chain checks none, see
 * SAMPLED_BLOCK_VERSION).
 */
export function forgeSampledBlock(
  tree: BlockTree,
  mempool: Mempool,
  miner: Address,
  nowMs: number,
): Block {
  if (tree.params.work !== 'sampled') throw new Error('only a sampled-work chain forges blocks');
  const { header, transactions } = nextBlock(tree, mempool, miner, nowMs);
  return makeBlock(header, transactions);
}

function nextBlock(
  tree: BlockTree,
  mempool: Mempool,
  miner: Address,
  nowMs: number,
): Omit<BlockTemplate, 'job'> {
  const parent = tree.tip;
  const { params } = tree;
  const height = parent.height + 1;
  const room = params.maxBlockBytes - HEADER_BYTES - 4 - (COINBASE_BYTES + 4);
  const payments = mempool.select(tree.ledger, room);
  let fees = 0n;
  for (const tx of payments) fees += tx.fee;
  const transactions = [
    makeCoinbase(params.chainId, height, miner, params.reward + fees),
    ...payments,
  ];
  const bits = tree.nextBits(parent);
  const target = compactToTarget(bits);
  if (target === null) throw new Error('nextBits always yields a canonical target');
  const header: BlockHeader = {
    version: blockVersion(params),
    index: height as Height,
    timestampMs: Math.max(Math.floor(nowMs), tree.medianTimePast(parent) + 1),
    previousHash: parent.hash,
    merkleRoot: transactionsRoot(transactions),
    bits,
    proof: 0,
  };
  return { parent, header, transactions, target };
}

/**
 * Try `count` proofs from `start` with `search` (the JavaScript kernel unless the platform gave a
 * faster one); the finished block when one meets the target.
 */
export function searchTemplate(
  t: BlockTemplate,
  start: number,
  count: number,
  search: PowSearch = mineRange,
): Block | null {
  const found = search(t.job, start, count);
  return found ? makeBlock({ ...t.header, proof: found.proof }, t.transactions) : null;
}
