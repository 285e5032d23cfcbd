/**
 * The tamper lab's core: an edited payment changes the Merkle root and the header hash (computed
 * from canonical bytes, checked here with an independent SHA-256), the proof no longer meets the
 * target and every later block is cut off; re-mining restores a block's proof but not the next
 * link; and a node offered the tampered branch refuses it with a typed reason (a proof reason
 * before re-mining, the signature once the proof is valid) and stores none of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import { decodeBlock, encodeHeader, headerTarget } from '../../src/core/block.ts';
import { bytesToBigInt } from '../../src/core/hash.ts';
import { merkleRoot } from '../../src/core/merkle.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import { Node } from '../../src/core/node.ts';
import { makeParams } from '../../src/core/params.ts';
import type { Scheduler, Transport } from '../../src/core/ports.ts';
import { createRng } from '../../src/core/rng.ts';
import type { CopyCheck, PaymentEdit, TamperedCopy } from '../../src/core/tamper.ts';
import {
  checkCopy,
  nextToRemine,
  searchProof,
  startRemining,
  tamper,
  tamperedBranch,
  withProof,
} from '../../src/core/tamper.ts';
import { MAX_AMOUNT } from '../../src/core/tx.ts';
import type { Address, BlockHash } from '../../src/core/types.ts';
import { parseNodeId } from '../../src/core/types.ts';
import { MemoryStore } from '../../src/sim/memory-store.ts';
import { addressFromNumber, must, nodeSha256, nodeSha256Hex } from './helpers.ts';

/** The page's default difficulty (12 leading zero bits), so the test sees what a learner sees. */
const params = makeParams({ chainId: 3, reward: 5n, retargetInterval: 1000 });
const PAYEE = addressFromNumber(0xbeef);
const SEARCH_LIMIT = 1 << 26;

/** Nothing is delivered: the node stands alone. */
const silent: Transport = { send: () => undefined };

/** A clock that moves forward on every read; timers never fire. */
function steppingScheduler(): Scheduler {
  let t = params.genesisTimestampMs;
  return { now: () => (t += 1_000), after: () => () => undefined };
}

let node: Node;
let store: MemoryStore;
const events: NodeEvent[] = [];
/** Best-chain blocks from the one holding the payment to the tip (three blocks). */
let chain: Block[];
const AMOUNT_EDIT: PaymentEdit = { field: 'amount', value: 300n };

beforeAll(async () => {
  store = new MemoryStore();
  node = await Node.create({
    id: must(parseNodeId('n1'), 'node id'),
    params,
    transport: silent,
    store,
    scheduler: steppingScheduler(),
    rng: createRng(4),
    onEvent: (e) => events.push(e),
  });
  await node.mine();
  await node.mine();
  expect((await node.pay(PAYEE, 3n, 1n)).ok).toBe(true);
  const withPayment = await node.mine();
  expect(withPayment.transactions).toHaveLength(2);
  await node.mine();
  await node.mine();
  const bytes = must(node.bestChainFrom(withPayment.hash), 'best chain from the payment');
  chain = bytes.map(decode);
  expect(chain.map((b) => b.hash)).toEqual([4, 5, 6].map((h) => must(node.tree.atHeight(h)).hash));
});

