/**
 * The timeline: the recording keeps each fact once and stays bounded, a replayed frame is the
 * page as it was at that moment (checked against hand-worked states and against a naive replay
 * of every entry), stepping visits the moments where something changed, a run survives export
 * and import unchanged, and every bad file is refused with its own sentence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESET } from '../../src/api/backend.ts';
import type { NetworkView } from '../../src/api/backend.ts';
import { translate } from '../../src/app/i18n/catalog.ts';
import type { MessageTrace, NodeStatus } from '../../src/app/sim/worker-simulation.ts';
import type { KnownBlock, LogEntry, Recording } from '../../src/app/timeline/recording.ts';
import {
  MAX_ENTRIES,
  MAX_TRACES,
  Recorder,
  sameStatus,
  significant,
} from '../../src/app/timeline/recording.ts';
import type { Frame } from '../../src/app/timeline/replay.ts';
import { EMPTY_NETWORK, LOG_LIMIT, MIN_VISIBLE_MS, Replay } from '../../src/app/timeline/replay.ts';
import type { RunFileReason } from '../../src/app/timeline/run-file.ts';
import {
  MAX_RUN_FILE_BYTES,
  parseRunFile,
  RUN_VERSION,
  runFileErrorText,
  runFileName,
  runFileText,
} from '../../src/app/timeline/run-file.ts';
import type { NodeId } from '../../src/core/types.ts';
import {
  block,
  hashOf,
  id,
  mined,
  poll,
  status,
  syntheticPolls,
  T0,
  trace,
  WHOLE,
} from './timeline-fixtures.ts';

const SPLIT: NetworkView = { ...WHOLE, groups: [[id('n1')], [id('n2'), id('n3')]] };

/** A frame with its blocks as a list, so frames compare with toEqual. */
function plain(frame: Frame): unknown {
  return { ...frame, blocks: [...frame.blocks.values()] };
}

/** Every entry with a time at or before `t` applied one by one: the slow, obvious replay. */
function naiveFrame(recording: Recording, t: number): unknown {
  const at = Math.min(Math.max(t, recording.start), recording.end);
  const blocks: KnownBlock[] = [];
  const statuses = new Map<NodeId, NodeStatus>();
  let ids: readonly NodeId[] = [];
  let network = EMPTY_NETWORK;
  const log: LogEntry[] = [];
  for (const e of recording.entries) {
    if (e.t > at) break;
    if (e.kind === 'block') blocks.push(e.block);
    if (e.kind === 'status') statuses.set(e.status.id, e.status);
    if (e.kind === 'nodes') ids = e.ids;
    if (e.kind === 'network') network = e.network;
    if (e.kind === 'event') {
      log.push({ id: recording.firstLogId + log.length, node: e.node, at: e.t, event: e.event });
    }
  }
  if (at >= recording.end) for (const s of recording.closing) statuses.set(s.id, s);
  return {
    t: at,
    blocks,
    nodes: ids.flatMap((n) => statuses.get(n) ?? []),
    network,
    log: log.slice(-LOG_LIMIT),
    traces: recording.traces.filter(
      (tr) => tr.sentAt <= at && Math.max(tr.arriveAt, tr.sentAt + MIN_VISIBLE_MS) > at,
    ),
  };
}

function record(polls: readonly Parameters<Recorder['record']>[0][], start = T0): Recorder {
  const recorder = new Recorder(DEFAULT_RESET, start);
  for (const p of polls) recorder.record(p);
  return recorder;
}

// A small run worked by hand: poll by poll, what happened.
const tA = trace('n1', 'n2', T0 - 100, T0 + 50);
const tB = trace('n1', 'n2', T0 + 350, T0 + 900, 'block');
const tC = trace('n2', 'n1', T0 + 700, T0 + 700, 'inv', 'lost');
const tipChanged = {
  kind: 'tip-changed',
  from: 'n1',
  oldTip: hashOf(1),
  newTip: hashOf(3),
  fork: hashOf(1),
  height: 2,
  dropped: 0,
  adopted: 1,
} as const;
const n1At1 = status('n1', 1, 1);
const n1At2 = status('n1', 2, 2);
const n2At1 = status('n2', 1, 1);
const n2Wobbled = status('n2', 1, 1, { hashesPerSecond: 1_040_000 });
const n2At3 = status('n2', 3, 2, { hashesPerSecond: 1_040_000 });
const n3At1 = status('n3', 1, 1);
const n3Wobbled = status('n3', 1, 1, { hashesPerSecond: 1_030_000 });

