/**
 * A recorded run as one JSON file: its settings, its nodes' seeds and every entry and message
 * trace, to open on another machine and replay exactly as it was recorded. Reading one is
 * bounded (CONTRIBUTING.md, Types and messages): the text's length, the nesting, every list and
 * every string are capped before anything is kept, and a file is refused whole, with one sentence
 * saying why (CONTRIBUTING.md, Rejection as data), so a failed import changes nothing.
 */
import type { NetworkView, ResetOptions } from '../../api/backend.ts';
import { nestsDeeperThan } from '../../api/bounded.ts';
import type { EventJson } from '../../api/json.ts';
import { MAX_LATENCY_MS } from '../../core/delivery.ts';
import type { Result } from '../../core/result.ts';
import { err, ok } from '../../core/result.ts';
import type { Address, BlockHash, NodeId } from '../../core/types.ts';
import { parseAddress, parseBlockHash, parseNodeId } from '../../core/types.ts';
import type { Locale, MessageParams } from '../i18n/catalog.ts';
import { translate } from '../i18n/catalog.ts';
import type {
  BlockSummary,
  MessageTrace,
  NodeStatus,
  TraceFate,
  TraceKind,
} from '../sim/worker-simulation.ts';
import type { Entry, KnownBlock, Recording } from './recording.ts';
import { MAX_ENTRIES, MAX_TRACES } from './recording.ts';
import { EMPTY_NETWORK } from './replay.ts';

/** What the file says it is. */
export const RUN_FORMAT = 'chainlab-run';
/** The newest version of the format this page reads and writes. */
export const RUN_VERSION = 1;
/** The largest file read, in bytes: a recording stopped at MAX_ENTRIES writes about 55 MB. */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;
/** The deepest nesting a run has: the root, `entries`, an entry, its network view, a group. */
const MAX_RUN_DEPTH = 6;
/** Entries a file may hold: a full recording and its closing statuses. */
const MAX_FILE_ENTRIES = MAX_ENTRIES + 1_000;
/** Nodes a list may name (a peer list, a partition group, the node order). */
const MAX_LIST = 1_000;
/** The longest free text kept (a rejection's sentence, a storage problem). */
const MAX_TEXT = 1_000;
/** The order of a trace's fields in the file. */
const TRACE_FIELDS = ['from', 'to', 'kind', 'sentAt', 'arriveAt', 'fate'] as const;
const TRACE_KINDS: readonly TraceKind[] = ['inv', 'getdata', 'block', 'tx', 'sync'];
const TRACE_FATES: readonly TraceFate[] = ['delivered', 'lost', 'cut'];

/** A run read from a file, ready to replay. */
export interface RunFile {
  readonly recording: Recording;
  /** When it was exported (ISO 8601), as the file says. */
  readonly exportedAt: string;
}

/** Why a file was refused; each has one sentence, `timeline.error.<reason>` in the catalogue. */
export type RunFileReason =
  | 'unreadable'
  | 'too-large'
  | 'not-json'
  | 'foreign'
  | 'lab-export'
  | 'newer-version'
  | 'too-deep'
  | 'bad-header'
  | 'too-many-entries'
  | 'too-many-traces'
  | 'bad-entry'
  | 'bad-trace'
  | 'time-backwards'
  | 'after-end'
  | 'trace-order'
  | 'unknown-parent'
  | 'duplicate-block';

/** A refused file: why, the values its sentence names, and the sentence in English. */
export interface RunFileError {
  readonly reason: RunFileReason;
  readonly params: MessageParams;
  readonly message: string;
}

/** The sentence for a refused file in a language. */
export function runFileErrorText(locale: Locale, error: RunFileError): string {
  return translate(locale, `timeline.error.${error.reason}`, error.params);
}

/** Refuse a file: the reason, the values its sentence names, and the sentence in English. */
export function refuse(reason: RunFileReason, params: MessageParams = {}): RunFileError {
  const error = { reason, params, message: '' };
  return { ...error, message: runFileErrorText('en', error) };
}

/** A file name for a run exported at `at`: `chainlab-run-2026-05-04-14-03-07.json`. */
export function runFileName(at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  return `chainlab-run-${stamp}.json`;
}

/**
 * The run as the text of one JSON file. Statuses the last poll gave that were not recorded (a
 * hash rate that moved below two figures) are written as entries at the end, so the file's last
 * frame is the page's last view. Amounts of work are decimal strings already, so JSON holds them
 * exactly.
 */
