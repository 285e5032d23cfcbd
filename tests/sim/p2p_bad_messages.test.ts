/**
 * Whatever another node sends is untrusted. Malformed messages (not objects, unknown types, bad
 * hashes, oversized lists, unreadable bytes) are dropped and counted; well-formed but invalid
 * blocks and payments (bad proof of work, wrong difficulty, altered contents, forged signatures)
 * are rejected. Either way the node's state is unchanged, and a fake longer chain without real
 * proof of work replaces nobody's chain.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import { BLOCK_VERSION, makeBlock, transactionsRoot } from '../../src/core/block.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import { createTemplate } from '../../src/core/miner.ts';
import type { ForkChoice } from '../../src/core/params.ts';
import { MAX_IDS, MAX_LOCATOR, MAX_PAYLOAD_BYTES, parseMessage } from '../../src/core/protocol.ts';
import { createRng } from '../../src/core/rng.ts';
import { MAX_TARGET, targetToCompact } from '../../src/core/target.ts';
import { makeCoinbase, signTransfer } from '../../src/core/tx.ts';
import type { Address, BlockHash, Height, NodeId } from '../../src/core/types.ts';
import { checkProofOfWork } from '../../src/core/validation.ts';
import { createWallet } from '../../src/core/wallet.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  call,
  chainOf,
  createSim,
  mineOn,
  nodeId,
  pay,
  resolve,
  snapshot,
  syncBlocks,
  tipOf,
} from './framework.ts';

const N1 = nodeId('n1');
const N2 = nodeId('n2');

let sim: Simulation;
const events: { node: NodeId; event: NodeEvent }[] = [];
/** A payment n2 signed that nobody else has seen. */
let n2Payment: Uint8Array;
/** A payment already confirmed on the chain. */
let confirmedPayment: Uint8Array;

beforeAll(async () => {
  sim = await createSim({
    seed: 7,
    nodes: 3,
    onEvent: (node, event) => events.push({ node, event }),
  });
  await mineOn(sim, 'n1', 2);
  const confirmed = await pay(sim, 'n1', 'n2', 1);
  await mineOn(sim, 'n1');
  await syncBlocks(sim);
  await mineOn(sim, 'n2');
  await syncBlocks(sim);
  // n2 signs a payment but keeps it to itself.
  sim.nodeById(N2).gossip = 'manual';
  const held = await pay(sim, 'n2', 'n3', 1);
  sim.nodeById(N2).gossip = 'auto';
  await sim.settle();

  const heldTx = sim
    .nodeById(N2)
    .mempool.list()
    .find((tx) => tx.id === held.id);
  const chainTx = sim
    .nodeById(N1)
    .tree.bestChain()
    .flatMap((e) => e.block.transactions)
    .find((tx) => tx.id === confirmed.id);
  if (!heldTx || !chainTx) throw new Error('setup: payments not found');
  n2Payment = heldTx.bytes;
  confirmedPayment = chainTx.bytes;
  expect(sim.nodeById(N1).mempool.size).toBe(0);
});

function dropped(id: NodeId): number {
  return sim.nodeById(id).stats.droppedMessages;
}

/** Events node `id` reported since `mark`. */
function eventsSince(mark: number, id: NodeId): NodeEvent[] {
  return events
    .slice(mark)
    .filter((e) => e.node === id)
    .map((e) => e.event);
}

/** A copy of some bytes with one byte changed. */
function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  const i = at < 0 ? out.length + at : at;
  out[i] = (out[i] ?? 0) ^ 0x01;
  return out;
}

/** A template on n1's tip, mined with a proof that does (or does not) meet the target. */
function blockOnTip(validPow: boolean, edit?: (b: Block) => Block): Block {
  const node = sim.nodeById(N1);
  const t = createTemplate(node.tree, node.mempool, node.address, sim.now);
  for (let proof = 0; ; proof++) {
    const block = makeBlock({ ...t.header, proof }, t.transactions);
    if (checkProofOfWork(block).ok === validPow) return edit ? edit(block) : block;
  }
}

/** A block with any header fields and a coinbase, searched until its proof of work is as asked. */
function forge(
  fields: { previousHash: BlockHash; index: number; timestampMs: number; bits: number },
  validPow: boolean,
  recipient: Address,
  amount = 1n,
): Block {
  const txs = [makeCoinbase(sim.params.chainId, fields.index, recipient, amount)];
  const header = {
    version: BLOCK_VERSION,
    index: fields.index as Height,
    timestampMs: fields.timestampMs,
    previousHash: fields.previousHash,
    merkleRoot: transactionsRoot(txs),
    bits: fields.bits,
    proof: 0,
  };
  for (let proof = 0; ; proof++) {
    const block = makeBlock({ ...header, proof }, txs);
    if (checkProofOfWork(block).ok === validPow) return block;
  }
}

