/**
 * When a room node says it is there: at once on joining, every PRESENCE_EVERY_MS otherwise,
 * PRESENCE_SETTLE_MS after its tip changes but never two within PRESENCE_MIN_GAP_MS, and nothing after it
 * stops; and a node checks a peer's presence at most once every PRESENCE_RECHECK_MS. On fake
 * clocks: the assertions count presences at given moments, never how long anything took.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import { walletFromSecret } from '../../src/core/wallet.ts';
import type { Signatures } from '../../src/core/wire.ts';
import { DeliveryGate } from '../../src/runtime/delivery-gate.ts';
import type { PacerClock } from '../../src/runtime/presence-pacer.ts';
import { PresencePacer } from '../../src/runtime/presence-pacer.ts';
import {
  PRESENCE_EVERY_MS,
  PRESENCE_MIN_GAP_MS,
  PRESENCE_RECHECK_MS,
  PRESENCE_SETTLE_MS,
} from '../../src/runtime/protocol.ts';
import { newRoomCode, roomOf } from '../../src/runtime/room.ts';
import type { Presence, RoomBus } from '../../src/runtime/room-transport.ts';
import { RoomTransport } from '../../src/runtime/room-transport.ts';
import { platformSignatures } from '../../src/runtime/signatures.ts';
import { until } from '../../scripts/classroom-nodes.ts';

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
    settleMs: PRESENCE_SETTLE_MS,
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

  it('says a new tip once it settles when the last presence is old enough, and restarts the heartbeat', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    clock.advanceTo(2_500);
    pacer.tipChanged();
    clock.advanceTo(2_500 + PRESENCE_SETTLE_MS - 1);
    expect(sent).toEqual([0]);
    // A reorg right after: told in the same presence.
    pacer.tipChanged();
    const told = 2_500 + PRESENCE_SETTLE_MS;
    clock.advanceTo(told);
    expect(sent).toEqual([0, told]);
    clock.advanceTo(told + PRESENCE_EVERY_MS);
    expect(sent).toEqual([0, told, told + PRESENCE_EVERY_MS]);
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
    // The first change set the moment (the gap's end); the presence then carries the newest tip.
    const told = Math.max(PRESENCE_MIN_GAP_MS, 200 + PRESENCE_SETTLE_MS);
    clock.advanceTo(told);
    expect(sent).toEqual([0, told]);
    clock.advanceTo(told + PRESENCE_EVERY_MS - 1);
    expect(sent).toEqual([0, told]);
  });

  it('never sends two presences closer than the gap, with the tip changing every 100 ms', () => {
    const { clock, sent, pacer } = paced();
    pacer.start();
    for (let t = 100; t <= 20_000; t += 100) {
      clock.advanceTo(t);
      pacer.tipChanged();
    }
    clock.advanceTo(20_000 + PRESENCE_MIN_GAP_MS);
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(PRESENCE_MIN_GAP_MS);
    // Every change is told within the gap and the settling time: about one presence a second.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(PRESENCE_MIN_GAP_MS + PRESENCE_SETTLE_MS);
    expect(sent.at(-1)).toBeGreaterThanOrEqual(20_000);
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
    expect(
      () => new PresencePacer(send, { everyMs: 1_000, minGapMs: 0, settleMs: Number.NaN }),
    ).toThrow(/settling/);
  });
});

/** Subjects to their listeners, delivering at once: a room server in memory. */
function memoryBus(): RoomBus {
  const listeners = new Map<string, Set<(data: Uint8Array) => void>>();
  return {
    publish(subject, data) {
      for (const l of listeners.get(subject) ?? []) l(data);
    },
    subscribe(subject, onMessage) {
      const set = listeners.get(subject) ?? new Set();
      set.add(onMessage);
      listeners.set(subject, set);
      return () => set.delete(onMessage);
    },
  };
}

describe('presences a node checks', () => {
  it('checks a peer presence at most once every PRESENCE_RECHECK_MS, never skipping a heartbeat', async () => {
    const room = roomOf(newRoomCode((n) => new Uint8Array(n).fill(7)));
    const memory = memoryBus();
    let published = 0;
    const bus: RoomBus = {
      publish: (subject, data) => {
        memory.publish(subject, data);
        if (subject === room.subjects.presence) published++;
      },
      subscribe: (subject, onMessage) => memory.subscribe(subject, onMessage),
    };
    const { signatures } = await platformSignatures();
    let now = 1_700_000_000_000;
    let verified = 0;
    const counting: Signatures = {
      ...signatures,
      verify: (...args) => {
        verified++;
        return signatures.verify(...args);
      },
    };
    const make = (id: string, seed: number, onPresence?: (p: Presence) => void): RoomTransport => {
      const wallet = walletFromSecret(new Uint8Array(32).fill(seed));
      return new RoomTransport({
        room,
        id: id as NodeId,
        secretKey: wallet.secretKey,
        publicKey: wallet.publicKey,
        signatures: counting,
        bus,
        gate: new DeliveryGate({
          id: id as NodeId,
          settings: { latencyMs: 0, loss: 0, groups: [] },
          rng: createRng(seed),
          receive: () => Promise.resolve(),
        }),
        page: `page-${id}`,
        now: () => now,
        onPresence: (_from, p) => onPresence?.(p),
      });
    };
    const heard: number[] = [];
    const alice = make('alice-1', 1);
    const bob = make('bob-1', 2, (p) => heard.push(p.height));
    const say = async (height: number): Promise<void> => {
      const before = verified;
      const sent = published;
      alice.announce({ learner: 'alice', height, tip: 'ab'.repeat(32) as BlockHash });
      // Bob starts checking a presence (or drops it) as the bus hands it over; a checked one
      // then reaches him.
      await until('the presence published', () => published > sent, 5_000, 1);
      if (verified > before)
        await until('the presence heard', () => heard.includes(height), 5_000, 1);
    };
    await say(1);
    now += PRESENCE_MIN_GAP_MS; // a tip change a second later: dropped before its check
    await say(2);
    now += PRESENCE_MIN_GAP_MS;
    await say(3);
    const checksSoFar = verified;
    now += PRESENCE_RECHECK_MS - 2 * PRESENCE_MIN_GAP_MS; // the heartbeat's moment, less its gap
    await say(4);
    expect(heard).toEqual([1, 4]);
    expect(verified).toBe(checksSoFar + 1);
    expect(PRESENCE_RECHECK_MS).toBeLessThan(PRESENCE_EVERY_MS);
    alice.close();
    bob.close();
  });
});
