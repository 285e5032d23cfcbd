/**
 * The timeline on the page: SimulationState feeds the recording on every poll, so that the
 * recording's last frame is exactly what the page shows live; TimelineState switches between
 * live and replay, seeks, steps, plays at a speed and stops at the end, exports, and imports a
 * run or refuses a file without changing anything; the bar renders labelled controls.
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetworkView } from '../../src/api/backend.ts';
import { DEFAULT_RESET } from '../../src/api/backend.ts';
import type { EventJson } from '../../src/api/json.ts';
import Timeline from '../../src/app/components/Timeline.svelte';
import type {
  BlockSummary,
  MessageTrace,
  NodeStatus,
  WorkerSimulation,
} from '../../src/app/sim/worker-simulation.ts';
import { SimulationState } from '../../src/app/state/simulation.svelte.ts';
import type { FrameClock } from '../../src/app/state/timeline.svelte.ts';
import { bestHeight, clockText, TimelineState } from '../../src/app/state/timeline.svelte.ts';
import type { Frame } from '../../src/app/timeline/replay.ts';
import { MAX_ENTRIES } from '../../src/app/timeline/recording.ts';
import { Replay } from '../../src/app/timeline/replay.ts';
import { MAX_RUN_FILE_BYTES, parseRunFile } from '../../src/app/timeline/run-file.ts';
import { block, id, mined, status, T0, trace, WHOLE } from './timeline-fixtures.ts';

/** The part of WorkerSimulation that SimulationState polls, driven by hand. */
class FakeSimulation {
  generation = 0;
  options = DEFAULT_RESET;
  nodes: NodeStatus[] = [];
  network: NetworkView = WHOLE;
  /** Each node's blocks in arrival order (`seq` set). */
  chains = new Map<string, BlockSummary[]>();
  events = new Map<string, EventJson[]>();
  traces = new Map<string, MessageTrace[]>();
  /** The next blocksSince call throws, as when a node is removed mid-poll. */
  failNext = false;

  statuses(): Promise<NodeStatus[]> {
    return Promise.resolve(this.nodes);
  }
  networkSettings(): Promise<NetworkView> {
    return Promise.resolve(this.network);
  }
  blocksSince(node: string, after: number): Promise<BlockSummary[]> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('node gone'));
    }
    return Promise.resolve((this.chains.get(node) ?? []).filter((b) => b.seq > after));
  }
  takeEvents(node: string): Promise<EventJson[]> {
    const out = this.events.get(node) ?? [];
    this.events.set(node, []);
    return Promise.resolve(out);
  }
  takeTraces(node: string): Promise<MessageTrace[]> {
    const out = this.traces.get(node) ?? [];
    this.traces.set(node, []);
    return Promise.resolve(out);
  }
  seeds(): Record<string, number> {
    return Object.fromEntries(this.nodes.map((n, i) => [n.id, 100 + i]));
  }
  /** Node `node` accepts block `b` (its arrival number comes next). */
  accept(node: string, b: BlockSummary): void {
    const chain = this.chains.get(node) ?? [];
    chain.push({ ...b, seq: chain.length });
    this.chains.set(node, chain);
  }
  say(node: string, event: EventJson): void {
    this.events.set(node, [...(this.events.get(node) ?? []), event]);
  }
  hear(node: string, t: MessageTrace): void {
    this.traces.set(node, [...(this.traces.get(node) ?? []), t]);
  }
}

/** A SimulationState following a fake simulation, polled by hand at the given times. */
async function follow(fake: FakeSimulation): Promise<SimulationState> {
  vi.setSystemTime(T0);
  const state = new SimulationState();
  await state.attach(Promise.resolve(fake as unknown as WorkerSimulation));
  state.detach();
  return state;
}

async function pollAt(state: SimulationState, t: number): Promise<void> {
  vi.setSystemTime(t);
  await state.refresh();
}

/** What SimulationState shows, in the shape of a frame's parts. */
function live(state: SimulationState): unknown {
  return {
    blocks: [...state.blocks.values()],
    nodes: state.nodes,
    network: state.network,
    log: state.log,
  };
}

function parts(frame: Frame): unknown {
  return {
    blocks: [...frame.blocks.values()],
    nodes: frame.nodes,
    network: frame.network,
    log: frame.log,
  };
}

