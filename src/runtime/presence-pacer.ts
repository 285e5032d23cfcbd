/**
 * When a node in a room says it is there: every `everyMs` (the heartbeat), and `settleMs` after its
 * tip changes, but never two within `minGapMs` (src/runtime/protocol.ts, PRESENCE_EVERY_MS,
 * PRESENCE_SETTLE_MS and PRESENCE_MIN_GAP_MS). One timer, so a prompt presence also pushes the next heartbeat back.
 * Used by the node host (src/runtime/node-host.ts) and the classroom bench's headless nodes
 * (scripts/classroom-nodes.ts), so both send the same traffic.
 */

/** The clock and timer the pacer runs on: the real ones by default, fake ones in tests. */
export interface PacerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: PacerClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** What a pacer is told. */
export interface PacerOptions {
  /** The heartbeat: the longest wait between two presences. */
  readonly everyMs: number;
  /** The shortest wait between two presences, however often the tip changes. */
  readonly minGapMs: number;
  /** How long after a tip change its presence leaves (0: at once). */
  readonly settleMs?: number;
  readonly clock?: PacerClock;
}

/** Paces one node's presences. Create it, then `start`; `stop` when the node leaves. */
export class PresencePacer {
  readonly #send: () => void;
  readonly #everyMs: number;
  readonly #minGapMs: number;
  readonly #settleMs: number;
  readonly #clock: PacerClock;
  #last = -Infinity;
  #timer: unknown = null;
  /** When the armed timer fires. */
  #due = Infinity;
  #running = false;

  constructor(send: () => void, options: PacerOptions) {
    const { everyMs, minGapMs, settleMs = 0 } = options;
    if (!(Number.isFinite(everyMs) && everyMs > 0)) {
      throw new Error(`presence period must be a positive number of ms, got ${String(everyMs)}`);
    }
    if (!(Number.isFinite(minGapMs) && minGapMs >= 0 && minGapMs <= everyMs)) {
      throw new Error(
        `presence gap must be between 0 and the period (${String(everyMs)} ms), got ${String(minGapMs)}`,
      );
    }
    if (!(Number.isFinite(settleMs) && settleMs >= 0 && settleMs <= everyMs)) {
      throw new Error(
        `presence settling time must be between 0 and the period (${String(everyMs)} ms), got ${String(settleMs)}`,
      );
    }
    this.#settleMs = settleMs;
    this.#send = send;
    this.#everyMs = everyMs;
    this.#minGapMs = minGapMs;
    this.#clock = options.clock ?? REAL_CLOCK;
  }

  /** Say it now and keep the heartbeat. */
  start(): void {
    this.#running = true;
    this.sendNow();
  }

  /** Say it now whatever the gap (a connection back after a drop), and restart the heartbeat. */
  sendNow(): void {
    if (!this.#running) return;
    this.#last = this.#clock.now();
    this.#send();
    this.#arm(this.#last + this.#everyMs);
  }

  /** The tip changed: say so once it has settled, or as soon after as the gap allows. */
  tipChanged(): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    const at = Math.max(now + this.#settleMs, this.#last + this.#minGapMs);
    if (at <= now) this.sendNow();
    else if (at < this.#due) this.#arm(at);
  }

  /** No more presences. */
  stop(): void {
    this.#running = false;
    this.#disarm();
  }

  #arm(at: number): void {
    this.#disarm();
    this.#due = at;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = null;
        this.#due = Infinity;
        this.sendNow();
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = Infinity;
  }
}
