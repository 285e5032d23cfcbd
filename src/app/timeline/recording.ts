/**
 * The recording of a run: everything the page learned from its workers, poll by poll, kept as
 * one append-only list of entries so the timeline can show the tree, the nodes and the network as
 * they were at any moment (./replay.ts) and a run can be saved and opened elsewhere
 * (./run-file.ts). Pure TypeScript: no Svelte, no DOM, no clock (the caller passes the time).
 *
 * Memory is bounded. Measured on `npm run bench -- --only timeline`'s run (8 nodes, 3 h of network
 * time, 2,110 blocks, 28,000 statuses, 32,000 events, 100,000 message traces kept): about 24 MB
 * once exported and imported again, about 270 bytes an entry and 70 a trace. An hour-long class
 * with 16 nodes mining a block every 5 s records about 720 blocks, at most 72,000 statuses (a
 * status is kept only when it changes, the hash rate to 2 significant figures, so 16 nodes × 1.25
 * a second at worst) and about 23,000 events: under 100,000 entries, about 27 MB, plus 7 MB of
 * traces, which are capped at {@link MAX_TRACES}, the oldest dropped first. {@link MAX_ENTRIES}
 * caps a longer run at about 50 MB: the recording then ends and says so ({@link Recording.full});
 * the live view goes on.
 */
import type { NetworkView, ResetOptions } from '../../api/backend.ts';
import type { EventJson } from '../../api/json.ts';
import type { NodeId } from '../../core/types.ts';
import type { BlockSummary, MessageTrace, NodeStatus } from '../sim/worker-simulation.ts';

/** How often the page asks its workers how they are: a recording's finest step. */
export const POLL_MS = 400;
/** Most message traces a recording keeps; past it the oldest are dropped first. */
export const MAX_TRACES = 100_000;
/** Traces dropped at once when the cap is passed, so dropping costs little per trace. */
const TRACES_DROPPED_AT_ONCE = 10_000;
/** Most entries (blocks, statuses, node lists, network changes, events) a recording keeps. */
export const MAX_ENTRIES = 150_000;
/** Significant figures of a node's hash rate that count as a change worth recording. */
export const HASH_RATE_FIGURES = 2;

/** A block as the page knows it: the first summary any node gave, and when the page first saw it. */
export interface KnownBlock extends BlockSummary {
  /** Order in which the page first saw the block, across all nodes (0 for the first of a run). */
  readonly seen: number;
}

/** One line of the event log. */
export interface LogEntry {
  readonly id: number;
  readonly node: NodeId;
  /** Wall-clock time the page received it. */
  readonly at: number;
  readonly event: EventJson;
}

/** Something the page learned at time `t` (Date.now milliseconds). */
export type Entry =
  /** A block, the first time any node reported it; `node` is the one that did. */
  | {
      readonly kind: 'block';
      readonly t: number;
      readonly node: NodeId;
      readonly block: KnownBlock;
    }
  /** A node's status, when it changed. */
  | { readonly kind: 'status'; readonly t: number; readonly status: NodeStatus }
  /** The nodes of the run, in the page's order, when a node was added or removed. */
  | { readonly kind: 'nodes'; readonly t: number; readonly ids: readonly NodeId[] }
  /** The network conditions, when they changed. */
  | { readonly kind: 'network'; readonly t: number; readonly network: NetworkView }
  /** Something a node did (a line of the event log). */
  | {
      readonly kind: 'event';
      readonly t: number;
      readonly node: NodeId;
      readonly event: EventJson;
    };

/** The kinds of entry. */
export type EntryKind = Entry['kind'];

/** A recorded run, as the replay reads it: a live {@link Recorder} or an imported file. */
export interface Recording {
  /** The run's settings. */
  readonly settings: ResetOptions;
  /** Each node's seed (its wallet key and network jitter), every node the run had. */
  readonly seeds: Readonly<Record<string, number>>;
  /** When the recording began and when it last heard from the workers. */
  readonly start: number;
  readonly end: number;
  /** Every entry, oldest first; times never go down. A live recording grows at the end. */
  readonly entries: readonly Entry[];
  /** Message traces kept, by the time they were heard (`sentAt`), oldest first. */
  readonly traces: readonly MessageTrace[];
  /** Traces dropped to keep memory bounded (the oldest ones). */
  readonly tracesDropped: number;
  /** The longest any kept trace took from being heard to arriving (0 when none did). */
  readonly traceSpan: number;
  /** The id the run's first log line has: log ids go on rising across runs of one page. */
  readonly firstLogId: number;
  /**
   * Statuses as the last poll gave them, where they differ from the node's last status entry
   * only below {@link HASH_RATE_FIGURES} figures of hash rate: they hold at `end`.
   */
  readonly closing: readonly NodeStatus[];
  /** The recording reached {@link MAX_ENTRIES} and stopped at `end`. */
  readonly full: boolean;
}

