/**
 * When a room node says it is there: at once on joining, every PRESENCE_EVERY_MS otherwise,
 * promptly when its tip changes but never two within PRESENCE_MIN_GAP_MS, and nothing after it
 * stops. On a fake clock: the assertions count presences at given moments, never wait.
 */
import { describe, expect, it } from 'vitest';
import type { PacerClock } from '../../src/runtime/presence-pacer.ts';
import { PresencePacer } from '../../src/runtime/presence-pacer.ts';
import { PRESENCE_EVERY_MS, PRESENCE_MIN_GAP_MS } from '../../src/runtime/protocol.ts';

/** A clock that moves only when told, running the timers that fall due. */
class FakeClock implements PacerClock {
  #now = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; run: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Move to `at`, running each timer due on the way at its own moment. */
  advanceTo(at: number): void {
    for (;;) {
      let first: [number, { at: number; run: () => void }] | null = null;
      for (const entry of this.#timers) if (!first || entry[1].at < first[1].at) first = entry;
      if (!first || first[1].at > at) break;
      this.#timers.delete(first[0]);
      this.#now = first[1].at;
      first[1].run();
    }
    this.#now = at;
  }
}

function paced(): { clock: FakeClock; sent: number[]; pacer: PresencePacer } {
  const clock = new FakeClock();
  const sent: number[] = [];
  const pacer = new PresencePacer(() => sent.push(clock.now()), {
    everyMs: PRESENCE_EVERY_MS,
    minGapMs: PRESENCE_MIN_GAP_MS,
    clock,
  });
  return { clock, sent, pacer };
}

describe('presence pacing', () => {
  it('says it at once, then every PRESENCE_EVERY_MS while nothing changes', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    clock.advanceTo(3 * PRESENCE_EVERY_MS);
    expect(sent).toEqual([0, PRESENCE_EVERY_MS, 2 * PRESENCE_EVERY_MS, 3 * PRESENCE_EVERY_MS]);
  });

  it('says a new tip at once when the last presence is old enough, and restarts the heartbeat', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    clock.advanceTo(2_500);
    pacer.tipChanged();
    expect(sent).toEqual([0, 2_500]);
    clock.advanceTo(2_500 + PRESENCE_EVERY_MS);
    expect(sent).toEqual([0, 2_500, 2_500 + PRESENCE_EVERY_MS]);
  });

  it('holds a tip change that comes too soon until the gap has passed, once for a burst', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    clock.advanceTo(200);
    pacer.tipChanged();
    clock.advanceTo(500);
    pacer.tipChanged();
    clock.advanceTo(900);
    pacer.tipChanged();
    expect(sent).toEqual([0]);
    clock.advanceTo(PRESENCE_MIN_GAP_MS);
    expect(sent).toEqual([0, PRESENCE_MIN_GAP_MS]);
    clock.advanceTo(PRESENCE_MIN_GAP_MS + PRESENCE_EVERY_MS - 1);
    expect(sent).toEqual([0, PRESENCE_MIN_GAP_MS]);
  });

  it('never sends two presences closer than the gap, with the tip changing every 100 ms', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    for (let t = 100; t <= 20_000; t += 100) {
      clock.advanceTo(t);
      pacer.tipChanged();
    }
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(PRESENCE_MIN_GAP_MS);
    // Each change is told within the gap: about one presence a second throughout.
    expect(sent.length).toBe(20_000 / PRESENCE_MIN_GAP_MS + 1);
  });

  it('says it again at once after a reconnection, whatever the gap', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    clock.advanceTo(10);
    pacer.sendNow();
    expect(sent).toEqual([0, 10]);
  });

  it('sends nothing before start or after stop, and leaves no timer behind', () => {
    const { clock, sent, pacer } = paced();
    pacer.tipChanged();
    pacer.sendNow();
    expect(sent).toEqual([]);
    pacer.start();
    clock.advanceTo(300);
    pacer.tipChanged();
    pacer.stop();
    expect(clock.pending).toBe(0);
    clock.advanceTo(10 * PRESENCE_EVERY_MS);
    pacer.tipChanged();
    expect(sent).toEqual([0]);
  });

  it('refuses a period or gap that makes no sense', () => {
    const send = (): void => undefined;
    expect(() => new PresencePacer(send, { everyMs: 0, minGapMs: 0 })).toThrow(/period/);
    expect(() => new PresencePacer(send, { everyMs: Number.NaN, minGapMs: 0 })).toThrow(/period/);
    expect(() => new PresencePacer(send, { everyMs: 1_000, minGapMs: -1 })).toThrow(/gap/);
    expect(() => new PresencePacer(send, { everyMs: 1_000, minGapMs: 2_000 })).toThrow(/gap/);
  });
});
