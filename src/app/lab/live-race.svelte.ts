/**
 * One double-spend race played live on the page's own nodes (src/lab/live-double-spend.ts drives
 * them through the route table): what the race panel shows, the story so far, and its end. The
 * race is page state: it changes the network only through the same requests a script would send.
 */
import { Cancelled } from '../../lab/cancelled.ts';
import type { WinRule } from '../../lab/race-rules.ts';
import type { Narration } from '../../lab/live-double-spend.ts';
import type { Request } from '../../lab/live.ts';
import { playDoubleSpend } from '../../lab/live-double-spend.ts';
import type { SelfishNarration } from '../../lab/live-selfish.ts';
import { playSelfish } from '../../lab/live-selfish.ts';

/** What the live run was asked to be: a double-spend race, or a selfish pool at work. */
export type LiveParams =
  | {
      readonly experiment: 'double-spend';
      readonly q: number;
      readonly z: number;
      readonly win: WinRule;
    }
  | { readonly experiment: 'selfish-mining'; readonly alpha: number };

/** Any step of either story. */
export type LiveStep = Narration | SelfishNarration;

/** How a run ended, when it has. */
export type LiveEnd =
  | { readonly kind: 'done' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly message: string };

/** Between two looks at the nodes: a class can follow every block. */
const LIVE_POLL_MS = 300;
/**
 * The live race's difficulty: 2^20 hashes a block on average, so a block comes about every
 * second or two on a laptop's workers, slow enough to follow from the back of the room.
 */
const LIVE_DIFFICULTY_BITS = 20;
/** Blocks a live selfish pool plays for: a few minutes, enough to see it gain or lose. */
export const LIVE_SELFISH_BLOCKS = 40;

/** The live run of the page. */
export class LiveRaceState {
  params = $state.raw<LiveParams | null>(null);
  story = $state.raw<readonly LiveStep[]>([]);
  end = $state.raw<LiveEnd | null>(null);
  running = $state(false);
  #stop: AbortController | null = null;

  /** Play one race; resolves when it ends, however it ends. */
  async play(params: LiveParams, request: Request): Promise<void> {
    if (this.running) return;
    const stop = new AbortController();
    this.#stop = stop;
    this.params = params;
    this.story = [];
    this.end = null;
    this.running = true;
    const options = {
      request,
      wait: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      narrate: (n: LiveStep) => {
        this.story = [...this.story, n];
      },
      signal: stop.signal,
      pollMs: LIVE_POLL_MS,
      difficultyBits: LIVE_DIFFICULTY_BITS,
    };
    try {
      if (params.experiment === 'double-spend') {
        await playDoubleSpend(params.q, params.z, params.win, options);
      } else {
        await playSelfish(params.alpha, LIVE_SELFISH_BLOCKS, options);
      }
      this.end = { kind: 'done' };
    } catch (error) {
      this.end =
        error instanceof Cancelled
          ? { kind: 'stopped' }
          : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    } finally {
      this.running = false;
      this.#stop = null;
    }
  }

  /** Stop at the next step (the nodes keep what they have; mining stays as it was). */
  stop(): void {
    this.#stop?.abort();
  }

  /** Put the panel away once the race is over. */
  dismiss(): void {
    if (this.running) return;
    this.params = null;
    this.story = [];
    this.end = null;
  }
}