export function runFileText(recording: Recording, exportedAt: Date): string {
  const entries: unknown[] = recording.entries.map(entryJson);
  for (const status of recording.closing)
    entries.push({ kind: 'status', t: recording.end, status });
  const last = lastOf(recording.entries, (e) => e.kind === 'nodes');
  const network = lastOf(recording.entries, (e) => e.kind === 'network');
  const notes: string[] = [];
  if (recording.tracesDropped > 0) {
    notes.push(
      `The oldest ${recording.tracesDropped} message traces were dropped while recording, to keep memory bounded: messages heard before the first kept trace are not shown.`,
    );
  }
  if (recording.full) {
    notes.push('The recording was full: the run went on after its end, unrecorded.');
  }
  return JSON.stringify({
    format: RUN_FORMAT,
    version: RUN_VERSION,
    app: 'Chainlab',
    exportedAt: exportedAt.toISOString(),
    settings: recording.settings,
    seeds: recording.seeds,
    nodes: last?.kind === 'nodes' ? last.ids : [],
    network: network?.kind === 'network' ? network.network : EMPTY_NETWORK,
    start: recording.start,
    end: recording.end,
    firstLogId: recording.firstLogId,
    full: recording.full,
    notes,
    entries,
    traces: {
      dropped: recording.tracesDropped,
      fields: TRACE_FIELDS,
      kept: recording.traces.map((t) => [t.from, t.to, t.kind, t.sentAt, t.arriveAt, t.fate]),
    },
  });
}

function lastOf(entries: readonly Entry[], match: (e: Entry) => boolean): Entry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e && match(e)) return e;
  }
  return undefined;
}

/** An entry as the file writes it: a block without `seen`, which its place gives back. */
function entryJson(entry: Entry): unknown {
  if (entry.kind !== 'block') return entry;
  const block = Object.fromEntries(Object.entries(entry.block).filter(([k]) => k !== 'seen'));
  return { ...entry, block };
}

// ---- Reading -----------------------------------------------------------------------------------

/**
 * A field that is missing or wrong, thrown inside the reader and caught at the entry that holds
 * it, where it becomes a refusal (data, never an exception out of this module).
 */
class Bad extends Error {
  readonly field: string;
  constructor(field: string) {
    super(field);
    this.field = field;
  }
}

type Obj = Readonly<Record<string, unknown>>;

/**
 * One copy of each short string (node ids, hashes, addresses) of the file being read: JSON.parse
 * makes a new string for every occurrence, and the same few hundred names and hashes recur
 * hundreds of thousands of times in a long run. Set for the length of one parseRunFile call.
 */
let strings = new Map<string, string>();
/** One copy of each peer list, likewise: a node's peers rarely change. */
let peerLists = new Map<string, readonly NodeId[]>();
/** Strings at most this long are shared (a hash is 64 characters). */
const SHARED_LENGTH = 64;

function shared<T extends string>(s: T): T {
  if (s.length > SHARED_LENGTH) return s;
  const known = strings.get(s);
  if (known !== undefined) return known as T;
  strings.set(s, s);
  return s;
}

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(path);
  return v as Obj;
}

function list(v: unknown, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(v) || v.length > max) throw new Bad(path);
  return v;
}

function num(o: Obj, key: string, path: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !(v >= min && v <= max)) throw new Bad(join(path, key));
  return v;
}

function int(o: Obj, key: string, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = num(o, key, path, min, max);
  if (!Number.isInteger(v)) throw new Bad(join(path, key));
  return v;
}

function time(o: Obj, key: string, path: string): number {
  return num(o, key, path, 0, 8.64e15);
}

function text(o: Obj, key: string, path: string, max = MAX_TEXT): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length > max) throw new Bad(join(path, key));
  return shared(v);
}

function textOrNull(o: Obj, key: string, path: string): string | null {
  return o[key] === null ? null : text(o, key, path);
}

function bool(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new Bad(join(path, key));
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, path: string, options: readonly T[]): T {
  const v = o[key];
  if (!options.includes(v as T)) throw new Bad(join(path, key));
  return v as T;
}

function nodeId(v: unknown, path: string): NodeId {
  const id = parseNodeId(v);
  if (id === null) throw new Bad(path);
  return shared(id);
}

function nodeIds(v: unknown, path: string): NodeId[] {
  return list(v, path, MAX_LIST).map((id, i) => nodeId(id, `${path}[${i}]`));
}

function peerList(ids: readonly NodeId[]): readonly NodeId[] {
  const key = ids.join(' ');
  const known = peerLists.get(key);
  if (known !== undefined) return known;
  peerLists.set(key, ids);
  return ids;
}