/** A run of three polls: genesis, a block mined with a message on its way, a split. */
async function threePolls(): Promise<{ fake: FakeSimulation; state: SimulationState }> {
  const fake = new FakeSimulation();
  fake.nodes = [status('n1', 1, 1), status('n2', 1, 1)];
  for (const n of ['n1', 'n2']) fake.accept(n, block(1, null, 1));
  const state = await follow(fake);
  fake.accept('n1', block(2, 1, 2));
  fake.say('n1', mined(2, 2));
  fake.hear('n2', trace('n1', 'n2', T0 + 350, T0 + 600, 'block'));
  fake.nodes = [status('n1', 2, 2), status('n2', 1, 1)];
  await pollAt(state, T0 + 400);
  fake.network = { ...WHOLE, groups: [[id('n1')], [id('n2')]] };
  await pollAt(state, T0 + 800);
  return { fake, state };
}

/** A clock whose animation frames run when the test says. */
function handClock(): FrameClock & { advance(ms: number): void } {
  let now = 0;
  let next: (() => void) | null = null;
  return {
    now: () => now,
    request: (callback) => {
      next = callback;
      return 1;
    },
    cancel: () => {
      next = null;
    },
    advance(ms: number) {
      now += ms;
      const run = next;
      next = null;
      run?.();
    },
  };
}

function fileOf(text: string, name = 'chainlab-run-2026-01-01-00-00-00.json'): File {
  return new File([text], name, { type: 'application/json' });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SimulationState feeds the recording', () => {
  it('so that the recording’s last frame is what the page shows, poll after poll', async () => {
    const fake = new FakeSimulation();
    fake.nodes = [status('n1', 1, 1), status('n2', 1, 1)];
    for (const n of ['n1', 'n2']) fake.accept(n, block(1, null, 1));
    const state = await follow(fake);
    const check = (): void => {
      const replay = new Replay(state.recording);
      expect(replay.end).toBe(state.recordedAt);
      expect(parts(replay.frameAt(state.recordedAt))).toEqual(live(state));
    };
    check();
    expect(state.blocks.size).toBe(1);

    // n1 mines; its hash rate wobbles below two figures; n2 hears of the block.
    fake.accept('n1', block(2, 1, 2));
    fake.say('n1', mined(2, 2));
    fake.nodes = [
      status('n1', 2, 2, { hashesPerSecond: 1_020_000 }),
      status('n2', 1, 1, { hashesPerSecond: 990_000 }),
    ];
    await pollAt(state, T0 + 400);
    check();

    // A poll cut short records nothing, and the next one asks for the same blocks again.
    fake.accept('n2', block(2, 1, 2));
    fake.accept('n2', block(3, 2, 3));
    fake.nodes = [status('n1', 2, 2), status('n2', 3, 3)];
    fake.failNext = true;
    const length = state.recording.entries.length;
    await pollAt(state, T0 + 800);
    expect(state.recording.entries).toHaveLength(length);
    await pollAt(state, T0 + 1200);
    expect(state.blocks.size).toBe(3);
    check();

    // A node joins, the network splits, messages fly.
    fake.nodes = [...fake.nodes, status('n3', 1, 1)];
    fake.accept('n3', block(1, null, 1));
    fake.network = { ...WHOLE, groups: [[id('n1')], [id('n2'), id('n3')]] };
    fake.hear('n3', trace('n2', 'n3', T0 + 1300, T0 + 1900, 'block'));
    fake.say('n2', mined(3, 3));
    await pollAt(state, T0 + 1600);
    check();
    expect(state.recording.traces).toHaveLength(1);
    expect(state.recording.seeds).toEqual({ n1: 100, n2: 101, n3: 102 });
  });

  it('starts a new recording at a reset, with log ids going on rising', async () => {
    const { fake, state } = await threePolls();
    const before = state.recording;
    expect(state.log.map((l) => l.id)).toEqual([0]);
    fake.generation = 1;
    fake.chains = new Map();
    fake.nodes = [status('n1', 1, 1)];
    fake.accept('n1', block(1, null, 1));
    fake.say('n1', mined(1, 1));
    await pollAt(state, T0 + 5_000);
    expect(state.recording).not.toBe(before);
    expect(state.recording.start).toBe(T0 + 5_000);
    expect(state.blocks.size).toBe(1);
    expect(state.log.map((l) => l.id)).toEqual([1]);
    expect(parts(new Replay(state.recording).frameAt(state.recordedAt))).toEqual(live(state));
  });
});

