/**
 * Blocks from peers in batches: a burst of blocks (a catch-up) has its payments' signatures
 * checked together through the injected verifier, is validated block by block, and lands in one
 * atomic store write per batch, so a node stopped at any moment restarts at the last whole batch.
 * A forged signature is refused with the same typed reason whichever verifier runs.
 */
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import { BlockTree } from '../../src/core/chain.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import { MAX_BLOCK_BATCH, Node } from '../../src/core/node.ts';
import type { ChainStore, Scheduler, StoreBatch, Transport } from '../../src/core/ports.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Transfer } from '../../src/core/tx.ts';
import { decodeTransfer, signTransfer } from '../../src/core/tx.ts';
import { parseNodeId } from '../../src/core/types.ts';
import { pureSignatures } from '../../src/core/wallet.ts';
import type { Signatures } from '../../src/core/wire.ts';
import { webCryptoSignatures } from '../../src/runtime/signatures.ts';
import { MemoryStore } from '../../src/sim/memory-store.ts';
import { easyParams, mineOn, must, seededWallets } from './helpers.ts';

const params = easyParams({ chainId: 21, reward: 5n });
const N1 = must(parseNodeId('n1'), 'node id');
const PEER = must(parseNodeId('n2'), 'node id');
const wallets = seededWallets(2, 21);
const payer = must(wallets[0], 'wallet');
const payee = must(wallets[1], 'wallet');
const silent: Transport = { send: () => undefined };

/** A clock far past every block's timestamp; timers never fire (nothing waits on a peer here). */
const scheduler: Scheduler = {
  now: () => params.genesisTimestampMs + 1e12,
  after: () => () => undefined,
};

/**
 * A chain mined off-node: `length` blocks paying the payer, the later ones carrying
 * `paymentsPerBlock` of its payments each. Returns the blocks, oldest first, and the payments.
 */
function minedChain(
  length: number,
  paymentsPerBlock: number,
): { blocks: Block[]; transfers: Transfer[] } {
  const tree = new BlockTree(params);
  const blocks: Block[] = [];
  const transfers: Transfer[] = [];
  let nonce = 0n;
  for (let i = 0; i < length; i++) {
    const mine: Transfer[] = [];
    // The first ten blocks fund the payer; it pays from then on.
    if (i >= 10) {
      for (let k = 0; k < paymentsPerBlock; k++) {
        mine.push(
          signTransfer(payer, {
            chainId: params.chainId,
            recipient: payee.address,
            amount: 1n,
            fee: 0n,
            nonce: nonce++,
          }),
        );
      }
    }
    const block = mineOn(tree, tree.tip, { miner: payer.address, transfers: mine });
    must(tree.add(block, scheduler.now()).ok ? block : null, 'block the tree accepts');
    blocks.push(block);
    transfers.push(...mine);
  }
  return { blocks, transfers };
}

/** A store that keeps a copy of what it held after each write, and logs writes among events. */
class RecordingStore implements ChainStore {
  readonly inner = new MemoryStore();
  readonly writes: StoreBatch[] = [];
  readonly after: MemoryStore[] = [];
  constructor(private readonly log: string[]) {}
  load(): ReturnType<ChainStore['load']> {
    return this.inner.load();
  }
  async write(batch: StoreBatch): Promise<void> {
    await this.inner.write(batch);
    this.writes.push(batch);
    this.after.push(this.inner.copy());
    if (batch.blocks?.length) this.log.push(`write ${batch.blocks.length}`);
  }
  blockWrites(): StoreBatch[] {
    return this.writes.filter((w) => (w.blocks?.length ?? 0) > 0);
  }
}

/** A verifier that counts calls and the largest number in flight at once. */
function countingVerifier(inner: Pick<Signatures, 'verify'>): {
  verifier: Pick<Signatures, 'verify'>;
  calls: () => number;
  widest: () => number;
} {
  let calls = 0;
  let inFlight = 0;
  let widest = 0;
  return {
    verifier: {
      async verify(publicKey, signature, message) {
        calls++;
        widest = Math.max(widest, ++inFlight);
        try {
          return await inner.verify(publicKey, signature, message);
        } finally {
          inFlight--;
        }
      },
    },
    calls: () => calls,
    widest: () => widest,
  };
}

async function newNode(
  store: ChainStore,
  options: { signatures?: Pick<Signatures, 'verify'>; events?: NodeEvent[]; log?: string[] } = {},
): Promise<Node> {
  const node = await Node.create({
    id: N1,
    params,
    transport: silent,
    store,
    scheduler,
    rng: createRng(1),
    ...(options.signatures ? { signatures: options.signatures } : {}),
    onEvent: (e) => {
      options.events?.push(e);
      options.log?.push(e.kind);
    },
  });
  await node.registerPeers([PEER]);
  return node;
}

