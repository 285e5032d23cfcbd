/**
 * No acknowledged payment vanishes: for random sequences of payments, mined blocks and reorgs
 * (a competing branch that overtakes the node's, sometimes spending one of the node's nonces
 * differently), every payment the node answered with success is, after every step, pending,
 * confirmed on the best chain, or dropped with a typed reason and a tx-dropped event saying so;
 * and no two of its live payments ever share a nonce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockEntry } from '../../src/core/chain.ts';
import type { DropReason } from '../../src/core/mempool.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import { Node } from '../../src/core/node.ts';
import type { Scheduler, Transport } from '../../src/core/ports.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Transfer } from '../../src/core/tx.ts';
import { signTransfer } from '../../src/core/tx.ts';
import type { TxId } from '../../src/core/types.ts';
import { parseNodeId } from '../../src/core/types.ts';
import { createWallet } from '../../src/core/wallet.ts';
import { MemoryStore } from '../../src/sim/memory-store.ts';
import { addressFromNumber, easyParams, mineOn, must } from './helpers.ts';

const params = easyParams({ chainId: 11, reward: 3n });
const N1 = must(parseNodeId('n1'), 'node id');
const PEER = must(parseNodeId('n2'), 'node id');
const SEED = 5;
const DROP_REASONS: readonly DropReason[] = [
  'nonce-used',
  'nonce-conflict',
  'insufficient-funds',
  'mempool-full',
];

/** Nothing is delivered: the node's peer is played by the test. */
const silent: Transport = { send: () => undefined };

/** A clock that moves forward on every read; timers never fire (no request waits in this test). */
function steppingScheduler(): Scheduler {
  let t = params.genesisTimestampMs;
  return {
    now: () => (t += 1_000),
    after: () => () => undefined,
  };
}

type Op =
  | { readonly kind: 'pay'; readonly amount: number; readonly fee: number }
  | { readonly kind: 'mine' }
  | {
      readonly kind: 'reorg';
      /** Blocks of ours the competing branch abandons. */
      readonly depth: number;
      /** Blocks beyond that, so it has more work. */
      readonly extra: number;
      /** Spend the node's next nonce on the competing branch, differently. */
      readonly conflict: boolean;
    };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('pay' as const),
    amount: fc.integer({ min: 1, max: 5 }),
    fee: fc.integer({ min: 0, max: 2 }),
  }),
  fc.constant({ kind: 'mine' as const }),
  fc.record({
    kind: fc.constant('reorg' as const),
    depth: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 1, max: 2 }),
    conflict: fc.boolean(),
  }),
);

/** The node under test, with PEER registered and every event it emits recorded. */
async function startNode(): Promise<{ node: Node; events: NodeEvent[] }> {
  const events: NodeEvent[] = [];
  const node = await Node.create({
    id: N1,
    params,
    transport: silent,
    store: new MemoryStore(),
    scheduler: steppingScheduler(),
    rng: createRng(SEED),
    onEvent: (e) => events.push(e),
  });
  await node.registerPeers([PEER]);
  return { node, events };
}

async function run(ops: readonly Op[]): Promise<void> {
  const { node, events } = await startNode();
  // The node's own key, drawn the way Node.create draws it, to sign conflicting payments.
  const wallet = createWallet(createRng(SEED).fork('wallet'));
  expect(wallet.address).toBe(node.address);
  const acknowledged: Transfer[] = [];
  let stamp = 0;

  for (const o of ops) {
    if (o.kind === 'pay') {
      const r = await node.pay(addressFromNumber(0xbeef), BigInt(o.amount), BigInt(o.fee));
      if (r.ok) acknowledged.push(r.value);
    } else if (o.kind === 'mine') {
      await node.mine();
    } else {
      const tip = node.tree.tip;
      let parent: BlockEntry = must(node.tree.atHeight(Math.max(1, tip.height - o.depth)));
      const account = node.tree.ledgerAt(parent).get(node.address);
      for (let i = 0; i < o.depth + o.extra; i++) {
        const transfers =
          i === 0 && o.conflict && account.balance >= 1n
            ? [
                signTransfer(wallet, {
                  chainId: params.chainId,
                  recipient: addressFromNumber(0xc0de),
                  amount: 1n,
                  fee: 0n,
                  nonce: account.nonce,
                }),
              ]
            : [];
        const block = mineOn(node.tree, parent, {
          miner: addressFromNumber(0x99),
          // Distinct from the node's own blocks, and never too far in the future.
          timestampMs: parent.block.header.timestampMs + 1 + (stamp++ % 3),
          transfers,
        });
        await node.receive(PEER, { type: 'block', bytes: block.bytes });
        parent = must(node.tree.get(block.hash), 'competing block accepted');
      }
    }
    checkNothingVanished(node, acknowledged, events);
  }
}

