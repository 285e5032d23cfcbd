/**
 * A recorded run replayed: the tree, the nodes, the network, the event log and the messages in
 * flight as they were at any moment, read from the recording (./recording.ts), never by running
 * anything again. Pure TypeScript.
 *
 * Seeking costs a few binary searches, whatever the moment: each kind of entry is indexed once,
 * in time order, so the state at `t` is the last node list, the last status of each node and the
 * last network view at or before `t`, the first `k` blocks (blocks are only ever added, in the
 * order the page saw them) and the events up to `t`. The blocks of a frame are a view of the
 * first `k` blocks, so a frame costs the same for 200 blocks or 20,000 (`npm run bench -- --only
 * timeline`). Playing forward reuses every part of the previous frame that did not change, so the
 * views redraw only what moved.
 */
import type { NetworkView } from '../../api/backend.ts';
import type { NodeId } from '../../core/types.ts';
import type { MessageTrace, NodeStatus } from '../sim/worker-simulation.ts';
import type { KnownBlock, LogEntry, Recording } from './recording.ts';
import { POLL_MS, traceEnd } from './recording.ts';

/**
 * The shortest time a message is shown in flight. It is the page's poll interval: a message
 * that arrived between two polls is still shown at the moment of the second, so the live end
 * of a recording shows every message the last poll brought.
 */
export const MIN_VISIBLE_MS = POLL_MS;
/** Event-log lines a frame holds, as the live log keeps. */
export const LOG_LIMIT = 500;
/** The network before any was recorded: whole, instant, lossless. */
export const EMPTY_NETWORK: NetworkView = { latency_ms: 0, loss: 0, groups: [] };

/** The page at one moment: what the tree, the node table, the network view and the log show. */
export interface Frame {
  /** The moment (Date.now milliseconds). */
  readonly t: number;
  /** Every block the page knew, by hash. */
  readonly blocks: ReadonlyMap<string, KnownBlock>;
  /** Each node's status, in the page's order. */
  readonly nodes: readonly NodeStatus[];
  readonly network: NetworkView;
  /** The newest {@link LOG_LIMIT} event-log lines, oldest first. */
  readonly log: readonly LogEntry[];
  /**
   * Messages in flight: heard at or before `t`, and arriving after it (or heard less than
   * {@link MIN_VISIBLE_MS} before it), oldest first.
   */
  readonly traces: readonly MessageTrace[];
}

/** A node's status from time `t` on. */
export interface StatusSample {
  readonly t: number;
  readonly status: NodeStatus;
}