/**
 * A block on n1's tip with valid proof of work paying n2, its header as honest as possible
 * except for `change` (and the coinbase `amount`).
 */
function forgeOnTip(
  change: Partial<{ index: number; timestampMs: number; bits: number }>,
  amount = 1n,
): Block {
  const tip = sim.nodeById(N1).tree.tip;
  const fields = {
    previousHash: tip.hash,
    index: tip.height + 1,
    timestampMs: sim.now,
    bits: tip.block.header.bits,
    ...change,
  };
  return forge(fields, true, sim.nodeById(N2).address, amount);
}

const BLOCK_BYTES = (): Uint8Array => sim.nodeById(N1).tree.tip.block.bytes;
const HASH = 'ab'.repeat(32);

describe('p2p_bad_messages: malformed messages are dropped and counted', () => {
  const malformed: [string, () => unknown][] = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['a number', () => 42],
    ['a string', () => '{"type":"inv","blocks":[],"txs":[]}'],
    ['an array', () => [{ type: 'inv', blocks: [], txs: [] }]],
    ['an object without a type', () => ({ blocks: [], txs: [] })],
    ['an unknown type', () => ({ type: 'ping' })],
    ['a type in the wrong case', () => ({ type: 'INV', blocks: [], txs: [] })],
    ['inv with a short hash', () => ({ type: 'inv', blocks: ['abc'], txs: [] })],
    ['inv with an upper-case hash', () => ({ type: 'inv', blocks: ['AB'.repeat(32)], txs: [] })],
    ['inv with a number for a hash', () => ({ type: 'inv', blocks: [7], txs: [] })],
    ['inv without txs', () => ({ type: 'inv', blocks: [HASH] })],
    ['inv with a string list', () => ({ type: 'inv', blocks: HASH, txs: [] })],
    [
      'inv with too many ids',
      () => ({ type: 'inv', blocks: Array(MAX_IDS + 1).fill(HASH), txs: [] }),
    ],
    [
      'getdata with too many ids',
      () => ({ type: 'getdata', blocks: [], txs: Array(MAX_IDS + 1).fill(HASH) }),
    ],
    [
      'getblocks with too long a locator',
      () => ({ type: 'getblocks', requestId: 1, locator: Array(MAX_LOCATOR + 1).fill(HASH) }),
    ],
    [
      'getblocks with a negative request id',
      () => ({ type: 'getblocks', requestId: -1, locator: [] }),
    ],
    [
      'getblocks with a fractional request id',
      () => ({ type: 'getblocks', requestId: 1.5, locator: [] }),
    ],
    [
      'blocklist without "more"',
      () => ({ type: 'blocklist', requestId: 1, hashes: [], tip: HASH }),
    ],
    [
      'blocklist with a bad tip',
      () => ({ type: 'blocklist', requestId: 1, hashes: [], tip: 'x', more: false }),
    ],
    ['block bytes as a plain array', () => ({ type: 'block', bytes: [...BLOCK_BYTES()] })],
    ['block bytes as hex text', () => ({ type: 'block', bytes: 'ab'.repeat(100) })],
    [
      'block bytes over the wire limit',
      () => ({ type: 'block', bytes: new Uint8Array(MAX_PAYLOAD_BYTES + 1) }),
    ],
    ['tx without bytes', () => ({ type: 'tx' })],
    // Well-formed envelopes whose contents cannot be read.
    ['truncated block bytes', () => ({ type: 'block', bytes: BLOCK_BYTES().subarray(0, 50) })],
    [
      'block bytes cut inside a transaction',
      () => ({ type: 'block', bytes: BLOCK_BYTES().subarray(0, BLOCK_BYTES().length - 1) }),
    ],
    [
      'block bytes with trailing garbage',
      () => ({ type: 'block', bytes: Uint8Array.of(...BLOCK_BYTES(), 0) }),
    ],
    [
      'block larger than the block limit',
      () => ({ type: 'block', bytes: new Uint8Array(sim.params.maxBlockBytes + 1) }),
    ],
    ['an empty block payload', () => ({ type: 'block', bytes: new Uint8Array(0) })],
    ['truncated payment bytes', () => ({ type: 'tx', bytes: n2Payment.subarray(0, 100) })],
    [
      'a payment of an unknown kind',
      () => ({ type: 'tx', bytes: Uint8Array.of(7, ...n2Payment.subarray(1)) }),
    ],
    [
      'a coinbase sent as a payment',
      () => ({ type: 'tx', bytes: makeCoinbase(1, 9, sim.nodeById(N2).address, 50n).bytes }),
    ],
    [
      'an answer nobody asked for',
      () => ({ type: 'blocklist', requestId: 999, hashes: [], tip: HASH, more: false }),
    ],
  ];

  it.each(malformed)('%s: dropped, counted, nothing changes', async (_name, make) => {
    const before = snapshot(sim);
    const count = dropped(N1);
    const mark = events.length;
    await sim.nodeById(N1).receive(N2, make());
    await sim.runFor(10_000);
    expect(dropped(N1)).toBe(count + 1);
    const drops = eventsSince(mark, N1).filter((e) => e.kind === 'message-dropped');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ from: 'n2', reason: expect.any(String) as string });
    expect(snapshot(sim)).toEqual(before);
  });

  it('a well-formed inv from a node that is not a registered peer is dropped', async () => {
    const before = snapshot(sim);
    const count = dropped(N1);
    await sim.nodeById(N1).receive(nodeId('stranger'), { type: 'inv', blocks: [HASH], txs: [] });
    await sim.runFor(10_000);
    expect(dropped(N1)).toBe(count + 1);
    expect(snapshot(sim)).toEqual(before);
  });

  it('the same inv from a registered peer is not dropped (the cases above are not vacuous)', async () => {
    const count = dropped(N1);
    expect(parseMessage({ type: 'inv', blocks: [HASH], txs: [] }).ok).toBe(true);
    await sim.nodeById(N1).receive(N2, { type: 'inv', blocks: [], txs: [] });
    expect(dropped(N1)).toBe(count);
  });
});

