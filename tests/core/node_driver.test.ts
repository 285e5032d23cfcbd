/**
 * The cooperative mining driver (Node.mineContinuously) in a real event loop, with no virtual time:
 * a wall-clock scheduler, and a driver whose pause is a MessageChannel round trip, as in a browser
 * worker. Mining must never block the node: API calls and messages get through between slices, the
 * loop builds a chain of its own blocks, and a block from another node that moves the tip makes
 * the loop abandon its stale template. Only order and outcomes are asserted, never durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import type { MiningDriver, NodeEvent } from '../../src/core/node.ts';
import { Node } from '../../src/core/node.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import type { Scheduler, Transport } from '../../src/core/ports.ts';
import type { Message } from '../../src/core/protocol.ts';
import { createRng } from '../../src/core/rng.ts';
import { targetFromZeroBits } from '../../src/core/target.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import { parseNodeId } from '../../src/core/types.ts';
import { MemoryStore } from '../../src/sim/memory-store.ts';
import { addressFromNumber, must } from './helpers.ts';

const N1 = must(parseNodeId('n1'), 'node id');
const N2 = must(parseNodeId('n2'), 'node id');
const STRANGER = must(parseNodeId('n9'), 'node id');

/** Real time: the clock is the wall clock and timers are real timers. */
const realScheduler: Scheduler = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => {
      clearTimeout(t);
    };
  },
};

/** A transport that delivers nothing and remembers what was sent. */
class RecordingTransport implements Transport {
  readonly sent: { readonly to: NodeId; readonly message: Message }[] = [];

  send(to: NodeId, message: Message): void {
    this.sent.push({ to, message });
  }
}

/**
 * A mining driver as a worker would run it: fixed-size slices, and a pause that posts a message
 * through a MessageChannel and resolves when it arrives (a macrotask turn, not a timer).
 */
class ChannelDriver implements MiningDriver {
  readonly #channel = new MessageChannel();
  readonly #waiting: (() => void)[] = [];
  readonly #hashes: number;
  #running = true;
  #closed = false;
  /** Slices handed out so far. */
  slices = 0;
  /** Pauses completed so far. */
  pauses = 0;

  constructor(hashes: number) {
    this.#hashes = hashes;
    this.#channel.port2.onmessage = () => {
      this.pauses++;
      this.#waiting.shift()?.();
    };
  }

  sliceHashes(): number {
    this.slices++;
    return this.#hashes;
  }

  pause(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#channel.port1.postMessage(null);
    });
  }

  running(): boolean {
    return this.#running;
  }

  stop(): void {
    this.#running = false;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.port1.close();
    this.#channel.port2.close();
  }
}

/** A running loop and how to wait for it. */
interface Loop {
  readonly driver: ChannelDriver;
  readonly done: Promise<number>;
  /** Set once `done` settled. */
  readonly settled: () => boolean;
}

const loops: Loop[] = [];

/** Start `node.mineContinuously` with a channel driver; cleaned up after each test. */
function startLoop(node: Node, sliceHashes: number): Loop {
  const driver = new ChannelDriver(sliceHashes);
  let settled = false;
  const done = node.mineContinuously(driver).finally(() => {
    settled = true;
  });
  const loop: Loop = { driver, done, settled: () => settled };
  loops.push(loop);
  return loop;
}

/** Stop a loop, wait for it to return, and close its channel. */
async function stopLoop(loop: Loop): Promise<number> {
  loop.driver.stop();
  try {
    return await loop.done;
  } finally {
    loop.driver.close();
  }
}

afterEach(async () => {
  for (const loop of loops.splice(0)) await stopLoop(loop).catch(() => undefined);
});

/** A promise that never settles. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** One macrotask turn of the host event loop. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Let the event loop run until `cond` holds; fails (instead of hanging) after many turns. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000_000; i++) {
    if (cond()) return;
    await turn();
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface TestNode {
  readonly node: Node;
  readonly transport: RecordingTransport;
  readonly store: MemoryStore;
  readonly events: NodeEvent[];
}

async function makeNode(id: NodeId, params: ChainParams, seed: number): Promise<TestNode> {
  const transport = new RecordingTransport();
  const store = new MemoryStore();
  const events: NodeEvent[] = [];
  const node = await Node.create({
    id,
    params,
    transport,
    store,
    scheduler: realScheduler,
    rng: createRng(seed),
    onEvent: (e) => events.push(e),
  });
  return { node, transport, store, events };
}

/** Hashes of the blocks a node reported mining, in order. */
function minedHashes(events: readonly NodeEvent[]): BlockHash[] {
  return events.flatMap((e) => (e.kind === 'block-mined' ? [e.hash] : []));
}