/** How many of the ascending `sorted` are at most `x`. */
export function countUpTo(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Values over time, in time order. */
class Series<T> {
  readonly times: number[] = [];
  readonly values: T[] = [];

  push(t: number, value: T): void {
    this.times.push(t);
    this.values.push(value);
  }

  /** The last value at or before `t`. */
  at(t: number): T | undefined {
    return this.values[countUpTo(this.times, t) - 1];
  }
}

/**
 * The first `size` blocks of a run as a map: looking a block up costs one hash lookup and one
 * comparison, and making the view costs nothing, whatever the size.
 */
class BlocksUpTo implements ReadonlyMap<string, KnownBlock> {
  readonly size: number;
  readonly #order: readonly KnownBlock[];
  readonly #index: ReadonlyMap<string, number>;

  constructor(order: readonly KnownBlock[], index: ReadonlyMap<string, number>, size: number) {
    this.#order = order;
    this.#index = index;
    this.size = size;
  }

  get(hash: string): KnownBlock | undefined {
    const i = this.#index.get(hash);
    return i !== undefined && i < this.size ? this.#order[i] : undefined;
  }

  has(hash: string): boolean {
    return this.get(hash) !== undefined;
  }

  forEach(
    callback: (block: KnownBlock, hash: string, map: ReadonlyMap<string, KnownBlock>) => void,
    thisArg?: unknown,
  ): void {
    for (const block of this.values()) callback.call(thisArg, block, block.hash, this);
  }

  *values(): MapIterator<KnownBlock> {
    for (let i = 0; i < this.size; i++) {
      const block = this.#order[i];
      if (block) yield block;
    }
  }

  *keys(): MapIterator<string> {
    for (const block of this.values()) yield block.hash;
  }

  *entries(): MapIterator<[string, KnownBlock]> {
    for (const block of this.values()) yield [block.hash, block];
  }

  [Symbol.iterator](): MapIterator<[string, KnownBlock]> {
    return this.entries();
  }
}

/** The parts of the last frame built, to reuse what did not change. */
interface Built {
  readonly frame: Frame;
  readonly logCount: number;
}

/** A recording, ready to be shown at any moment. A live recording may go on growing. */
export class Replay {
  readonly recording: Recording;
  /** Entries indexed so far. */
  #indexed = 0;
  readonly #blockTimes: number[] = [];
  readonly #blocks: KnownBlock[] = [];
  readonly #blockIndex = new Map<string, number>();
  readonly #ids = new Series<readonly NodeId[]>();
  readonly #statuses = new Map<NodeId, Series<NodeStatus>>();
  readonly #network = new Series<NetworkView>();
  readonly #logTimes: number[] = [];
  readonly #log: LogEntry[] = [];
  readonly #steps: number[] = [];
  #last: Built | null = null;

  constructor(recording: Recording) {
    this.recording = recording;
  }

  /** When the recording began. */
  get start(): number {
    return this.recording.start;
  }

  /** When it last heard from the workers (it may still grow). */
  get end(): number {
    return this.recording.end;
  }

  /** Every moment at which something was recorded, ascending, without repeats. */
  get stepPoints(): readonly number[] {
    this.#catchUp();
    return this.#steps;
  }

  /** The first moment after `t` at which something changed; the end when nothing did. */
  nextStep(t: number): number {
    const steps = this.stepPoints;
    return Math.min(steps[countUpTo(steps, t)] ?? this.end, this.end);
  }

  /** The last moment before `t` at which something changed; the start when nothing did. */
  previousStep(t: number): number {
    const steps = this.stepPoints;
    const before = countUpTo(steps, t) - 1;
    const at = steps[before] === t ? before - 1 : before;
    return Math.max(steps[at] ?? this.start, this.start);
  }

  /** The page as it was at `t` (held between the start and the end). */
  frameAt(t: number): Frame {
    this.#catchUp();
    const at = Math.min(Math.max(t, this.start), this.end);
    const last = this.#last;

    const count = countUpTo(this.#blockTimes, at);
    const blocks =
      last?.frame.blocks.size === count
        ? last.frame.blocks
        : new BlocksUpTo(this.#blocks, this.#blockIndex, count);

    const nodes = this.#nodesAt(at);
    const network = this.#network.at(at) ?? EMPTY_NETWORK;

    const logCount = countUpTo(this.#logTimes, at);
    const log =
      last?.logCount === logCount
        ? last.frame.log
        : this.#log.slice(Math.max(0, logCount - LOG_LIMIT), logCount);

    const traces = this.tracesAt(at);
    const frame: Frame = {
      t: at,
      blocks,
      nodes: last && sameItems(last.frame.nodes, nodes) ? last.frame.nodes : nodes,
      network,
      log,
      traces: last && sameItems(last.frame.traces, traces) ? last.frame.traces : traces,
    };
    this.#last = { frame, logCount };
    return frame;
  }

  /**
   * Messages in flight at `t`: heard at or before it, and arriving after it or heard less than
   * {@link MIN_VISIBLE_MS} before it.
   */
  tracesAt(t: number): readonly MessageTrace[] {
    return this.tracesDuring(t, t);
  }

  /**
   * Messages in flight at any moment from `from` to `to`, oldest first: what a view that animates
   * them on its own clock, or counts the recent ones, needs. A binary search finds the first that
   * can still be in flight at `from`, since none stays longer than the recording's longest.
   */
  tracesDuring(from: number, to: number): readonly MessageTrace[] {
    const traces = this.recording.traces;
    const span = Math.max(this.recording.traceSpan, MIN_VISIBLE_MS);
    let lo = 0;
    let hi = traces.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((traces[mid]?.sentAt ?? Infinity) <= from - span) lo = mid + 1;
      else hi = mid;
    }
    const out: MessageTrace[] = [];
    for (let i = lo; i < traces.length; i++) {
      const trace = traces[i];
      if (!trace || trace.sentAt > to) break;
      if (traceEnd(trace, MIN_VISIBLE_MS) > from) out.push(trace);
    }
    return out;
  }

  /**
   * Each node's statuses over the `windowMs` before `t`: the one in force when the window opens
   * (dated then) and every change up to `t`, for charts of mempool size, height or hash rate.
   */
  statusHistory(t: number, windowMs: number): ReadonlyMap<NodeId, readonly StatusSample[]> {
    this.#catchUp();
    const from = t - windowMs;
    const out = new Map<NodeId, StatusSample[]>();
    for (const [id, series] of this.#statuses) {
      const first = Math.max(0, countUpTo(series.times, from) - 1);
      const last = countUpTo(series.times, t);
      const samples: StatusSample[] = [];
      for (let i = first; i < last; i++) {
        const status = series.values[i];
        const when = series.times[i];
        if (status && when !== undefined) samples.push({ t: Math.max(when, from), status });
      }
      if (samples.length > 0) out.set(id, samples);
    }
    return out;
  }

  #nodesAt(t: number): readonly NodeStatus[] {
    const closing =
      t >= this.end ? new Map(this.recording.closing.map((s) => [s.id, s])) : undefined;
    const nodes: NodeStatus[] = [];
    for (const id of this.#ids.at(t) ?? []) {
      const status = closing?.get(id) ?? this.#statuses.get(id)?.at(t);
      if (status) nodes.push(status);
    }
    return nodes;
  }

  /** Index the entries recorded since the last call. */
  #catchUp(): void {
    const entries = this.recording.entries;
    for (; this.#indexed < entries.length; this.#indexed++) {
      const entry = entries[this.#indexed];
      if (!entry) break;
      const { t } = entry;
      if (this.#steps[this.#steps.length - 1] !== t) this.#steps.push(t);
      switch (entry.kind) {
        case 'block':
          this.#blockIndex.set(entry.block.hash, this.#blocks.length);
          this.#blocks.push(entry.block);
          this.#blockTimes.push(t);
          break;
        case 'status': {
          let series = this.#statuses.get(entry.status.id);
          if (!series) {
            series = new Series();
            this.#statuses.set(entry.status.id, series);
          }
          series.push(t, entry.status);
          break;
        }
        case 'nodes':
          this.#ids.push(t, entry.ids);
          break;
        case 'network':
          this.#network.push(t, entry.network);
          break;
        case 'event':
          this.#log.push({
            id: this.recording.firstLogId + this.#log.length,
            node: entry.node,
            at: t,
            event: entry.event,
          });
          this.#logTimes.push(t);
          break;
      }
    }
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
