/**
 * Real time for nodes outside simulations: the wall clock, timers, and a yield that lets a worker
 * answer messages between mining slices.
 */
import type { Scheduler } from '../core/ports.ts';

/** The wall clock and setTimeout, as a Scheduler. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => {
      clearTimeout(t);
    };
  },
};

/**
 * Give the event loop one turn. A MessageChannel round trip, not setTimeout(0), which browsers
 * clamp to about 4 ms after a few nested calls (CONTRIBUTING.md, Mining never blocks).
 */
export function yieldToEventLoop(): Promise<void> {
  // Under Node (worker_threads) a port drains up to 1,000 queued messages per turn, so there
  // setImmediate is the yield that lets other work in.
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => void };
  if (setImmediate) {
    return new Promise((resolve) => {
      setImmediate(resolve);
    });
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
    channel.port2.close();
  });
}

/** Wait `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
