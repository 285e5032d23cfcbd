/**
 * The timeline: the page either follows the run live or replays a recording (this run, the run
 * before the last reset, or an imported file) at a moment the learner picks, step by step or
 * playing at 1× to 16×. `frame` is the one object the tree, the node table, the network view and
 * the log draw from, whichever the mode; nothing here reaches the nodes (CONTRIBUTING.md, D3
 * computes, Svelte draws).
 */
import type { NodeId } from '../../core/types.ts';
import type { MessageTrace } from '../sim/worker-simulation.ts';
import type { Frame, StatusSample } from '../timeline/replay.ts';
import { Replay } from '../timeline/replay.ts';
import type { Recording } from '../timeline/recording.ts';
import type { RunFileError } from '../timeline/run-file.ts';
import {
  MAX_RUN_FILE_BYTES,
  parseRunFile,
  refuse,
  runFileName,
  runFileText,
  tooLarge,
} from '../timeline/run-file.ts';
import type { SimulationState } from './simulation.svelte.ts';

/** Playing speeds, times real time. */
export const SPEEDS = [1, 2, 4, 8, 16] as const;
/** A playing speed. */
export type Speed = (typeof SPEEDS)[number];

/** Following the run as it happens, or showing a recorded moment. */
export type TimelineMode = 'live' | 'replay';

/** What is shown: this run, the run before the last reset, or a file (by its name). */
export type TimelineSource =
  | { readonly kind: 'run' }
  | { readonly kind: 'earlier' }
  | { readonly kind: 'file'; readonly name: string };

/** How playing moves on: the browser's animation frames, or a test's hand. */
export interface FrameClock {
  now(): number;
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/** Animation frames: the cursor moves once per frame drawn, and not at all in a hidden tab. */
const animationFrames: FrameClock = {
  now: () => performance.now(),
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => {
    cancelAnimationFrame(handle);
  },
};

/** The longest file name shown. */
const NAME_LENGTH = 80;

/** A duration as the scrubber says it: 01:23, or 1:02:03 past an hour. */
export function clockText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** The best height any node had in a frame (0 with no nodes). */
export function bestHeight(frame: Frame): number {
  let best = 0;
  for (const n of frame.nodes) best = Math.max(best, n.height);
  return best;
}

/** A recording to export, and the name to offer it under. */
export interface RunExport {
  readonly blob: Blob;
  readonly filename: string;
}

/** The timeline of one page. Create it with the page's SimulationState. */
export class TimelineState {
  mode = $state<TimelineMode>('live');
  /** The moment shown while replaying (Date.now milliseconds). */
  cursor = $state(0);
  playing = $state(false);
  speed = $state<Speed>(1);
  /** Why the last import was refused; cleared by the next import that works. */
  error = $state.raw<RunFileError | null>(null);

  readonly #sim: SimulationState;
  readonly #clock: FrameClock;
  /** The replay shown in replay mode. */
  #shown = $state.raw<Replay | null>(null);
  /** The imported file, if what is shown is one. */
  #file = $state.raw<{ readonly name: string; readonly replay: Replay } | null>(null);
  /** The replay of the live recording, kept while the recording is the same. */
  #run: Replay | null = null;
  #handle: number | null = null;
  #lastTick = 0;

  constructor(sim: SimulationState, clock: FrameClock = animationFrames) {
    this.#sim = sim;
    this.#clock = clock;
  }