function checkNothingVanished(node: Node, acknowledged: readonly Transfer[], events: NodeEvent[]) {
  const live = new Map<bigint, TxId>();
  for (const tx of acknowledged) {
    const status = node.transactionStatus(tx.id);
    expect(status, `payment ${tx.id} (nonce ${tx.nonce}) vanished`).not.toBeNull();
    if (status === null) return;
    if (status.status === 'dropped') {
      expect(DROP_REASONS).toContain(status.reason);
      expect(status.message.length).toBeGreaterThan(0);
      const told = events.filter((e) => e.kind === 'tx-dropped' && e.dropped.tx.id === tx.id);
      expect(told.length, `no tx-dropped event for ${tx.id}`).toBeGreaterThan(0);
      continue;
    }
    if (status.status === 'confirmed') {
      expect(node.tree.isOnBestChain(status.block)).toBe(true);
      expect(status.block.block.transactions.map((t) => t.id)).toContain(tx.id);
    } else {
      expect(node.mempool.has(tx.id)).toBe(true);
    }
    // Live payments (pending or confirmed) never share a nonce.
    expect(live.get(tx.nonce), `nonce ${tx.nonce} reused`).toBeUndefined();
    live.set(tx.nonce, tx.id);
  }
}

describe('Node: no acknowledged payment vanishes', () => {
  it('after any sequence of payments, blocks and reorgs, each is pending, confirmed or dropped with an event', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), run), {
      numRuns: 60,
      seed: 20260101,
    });
  });

  it('the property is not vacuous: this sequence drops a payment and queues one behind it', async () => {
    const { node, events } = await startNode();
    await node.mine(); // 3 coins, kept by the competing branch below
    const fork = node.tree.tip;
    await node.mine(); // 3 more, lost in the reorg
    const big = must((await node.pay(addressFromNumber(1), 5n, 0n)).ok ? true : null);
    expect(big).toBe(true);
    const small = await node.pay(addressFromNumber(1), 1n, 0n);
    await node.mine();
    let parent = fork;
    for (let i = 0; i < 3; i++) {
      const block = mineOn(node.tree, parent, {
        miner: addressFromNumber(0x99),
        timestampMs: parent.block.header.timestampMs + 1,
      });
      await node.receive(PEER, { type: 'block', bytes: block.bytes });
      parent = must(node.tree.get(block.hash));
    }
    const dropped = events.flatMap((e) => (e.kind === 'tx-dropped' ? [e.dropped] : []));
    expect(dropped.map((d) => [d.tx.nonce, d.reason])).toEqual([[0n, 'insufficient-funds']]);
    if (!small.ok) throw new Error(small.error.message);
    expect(node.transactionStatus(small.value.id)).toMatchObject({
      status: 'pending',
      waitingForNonce: 0n,
    });
    // The next payment fills the gap rather than reusing nonce 1.
    expect(node.mempool.nextNonce(node.address, node.tree.ledger)).toBe(0n);
    const filler = await node.pay(addressFromNumber(2), 1n, 0n);
    expect(filler.ok && filler.value.nonce).toBe(0n);
    expect(node.transactionStatus(small.value.id)).toMatchObject({
      status: 'pending',
      waitingForNonce: null,
    });
  });
});