describe('TimelineState', () => {
  it('while live, shows the page’s own state and the messages of the last poll', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    expect(timeline.mode).toBe('live');
    expect(timeline.source).toEqual({ kind: 'run' });
    const frame = timeline.frame;
    expect(frame.blocks).toBe(state.blocks);
    expect(frame.nodes).toBe(state.nodes);
    expect(frame.network).toBe(state.network);
    expect(frame.log).toBe(state.log);
    expect(frame.t).toBe(T0 + 800);
    expect(timeline.position).toBe(T0 + 800);
    // Heard at T0 + 350, arriving at T0 + 600: gone by T0 + 800, but within the last second.
    expect(frame.traces).toEqual([]);
    expect(timeline.tracesDuring(1_000).map((t) => t.sentAt)).toEqual([T0 + 350]);
    // Shown until T0 + 750 (heard at T0 + 350, drawn at least MIN_VISIBLE_MS).
    expect(timeline.tracesDuring(60)).toHaveLength(1);
    expect(timeline.tracesDuring(40)).toEqual([]);
  });

  it('says when the recording is full, and then shows no frozen messages live', async () => {
    const { fake, state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    expect(timeline.full).toBe(false);
    fake.events.set(
      'n2',
      Array.from({ length: MAX_ENTRIES }, (_, i) => mined(i, 2)),
    );
    fake.hear('n2', trace('n1', 'n2', T0 + 1_150, T0 + 1_500));
    await pollAt(state, T0 + 1_200);
    expect(timeline.full).toBe(true);
    expect(state.log).toHaveLength(500);
    fake.hear('n2', trace('n1', 'n2', T0 + 1_550, T0 + 1_900));
    await pollAt(state, T0 + 1_600);
    expect(timeline.frame.traces).toEqual([]);
    expect(timeline.end).toBe(T0 + 1_200);
  });

  it('seeks into this run, steps between changes, and goes back to live', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    timeline.seek(T0 + 500);
    expect(timeline.mode).toBe('replay');
    expect(timeline.source).toEqual({ kind: 'run' });
    expect(timeline.cursor).toBe(T0 + 500);
    expect(timeline.frame.blocks.size).toBe(2);
    expect(timeline.frame.traces.map((t) => t.kind)).toEqual(['block']);
    expect(timeline.frame.network.groups).toEqual([]);

    timeline.stepForward();
    expect(timeline.cursor).toBe(T0 + 800);
    expect(timeline.frame.network.groups).toHaveLength(2);
    timeline.stepBack();
    timeline.stepBack();
    expect(timeline.cursor).toBe(T0);
    expect(bestHeight(timeline.frame)).toBe(1);
    timeline.seek(T0 - 5_000);
    expect(timeline.cursor).toBe(T0);

    timeline.goLive();
    expect(timeline.mode).toBe('live');
    expect(timeline.frame.blocks).toBe(state.blocks);
    // Stepping back from live replays the moment before the end.
    timeline.stepBack();
    expect(timeline.mode).toBe('replay');
    expect(timeline.cursor).toBe(T0 + 400);
  });

  it('gives charts each node’s statuses up to the moment shown', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    const heights = (): unknown =>
      [...timeline.statusHistory(1_000)].map(([node, samples]) => [
        node,
        samples.map((s) => [s.t - T0, s.status.height]),
      ]);
    expect(heights()).toEqual([
      [
        'n1',
        [
          [0, 1],
          [400, 2],
        ],
      ],
      ['n2', [[0, 1]]],
    ]);
    timeline.seek(T0 + 200);
    expect(heights()).toEqual([
      ['n1', [[0, 1]]],
      ['n2', [[0, 1]]],
    ]);
  });

  it('plays at the chosen speed and stops at the end', async () => {
    const { state } = await threePolls();
    const clock = handClock();
    const timeline = new TimelineState(state, clock);
    timeline.seek(T0);
    timeline.setSpeed(4);
    timeline.play();
    expect(timeline.playing).toBe(true);
    clock.advance(50);
    expect(timeline.cursor).toBe(T0 + 200);
    clock.advance(50);
    expect(timeline.cursor).toBe(T0 + 400);
    expect(timeline.frame.blocks.size).toBe(2);
    timeline.pause();
    clock.advance(1_000);
    expect(timeline.cursor).toBe(T0 + 400);
    timeline.setSpeed(16);
    timeline.toggle();
    clock.advance(1_000);
    expect(timeline.cursor).toBe(T0 + 800);
    expect(timeline.playing).toBe(false);
    // Play at the end starts again from the beginning.
    timeline.play();
    expect(timeline.cursor).toBe(T0);
    timeline.destroy();
    expect(timeline.playing).toBe(false);
  });

  it('replays the run before a reset as an earlier run', async () => {
    const { fake, state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    timeline.seek(T0 + 400);
    fake.generation = 1;
    fake.chains = new Map();
    fake.nodes = [status('n1', 1, 1)];
    await pollAt(state, T0 + 2_000);
    expect(timeline.source).toEqual({ kind: 'earlier' });
    expect(timeline.end).toBe(T0 + 800);
    expect(timeline.frame.blocks.size).toBe(2);
    timeline.goLive();
    expect(timeline.source).toEqual({ kind: 'run' });
    expect(timeline.frame.blocks.size).toBe(0);
  });

  it('exports this run and imports it back, to the same frames', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    const exported = timeline.exportRun(new Date(Date.UTC(2026, 0, 1, 9, 30)));
    expect(exported.filename).toBe('chainlab-run-2026-01-01-09-30-00.json');
    const text = await exported.blob.text();
    expect(parseRunFile(text).ok).toBe(true);

    const other = new TimelineState(await follow(new FakeSimulation()), handClock());
    expect(await other.importRun(fileOf(text, exported.filename))).toBeNull();
    expect(other.mode).toBe('replay');
    expect(other.source).toEqual({ kind: 'file', name: exported.filename });
    expect(other.cursor).toBe(T0);
    expect(other.end).toBe(T0 + 800);
    const original = new Replay(state.recording);
    for (const t of [T0, T0 + 400, T0 + 500, T0 + 800]) {
      other.seek(t);
      expect(parts(other.frame)).toEqual(parts(original.frameAt(t)));
      expect(other.frame.traces).toEqual(original.frameAt(t).traces);
    }
    // The file is exported again as it came.
    expect(await other.exportRun(new Date(Date.UTC(2026, 0, 1, 9, 30))).blob.text()).toBe(text);
  });

  it('refuses a bad file, says why, and changes nothing else', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    timeline.seek(T0 + 400);
    const before = { mode: timeline.mode, cursor: timeline.cursor, frame: timeline.frame };
    const shown = { ...(parts(before.frame) as object), traces: before.frame.traces };

    const foreign = await timeline.importRun(fileOf('{"name":"chainlab","private":true}'));
    expect(foreign?.reason).toBe('foreign');
    expect(timeline.error).toBe(foreign);
    const broken = await timeline.importRun(fileOf('{"format": "chainlab-run"'));
    expect(broken?.reason).toBe('not-json');
    const huge = { name: 'huge.json', size: MAX_RUN_FILE_BYTES + 1 } as File;
    expect((await timeline.importRun(huge))?.reason).toBe('too-large');
    const unreadable = {
      name: 'gone.json',
      size: 10,
      text: () => Promise.reject(new Error('NotReadableError')),
    } as unknown as File;
    expect((await timeline.importRun(unreadable))?.reason).toBe('unreadable');

    expect(timeline.mode).toBe(before.mode);
    expect(timeline.cursor).toBe(before.cursor);
    expect(timeline.source).toEqual({ kind: 'run' });
    expect({ ...(parts(timeline.frame) as object), traces: timeline.frame.traces }).toEqual(shown);
    expect(timeline.frame.t).toBe(before.frame.t);

    // A good file afterwards clears the error.
    const good = await timeline.exportRun().blob.text();
    expect(await timeline.importRun(fileOf(good))).toBeNull();
    expect(timeline.error).toBeNull();
  });
});