  /** What is shown. */
  get source(): TimelineSource {
    if (this.mode === 'live' || !this.#shown) return { kind: 'run' };
    if (this.#file?.replay === this.#shown) return { kind: 'file', name: this.#file.name };
    return this.#shown.recording === this.#sim.recording ? { kind: 'run' } : { kind: 'earlier' };
  }

  /** The recording shown (live: this run's). */
  get recording(): Recording {
    return this.#replay.recording;
  }

  /** When the recording shown begins. */
  get start(): number {
    return this.#replay.start;
  }

  /** When it ends; this run's end moves with every poll. */
  get end(): number {
    return this.#isRun ? this.#sim.recordedAt : this.#replay.end;
  }

  /** The moment shown: the cursor, or the live end. */
  get position(): number {
    return this.mode === 'live' ? this.end : this.cursor;
  }

  /** The recording shown stopped growing at MAX_ENTRIES (see ../timeline/recording.ts). */
  get full(): boolean {
    const { recording } = this;
    // This run's recording fills in place, at a poll, which also moves `end`: reading it here
    // makes the answer follow.
    return recording.full && this.end === recording.end;
  }

  /** The moments where something changed, for stepping. */
  get stepPoints(): readonly number[] {
    return this.#replay.stepPoints;
  }

  /**
   * The page at the moment shown: the live state itself while live, the recorded moment while
   * replaying. Pass it whole to the tree, the node table, the network view and the log.
   */
  readonly frame: Frame = $derived.by(() => {
    const sim = this.#sim;
    if (this.mode === 'live' || !this.#shown) {
      const t = sim.recordedAt;
      const run = this.#runReplay();
      return {
        t,
        blocks: sim.blocks,
        nodes: sim.nodes,
        network: sim.network,
        log: sim.log,
        // A full recording stopped taking messages: what it last had would hang in the air.
        traces: run.recording.full ? [] : run.tracesAt(t),
      };
    }
    // This run's recording grows in place: `end` moves with every poll, and the frame with it.
    return this.#shown.frameAt(Math.min(this.cursor, this.end));
  });

  /**
   * Messages in flight at any time in the `windowMs` up to the moment shown, oldest first, for a
   * network view that animates them on its own clock or counts the recent ones (the frame holds
   * only those in flight at its moment). Empty live once the recording is full.
   */
  tracesDuring(windowMs: number): readonly MessageTrace[] {
    const replay = this.#replay;
    if (this.mode === 'live' && replay.recording.full) return [];
    return replay.tracesDuring(this.position - windowMs, this.position);
  }

  /**
   * Each node's statuses over the `windowMs` up to the moment shown, for charts (mempool size,
   * height, hash rate over time); see Replay.statusHistory.
   */
  statusHistory(windowMs: number): ReadonlyMap<NodeId, readonly StatusSample[]> {
    return this.#replay.statusHistory(this.position, windowMs);
  }

  /** Play from the moment shown (from the start, when at the end). */
  play(): void {
    if (this.mode === 'live') this.#enter(this.#runReplay(), this.start);
    if (this.cursor >= this.end) this.cursor = this.start;
    this.playing = true;
    this.#lastTick = this.#clock.now();
    this.#schedule();
  }

  /** Stop playing; the moment stays. */
  pause(): void {
    this.playing = false;
    if (this.#handle !== null) this.#clock.cancel(this.#handle);
    this.#handle = null;
  }

  /** Play or pause. */
  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
  }

  /** Show the moment `t` (held within the recording); from live, replay this run. */
  seek(t: number): void {
    if (this.mode === 'live') this.#enter(this.#runReplay(), t);
    this.cursor = Math.min(Math.max(t, this.start), this.end);
  }

  /** The previous moment where something changed. */
  stepBack(): void {
    this.pause();
    this.seek(this.#replay.previousStep(this.position));
  }

  /** The next moment where something changed. */
  stepForward(): void {
    this.pause();
    if (this.mode === 'live') return;
    this.seek(this.#replay.nextStep(this.cursor));
  }

  /** Follow the run as it happens again. */
  goLive(): void {
    this.pause();
    this.mode = 'live';
    this.#shown = null;
  }

  /** The recording shown, as a file to download. */
  exportRun(at: Date = new Date()): RunExport {
    const text = runFileText(this.recording, at);
    return { blob: new Blob([text], { type: 'application/json' }), filename: runFileName(at) };
  }

  /**
   * Open a run from a file and show its start. A refused file changes nothing but the error,
   * which is also returned; null when the run opened.
   */
  async importRun(file: File): Promise<RunFileError | null> {
    let error: RunFileError | null = null;
    if (file.size > MAX_RUN_FILE_BYTES) {
      error = tooLarge(file.size);
    } else {
      let text: string | null = null;
      try {
        text = await file.text();
      } catch {
        error = refuse('unreadable');
      }
      if (text !== null) {
        const parsed = parseRunFile(text);
        if (parsed.ok) {
          const replay = new Replay(parsed.value.recording);
          this.pause();
          this.#file = { name: file.name.slice(0, NAME_LENGTH), replay };
          this.#enter(replay, replay.start);
        } else {
          error = parsed.error;
        }
      }
    }
    this.error = error;
    return error;
  }

  /** Stop playing for good (the page is closing). */
  destroy(): void {
    this.pause();
  }

  get #replay(): Replay {
    return this.mode === 'replay' && this.#shown ? this.#shown : this.#runReplay();
  }

  get #isRun(): boolean {
    return this.mode === 'live' || this.#shown?.recording === this.#sim.recording;
  }

  #runReplay(): Replay {
    const recording = this.#sim.recording;
    if (this.#run?.recording !== recording) this.#run = new Replay(recording);
    return this.#run;
  }

  #enter(replay: Replay, t: number): void {
    this.#shown = replay;
    this.mode = 'replay';
    this.cursor = Math.min(Math.max(t, replay.start), this.end);
  }

  #schedule(): void {
    this.#handle = this.#clock.request(() => {
      this.#handle = null;
      if (!this.playing) return;
      const now = this.#clock.now();
      const next = this.cursor + (now - this.#lastTick) * this.speed;
      this.#lastTick = now;
      if (next >= this.end) {
        this.cursor = this.end;
        this.pause();
      } else {
        this.cursor = next;
        this.#schedule();
      }
    });
  }
}