describe('Node.mineContinuously in a real event loop', () => {
  it('never blocks the node: calls and messages complete while an unreachable search runs', async () => {
    const params = makeParams({ initialTarget: targetFromZeroBits(60) });
    const { node, store, events } = await makeNode(N1, params, 1);
    const genesis = node.tree.tip.hash;
    const loop = startLoop(node, 64);
    await until(() => loop.driver.pauses >= 3, 'the loop to run a few slices');

    // Each call: still running when it completes, and it waited for at most the slice in flight.
    // A call still pending after many more slices means mining starved it: fail, do not hang.
    const during = async <T>(call: () => Promise<T> | T): Promise<T> => {
      const before = loop.driver.slices;
      let answered = false;
      let slicesWhileWaiting = -1;
      let settledWhenAnswered = true;
      const starved = until(
        () => answered || loop.driver.slices >= before + 50,
        'the call or 50 slices',
      ).then(() => {
        if (!answered) throw new Error('the call was still pending 50 mining slices later');
      });
      const value = await Promise.race([
        Promise.resolve(call()).finally(() => {
          answered = true;
          slicesWhileWaiting = loop.driver.slices - before;
          settledWhenAnswered = loop.settled();
        }),
        starved.then(() => never<T>()),
      ]);
      expect(settledWhenAnswered).toBe(false);
      expect(loop.driver.running()).toBe(true);
      expect(slicesWhileWaiting).toBeGreaterThanOrEqual(0);
      expect(slicesWhileWaiting).toBeLessThanOrEqual(1);
      return value;
    };

    expect(await during(() => node.registerPeers([N2, STRANGER]))).toBe(2);
    expect(node.peers).toEqual([N2, STRANGER]);
    expect((await store.load())?.peers).toEqual([N2, STRANGER]);

    await during(() => node.receive(N2, { type: 'block', bytes: 'not bytes' }));
    await during(() => node.receive(STRANGER, 42));
    expect(node.stats.droppedMessages).toBe(2);
    expect(events.filter((e) => e.kind === 'message-dropped').map((e) => e.from)).toEqual([
      N2,
      STRANGER,
    ]);

    expect(await during(() => node.mempool.size)).toBe(0);
    expect(await during(() => node.tree.tip.hash)).toBe(genesis);
    expect(await during(() => node.tree.size)).toBe(1);

    const paid = await during(() => node.pay(addressFromNumber(7), 5n, 1n));
    expect(paid.ok).toBe(false);
    if (!paid.ok) expect(paid.error.reason).toBe('insufficient-funds');
    expect(node.mempool.size).toBe(0);

    // Mining carried on after all that, and only stops when the driver says so.
    const slicesAfterCalls = loop.driver.slices;
    await until(() => loop.driver.slices >= slicesAfterCalls + 3, 'more slices after the calls');
    expect(loop.settled()).toBe(false);

    loop.driver.stop();
    expect(loop.driver.running()).toBe(false);
    expect(await stopLoop(loop)).toBe(0);
    expect(loop.settled()).toBe(true);
    expect(node.tree.tip.hash).toBe(genesis);
    expect(minedHashes(events)).toEqual([]);
    // The last slice ran before the loop saw the stop: it ends with a pause, then returns.
    expect(loop.driver.pauses).toBe(loop.driver.slices);
  });

  it('finds blocks at an easy difficulty, each on the previous tip, and is paid for each', async () => {
    const params = makeParams({ initialTarget: targetFromZeroBits(4) });
    const { node, store, events, transport } = await makeNode(N1, params, 2);
    const genesis = node.tree.tip;
    const wanted = 25;
    // The loop stops itself once `wanted` blocks were reported (crossing a retarget at height 21).
    const tips: BlockHash[] = [];
    const driver = new ChannelDriver(16);
    // A budget of slices far beyond what 25 blocks need, so a broken miner fails instead of hanging.
    const stopAt = (): void => {
      if (minedHashes(events).length >= wanted || driver.slices >= 100_000) driver.stop();
    };
    const tipsDriver: MiningDriver = {
      sliceHashes: () => {
        tips.push(node.tree.tip.hash);
        return driver.sliceHashes();
      },
      pause: () => driver.pause(),
      running: () => {
        stopAt();
        return driver.running();
      },
    };
    let found: number;
    try {
      found = await node.mineContinuously(tipsDriver);
    } finally {
      driver.close();
    }

    expect(found).toBe(wanted);
    const mined = minedHashes(events);
    expect(mined).toHaveLength(wanted);
    const blocks: Block[] = mined.map((h) => must(node.tree.get(h), 'mined block').block);
    let previous = genesis.hash;
    let height: number = genesis.height;
    for (const block of blocks) {
      expect(block.header.previousHash).toBe(previous);
      expect(block.header.index).toBeGreaterThan(height);
      expect(block.header.index).toBe(height + 1);
      previous = block.hash;
      height = block.header.index;
    }
    expect(node.tree.tip.hash).toBe(previous);
    expect(node.tree.tip.height).toBe(genesis.height + wanted);
    // Nothing else was in the tree: every block is on the best chain, none went stale.
    expect(node.tree.size).toBe(wanted + 1);
    expect(node.stats.staleBlocks).toBe(0);
    expect(store.blockCount).toBe(wanted);
    // Every slice built on the tip of its moment: never a block whose parent was not the tip.
    expect(new Set(tips)).toEqual(new Set([genesis.hash, ...mined.slice(0, -1)]));
    expect(node.account(node.address).balance).toBe(BigInt(found) * params.reward);
    // No peers: nothing was announced to anyone.
    expect(transport.sent).toEqual([]);
  });

  it('moves to a block from another node as soon as it is accepted, abandoning the old tip', async () => {
    const params = makeParams({ initialTarget: targetFromZeroBits(16) });
    const a = await makeNode(N1, params, 3);
    await a.node.registerPeers([N2]);
    const loop = startLoop(a.node, 512);

    let delivered: Block | null = null;
    let oldTip: BlockHash | null = null;
    let minedBeforeAcceptance = 0;
    for (let attempt = 0; attempt < 20 && !delivered; attempt++) {
      // Let the loop work on its current template for a while first.
      const pauses = loop.driver.pauses;
      await until(() => loop.driver.pauses >= pauses + 3, 'the loop to run a few slices');
      // Another node (a fresh one each attempt) with the same rules catches up with everything
      // the loop's node has, then mines one block on that tip.
      const b = await makeNode(N2, params, 100 + attempt);
      expect(b.node.address).not.toBe(a.node.address);
      await b.node.registerPeers([N1]);
      for (const e of a.node.tree.bestChain().slice(1)) {
        await b.node.receive(N1, { type: 'block', bytes: e.block.bytes });
      }
      expect(b.node.tree.tip.hash).toBe(a.node.tree.tip.hash);
      const block = await b.node.mine();
      // A block the loop found meanwhile makes this one a sibling, not an extension: try again.
      const tipNow = a.node.tree.tip.hash;
      if (block.header.previousHash !== tipNow) continue;
      await a.node.receive(N2, { type: 'block', bytes: block.bytes });
      minedBeforeAcceptance = minedHashes(a.events).length;
      // On equal work the first seen stays best: if the loop won that race, try again.
      if (a.node.tree.tip.hash !== block.hash) continue;
      delivered = block;
      oldTip = tipNow;
    }
    const block = must(delivered, 'a delivered block that became the tip');
    const abandoned = must(oldTip, 'the tip before delivery');
    expect(block.header.previousHash).toBe(abandoned);
    const tipChange = a.events.find(
      (e) => e.kind === 'tip-changed' && e.change.newTip.hash === block.hash,
    );
    expect(tipChange).toMatchObject({ kind: 'tip-changed', from: N2 });

    await until(
      () => minedHashes(a.events).length > minedBeforeAcceptance,
      'the loop to mine a block after the delivered one',
    );
    const foundAfter = minedHashes(a.events).slice(minedBeforeAcceptance);
    await stopLoop(loop);

    const next = must(a.node.tree.get(must(foundAfter[0], 'next mined block')), 'entry');
    expect(next.block.header.previousHash).not.toBe(abandoned);
    expect(next.block.header.previousHash).toBe(block.hash);
    expect(next.height).toBe(block.header.index + 1);
    // Everything the loop mined after acceptance descends from the delivered block.
    for (const hash of foundAfter) {
      let e = a.node.tree.get(hash) ?? null;
      while (e && e.hash !== block.hash) e = e.parent;
      expect(e?.hash).toBe(block.hash);
    }
    expect(a.node.tree.isOnBestChain(must(a.node.tree.get(block.hash), 'entry'))).toBe(true);
    // The loop's new block was announced to the peer, and the delivered one was not sent back.
    const announced = a.transport.sent.flatMap((s) =>
      s.to === N2 && s.message.type === 'inv' ? s.message.blocks : [],
    );
    expect(announced).toContain(next.hash);
    expect(announced).not.toContain(block.hash);
  });
});