function hash(o: Obj, key: string, path: string): BlockHash {
  const h = parseBlockHash(o[key]);
  if (h === null) throw new Bad(join(path, key));
  return shared(h);
}

function hashOrNull(o: Obj, key: string, path: string): BlockHash | null {
  return o[key] === null ? null : hash(o, key, path);
}

function address(o: Obj, key: string, path: string): Address {
  const a = parseAddress(o[key]);
  if (a === null) throw new Bad(join(path, key));
  return shared(a);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function settingsOf(v: unknown): ResetOptions {
  const o = object(v, 'settings');
  const p = 'settings';
  const settings: ResetOptions = {
    nodes: int(o, 'nodes', p, 0, MAX_LIST),
    difficultyBits: int(o, 'difficultyBits', p, 0, 256),
    blockTimeMs: int(o, 'blockTimeMs', p),
    forkChoice: oneOf(o, 'forkChoice', p, ['most-work', 'longest']),
    gossip: oneOf(o, 'gossip', p, ['auto', 'manual']),
    peers: oneOf(o, 'peers', p, ['all', 'none']),
    reward: int(o, 'reward', p),
  };
  return o.retargetInterval === undefined
    ? settings
    : { ...settings, retargetInterval: int(o, 'retargetInterval', p, 1) };
}

function networkOf(v: unknown, path: string): NetworkView {
  const o = object(v, path);
  return {
    latency_ms: num(o, 'latency_ms', path, 0, MAX_LATENCY_MS),
    loss: num(o, 'loss', path, 0, 1),
    groups: list(o.groups, join(path, 'groups'), MAX_LIST).map((g, i) =>
      nodeIds(g, `${join(path, 'groups')}[${i}]`),
    ),
  };
}

function statusOf(v: unknown, path: string): NodeStatus {
  const o = object(v, path);
  return {
    id: nodeId(o.id, join(path, 'id')),
    address: address(o, 'address', path),
    height: int(o, 'height', path, 1),
    tip: hash(o, 'tip', path),
    peers: peerList(nodeIds(o.peers, join(path, 'peers'))),
    mining: bool(o, 'mining', path),
    hashrate: num(o, 'hashrate', path, 0, 1),
    hashesPerSecond: num(o, 'hashesPerSecond', path, 0, Number.MAX_VALUE),
    mempoolSize: int(o, 'mempoolSize', path),
    balance: num(o, 'balance', path, -Number.MAX_VALUE, Number.MAX_VALUE),
    reorgs: int(o, 'reorgs', path),
    staleBlocks: int(o, 'staleBlocks', path),
    droppedMessages: int(o, 'droppedMessages', path),
    storageProblem: textOrNull(o, 'storageProblem', path),
    // A recording keeps what the page draws; the room as a node saw it is not replayed.
    room: null,
  };
}

function blockOf(v: unknown, path: string, seen: number): KnownBlock {
  const o = object(v, path);
  const chainWork = text(o, 'chainWork', path, 80);
  if (!/^[0-9]+$/.test(chainWork)) throw new Bad(join(path, 'chainWork'));
  const miner = o.miner === null ? null : address(o, 'miner', path);
  const block: BlockSummary = {
    hash: hash(o, 'hash', path),
    parent: hashOrNull(o, 'parent', path),
    height: int(o, 'height', path, 1),
    seq: int(o, 'seq', path),
    chainWork,
    miner,
    timestamp: num(o, 'timestamp', path, 0, 8.64e15),
    difficulty: int(o, 'difficulty', path, 0, 256),
  };
  return { ...block, seen };
}

/** Every event kind, each read into exactly its own fields (a new kind must be added here). */
const EVENT_READERS: Readonly<Record<EventJson['kind'], (o: Obj, p: string) => EventJson>> = {
  'block-mined': (o, p) => ({
    kind: 'block-mined',
    hash: text(o, 'hash', p),
    height: int(o, 'height', p),
  }),
  'block-rejected': (o, p) => rejected('block-rejected', o, p),
  'tx-rejected': (o, p) => rejected('tx-rejected', o, p),
  'tip-changed': (o, p) => ({
    kind: 'tip-changed',
    from: textOrNull(o, 'from', p),
    oldTip: text(o, 'oldTip', p),
    newTip: text(o, 'newTip', p),
    fork: text(o, 'fork', p),
    height: int(o, 'height', p),
    dropped: int(o, 'dropped', p),
    adopted: int(o, 'adopted', p),
  }),
  'tx-accepted': (o, p) => ({
    kind: 'tx-accepted',
    id: text(o, 'id', p),
    from: textOrNull(o, 'from', p),
  }),
  'message-dropped': (o, p) => ({
    kind: 'message-dropped',
    from: text(o, 'from', p),
    reason: text(o, 'reason', p),
  }),
  'storage-skipped': (o, p) => ({ kind: 'storage-skipped', reason: text(o, 'reason', p) }),
  'tx-dropped': (o, p) => ({
    kind: 'tx-dropped',
    id: text(o, 'id', p),
    sender: text(o, 'sender', p),
    recipient: text(o, 'recipient', p),
    amount: num(o, 'amount', p, 0, Number.MAX_SAFE_INTEGER),
    nonce: int(o, 'nonce', p),
    reason: text(o, 'reason', p),
    message: text(o, 'message', p),
  }),
  'tie-seen': (o, p) => ({
    kind: 'tie-seen',
    from: textOrNull(o, 'from', p),
    tip: text(o, 'tip', p),
    kept: text(o, 'kept', p),
    height: int(o, 'height', p),
  }),
};

function rejected(kind: 'block-rejected' | 'tx-rejected', o: Obj, p: string): EventJson {
  return {
    kind,
    id: text(o, 'id', p),
    from: textOrNull(o, 'from', p),
    reason: text(o, 'reason', p),
    message: text(o, 'message', p),
  };
}

function eventOf(v: unknown, path: string): EventJson {
  const o = object(v, path);
  const kinds = Object.keys(EVENT_READERS) as EventJson['kind'][];
  return EVENT_READERS[oneOf(o, 'kind', path, kinds)](o, path);
}

function entryOf(v: unknown, path: string, seen: number): Entry {
  const o = object(v, path);
  const t = time(o, 't', path);
  const at = (key: string): string => join(path, key);
  switch (oneOf(o, 'kind', path, ['block', 'status', 'nodes', 'network', 'event'])) {
    case 'block':
      return {
        kind: 'block',
        t,
        node: nodeId(o.node, at('node')),
        block: blockOf(o.block, at('block'), seen),
      };
    case 'status':
      return { kind: 'status', t, status: statusOf(o.status, at('status')) };
    case 'nodes':
      return { kind: 'nodes', t, ids: nodeIds(o.ids, at('ids')) };
    case 'network':
      return { kind: 'network', t, network: networkOf(o.network, at('network')) };
    case 'event':
      return {
        kind: 'event',
        t,
        node: nodeId(o.node, at('node')),
        event: eventOf(o.event, at('event')),
      };
  }
}

/** A trace, written as a list in the order of {@link TRACE_FIELDS}. */
function traceOf(v: unknown, path: string): MessageTrace {
  const fields = list(v, path, TRACE_FIELDS.length);
  const o: Obj = Object.fromEntries(TRACE_FIELDS.map((name, i) => [name, fields[i]]));
  const sentAt = time(o, 'sentAt', path);
  const arriveAt = time(o, 'arriveAt', path);
  if (arriveAt < sentAt) throw new Bad(join(path, 'arriveAt'));
  return {
    from: nodeId(o.from, join(path, 'from')),
    to: nodeId(o.to, join(path, 'to')),
    kind: oneOf(o, 'kind', path, TRACE_KINDS),
    sentAt,
    arriveAt,
    fate: oneOf(o, 'fate', path, TRACE_FATES),
  };
}

/** A lab export: an experiment's name and its points (src/app/lab/export.ts writes them). */
function labExperiment(o: Obj): string | null {
  const { experiment, points } = o;
  if (typeof experiment !== 'string' || !Array.isArray(points)) return null;
  return /^[a-z][a-z0-9-]{0,40}$/.test(experiment) ? experiment : '?';
}

/** Read a run from a file's text; nothing is kept unless all of it is right. */
export function parseRunFile(source: string): Result<RunFile, RunFileError> {
  strings = new Map();
  peerLists = new Map();
  try {
    return readRun(source);
  } finally {
    strings = new Map();
    peerLists = new Map();
  }
}

function readRun(source: string): Result<RunFile, RunFileError> {
  // Characters are at most as many as bytes in UTF-8, so this never refuses a file under the cap.
  if (source.length > MAX_RUN_FILE_BYTES) return err(tooLarge(source.length));
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch {
    return err(refuse('not-json'));
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return err(refuse('foreign'));
  const root = raw as Obj;
  if (root.format !== RUN_FORMAT) {
    const experiment = labExperiment(root);
    return err(experiment === null ? refuse('foreign') : refuse('lab-export', { experiment }));
  }
  const { version } = root;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return err(refuse('bad-header', { field: 'version' }));
  }
  if (version > RUN_VERSION) {
    return err(refuse('newer-version', { version, supported: RUN_VERSION }));
  }
  if (nestsDeeperThan(raw, MAX_RUN_DEPTH)) return err(refuse('too-deep'));

  let header: {
    settings: ResetOptions;
    seeds: Record<string, number>;
    start: number;
    end: number;
    firstLogId: number;
    full: boolean;
    exportedAt: string;
    entries: readonly unknown[];
    traces: readonly unknown[];
    dropped: number;
  };
  try {
    const start = time(root, 'start', '');
    const end = time(root, 'end', '');
    if (end < start) throw new Bad('end');
    const seeds = object(root.seeds, 'seeds');
    if (Object.keys(seeds).length > MAX_LIST) throw new Bad('seeds');
    const traces = object(root.traces, 'traces');
    // Read for their bounds only: the entries say the same, moment by moment.
    nodeIds(root.nodes, 'nodes');
    networkOf(root.network, 'network');
    header = {
      settings: settingsOf(root.settings),
      seeds: Object.fromEntries(
        Object.keys(seeds).map((id) => [
          nodeId(id, 'seeds'),
          int(seeds, id, 'seeds', 0, 0xffffffff),
        ]),
      ),
      start,
      end,
      firstLogId: int(root, 'firstLogId', ''),
      full: bool(root, 'full', ''),
      exportedAt: text(root, 'exportedAt', '', 64),
      entries: Array.isArray(root.entries) ? root.entries : fail('entries'),
      traces: Array.isArray(traces.kept) ? traces.kept : fail('traces.kept'),
      dropped: int(traces, 'dropped', 'traces'),
    };
  } catch (e) {
    if (e instanceof Bad) return err(refuse('bad-header', { field: e.field }));
    throw e;
  }
  if (header.entries.length > MAX_FILE_ENTRIES) {
    return err(
      refuse('too-many-entries', { count: header.entries.length, limit: MAX_FILE_ENTRIES }),
    );
  }
  if (header.traces.length > MAX_TRACES) {
    return err(refuse('too-many-traces', { count: header.traces.length, limit: MAX_TRACES }));
  }

  const entries: Entry[] = [];
  const blocks = new Set<string>();
  let previous = header.start;
  for (const [i, v] of header.entries.entries()) {
    let entry: Entry;
    try {
      entry = entryOf(v, `entries[${i}]`, blocks.size);
    } catch (e) {
      if (e instanceof Bad) return err(refuse('bad-entry', { index: i + 1, field: e.field }));
      throw e;
    }
    if (entry.t < previous) return err(refuse('time-backwards', { index: i + 1 }));
    if (entry.t > header.end) return err(refuse('after-end', { index: i + 1 }));
    previous = entry.t;
    if (entry.kind === 'block') {
      const { hash: h, parent } = entry.block;
      if (blocks.has(h)) return err(refuse('duplicate-block', { index: i + 1, hash: h }));
      if (parent !== null && !blocks.has(parent)) {
        return err(refuse('unknown-parent', { index: i + 1, parent }));
      }
      blocks.add(h);
    }
    entries.push(entry);
  }

  const traces: MessageTrace[] = [];
  let traceSpan = 0;
  for (const [i, v] of header.traces.entries()) {
    let trace: MessageTrace;
    try {
      trace = traceOf(v, `traces.kept[${i}]`);
    } catch (e) {
      if (e instanceof Bad) return err(refuse('bad-trace', { index: i + 1, field: e.field }));
      throw e;
    }
    const before = traces[traces.length - 1];
    if (before && trace.sentAt < before.sentAt) return err(refuse('trace-order', { index: i + 1 }));
    traceSpan = Math.max(traceSpan, trace.arriveAt - trace.sentAt);
    traces.push(trace);
  }

  return ok({
    exportedAt: header.exportedAt,
    recording: {
      settings: header.settings,
      seeds: header.seeds,
      start: header.start,
      end: header.end,
      entries,
      traces,
      tracesDropped: header.dropped,
      traceSpan,
      firstLogId: header.firstLogId,
      closing: [],
      full: header.full,
    },
  });
}

function fail(field: string): never {
  throw new Bad(field);
}

/** A file over {@link MAX_RUN_FILE_BYTES}, refused before it is read. */
export function tooLarge(bytes: number): RunFileError {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  return refuse('too-large', { size: mb(bytes), limit: mb(MAX_RUN_FILE_BYTES) });
}
