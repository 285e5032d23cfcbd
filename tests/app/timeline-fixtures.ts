/**
 * Hand-made pieces of a run for the timeline tests: statuses, blocks, events and traces with
 * valid shapes, and a seeded generator of long runs with forks, nodes joining and leaving,
 * partitions and messages in flight.
 */
import type { NetworkView } from '../../src/api/backend.ts';
import type { EventJson } from '../../src/api/json.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Address, BlockHash, NodeId } from '../../src/core/types.ts';
import type {
  BlockSummary,
  MessageTrace,
  NodeStatus,
  TraceFate,
  TraceKind,
} from '../../src/app/sim/worker-simulation.ts';
import type { Poll } from '../../src/app/timeline/recording.ts';

/** 2026-01-01T00:00:00Z, where every fixture run starts. */
export const T0 = 1_767_225_600_000;

export const id = (name: string): NodeId => name as NodeId;
export const hashOf = (n: number): BlockHash => n.toString(16).padStart(64, '0') as BlockHash;
export const addressOf = (name: string): Address =>
  Array.from(name, (c) => c.charCodeAt(0).toString(16))
    .join('')
    .padStart(40, 'a')
    .slice(-40) as Address;

/** Block `n` on `parent` (genesis is 1, on nothing). */
export function block(n: number, parent: number | null, height: number, seq = n): BlockSummary {
  return {
    hash: hashOf(n),
    parent: parent === null ? null : hashOf(parent),
    height,
    seq,
    chainWork: String(height * 4096),
    miner: parent === null ? null : addressOf(`m${n % 3}`),
    timestamp: T0 + n * 1000,
    difficulty: 12,
  };
}

/** A node's status with its tip at block `tip` of height `height`. */
export function status(
  name: string,
  tip: number,
  height: number,
  more: Partial<NodeStatus> = {},
): NodeStatus {
  return {
    id: id(name),
    address: addressOf(name),
    height,
    tip: hashOf(tip),
    peers: [],
    mining: true,
    hashrate: 1,
    hashesPerSecond: 1_000_000,
    mempoolSize: 0,
    balance: 0,
    reorgs: 0,
    staleBlocks: 0,
    droppedMessages: 0,
    storageProblem: null,
    room: null,
    ...more,
  };
}

export const WHOLE: NetworkView = { latency_ms: 100, loss: 0, groups: [] };

export function trace(
  from: string,
  to: string,
  sentAt: number,
  arriveAt: number,
  kind: TraceKind = 'inv',
  fate: TraceFate = 'delivered',
): MessageTrace {
  return { from: id(from), to: id(to), kind, sentAt, arriveAt, fate };
}

export function mined(n: number, height: number): EventJson {
  return { kind: 'block-mined', hash: hashOf(n), height };
}

/** A poll with nothing new but these nodes and this network. */
export function poll(t: number, nodes: readonly NodeStatus[], more: Partial<Poll> = {}): Poll {
  return { t, nodes, network: WHOLE, blocks: [], events: [], traces: [], ...more };
}

/**
 * `count` polls of a seeded made-up run, 400 ms apart: nodes mine on random recent blocks (so
 * branches appear), several nodes report the same block, nodes join and leave, the network is
 * split and healed, hash rates wobble, and messages fly with random delays and fates.
 */
export function syntheticPolls(seed: number, count: number): Poll[] {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[rng.int(items.length)];
    if (item === undefined) throw new Error('empty list');
    return item;
  };
  let names = ['n1', 'n2', 'n3', 'n4'];
  let nextName = 5;
  const genesis = block(1, null, 1, 0);
  const blocks: BlockSummary[] = [genesis];
  const tips = new Map<string, BlockSummary>(names.map((n) => [n, genesis]));
  const mempool = new Map<string, number>();
  let network = WHOLE;
  const polls: Poll[] = [];
  for (let i = 0; i < count; i++) {
    const t = T0 + i * 400 + rng.int(50);
    // Every node starts from genesis, and says so in the first poll.
    const reported: Poll['blocks'][number][] =
      i === 0 ? names.map((name) => ({ node: id(name), block: genesis })) : [];
    const events: Poll['events'][number][] = [];
    if (rng.float() < 0.3) {
      const parent = pick(blocks.slice(-4));
      const made = block(blocks.length + 1, null, parent.height + 1, blocks.length);
      const child: BlockSummary = { ...made, parent: parent.hash };
      blocks.push(child);
      const miner = pick(names);
      tips.set(miner, child);
      events.push({ node: id(miner), event: mined(blocks.length, child.height) });
      for (const name of names) {
        if (rng.float() < 0.5) reported.push({ node: id(name), block: child });
      }
      reported.push({ node: id(miner), block: child });
    }
    // Old blocks reported again by nodes that just heard of them.
    if (rng.float() < 0.2) reported.push({ node: id(pick(names)), block: pick(blocks) });
    if (rng.float() < 0.01 && names.length < 8) {
      const name = `n${nextName++}`;
      names = [...names, name];
      tips.set(name, genesis);
    }
    if (rng.float() < 0.008 && names.length > 2) {
      const gone = pick(names);
      names = names.filter((n) => n !== gone);
    }
    if (rng.float() < 0.02) {
      network =
        network.groups.length > 0
          ? { ...network, groups: [] }
          : { ...network, groups: [names.slice(0, 1).map(id), names.slice(1).map(id)] };
    }
    if (rng.float() < 0.01) network = { ...network, latency_ms: 50 + rng.int(500) };
    for (const name of names) {
      if (rng.float() < 0.1) {
        const best = pick(blocks.slice(-3));
        const old = tips.get(name) ?? best;
        tips.set(name, best);
        events.push({
          node: id(name),
          event: {
            kind: 'tip-changed',
            from: null,
            oldTip: old.hash,
            newTip: best.hash,
            fork: old.hash,
            height: best.height,
            dropped: rng.int(2),
            adopted: 1,
          },
        });
      }
      if (rng.float() < 0.1) mempool.set(name, rng.int(5));
    }
    const nodes = names.map((name) => {
      const tip = tips.get(name) ?? genesis;
      return status(name, 0, tip.height, {
        tip: tip.hash as BlockHash,
        peers: names.filter((n) => n !== name).map(id),
        hashesPerSecond: 1_000_000 + rng.int(80_000),
        mempoolSize: mempool.get(name) ?? 0,
      });
    });
    const traces: MessageTrace[] = [];
    for (let k = rng.int(6); k > 0; k--) {
      const sentAt = t - rng.int(400);
      const fate = pick<TraceFate>(['delivered', 'delivered', 'delivered', 'lost', 'cut']);
      traces.push(
        trace(
          pick(names),
          pick(names),
          sentAt,
          fate === 'delivered' ? sentAt + rng.int(900) : sentAt,
          pick<TraceKind>(['inv', 'getdata', 'block', 'tx', 'sync']),
          fate,
        ),
      );
    }
    polls.push({ t, nodes, network, blocks: reported, events, traces });
  }
  return polls;
}