function decode(bytes: Uint8Array): Block {
  const r = decodeBlock(bytes, params.maxBlockBytes);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function edited(edit: PaymentEdit = AMOUNT_EDIT): TamperedCopy {
  const r = tamper(chain, 1, edit);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Re-mine block `position` of a copy; the copy and the hashes tried. */
function remine(copy: TamperedCopy, position: number): { copy: TamperedCopy; tried: number } {
  const job = startRemining(copy, position);
  const proof = must(searchProof(job, 0, SEARCH_LIMIT), 'proof within the search limit');
  return { copy: withProof(copy, job, proof), tried: proof + 1 };
}

/** Does the header hash, by node:crypto, meet the block's declared target? */
function meetsTarget(block: Block): boolean {
  const hash = bytesToBigInt(nodeSha256(encodeHeader(block.header)));
  return hash < must(headerTarget(block.header), 'target');
}

async function storedHashes(): Promise<string[]> {
  const stored = must(await store.load(), 'stored node');
  return stored.blocks.map((b) => decode(b).hash);
}

function reasonOf(r: CopyCheck['proof'] | CopyCheck['link'] | CopyCheck['payment']): string {
  return r === null || r.ok ? 'ok' : r.error.reason;
}

describe('editing a copy', () => {
  it('re-encodes the payment without re-signing, and recomputes the Merkle root and the hash', () => {
    const copy = edited();
    const [block] = copy.blocks;
    const [original] = chain;
    if (!block || !original) throw new Error('no block');
    const tx = block.transactions[1];
    const old = original.transactions[1];
    if (tx?.kind !== 'transfer' || old?.kind !== 'transfer') throw new Error('not a payment');
    expect(tx.amount).toBe(300n);
    expect(tx.signature).toEqual(old.signature);
    expect(tx.id).not.toBe(old.id);
    expect(tx.id).toBe(nodeSha256Hex(tx.bytes));

    expect(block.header.merkleRoot).not.toEqual(original.header.merkleRoot);
    expect(block.header.merkleRoot).toEqual(merkleRoot(block.transactions.map((t) => t.bytes)));
    expect(block.hash).not.toBe(original.hash);
    expect(block.hash).toBe(nodeSha256Hex(encodeHeader(block.header)));
    // Only the Merkle root moved: same proof, same parent, same time.
    expect({ ...block.header, merkleRoot: null }).toEqual({
      ...original.header,
      merkleRoot: null,
    });
    // Every later block is the honest block itself.
    expect(copy.blocks.slice(1)).toEqual(chain.slice(1));
  });

  it('fails the target check, the signature check, and cuts off every later block', () => {
    const checks = checkCopy(edited(), params);
    const [first, second, third] = checks;
    if (!first || !second || !third) throw new Error('three checks expected');
    // The proof check is the validator's, on the real hash: it agrees with node:crypto.
    expect(first.proof.ok).toBe(meetsTarget(first.block));
    // At 12 zero bits a changed header meets the target once in 4,096; this one does not.
    expect(reasonOf(first.proof)).toBe('bad-pow');
    expect(reasonOf(first.payment)).toBe('bad-signature');
    expect(reasonOf(first.link)).toBe('ok');
    expect(first.connected).toBe(true);

    expect(reasonOf(second.proof)).toBe('ok');
    expect(reasonOf(second.link)).toBe('bad-previous-hash');
    expect(second.connected).toBe(false);
    // Its own link holds (it names the honest block 5), but it no longer follows from block 4.
    expect(reasonOf(third.link)).toBe('ok');
    expect(third.connected).toBe(false);
    expect(second.payment).toBeNull();
    expect(nextToRemine(checks)).toBe(0);
  });

  it('the recipient and the fee can be edited too, each changing the hash', () => {
    const recipient = edited({ field: 'recipient', value: addressFromNumber(0xbad) });
    const fee = edited({ field: 'fee', value: 0n });
    const hashes = new Set([chain[0]?.hash, recipient.blocks[0]?.hash, fee.blocks[0]?.hash]);
    expect(hashes.size).toBe(3);
    const tx = recipient.blocks[0]?.transactions[1];
    expect(tx?.kind === 'transfer' ? tx.recipient : null).toBe(addressFromNumber(0xbad));
  });

  it('refuses values the rules forbid, with the typed reason, and builds nothing', () => {
    const refused = (edit: PaymentEdit): string => {
      const r = tamper(chain, 1, edit);
      return r.ok ? 'built' : r.error.reason;
    };
    expect(refused({ field: 'amount', value: 0n })).toBe('bad-amount');
    expect(refused({ field: 'amount', value: MAX_AMOUNT + 1n })).toBe('bad-amount');
    expect(refused({ field: 'fee', value: -1n })).toBe('bad-fee');
    expect(refused({ field: 'recipient', value: 'n2' as Address })).toBe('malformed');
    expect(refused({ field: 'amount', value: 1n })).toBe('built');
  });

  it('edits only payments, of a linked chain', () => {
    expect(() => tamper(chain, 0, AMOUNT_EDIT)).toThrow(RangeError);
    expect(() => tamper(chain, 7, AMOUNT_EDIT)).toThrow(RangeError);
    expect(() => tamper([], 1, AMOUNT_EDIT)).toThrow(RangeError);
    const [a, , c] = chain;
    expect(() => tamper([must(a), must(c)], 1, AMOUNT_EDIT)).toThrow(RangeError);
  });
});

describe('re-mining', () => {
  it('restores the block’s target check, not the signature, and the next link stays broken', () => {
    const { copy, tried } = remine(edited(), 0);
    expect(tried).toBeGreaterThan(0);
    const [first, second] = checkCopy(copy, params);
    if (!first || !second) throw new Error('checks expected');
    expect(reasonOf(first.proof)).toBe('ok');
    expect(meetsTarget(first.block)).toBe(true);
    expect(first.block.header.bits).toBe(chain[0]?.header.bits);
    expect(reasonOf(first.payment)).toBe('bad-signature');
    expect(reasonOf(second.link)).toBe('bad-previous-hash');
    expect(nextToRemine(checkCopy(copy, params))).toBe(1);
  });

  it('re-mining every block in turn links the whole copy', () => {
    let copy = edited();
    let total = 0;
    for (let i = nextToRemine(checkCopy(copy, params)); i !== null;) {
      const step = remine(copy, i);
      copy = step.copy;
      total += step.tried;
      i = nextToRemine(checkCopy(copy, params));
    }
    const checks = checkCopy(copy, params);
    expect(checks.every((c) => c.proof.ok && c.link.ok && c.connected)).toBe(true);
    expect(copy.blocks.map((b) => b.hash)).not.toContain(chain[1]?.hash);
    expect(tamperedBranch(copy)).toHaveLength(3);
    expect(total).toBeGreaterThanOrEqual(3);
  });
});

describe('offering the tampered branch to a node', () => {
  /** Offer the branch; the reasons it came back with, checking nothing was stored or moved. */
  async function offer(copy: TamperedCopy): Promise<string[]> {
    const tip = node.tree.tip.hash;
    const size = node.tree.size;
    const before = events.length;
    const branch = tamperedBranch(copy);
    const outcomes = await node.offerBlocks(branch.map((b) => b.bytes));
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? o.rejection.reason : o.status));
    // Each refusal is also an event, with the same reason.
    const rejected = events
      .slice(before)
      .flatMap((e) => (e.kind === 'block-rejected' ? [e.rejection.reason] : []));
    expect(rejected).toEqual(reasons);
    // Nothing changed, nothing stored.
    expect(node.tree.tip.hash).toBe(tip);
    expect(node.tree.size).toBe(size);
    const stored = await storedHashes();
    for (const b of branch) {
      expect(node.tree.get(b.hash)).toBeUndefined();
      expect(stored).not.toContain(b.hash);
    }
    expect(stored).toContain(chain[0]?.hash);
    return reasons;
  }

  it('before re-mining: refused for its proof of work', async () => {
    expect(await offer(edited())).toEqual(['bad-pow']);
  });

  it('after re-mining: the proof is valid, so the signature is what gives it away', async () => {
    expect(await offer(remine(edited(), 0).copy)).toEqual(['bad-signature']);
  });

  it('a whole re-mined branch: the edited block for its signature, the rest for their parent', async () => {
    let copy = edited({ field: 'fee', value: 0n });
    for (let i = nextToRemine(checkCopy(copy, params)); i !== null;) {
      copy = remine(copy, i).copy;
      i = nextToRemine(checkCopy(copy, params));
    }
    expect(await offer(copy)).toEqual(['bad-signature', 'invalid-parent', 'invalid-parent']);
  });

  it('unreadable bytes come back as such, and the node carries on', async () => {
    const outcomes = await node.offerBlocks([Uint8Array.of(1, 2, 3)]);
    expect(outcomes.map((o) => o.status)).toEqual(['unreadable']);
    expect(node.bestChainFrom(node.tree.tip.hash)).toHaveLength(1);
    expect(node.bestChainFrom('00'.repeat(32) as BlockHash)).toBeNull();
  });
});