function handRun(): Recorder {
  return record([
    poll(T0, [n1At1, n2At1], {
      blocks: [
        { node: id('n1'), block: block(1, null, 1, 0) },
        { node: id('n2'), block: block(1, null, 1, 0) },
      ],
      traces: [tA],
    }),
    poll(T0 + 400, [n1At2, n2At1], {
      blocks: [{ node: id('n1'), block: block(2, 1, 2) }],
      events: [{ node: id('n1'), event: mined(2, 2) }],
      traces: [tB],
    }),
    poll(T0 + 800, [n1At2, n2Wobbled, n3At1], { network: SPLIT, traces: [tC] }),
    poll(T0 + 1200, [n2At3, n3At1], {
      blocks: [
        { node: id('n2'), block: block(3, 1, 2) },
        { node: id('n3'), block: block(2, 1, 2) },
      ],
      events: [{ node: id('n2'), event: tipChanged }],
    }),
    poll(T0 + 1600, [n2At3, n3Wobbled]),
  ]);
}

const known = (n: number, parent: number | null, height: number, seen: number): KnownBlock => ({
  ...block(n, parent, height, n === 1 ? 0 : n),
  seen,
});

describe('Recorder', () => {
  it('keeps each block once, in the order first seen, and hands the live view only new ones', () => {
    const recorder = new Recorder(DEFAULT_RESET, T0);
    const first = recorder.record(
      poll(T0, [n1At1, n2At1], {
        blocks: [
          { node: id('n1'), block: block(1, null, 1, 0) },
          { node: id('n2'), block: block(1, null, 1, 0) },
          { node: id('n1'), block: block(2, 1, 2) },
        ],
      }),
    );
    expect(first.blocks.map((b) => [b.hash, b.seen])).toEqual([
      [hashOf(1), 0],
      [hashOf(2), 1],
    ]);
    const second = recorder.record(
      poll(T0 + 400, [n1At1, n2At1], {
        blocks: [
          { node: id('n2'), block: block(2, 1, 2, 7) },
          { node: id('n2'), block: block(3, 2, 3) },
        ],
      }),
    );
    expect(second.blocks.map((b) => b.hash)).toEqual([hashOf(3)]);
    const blockEntries = recorder.entries.filter((e) => e.kind === 'block');
    expect(blockEntries.map((e) => [e.block.hash, e.node, e.t])).toEqual([
      [hashOf(1), 'n1', T0],
      [hashOf(2), 'n1', T0],
      [hashOf(3), 'n2', T0 + 400],
    ]);
  });

  it('writes a status only when it changes, the hash rate to two significant figures', () => {
    expect(significant(1_049_999, 2)).toBe(1_000_000);
    expect(significant(1_050_000, 2)).toBe(1_100_000);
    expect(sameStatus(n2At1, n2Wobbled)).toBe(true);
    expect(sameStatus(n2At1, status('n2', 1, 1, { hashesPerSecond: 1_060_000 }))).toBe(false);
    expect(sameStatus(n2At1, status('n2', 1, 1, { peers: [id('n1')] }))).toBe(false);
    expect(sameStatus(n2At1, status('n2', 1, 1, { mempoolSize: 1 }))).toBe(false);

    const recorder = new Recorder(DEFAULT_RESET, T0);
    const steady = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
      status('n1', 1, 1, { hashesPerSecond: 2_000_000 + ((i * 7919) % 40_000) }),
    );
    steady.forEach((s, i) => recorder.record(poll(T0 + i * 400, [s])));
    const statuses = recorder.entries.filter((e) => e.kind === 'status');
    expect(statuses).toHaveLength(1);
    // The last poll's exact numbers hold at the end.
    expect(recorder.closing).toEqual([steady[7]]);
    recorder.record(poll(T0 + 4000, [status('n1', 1, 1, { hashesPerSecond: 2_200_000 })]));
    expect(recorder.entries.filter((e) => e.kind === 'status')).toHaveLength(2);
    expect(recorder.closing).toEqual([]);
  });

  it('writes the node list and the network only when they change', () => {
    const recorder = handRun();
    const kinds = (kind: string): number => recorder.entries.filter((e) => e.kind === kind).length;
    // n1 and n2; n3 joins; n1 leaves.
    expect(kinds('nodes')).toBe(3);
    // Whole, split, whole again.
    expect(kinds('network')).toBe(3);
    // n1, n2 at first; n1's new tip; n3 arrives; n2's new tip. Wobbles are not changes.
    expect(kinds('status')).toBe(5);
    expect(kinds('event')).toBe(2);
    expect(kinds('block')).toBe(3);
    expect(recorder.end).toBe(T0 + 1600);
  });

  it('begins at its first poll, so that its first moment shows the nodes', () => {
    const recorder = new Recorder(DEFAULT_RESET, T0);
    expect([recorder.start, recorder.end]).toEqual([T0, T0]);
    recorder.record(poll(T0 + 250, [n1At1]));
    expect([recorder.start, recorder.end]).toEqual([T0 + 250, T0 + 250]);
    expect(new Replay(recorder).frameAt(recorder.start).nodes).toEqual([n1At1]);
  });

  it('holds a clock that went back at the last time recorded', () => {
    const recorder = record([poll(T0 + 400, [n1At1]), poll(T0 + 100, [n1At2])]);
    expect(recorder.entries.map((e) => e.t)).toEqual([T0 + 400, T0 + 400, T0 + 400, T0 + 400]);
    expect(recorder.end).toBe(T0 + 400);
  });

  it('keeps traces in the order they were heard, at most MAX_TRACES, dropping the oldest', () => {
    const recorder = new Recorder(DEFAULT_RESET, T0);
    // Two nodes' traces interleave within a poll.
    recorder.record(
      poll(T0, [n1At1], {
        traces: [trace('n1', 'n2', T0 - 10, T0), trace('n2', 'n1', T0 - 30, T0)],
      }),
    );
    expect(recorder.traces.map((t) => t.sentAt)).toEqual([T0 - 30, T0 - 10]);

    const total = MAX_TRACES + 15_000;
    const perPoll = 5_000;
    for (let p = 1; p * perPoll <= total; p++) {
      const traces = Array.from({ length: perPoll }, (_, k) =>
        trace('n1', 'n2', T0 + p * 400 + k / perPoll, T0 + p * 400 + 1),
      );
      recorder.record(poll(T0 + p * 400, [n1At1], { traces }));
    }
    const kept = recorder.traces;
    expect(kept.length).toBeLessThanOrEqual(MAX_TRACES);
    expect(recorder.tracesDropped + kept.length).toBe(total + 2);
    expect(recorder.tracesDropped).toBeGreaterThan(0);
    // What was dropped is the oldest: the newest trace is kept, and the order still holds.
    expect(kept[kept.length - 1]?.sentAt).toBe(
      T0 + (total / perPoll) * 400 + (perPoll - 1) / perPoll,
    );
    expect(kept.every((t, i) => i === 0 || (kept[i - 1]?.sentAt ?? 0) <= t.sentAt)).toBe(true);
    expect(runFileText(recorder, new Date(T0))).toContain(
      `The oldest ${recorder.tracesDropped} message traces were dropped`,
    );
  });

  it('stops at MAX_ENTRIES, says so, and still serves the live view', () => {
    const recorder = new Recorder(DEFAULT_RESET, T0, 10);
    recorder.record(poll(T0, [n1At1]));
    const events = Array.from({ length: MAX_ENTRIES }, (_, k) => ({
      node: id('n1'),
      event: mined(k, 2),
    }));
    recorder.record(poll(T0 + 400, [n1At1], { events }));
    expect(recorder.full).toBe(true);
    const length = recorder.entries.length;
    const later = recorder.record(
      poll(T0 + 800, [n1At2], {
        blocks: [{ node: id('n1'), block: block(1, null, 1, 0) }],
        events: [{ node: id('n1'), event: mined(2, 2) }],
        traces: [trace('n1', 'n2', T0 + 700, T0 + 750)],
      }),
    );
    expect(recorder.entries).toHaveLength(length);
    expect(recorder.end).toBe(T0 + 400);
    expect(recorder.traces).toHaveLength(0);
    expect(later.blocks.map((b) => b.hash)).toEqual([hashOf(1)]);
    // Log ids run on from the first one given, for the live log.
    expect(later.log.map((l) => l.id)).toEqual([10 + MAX_ENTRIES]);
    const file = JSON.parse(runFileText(recorder, new Date(T0))) as { notes: string[] };
    expect(file.notes).toContain(
      'The recording was full: the run went on after its end, unrecorded.',
    );
  });
});