describe('the timeline bar', () => {
  it('labels every control with its visible words and tells the moment in words', async () => {
    const { state } = await threePolls();
    const timeline = new TimelineState(state, handClock());
    timeline.seek(T0 + 400);
    const html = render(Timeline, { props: { timeline } }).body;
    expect(html).toMatch(
      /<label[^>]*for="([^"]+)-scrubber"[^>]*><span[^>]*>Moment in the run<\/span>/,
    );
    expect(html).toContain('type="range"');
    expect(html).toContain('aria-valuetext="00:00, block 2"');
    for (const words of ['Step back', 'Play', 'Step forward', 'Live', 'Export run']) {
      expect(html).toMatch(new RegExp(`<button[^>]*>[^<]*(<span[^>]*>[^<]*</span>)?\\s*${words}`));
    }
    expect(html).toMatch(/<label class="speed[^"]*">\s*Speed\s*<select/);
    // Import is a button that opens a file picker kept out of the tab order and the page.
    expect(html).toMatch(
      /<button type="button"[^>]*>Import run<\/button> <input class="file[^"]*" type="file"/,
    );
    expect(html).toContain('Paused in this run — 00:00 of 00:00');
    expect(html).toContain('role="alert"');
  });

  it('says what is shown in each state', () => {
    expect(clockText(83_400)).toBe('01:23');
    expect(clockText(3_723_000)).toBe('1:02:03');
    expect(clockText(-5)).toBe('00:00');
  });
});