describe('p2p_bad_messages: invalid blocks and payments are rejected', () => {
  const invalidBlocks: [string, () => Block, string][] = [
    ['a block with bad proof of work', () => blockOnTip(false), 'bad-pow'],
    [
      'a block claiming an easier difficulty than required',
      () => forgeOnTip({ bits: targetToCompact(MAX_TARGET) }),
      'bad-target',
    ],
    ['a block paying its miner 1000 coins', () => forgeOnTip({}, 1000n), 'bad-reward'],
    [
      'a block with the wrong index',
      () => forgeOnTip({ index: sim.nodeById(N1).tree.tip.height + 5 }),
      'bad-index',
    ],
    [
      'a block dated before the median of its parents',
      () => forgeOnTip({ timestampMs: sim.params.genesisTimestampMs }),
      'time-too-old',
    ],
  ];

  it.each(invalidBlocks.map(([name, make, reason]) => ({ name, make, reason })))(
    '$name: rejected ($reason), nothing changes',
    async ({ make, reason }) => {
      const block = make();
      const before = snapshot(sim);
      const count = dropped(N1);
      const mark = events.length;
      await sim.nodeById(N1).receive(N2, { type: 'block', bytes: block.bytes });
      await sim.runFor(10_000);
      expect(eventsSince(mark, N1)).toContainEqual({
        kind: 'block-rejected',
        hash: block.hash,
        from: 'n2',
        rejection: expect.objectContaining({ reason }) as unknown,
      });
      expect(dropped(N1)).toBe(count);
      expect(snapshot(sim)).toEqual(before);
      // Not just rejected once: the header itself is bad, so the node remembers the hash.
      expect(sim.nodeById(N1).tree.invalidReason(block.hash)?.reason).toBe(reason);
      const res = await sim.request('GET', `/node/n1/blocks/${block.hash}`);
      expect(res.status).toBe(404);
    },
  );

  const invalidPayments: [string, () => Uint8Array, string][] = [
    ['a forged signature', () => flip(n2Payment, -1), 'bad-signature'],
    // The amount is a u64 at byte 57; flipping bit 0 of byte 62 turns 1 coin into 257.
    [
      'an altered amount under the original signature',
      () => flip(n2Payment, 1 + 4 + 32 + 20 + 6),
      'bad-signature',
    ],
    ['a redirected recipient', () => flip(n2Payment, 1 + 4 + 32), 'bad-signature'],
    [
      'a payment signed for another chain',
      () => {
        const wallet = createWallet(createRng(99));
        const tx = signTransfer(wallet, {
          chainId: 2,
          recipient: sim.nodeById(N1).address,
          amount: 1n,
          fee: 0n,
          nonce: 0n,
        });
        return tx.bytes;
      },
      'wrong-chain',
    ],
    ['a replay of a confirmed payment', () => confirmedPayment, 'bad-nonce'],
  ];

  it.each(invalidPayments.map(([name, make, reason]) => ({ name, make, reason })))(
    '$name: rejected ($reason), nothing changes',
    async ({ make, reason }) => {
      const bytes = make();
      const before = snapshot(sim);
      const mark = events.length;
      await sim.nodeById(N1).receive(N2, { type: 'tx', bytes });
      await sim.runFor(10_000);
      const rejected = eventsSince(mark, N1).filter((e) => e.kind === 'tx-rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ from: 'n2', rejection: { reason } });
      expect(snapshot(sim)).toEqual(before);
      expect(await call(sim, 'GET', '/node/n1/mempool')).toEqual({ transactions: [] });
    },
  );

  it('a mined block with its transactions swapped is rejected without condemning the genuine one', async () => {
    const target = await createSim({ seed: 10, nodes: 2 });
    await mineOn(target, 'n2');
    await syncBlocks(target);
    await target.settle();
    const n1 = target.nodeById(N1);
    const n2 = target.nodeById(N2);
    // n2 mines the genuine block but keeps it; a copy with another coinbase reaches n1 first.
    n2.gossip = 'manual';
    const genuine = await n2.mine();
    const mutated = makeBlock(genuine.header, [
      makeCoinbase(target.params.chainId, genuine.header.index, n1.address, 1n),
    ]);
    expect(mutated.hash).toBe(genuine.hash);
    const before = snapshot(target).nodes.n1;
    await n1.receive(N2, { type: 'block', bytes: mutated.bytes });
    expect(snapshot(target).nodes.n1).toEqual(before);
    expect(n1.tree.has(genuine.hash)).toBe(false);
    // The hash is not remembered as invalid: the header may be genuine, only this body is not.
    expect(n1.tree.invalidReason(genuine.hash)).toBeUndefined();
    await n1.receive(N2, { type: 'block', bytes: genuine.bytes });
    expect(n1.tree.tip.hash).toBe(genuine.hash);
    expect(n1.account(n2.address).balance).toBe(2n);
  });

  it('requests for blocks and payments nobody has are answered with nothing', async () => {
    const before = snapshot(sim);
    const count = dropped(N2);
    const sent = sim.network.stats.sent;
    await sim.nodeById(N1).receive(N2, { type: 'getdata', blocks: [HASH], txs: [HASH] });
    await sim.runFor(10_000);
    expect(sim.network.stats.sent).toBe(sent);
    expect(dropped(N2)).toBe(count);
    expect(snapshot(sim)).toEqual(before);
  });

  // Runs last in this file: it changes n1's mempool.
  it('the untouched payment is accepted (the forgeries above are not vacuous)', async () => {
    const mark = events.length;
    await sim.nodeById(N1).receive(N2, { type: 'tx', bytes: n2Payment });
    expect(eventsSince(mark, N1).map((e) => e.kind)).toContain('tx-accepted');
    expect(sim.nodeById(N1).mempool.size).toBe(1);
  });
});

/**
 * An attacker node outside the simulation serves a chain longer than everyone's, answering
 * getblocks and getdata like an honest node, but its blocks lack real proof of work.
 */
async function attackWith(
  forkChoice: ForkChoice,
  makeChain: (target: Simulation) => Block[],
): Promise<void> {
  const target = await createSim({ seed: 8, nodes: 3, forkChoice });
  await mineOn(target, 'n1', 3);
  await syncBlocks(target);
  await target.settle();
  const fake = makeChain(target);
  const byHash = new Map(fake.map((b) => [b.hash, b]));
  const fakeTip = fake[fake.length - 1];
  if (!fakeTip) throw new Error('empty fake chain');
  expect(fakeTip.header.index).toBeGreaterThan(target.nodeById(N1).tree.tip.height + 5);

  const evil = nodeId('evil');
  const transport = target.network.attach(evil, (from, raw) => {
    const parsed = parseMessage(raw);
    if (!parsed.ok) return Promise.resolve();
    const msg = parsed.message;
    if (msg.type === 'getblocks') {
      transport.send(from, {
        type: 'blocklist',
        requestId: msg.requestId,
        hashes: fake.map((b) => b.hash),
        tip: fakeTip.hash,
        more: false,
      });
    }
    if (msg.type === 'getdata') {
      for (const h of msg.blocks) {
        const b = byHash.get(h);
        if (b) transport.send(from, { type: 'block', bytes: b.bytes });
      }
    }
    return Promise.resolve();
  });

  const before = snapshot(target);
  const honestTip = tipOf(target, 'n1');
  for (const id of target.ids) await target.nodeById(id).registerPeers([evil]);
  // Pushed: the attacker announces its tip to everyone.
  for (const id of target.ids) transport.send(id, { type: 'inv', blocks: [fakeTip.hash], txs: [] });
  await target.runFor(30_000);
  // Pulled: every node resolves against the attacker too.
  for (const id of target.ids) {
    const answer = await resolve(target, id);
    expect(answer.message).toBe('Our chain is authoritative');
  }
  await target.runFor(30_000);

  const after = snapshot(target);
  for (const id of target.ids) {
    expect(tipOf(target, id)).toBe(honestTip);
    // Nothing changed but the attacker added as a peer (the orphan pool is checked last, below).
    const was = before.nodes[id];
    expect({ ...after.nodes[id], orphans: was?.orphans }).toEqual({
      ...was,
      peers: [...(was?.peers ?? []), 'evil'],
    });
    expect(await chainOf(target, id)).toHaveLength(4);
    const tree = target.nodeById(nodeId(id)).tree;
    expect(tree.get(fakeTip.hash)).toBeUndefined();
  }
  // Not even an orphan of the fake chain is kept (its tip arrived first, pushed by the attacker).
  for (const id of target.ids) {
    const tree = target.nodeById(nodeId(id)).tree;
    expect(tree.has(fakeTip.hash), `${id} still holds the fake tip as an orphan`).toBe(false);
    expect(tree.invalidReason(fakeTip.hash)?.reason).toBe('invalid-parent');
    expect(tree.orphanCount).toBe(0);
  }
}

/** A chain from genesis, one block longer per step than the honest one, each header as asked. */
function fakeChain(target: Simulation, length: number, validPow: boolean, bits: number): Block[] {
  const out: Block[] = [];
  let previous = target.nodeById(N1).tree.genesis.hash;
  const recipient = createWallet(createRng(1234)).address;
  for (let i = 0; i < length; i++) {
    const block = forge(
      { previousHash: previous, index: i + 2, timestampMs: target.now - 1000 * (length - i), bits },
      validPow,
      recipient,
    );
    out.push(block);
    previous = block.hash;
  }
  return out;
}

describe('p2p_bad_messages: a fake longer chain replaces nobody', () => {
  it.each<ForkChoice>(['most-work', 'longest'])(
    '%s: a longer chain with bad proof of work',
    async (forkChoice) => {
      await attackWith(forkChoice, (target) =>
        fakeChain(target, 12, false, target.nodeById(N1).tree.genesis.block.header.bits),
      );
    },
  );

  it.each<ForkChoice>(['most-work', 'longest'])(
    '%s: a longer chain mined at a difficulty far below the required one',
    async (forkChoice) => {
      await attackWith(forkChoice, (target) =>
        fakeChain(target, 12, true, targetToCompact(MAX_TARGET)),
      );
    },
  );
});

describe('p2p_bad_messages: descendants of a rejected block', () => {
  /**
   * A block whose parent is unknown waits in the orphan pool after a proof-of-work check against
   * the target it claims itself. If the parent then arrives and is rejected, the waiting child can
   * never be valid. Delivered in the other order (parent first), the child is rejected at once as
   * 'invalid-parent'. The outcome should not depend on the order.
   */
  /** A quiet two-node simulation and a forger of blocks at the chain's difficulty that overpay the miner. */
  async function setup(): Promise<{
    target: Simulation;
    tip: { hash: BlockHash; height: number };
    forgeOn: (previousHash: BlockHash, index: number) => Block;
  }> {
    const target = await createSim({ seed: 9, nodes: 2 });
    await target.settle();
    const tip = target.nodeById(N1).tree.tip;
    const bits = tip.block.header.bits;
    const recipient = createWallet(createRng(5)).address;
    const forgeOn = (previousHash: BlockHash, index: number): Block => {
      // Two coins where the reward is one: 'bad-reward' once the block can be validated.
      const txs = [makeCoinbase(target.params.chainId, index, recipient, 2n)];
      const header = {
        version: BLOCK_VERSION,
        index: index as Height,
        timestampMs: target.now,
        previousHash,
        merkleRoot: transactionsRoot(txs),
        bits,
        proof: 0,
      };
      for (let proof = 0; ; proof++) {
        const block = makeBlock({ ...header, proof }, txs);
        if (checkProofOfWork(block).ok) return block;
      }
    };
    return { target, tip, forgeOn };
  }

  it('an orphan whose parent turns out invalid is rejected too, in either order', async () => {
    const { target, tip, forgeOn } = await setup();
    const parent = forgeOn(tip.hash, tip.height + 1);
    const child = forgeOn(parent.hash, tip.height + 2);

    // Parent first: both rejected, nothing kept.
    const n2 = target.nodeById(N2);
    await n2.receive(N1, { type: 'block', bytes: parent.bytes });
    await n2.receive(N1, { type: 'block', bytes: child.bytes });
    expect(n2.tree.invalidReason(parent.hash)?.reason).toBe('bad-reward');
    expect(n2.tree.invalidReason(child.hash)?.reason).toBe('invalid-parent');
    expect(n2.tree.orphanCount).toBe(0);

    // Child first: it waits as an orphan; once its parent is rejected it must go too.
    const n1 = target.nodeById(N1);
    await n1.receive(N2, { type: 'block', bytes: child.bytes });
    expect(n1.tree.orphanCount).toBe(1);
    await n1.receive(N2, { type: 'block', bytes: parent.bytes });
    await target.settle();
    expect(n1.tree.invalidReason(parent.hash)?.reason).toBe('bad-reward');
    expect(n1.tree.tip.hash).toBe(tip.hash);
    expect(n1.tree.invalidReason(child.hash)?.reason).toBe('invalid-parent');
    expect(n1.tree.orphanCount).toBe(0);
    expect(n1.tree.has(child.hash)).toBe(false);
  });

  it('an orphan whose parent is rejected only as a descendant of an invalid block goes too', async () => {
    // bad ← middle ← last. `last` arrives first and waits; `bad` is rejected for its difficulty;
    // `middle` is then refused as 'invalid-parent' on arrival, so `last` can never connect.
    const { target, tip, forgeOn } = await setup();
    const bad = forgeOn(tip.hash, tip.height + 1);
    const middle = forgeOn(bad.hash, tip.height + 2);
    const last = forgeOn(middle.hash, tip.height + 3);
    const n1 = target.nodeById(N1);
    await n1.receive(N2, { type: 'block', bytes: last.bytes });
    await n1.receive(N2, { type: 'block', bytes: bad.bytes });
    await n1.receive(N2, { type: 'block', bytes: middle.bytes });
    await target.settle();
    expect(n1.tree.invalidReason(bad.hash)?.reason).toBe('bad-reward');
    expect(n1.tree.invalidReason(middle.hash)?.reason).toBe('invalid-parent');
    expect(n1.tree.tip.hash).toBe(tip.hash);
    expect(n1.tree.invalidReason(last.hash)?.reason).toBe('invalid-parent');
    expect(n1.tree.orphanCount).toBe(0);
    expect(n1.tree.has(last.hash)).toBe(false);
  });

  it('an orphan claiming a far easier difficulty than the chain is not kept', async () => {
    const target = await createSim({ seed: 9, nodes: 2 });
    await target.settle();
    const n1 = target.nodeById(N1);
    const recipient = createWallet(createRng(5)).address;
    const txs = [makeCoinbase(target.params.chainId, 5, recipient, 1n)];
    const header = {
      version: BLOCK_VERSION,
      index: 5 as Height,
      timestampMs: target.now,
      previousHash: 'ab'.repeat(32) as BlockHash,
      merkleRoot: transactionsRoot(txs),
      bits: targetToCompact(MAX_TARGET),
      proof: 0,
    };
    let block = makeBlock(header, txs);
    for (let proof = 1; !checkProofOfWork(block).ok; proof++)
      block = makeBlock({ ...header, proof }, txs);
    const before = snapshot(target);
    await n1.receive(N2, { type: 'block', bytes: block.bytes });
    expect(n1.tree.orphanCount).toBe(0);
    expect(n1.tree.has(block.hash)).toBe(false);
    expect(snapshot(target)).toEqual(before);
  });
});