/** Deliver blocks as a peer's answers arrive: all at once, before the node takes its turn. */
async function deliver(node: Node, blocks: readonly Block[]): Promise<void> {
  await Promise.all(
    blocks.map((b) => node.receive(PEER, { type: 'block', bytes: b.bytes }) ?? Promise.resolve()),
  );
}

describe('Node: blocks from peers in batches', () => {
  it('stores a burst in one write and checks all its signatures together, before any event', async () => {
    const { blocks, transfers } = minedChain(40, 3);
    const log: string[] = [];
    const store = new RecordingStore(log);
    const counting = countingVerifier(pureSignatures);
    const node = await newNode(store, { signatures: counting.verifier, log });
    await deliver(node, blocks);

    expect(node.tree.tip.hash).toBe(must(blocks.at(-1)).hash);
    const writes = store.blockWrites();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.blocks?.map((b) => b.hash)).toEqual(blocks.map((b) => b.hash));
    expect(writes[0]?.tip).toBe(must(blocks.at(-1)).hash);
    // Every payment checked once, all in flight together.
    expect(transfers).toHaveLength(90);
    expect(counting.calls()).toBe(transfers.length);
    expect(counting.widest()).toBe(transfers.length);
    // Nothing is told before it is stored.
    expect(log.indexOf(`write ${blocks.length}`)).toBeLessThan(log.indexOf('tip-changed'));
    expect(log.filter((k) => k === 'tip-changed')).toHaveLength(blocks.length);
  });

  it(`splits a longer burst into batches of at most ${MAX_BLOCK_BATCH}, each restartable`, async () => {
    const { blocks } = minedChain(MAX_BLOCK_BATCH + 120, 0);
    const store = new RecordingStore([]);
    const node = await newNode(store);
    await deliver(node, blocks);
    expect(node.tree.tip.height).toBe(blocks.length + 1);

    const writes = store.blockWrites();
    expect(writes.map((w) => w.blocks?.length)).toEqual([MAX_BLOCK_BATCH, 120]);
    // A node stopped after any write restarts exactly at that write's tip, its chain whole.
    let stored = 0;
    for (const [i, write] of store.writes.entries()) {
      stored += write.blocks?.length ?? 0;
      if (!write.blocks?.length) continue;
      const restarted = await newNode(must(store.after[i]).copy());
      expect(restarted.tree.tip.hash).toBe(write.tip);
      expect(restarted.tree.tip.height).toBe(stored + 1);
    }
  });

  it('refuses a forged payment with bad-signature through WebCrypto and the pure path alike', async () => {
    const { blocks, transfers } = minedChain(12, 1);
    const honest = must(transfers[0], 'payment');
    const forgedBytes = honest.bytes.slice();
    forgedBytes[forgedBytes.length - 1] = (forgedBytes.at(-1) ?? 0) ^ 0x01;
    const read = decodeTransfer(forgedBytes);
    if (!read.ok) throw new Error(`the forgery should still decode: ${read.error}`);
    const forged = read.value;
    const tree = new BlockTree(params);
    for (const b of blocks.slice(0, 10)) tree.add(b, scheduler.now());
    const bad = mineOn(tree, tree.tip, { miner: payer.address, transfers: [forged] });

    const verifiers: Record<string, Pick<Signatures, 'verify'> | undefined> = {
      webcrypto: webCryptoSignatures(crypto.subtle),
      pure: undefined,
    };
    for (const [name, signatures] of Object.entries(verifiers)) {
      const events: NodeEvent[] = [];
      const store = new RecordingStore([]);
      const node = await newNode(store, signatures ? { signatures, events } : { events });
      await deliver(node, [...blocks.slice(0, 10), bad]);
      const rejected = events.find((e) => e.kind === 'block-rejected');
      expect(rejected, name).toMatchObject({
        hash: bad.hash,
        rejection: { reason: 'bad-signature' },
      });
      expect(node.tree.has(bad.hash), name).toBe(false);
      expect(
        store.blockWrites().flatMap((w) => w.blocks?.map((b) => b.hash) ?? []),
        name,
      ).not.toContain(bad.hash);

      // The same payment on its own, as gossip brings one.
      await node.receive(PEER, { type: 'tx', bytes: forged.bytes });
      expect(
        events.find((e) => e.kind === 'tx-rejected'),
        name,
      ).toMatchObject({ id: forged.id, rejection: { reason: 'bad-signature' } });
      expect(node.mempool.has(forged.id), name).toBe(false);
    }
  });
});