describe('Replay', () => {
  it('shows the hand-worked run as it was at chosen moments', () => {
    const replay = new Replay(handRun());
    expect(replay.start).toBe(T0);
    expect(replay.end).toBe(T0 + 1600);

    const atStart = replay.frameAt(T0);
    expect(plain(atStart)).toEqual({
      t: T0,
      blocks: [known(1, null, 1, 0)],
      nodes: [n1At1, n2At1],
      network: WHOLE,
      log: [],
      // Heard before the recording began, shown for at least MIN_VISIBLE_MS.
      traces: [tA],
    });
    expect(plain(replay.frameAt(T0 - 60_000))).toEqual(plain(atStart));
    expect(replay.frameAt(T0 + 200).traces).toEqual([tA]);
    expect(replay.frameAt(T0 - 100 + MIN_VISIBLE_MS).traces).toEqual([]);

    expect(plain(replay.frameAt(T0 + 400))).toEqual({
      t: T0 + 400,
      blocks: [known(1, null, 1, 0), known(2, 1, 2, 1)],
      nodes: [n1At2, n2At1],
      network: WHOLE,
      log: [{ id: 0, node: 'n1', at: T0 + 400, event: mined(2, 2) }],
      traces: [tB],
    });

    const split = replay.frameAt(T0 + 800);
    expect(split.nodes).toEqual([n1At2, n2At1, n3At1]);
    expect(split.network).toEqual(SPLIT);
    // The block still on its way, and the lost message shown briefly where it stopped.
    expect(split.traces).toEqual([tB, tC]);
    expect(split.blocks.size).toBe(2);
    expect(split.blocks.has(hashOf(3))).toBe(false);
    expect(split.blocks.get(hashOf(2))?.height).toBe(2);

    const fork = replay.frameAt(T0 + 1200);
    expect([...fork.blocks.keys()]).toEqual([hashOf(1), hashOf(2), hashOf(3)]);
    expect(fork.nodes.map((n) => [n.id, n.tip])).toEqual([
      ['n2', hashOf(3)],
      ['n3', hashOf(1)],
    ]);
    expect(fork.network).toEqual(WHOLE);
    expect(fork.log.map((l) => [l.id, l.event.kind])).toEqual([
      [0, 'block-mined'],
      [1, 'tip-changed'],
    ]);
    expect(fork.traces).toEqual([]);

    // Before the end, n3's hash rate is the one recorded; at the end, the last poll's.
    expect(replay.frameAt(T0 + 1599).nodes[1]?.hashesPerSecond).toBe(1_000_000);
    expect(replay.frameAt(T0 + 1600).nodes).toEqual([n2At3, n3Wobbled]);
    expect(replay.frameAt(T0 + 99_999).t).toBe(T0 + 1600);
  });

  it('gives the messages in flight at any time of a window, for views with their own clock', () => {
    const replay = new Replay(handRun());
    expect(replay.tracesDuring(T0 - 1_000, T0 + 1_600)).toEqual([tA, tB, tC]);
    expect(replay.tracesDuring(T0 + 300, T0 + 349)).toEqual([]);
    expect(replay.tracesDuring(T0 + 299, T0 + 349)).toEqual([tA]);
    expect(replay.tracesDuring(T0 + 850, T0 + 1_600)).toEqual([tB, tC]);
    expect(replay.tracesDuring(T0 + 1_100, T0 + 1_600)).toEqual([]);
    for (const t of [T0, T0 + 400, T0 + 800]) {
      expect(replay.tracesDuring(t, t)).toEqual(replay.tracesAt(t));
    }
  });

  it('steps between the moments where something changed', () => {
    const replay = new Replay(handRun());
    expect(replay.stepPoints).toEqual([T0, T0 + 400, T0 + 800, T0 + 1200]);
    expect(replay.nextStep(T0)).toBe(T0 + 400);
    expect(replay.nextStep(T0 + 401)).toBe(T0 + 800);
    expect(replay.nextStep(T0 + 1200)).toBe(T0 + 1600);
    expect(replay.nextStep(T0 + 1600)).toBe(T0 + 1600);
    expect(replay.previousStep(T0 + 1600)).toBe(T0 + 1200);
    expect(replay.previousStep(T0 + 800)).toBe(T0 + 400);
    expect(replay.previousStep(T0 + 500)).toBe(T0 + 400);
    expect(replay.previousStep(T0)).toBe(T0);
  });

  it('gives each node’s statuses over a window, for charts', () => {
    const history = new Replay(handRun()).statusHistory(T0 + 1600, 1000);
    expect(history.get(id('n1'))).toEqual([{ t: T0 + 600, status: n1At2 }]);
    expect(history.get(id('n2'))).toEqual([
      { t: T0 + 600, status: n2At1 },
      { t: T0 + 1200, status: n2At3 },
    ]);
    expect(history.get(id('n3'))).toEqual([{ t: T0 + 800, status: n3At1 }]);
  });

  it('reuses what did not change when playing forward', () => {
    const replay = new Replay(handRun());
    const a = replay.frameAt(T0 + 400);
    const b = replay.frameAt(T0 + 500);
    expect(b.blocks).toBe(a.blocks);
    expect(b.nodes).toBe(a.nodes);
    expect(b.log).toBe(a.log);
    expect(b.traces).toBe(a.traces);
    const c = replay.frameAt(T0 + 1200);
    expect(c.blocks).not.toBe(a.blocks);
    expect(c.blocks.size).toBe(3);
    // The earlier view is untouched by the later frame.
    expect(a.blocks.size).toBe(2);
    expect(a.blocks.has(hashOf(3))).toBe(false);
  });

  it('follows a recording that goes on growing', () => {
    const recorder = record([poll(T0, [n1At1])]);
    const replay = new Replay(recorder);
    expect(replay.frameAt(T0 + 400).nodes).toEqual([n1At1]);
    recorder.record(
      poll(T0 + 400, [n1At2], { blocks: [{ node: id('n1'), block: block(1, null, 1, 0) }] }),
    );
    expect(replay.end).toBe(T0 + 400);
    const frame = replay.frameAt(T0 + 400);
    expect(frame.nodes).toEqual([n1At2]);
    expect(frame.blocks.size).toBe(1);
  });

  it('seeks a 20,000-entry run to any moment exactly as a replay of every entry does', () => {
    const polls = syntheticPolls(7, 4_200);
    const recorder = record(polls);
    // Every message kept, in the order heard (ties in the order the polls gave them).
    const heard = polls.flatMap((p) => p.traces);
    expect(recorder.tracesDropped).toBe(0);
    expect(recorder.traces).toEqual(
      heard
        .map((t, i) => ({ t, i }))
        .sort((a, b) => a.t.sentAt - b.t.sentAt || a.i - b.i)
        .map((x) => x.t),
    );
    expect(recorder.entries.length).toBeGreaterThanOrEqual(20_000);
    expect(recorder.entries.filter((e) => e.kind === 'block').length).toBeGreaterThan(1_000);
    const replay = new Replay(recorder);
    const hashes = recorder.entries.flatMap((e) => (e.kind === 'block' ? [e.block.hash] : []));
    fc.assert(
      fc.property(
        fc.integer({ min: recorder.start - 1_000, max: recorder.end + 1_000 }),
        fc.nat(hashes.length - 1),
        (t, h) => {
          const frame = replay.frameAt(t);
          const naive = naiveFrame(recorder, t) as { blocks: KnownBlock[] };
          expect(plain(frame)).toEqual(naive);
          const hash = hashes[h] ?? '';
          expect(frame.blocks.get(hash)).toEqual(naive.blocks.find((b) => b.hash === hash));
          expect(frame.blocks.has(hash)).toBe(naive.blocks.some((b) => b.hash === hash));
        },
      ),
      { numRuns: 300, seed: 20_000 },
    );
  });

  it('seeks small random runs exactly as a replay of every entry does', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 60 }), fc.nat(), (seed, n, at) => {
        const recorder = record(syntheticPolls(seed, n));
        const replay = new Replay(recorder);
        const t = recorder.start + (at % (recorder.end - recorder.start + 1));
        expect(plain(replay.frameAt(t))).toEqual(naiveFrame(recorder, t));
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe('run files', () => {
  it('export then import gives the same frame at every moment', () => {
    const recorder = record(syntheticPolls(3, 600));
    const text = runFileText(recorder, new Date(T0 + 60_000));
    const parsed = parseRunFile(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.exportedAt).toBe(new Date(T0 + 60_000).toISOString());
    const imported = parsed.value.recording;
    expect(imported.settings).toEqual(recorder.settings);
    expect(imported.start).toBe(recorder.start);
    expect(imported.end).toBe(recorder.end);
    const original = new Replay(recorder);
    const copy = new Replay(imported);
    const moments = [...original.stepPoints, ...original.stepPoints.map((t) => t + 123)];
    for (const t of moments) expect(plain(copy.frameAt(t))).toEqual(plain(original.frameAt(t)));
    // And a second export of the import is the same file.
    expect(runFileText(imported, new Date(T0 + 60_000))).toBe(text);
  });

  it('names the file after the moment it was exported', () => {
    expect(runFileName(new Date(Date.UTC(2026, 4, 4, 14, 3, 7)))).toBe(
      'chainlab-run-2026-05-04-14-03-07.json',
    );
  });

  it('keeps seeds, settings, the node order and traces in the file', () => {
    const recorder = handRun();
    recorder.record(poll(T0 + 2000, [n2At3, n3At1], { seeds: { n2: 7, n3: 9 } }));
    const file = JSON.parse(runFileText(recorder, new Date(T0))) as Record<string, unknown>;
    expect(file).toMatchObject({
      format: 'chainlab-run',
      version: RUN_VERSION,
      app: 'Chainlab',
      settings: DEFAULT_RESET,
      seeds: { n2: 7, n3: 9 },
      nodes: ['n2', 'n3'],
      start: T0,
      end: T0 + 2000,
    });
    expect((file.traces as { kept: unknown[] }).kept).toEqual([
      ['n1', 'n2', 'inv', T0 - 100, T0 + 50, 'delivered'],
      ['n1', 'n2', 'block', T0 + 350, T0 + 900, 'delivered'],
      ['n2', 'n1', 'inv', T0 + 700, T0 + 700, 'lost'],
    ]);
  });

  describe('a bad or foreign file is refused with one sentence, and no run', () => {
    const good = JSON.parse(runFileText(handRun(), new Date(T0))) as Record<string, unknown>;
    interface FileJson {
      [key: string]: unknown;
      entries: unknown[];
      traces: { kept: unknown[] };
    }
    type Fields = Record<string, unknown>;
    const edited = (edit: (file: FileJson) => void): string => {
      const copy = structuredClone(good) as FileJson;
      edit(copy);
      return JSON.stringify(copy);
    };
    const cases: [string, string, RunFileReason, Record<string, unknown>][] = [
      ['not JSON', '{"format": "chainlab-run", ', 'not-json', {}],
      ['a package.json', '{"name":"chainlab","version":"0.1.0","scripts":{}}', 'foreign', {}],
      ['a list', '[1, 2, 3]', 'foreign', {}],
      [
        'an experiment from the lab',
        JSON.stringify({ experiment: 'double-spend', params: {}, runs: 10, seed: 1, points: [] }),
        'lab-export',
        { experiment: 'double-spend' },
      ],
      [
        'a newer version',
        edited((f) => (f.version = RUN_VERSION + 1)),
        'newer-version',
        { version: 2, supported: 1 },
      ],
      ['no version', edited((f) => delete f.version), 'bad-header', { field: 'version' }],
      [
        'a setting out of its range',
        edited((f) => ((f.settings as Fields).forkChoice = 'fastest')),
        'bad-header',
        { field: 'settings.forkChoice' },
      ],
      [
        'no entries',
        edited((f) => Reflect.deleteProperty(f, 'entries')),
        'bad-header',
        { field: 'entries' },
      ],
      ['nesting deeper than a run', edited((f) => (f.entries = [[[[[[[[1]]]]]]]])), 'too-deep', {}],
      [
        'too many entries',
        edited((f) => (f.entries = Array.from({ length: MAX_ENTRIES + 1_001 }, () => 0))),
        'too-many-entries',
        { count: MAX_ENTRIES + 1_001, limit: MAX_ENTRIES + 1_000 },
      ],
      [
        'too many traces',
        edited((f) => (f.traces.kept = Array.from({ length: MAX_TRACES + 1 }, () => 0))),
        'too-many-traces',
        { count: MAX_TRACES + 1, limit: MAX_TRACES },
      ],
      [
        'a malformed block hash',
        edited((f) => (((f.entries[5] as Fields).block as Fields).hash = 'xyz')),
        'bad-entry',
        { index: 6, field: 'entries[5].block.hash' },
      ],
      [
        'an entry of an unknown kind',
        edited((f) => f.entries.push({ kind: 'gossip', t: T0 + 1600 })),
        'bad-entry',
        { index: 19, field: 'entries[18].kind' },
      ],
      [
        'a malformed trace',
        edited((f) => ((f.traces.kept[0] as unknown[])[4] = 'soon')),
        'bad-trace',
        { index: 1, field: 'traces.kept[0].arriveAt' },
      ],
      [
        'time going backwards',
        edited((f) => ((f.entries[8] as Fields).t = T0 + 1)),
        'time-backwards',
        { index: 9 },
      ],
      [
        'an entry after the end',
        edited((f) => f.entries.push({ kind: 'nodes', t: T0 + 1601, ids: [] })),
        'after-end',
        { index: 19 },
      ],
      [
        'messages out of order',
        edited((f) => f.traces.kept.reverse()),
        'trace-order',
        { index: 2 },
      ],
      [
        'a block whose parent is unknown',
        edited((f) => f.entries.splice(0, 1)),
        'unknown-parent',
        { index: 5, parent: hashOf(1) },
      ],
      [
        'the same block twice',
        edited((f) => f.entries.splice(2, 0, f.entries[0])),
        'duplicate-block',
        { index: 3, hash: hashOf(1) },
      ],
    ];

    it('reads the untouched file', () => {
      expect(parseRunFile(JSON.stringify(good)).ok).toBe(true);
    });

    it.each(cases)('%s', (_, text, reason, params) => {
      const result = parseRunFile(text);
      expect(result.ok).toBe(false);
      expect('value' in result).toBe(false);
      if (result.ok) return;
      expect(result.error.reason).toBe(reason);
      expect(result.error.params).toEqual(params);
      const sentence = translate('en', `timeline.error.${reason}`, result.error.params);
      expect(result.error.message).toBe(sentence);
      expect(runFileErrorText('fr', result.error)).not.toBe(sentence);
      // One sentence, with every value filled in.
      expect(sentence).toMatch(/^[A-Z][^{}]*\.$/);
      expect(sentence.slice(0, -1)).not.toMatch(/\.\s/);
    });

    it('refuses a file over the size limit before reading it', () => {
      const result = parseRunFile(' '.repeat(MAX_RUN_FILE_BYTES + 1));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.reason).toBe('too-large');
      expect(result.error.message).toBe(
        'This file is 64.0 MB, more than the 64.0 MB a run may take, so it was not opened.',
      );
    });
  });
});

/** Traces are only ever shown in flight for at least the poll interval. */
it('shows every message of the last poll at the live end', () => {
  const heard: MessageTrace[] = [
    trace('n1', 'n2', T0 + 401, T0 + 402),
    trace('n2', 'n1', T0 + 799, T0 + 799, 'tx', 'cut'),
  ];
  const recorder = record([poll(T0, [n1At1]), poll(T0 + 800, [n1At1], { traces: heard })]);
  expect(new Replay(recorder).frameAt(T0 + 800).traces).toEqual(heard);
});
