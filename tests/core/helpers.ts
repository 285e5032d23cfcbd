/**
 * Shared helpers for the core tests: low-difficulty parameters, seeded wallets, and miners that
 * build blocks on the best tip (through createTemplate/searchTemplate) or on any entry of a tree,
 * or around any hand-made header, so tests can produce both valid and deliberately invalid blocks.
 */
import { createHash } from 'node:crypto';
import type { Block, BlockHeader } from '../../src/core/block.ts';
import { BLOCK_VERSION, encodeHeader, makeBlock, transactionsRoot } from '../../src/core/block.ts';
import type { BlockEntry, BlockTree } from '../../src/core/chain.ts';
import type { LedgerView } from '../../src/core/ledger.ts';
import { Ledger } from '../../src/core/ledger.ts';
import { Mempool } from '../../src/core/mempool.ts';
import type { BlockTemplate } from '../../src/core/miner.ts';
import { createTemplate, searchTemplate } from '../../src/core/miner.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import { mineRange, preparePowJob } from '../../src/core/pow-kernel.ts';
import { createRng } from '../../src/core/rng.ts';
import { compactToTarget, targetFromZeroBits } from '../../src/core/target.ts';
import type { Transaction, Transfer } from '../../src/core/tx.ts';
import { makeCoinbase } from '../../src/core/tx.ts';
import type { Address, BlockHash, Height } from '../../src/core/types.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import { createWallet } from '../../src/core/wallet.ts';

/** Proofs tried before a test miner gives up: far beyond anything a low target needs. */
const SEARCH_LIMIT = 1 << 26;

/** Parameters at 4 zero bits (16 hashes per block on average) and no retarget for a long while. */
export function easyParams(overrides: Partial<ChainParams> = {}): ChainParams {
  return makeParams({ initialTarget: targetFromZeroBits(4), retargetInterval: 1000, ...overrides });
}

/** A clock far enough ahead that no test block is ever "too new". */
export const LATE_NOW = makeParams().genesisTimestampMs + 1e12;

/** SHA-256 by node:crypto, an implementation independent of @noble/hashes. */
export function nodeSha256(...parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Hex of node:crypto's SHA-256. */
export function nodeSha256Hex(...parts: readonly Uint8Array[]): string {
  return Buffer.from(nodeSha256(...parts)).toString('hex');
}

/** `n` wallets drawn from a seeded RNG: the same seed always gives the same keys. */
export function seededWallets(n: number, seed = 1): Wallet[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => createWallet(rng));
}

/** A throw-away address derived from a number (for coinbases that nobody spends). */
export function addressFromNumber(n: number): Address {
  return n.toString(16).padStart(40, '0') as Address;
}

/** Unwrap a value the test knows is there; fails the test loudly when it is not. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

/** Mine a block on the best tip with createTemplate/searchTemplate, without adding it. */
export function mineOnTip(
  tree: BlockTree,
  opts: { miner?: Address; nowMs?: number; mempool?: Mempool } = {},
): Block {
  const template = createTemplate(
    tree,
    opts.mempool ?? new Mempool(tree.params),
    opts.miner ?? addressFromNumber(1),
    opts.nowMs ?? tree.tip.block.header.timestampMs + tree.params.blockTimeMs,
  );
  return must(searchTemplate(template, 0, SEARCH_LIMIT), 'block within the search limit');
}

/** Mine a block on the best tip and add it; fails the test unless the tree accepts it. */
export function extendTip(
  tree: BlockTree,
  opts: { miner?: Address; nowMs?: number; mempool?: Mempool } = {},
): Block {
  const block = mineOnTip(tree, opts);
  const added = tree.add(block, LATE_NOW);
  if (!added.ok) throw new Error(`own block rejected: ${added.error.reason}`);
  return block;
}

/** What a block built on an arbitrary parent contains. */
export interface ChildOptions {
  /** Coinbase recipient. */
  readonly miner?: Address;
  /** Default: the parent's timestamp plus the block interval. */
  readonly timestampMs?: number;
  /** Transfers after the coinbase. */
  readonly transfers?: readonly Transfer[];
}

/** A template on any entry of the tree (createTemplate only builds on the best tip). */
export function templateOn(
  tree: BlockTree,
  parent: BlockEntry,
  opts: ChildOptions = {},
): BlockTemplate {
  const { params } = tree;
  const transfers = opts.transfers ?? [];
  let fees = 0n;
  for (const tx of transfers) fees += tx.fee;
  const height = parent.height + 1;
  const transactions: Transaction[] = [
    makeCoinbase(params.chainId, height, opts.miner ?? addressFromNumber(1), params.reward + fees),
    ...transfers,
  ];
  const bits = tree.nextBits(parent);
  const target = must(compactToTarget(bits), 'canonical target');
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    index: height as Height,
    timestampMs: opts.timestampMs ?? parent.block.header.timestampMs + params.blockTimeMs,
    previousHash: parent.hash,
    merkleRoot: transactionsRoot(transactions),
    bits,
    proof: 0,
  };
  return {
    parent,
    header,
    transactions,
    target,
    job: preparePowJob(encodeHeader(header), target),
  };
}

/** Mine a valid-looking child of any entry (valid when its contents are). */
export function mineOn(tree: BlockTree, parent: BlockEntry, opts: ChildOptions = {}): Block {
  return must(
    searchTemplate(templateOn(tree, parent, opts), 0, SEARCH_LIMIT),
    'block within the search limit',
  );
}

/**
 * Mine any header with any transactions, valid or not: the proof of work is searched at
 * `target` (default: the target the header's bits encode), and nothing else is checked.
 */
export function mineHeader(
  header: BlockHeader,
  transactions: readonly Transaction[],
  target = must(compactToTarget(header.bits), 'canonical bits'),
): Block {
  const job = preparePowJob(encodeHeader({ ...header, proof: 0 }), target);
  const found = must(mineRange(job, 0, SEARCH_LIMIT), 'proof within the search limit');
  return makeBlock({ ...header, proof: found.proof }, transactions);
}

/** Replay the best chain from genesis on a fresh ledger. */
export function replayBestChain(tree: BlockTree): Ledger {
  const ledger = new Ledger();
  for (const e of tree.bestChain()) ledger.apply(e.block);
  return ledger;
}

/** Balances and nonces of some addresses, as comparable plain data. */
export function snapshot(
  ledger: LedgerView,
  addresses: Iterable<Address>,
): Record<string, { balance: bigint; nonce: bigint }> {
  const out: Record<string, { balance: bigint; nonce: bigint }> = {};
  for (const a of [...addresses].sort()) {
    const { balance, nonce } = ledger.get(a);
    out[a] = { balance, nonce };
  }
  return out;
}

/** What must not change when a tree refuses a block. */
export function treeState(
  tree: BlockTree,
  addresses: Iterable<Address>,
): {
  tip: BlockHash;
  height: number;
  size: number;
  orphans: number;
  accounts: Record<string, { balance: bigint; nonce: bigint }>;
} {
  return {
    tip: tree.tip.hash,
    height: tree.tip.height,
    size: tree.size,
    orphans: tree.orphanCount,
    accounts: snapshot(tree.ledger, addresses),
  };
}
