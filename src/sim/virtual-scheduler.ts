/**
 * Virtual time for headless simulations: events run in (time, insertion) order, each awaited to
 * completion, so a seeded run is exactly reproducible and a minute of network time takes
 * milliseconds.
 */
import type { Scheduler } from '../core/ports.ts';

interface Event {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => unknown;
  cancelled: boolean;
}

/** A min-heap of timed events with a virtual clock. */
export class VirtualScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  readonly #heap: Event[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => unknown): () => void {
    const event: Event = {
      at: this.#now + Math.max(0, Math.ceil(ms)),
      seq: this.#seq++,
      fn,
      cancelled: false,
    };
    this.#push(event);
    return () => {
      event.cancelled = true;
    };
  }

  /** Time of the next live event, or null when none is left. */
  peek(): number | null {
    this.#dropCancelled();
    return this.#heap[0]?.at ?? null;
  }

  /** Run the next event (advancing the clock to it) and wait for it; false when none is left. */
  runNext(): Promise<boolean> {
    this.#dropCancelled();
    const event = this.#pop();
    if (!event) return Promise.resolve(false);
    this.#now = Math.max(this.#now, event.at);
    // One promise per event, not two: this runs for every message of a thousand-node network.
    return Promise.resolve(event.fn()).then(() => true);
  }

  /** Move the clock forward with nothing scheduled in between (e.g. idle time). */
  advanceTo(ms: number): void {
    if (ms > this.#now) this.#now = ms;
  }

  #dropCancelled(): void {
    while (this.#heap[0]?.cancelled) this.#pop();
  }

  #less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(e: Event): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (!parent || !this.#less(e, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
  }

  #pop(): Event | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best = last;
      const left = h[l];
      const right = h[r];
      if (left && this.#less(left, best)) {
        m = l;
        best = left;
      }
      if (right && this.#less(right, best)) m = r;
      if (m === i) break;
      const child = h[m];
      if (!child) break;
      h[i] = child;
      i = m;
    }
    h[i] = last;
    return top;
  }
}