/** A block and the node that reported it. */
export interface ReportedBlock {
  readonly node: NodeId;
  readonly block: BlockSummary;
}

/** An event and the node it happened on. */
export interface ReportedEvent {
  readonly node: NodeId;
  readonly event: EventJson;
}

/** What one poll of the workers brought. */
export interface Poll {
  /** When (Date.now milliseconds). */
  readonly t: number;
  /** Every node's status, in the page's order. */
  readonly nodes: readonly NodeStatus[];
  readonly network: NetworkView;
  /** Blocks the nodes reported since the last poll, repeats included. */
  readonly blocks: readonly ReportedBlock[];
  readonly events: readonly ReportedEvent[];
  /** Messages the nodes heard since the last poll. */
  readonly traces: readonly MessageTrace[];
  /** Seeds of the nodes (new ones are added to the recording's). */
  readonly seeds?: Readonly<Record<string, number>>;
  /** The run's settings, when known. */
  readonly settings?: ResetOptions;
}

/** What a poll added, for the live view: blocks never seen before, and new log lines. */
export interface Recorded {
  readonly blocks: readonly KnownBlock[];
  readonly log: readonly LogEntry[];
}

/** When a trace stops being drawn: when it arrives, and never sooner than `minVisibleMs`. */
export function traceEnd(trace: MessageTrace, minVisibleMs: number): number {
  return Math.max(trace.arriveAt, trace.sentAt + minVisibleMs);
}

/** `x` to `figures` significant figures (0 stays 0). */
export function significant(x: number, figures: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(figures));
}

/**
 * Whether two statuses of a node differ in anything worth recording: every field compared (new
 * fields too), the hash rate only to {@link HASH_RATE_FIGURES} significant figures, since it is
 * measured over a sliding window and wobbles on every poll.
 */
export function sameStatus(a: NodeStatus, b: NodeStatus): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x: unknown = (a as unknown as Record<string, unknown>)[key];
    const y: unknown = (b as unknown as Record<string, unknown>)[key];
    if (key === 'hashesPerSecond' && typeof x === 'number' && typeof y === 'number') {
      if (significant(x, HASH_RATE_FIGURES) !== significant(y, HASH_RATE_FIGURES)) return false;
    } else if (Array.isArray(x) && Array.isArray(y)) {
      if (!sameList(x, y)) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Whether two network views are the same conditions. */
export function sameNetwork(a: NetworkView, b: NetworkView): boolean {
  return (
    a.latency_ms === b.latency_ms &&
    a.loss === b.loss &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => sameList(g, b.groups[i] ?? []))
  );
}

/** The latest status a node reported, and whether it was recorded as an entry. */
interface Latest {
  readonly status: NodeStatus;
  readonly recorded: boolean;
}

/**
 * Records one run. The page's SimulationState feeds it every poll; a reset starts a new Recorder
 * (one run, one recording). Entries are only ever appended; traces are kept sorted by the time
 * they were heard and thinned from the oldest.
 */
export class Recorder implements Recording {
  settings: ResetOptions;
  readonly firstLogId: number;
  #start: number;
  #polled = false;
  readonly #entries: Entry[] = [];
  readonly #traces: MessageTrace[] = [];
  readonly #seeds: Record<string, number> = {};
  #end: number;
  #tracesDropped = 0;
  #traceSpan = 0;
  #full = false;
  #seen = 0;
  #logged = 0;
  /** Every block of the run by hash (the live view needs dedup even once the recording is full). */
  readonly #blocks = new Map<string, KnownBlock>();
  /** Each node's last recorded status, and its latest. */
  readonly #recorded = new Map<NodeId, NodeStatus>();
  readonly #latest = new Map<NodeId, Latest>();
  #ids: readonly NodeId[] | null = null;
  #network: NetworkView | null = null;
  /** One copy of each node id string, however many traces name it. */
  readonly #names = new Map<string, NodeId>();

