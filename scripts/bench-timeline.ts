/**
 * The timeline's benchmark: a real 2,000-block run of the headless simulator (8 nodes, sampled
 * work, 100 ms links, payments), polled every 400 ms of network time as the page polls its
 * workers, and recorded with the page's own Recorder (src/app/timeline/recording.ts): each
 * node's new blocks, its status, its events, the network, and every message it heard. Then 200
 * seeks to seeded random moments of that recording, each frame built from scratch by the page's
 * Replay, and the recording exported and imported back.
 *
 * The headless network traces nothing itself, so the messages are traced here, at its edge: the
 * transport every node is given is wrapped to note each message sent and when it arrives, as
 * the page's delivery gate does in a worker (src/runtime/delivery-gate.ts).
 */
import type { NetworkView } from '../src/api/backend.ts';
import { summarize } from '../src/api/node-backend.ts';
import type { BlockSummary, MessageTrace, NodeStatus } from '../src/app/sim/worker-simulation.ts';
import type { ReportedBlock, ReportedEvent } from '../src/app/timeline/recording.ts';
import { POLL_MS, Recorder } from '../src/app/timeline/recording.ts';
import { Replay } from '../src/app/timeline/replay.ts';
import { parseRunFile, runFileText } from '../src/app/timeline/run-file.ts';
import { MAX_LATENCY_MS } from '../src/core/delivery.ts';
import type { Node } from '../src/core/node.ts';
import { createRng } from '../src/core/rng.ts';
import type { NodeId } from '../src/core/types.ts';
import { traceKind } from '../src/runtime/delivery-gate.ts';
import { blockSummary } from '../src/runtime/node-host.ts';
import type { Receiver } from '../src/sim/memory-network.ts';
import { MemoryNetwork } from '../src/sim/memory-network.ts';
import { DEFAULT_SIMULATION, Simulation } from '../src/sim/simulation.ts';

/** What a recorded run is made of. */
export interface RecordedRun {
  readonly recorder: Recorder;
  /** Blocks recorded, stale ones included. */
  readonly blocks: number;
  /** The best height reached. */
  readonly height: number;
}

const NODES = 8;
const BLOCK_TIME_MS = 5_000;
const HASHES_PER_SECOND = 1_000;
/** One payment every 6 s of network time. */
const PAYMENT_EVERY_MS = 6_000;

/** A message sent and not yet arrived. */
interface InFlight {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly kind: MessageTrace['kind'];
  readonly sentAt: number;
}

/**
 * Wrap every transport the network hands out from now on: a message is noted when sent and
 * traced, at its receiver, when it arrives. Messages never arrived after the longest latency the
 * network allows are traced as lost. Returns the traces heard since the last call, per node, and
 * a function that puts the network back as it was.
 */
function traceMessages(now: () => number): {
  take(id: NodeId): MessageTrace[];
  restore(): void;
} {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- always called with its network as `this`
  const original = MemoryNetwork.prototype.attach;
  const inFlight = new Map<object, InFlight[]>();
  const heard = new Map<NodeId, MessageTrace[]>();
  const hear = (trace: MessageTrace): void => {
    const list = heard.get(trace.to) ?? [];
    list.push(trace);
    heard.set(trace.to, list);
  };
  MemoryNetwork.prototype.attach = function (
    this: MemoryNetwork,
    id: NodeId,
    receive: Receiver,
    bitsPerSecond?: number,
  ) {
    const tracing: Receiver = (from, message) => {
      const sent = typeof message === 'object' && message !== null ? inFlight.get(message) : null;
      const at = sent?.findIndex((m) => m.from === from && m.to === id) ?? -1;
      const flight = at >= 0 ? sent?.splice(at, 1)[0] : undefined;
      if (flight) {
        if (sent?.length === 0) inFlight.delete(message as object);
        hear({ ...flight, arriveAt: now(), fate: 'delivered' });
      }
      return receive(from, message);
    };
    const transport = original.call(this, id, tracing, bitsPerSecond);
    return {
      send: (to, message) => {
        const kind = traceKind(message);
        if (kind) {
          const list = inFlight.get(message) ?? [];
          list.push({ from: id, to, kind, sentAt: now() });
          inFlight.set(message, list);
        }
        transport.send(to, message);
      },
    };
  };
  return {
    take(id) {
      const cutoff = now() - MAX_LATENCY_MS;
      for (const [message, list] of inFlight) {
        for (const flight of list.filter((f) => f.sentAt < cutoff)) {
          hear({ ...flight, arriveAt: flight.sentAt, fate: 'lost' });
        }
        const left = list.filter((f) => f.sentAt >= cutoff);
        if (left.length === 0) inFlight.delete(message);
        else inFlight.set(message, left);
      }
      const out = heard.get(id) ?? [];
      heard.delete(id);
      return out;
    },
    restore() {
      MemoryNetwork.prototype.attach = original;
    },
  };
}

/** A node's status as a worker reports it (NodeHost.status in src/runtime/node-host.ts). */
function statusOf(node: Node, hashesPerSecond: number): NodeStatus {
  const { reorgs, staleBlocks, droppedMessages } = node.stats;
  return {
    ...summarize(node),
    hashesPerSecond: node.settings.mining ? hashesPerSecond * node.settings.hashrate : 0,
    mempoolSize: node.mempool.size,
    balance: Number(node.account(node.address).balance),
    reorgs,
    staleBlocks,
    droppedMessages,
    storageProblem: null,
    room: null,
  };
}

/** A node's blocks after arrival number `after` (NodeHost.blocksSince). */
function blocksSince(node: Node, after: number): BlockSummary[] {
  const out: BlockSummary[] = [];
  for (const e of node.tree.entries()) {
    if (e.seq <= after) continue;
    out.push(blockSummary(e));
  }
  return out;
}

/**
 * Run the headless simulator until its best chain has `blocks` blocks, recording it as the page
 * would: a poll every 400 ms of network time.
 */
export async function recordHeadlessRun(blocks: number, seed: number): Promise<RecordedRun> {
  let clock = (): number => DEFAULT_SIMULATION.startTimeMs;
  const tracer = traceMessages(() => clock());
  let sim: Simulation;
  try {
    sim = await Simulation.create({
      nodes: NODES,
      seed,
      difficultyBits: Math.round(Math.log2(NODES * HASHES_PER_SECOND * (BLOCK_TIME_MS / 1000))),
      blockTimeMs: BLOCK_TIME_MS,
      latencyMs: 100,
      hashesPerSecond: HASHES_PER_SECOND,
      pow: 'sampled',
    });
  } finally {
    tracer.restore();
  }
  clock = () => sim.now;
  const ids = sim.ids;
  for (const id of ids) await sim.request('POST', `/node/${id}/mining`, { enabled: true });

  const rng = createRng(seed).fork('payments');
  const pay = async (): Promise<void> => {
    const from = sim.nodeById(ids[rng.int(ids.length)] as NodeId);
    const to = sim.nodeById(ids[rng.int(ids.length)] as NodeId);
    if (from !== to && from.mempool.projected(from.address, from.tree.ledger).balance >= 2n) {
      await sim.payEverywhere(from.id, to.address, 1n, BigInt(rng.int(2)));
    }
    sim.schedule(PAYMENT_EVERY_MS, pay);
  };
  sim.schedule(PAYMENT_EVERY_MS, pay);

  const recorder = new Recorder(sim.options, sim.now);
  const cursors = new Map<NodeId, number>();
  /** Tree sizes at the last poll: a node whose tree did not grow has no new block to list. */
  const sizes = new Map<NodeId, number>();
  const seeds = Object.fromEntries(ids.map((id, i) => [id, seed * 100 + i]));
  let best = 0;
  while (best < blocks) {
    await sim.runFor(POLL_MS);
    const nodes = ids.map((id) => statusOf(sim.nodeById(id), HASHES_PER_SECOND));
    const network: NetworkView = await sim.networkSettings();
    const reported: ReportedBlock[] = [];
    const events: ReportedEvent[] = [];
    const traces: MessageTrace[] = [];
    for (const id of ids) {
      const node = sim.nodeById(id);
      if (sizes.get(id) !== node.tree.size) {
        sizes.set(id, node.tree.size);
        for (const block of blocksSince(node, cursors.get(id) ?? -1)) {
          cursors.set(id, Math.max(cursors.get(id) ?? -1, block.seq));
          reported.push({ node: id, block });
        }
      }
      for (const event of await sim.takeEvents(id)) events.push({ node: id, event });
      traces.push(...tracer.take(id));
      best = Math.max(best, sim.nodeById(id).tree.tip.height);
    }
    recorder.record({
      t: sim.now,
      nodes,
      network,
      blocks: reported,
      events,
      traces,
      seeds,
      settings: sim.options,
    });
  }
  return {
    recorder,
    blocks: recorder.entries.filter((e) => e.kind === 'block').length,
    height: best,
  };
}