  /**
   * An empty recording at `start` (Date.now milliseconds); it begins for good at its first poll,
   * so that its first moment already shows the nodes. Its first log line gets id `firstLogId`.
   */
  constructor(settings: ResetOptions, start: number, firstLogId = 0) {
    this.settings = settings;
    this.#start = start;
    this.#end = start;
    this.firstLogId = firstLogId;
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  get entries(): readonly Entry[] {
    return this.#entries;
  }

  get traces(): readonly MessageTrace[] {
    return this.#traces;
  }

  get tracesDropped(): number {
    return this.#tracesDropped;
  }

  get traceSpan(): number {
    return this.#traceSpan;
  }

  get seeds(): Readonly<Record<string, number>> {
    return this.#seeds;
  }

  get full(): boolean {
    return this.#full;
  }

  /** The id the next log line will get. */
  get nextLogId(): number {
    return this.firstLogId + this.#logged;
  }

  get closing(): readonly NodeStatus[] {
    const out: NodeStatus[] = [];
    for (const id of this.#ids ?? []) {
      const latest = this.#latest.get(id);
      if (latest && !latest.recorded) out.push(latest.status);
    }
    return out;
  }

  /**
   * Take what a poll brought: append what changed, and give back what is new for the live view.
   * A clock that went back is held at the last time recorded, so times never go down.
   */
  record(poll: Poll): Recorded {
    if (!this.#polled) {
      this.#polled = true;
      this.#start = poll.t;
      this.#end = poll.t;
    }
    const t = Math.max(poll.t, this.#end);
    const keep = !this.#full;
    if (poll.settings) this.settings = poll.settings;
    if (poll.seeds) {
      for (const [id, seed] of Object.entries(poll.seeds)) this.#seeds[id] ??= seed;
    }

    const blocks: KnownBlock[] = [];
    for (const { node, block } of poll.blocks) {
      if (this.#blocks.has(block.hash)) continue;
      const known: KnownBlock = { ...block, seen: this.#seen++ };
      this.#blocks.set(known.hash, known);
      blocks.push(known);
      if (keep) this.#entries.push({ kind: 'block', t, node: this.#name(node), block: known });
    }

    const ids = poll.nodes.map((n) => this.#name(n.id));
    if (keep && (this.#ids === null || !sameList(ids, this.#ids))) {
      this.#ids = ids;
      this.#entries.push({ kind: 'nodes', t, ids });
    }
    for (const status of poll.nodes) {
      const id = this.#name(status.id);
      const before = this.#recorded.get(id);
      const changed = keep && (before === undefined || !sameStatus(before, status));
      if (changed) {
        const compact = this.#compact(status, before);
        this.#recorded.set(id, compact);
        this.#entries.push({ kind: 'status', t, status: compact });
      }
      if (keep) this.#latest.set(id, { status, recorded: changed });
    }

    if (keep && (this.#network === null || !sameNetwork(this.#network, poll.network))) {
      this.#network = poll.network;
      this.#entries.push({ kind: 'network', t, network: poll.network });
    }

    const log: LogEntry[] = [];
    for (const { node, event } of poll.events) {
      const line: LogEntry = { id: this.firstLogId + this.#logged++, node, at: t, event };
      log.push(line);
      if (keep) this.#entries.push({ kind: 'event', t, node: this.#name(node), event });
    }

    if (keep) {
      this.#addTraces(poll.traces);
      this.#end = t;
      if (this.#entries.length >= MAX_ENTRIES) this.#full = true;
    }
    return { blocks, log };
  }

  /** The status to keep: strings and lists shared with the node's previous entry and the blocks. */
  #compact(status: NodeStatus, before: NodeStatus | undefined): NodeStatus {
    return {
      ...status,
      id: this.#name(status.id),
      address: before?.address === status.address ? before.address : status.address,
      tip: (this.#blocks.get(status.tip)?.hash ?? status.tip) as NodeStatus['tip'],
      peers:
        before && sameList(before.peers, status.peers)
          ? before.peers
          : status.peers.map((p) => this.#name(p)),
    };
  }

  /**
   * Keep a poll's traces in the order they were heard. Each node's come oldest first, but nodes
   * are asked one after another, so the poll's traces are sorted (a stable sort: ties keep the
   * nodes' order) and merged with the few kept traces heard after the poll's first.
   */
  #addTraces(traces: readonly MessageTrace[]): void {
    if (traces.length === 0) return;
    const fresh = traces
      .map((t) => ({ ...t, from: this.#name(t.from), to: this.#name(t.to) }))
      .sort((a, b) => a.sentAt - b.sentAt);
    const first = fresh[0]?.sentAt ?? 0;
    let at = this.#traces.length;
    while (at > 0 && (this.#traces[at - 1]?.sentAt ?? 0) > first) at--;
    const later = this.#traces.splice(at);
    let i = 0;
    for (const trace of fresh) {
      while (i < later.length && (later[i]?.sentAt ?? 0) <= trace.sentAt) {
        this.#traces.push(later[i++] as MessageTrace);
      }
      this.#traces.push(trace);
      this.#traceSpan = Math.max(this.#traceSpan, trace.arriveAt - trace.sentAt);
    }
    for (; i < later.length; i++) this.#traces.push(later[i] as MessageTrace);
    if (this.#traces.length > MAX_TRACES) {
      const over = this.#traces.length - MAX_TRACES;
      const dropped = Math.ceil(over / TRACES_DROPPED_AT_ONCE) * TRACES_DROPPED_AT_ONCE;
      this.#traces.splice(0, dropped);
      this.#tracesDropped += dropped;
    }
  }

  #name(id: NodeId): NodeId {
    const known = this.#names.get(id);
    if (known !== undefined) return known;
    this.#names.set(id, id);
    return id;
  }
}