/** The p-th percentile of some durations (nearest rank). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (ms: number): number => Number(ms.toFixed(2));

/** Record a 2,000-block run, then time seeks, the index and an import of its export. */
export async function benchTimeline(log: (line: string) => void): Promise<Record<string, number>> {
  const started = performance.now();
  const run = await recordHeadlessRun(2_000, 1);
  const { recorder } = run;
  log(
    `timeline: a 2,000-block run recorded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${run.blocks.toLocaleString('en')} blocks, ${recorder.entries.length.toLocaleString('en')} entries, ${(recorder.traces.length + recorder.tracesDropped).toLocaleString('en')} message traces (${recorder.traces.length.toLocaleString('en')} kept), ${Math.round((recorder.end - recorder.start) / 60_000)} min of network time`,
  );

  // The first seek indexes the whole recording; it is timed on its own.
  const replay = new Replay(recorder);
  let t = performance.now();
  replay.frameAt(recorder.end);
  const indexMs = performance.now() - t;

  // A frame's blocks are a view; the tree reads every one of them (treeBlocks in
  // src/app/tree/from-state.ts), so each seek is also timed with that read.
  const rng = createRng(2_000);
  const times: number[] = [];
  const withRead: number[] = [];
  let seen = 0;
  for (let i = 0; i < 200; i++) {
    const at = recorder.start + rng.float() * (recorder.end - recorder.start);
    t = performance.now();
    const frame = replay.frameAt(at);
    times.push(performance.now() - t);
    for (const block of frame.blocks.values()) seen += block.height > 0 ? 1 : 0;
    withRead.push(performance.now() - t);
    seen += frame.nodes.length + frame.traces.length;
  }
  if (seen === 0) throw new Error('every frame was empty');
  times.sort((a, b) => a - b);
  withRead.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  const max = times[times.length - 1] ?? 0;
  log(
    `timeline: 200 seeks in a 2,000-block run   median ${round(percentile(times, 50))} ms, p95 ${round(p95)} ms, max ${round(max)} ms (goal: at most 100 ms); first seek, indexing it all: ${round(indexMs)} ms`,
  );
  log(
    `timeline: the same, reading every block    p95 ${round(percentile(withRead, 95))} ms, max ${round(withRead[withRead.length - 1] ?? 0)} ms`,
  );

  const text = runFileText(recorder, new Date(recorder.end));
  t = performance.now();
  const parsed = parseRunFile(text);
  const importMs = performance.now() - t;
  if (!parsed.ok) throw new Error(`the exported run was refused: ${parsed.error.message}`);
  log(
    `timeline: importing its export (${(text.length / 1e6).toFixed(1)} MB)      ${Math.round(importMs)} ms`,
  );
  return {
    timeline_seek_2000_blocks_ms_p95: round(p95),
    timeline_seek_2000_blocks_ms_max: round(max),
    timeline_seek_read_2000_blocks_ms_p95: round(percentile(withRead, 95)),
    timeline_index_2000_blocks_ms: round(indexMs),
    timeline_import_2000_blocks_ms: Math.round(importMs),
  };
}
