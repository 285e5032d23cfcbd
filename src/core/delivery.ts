/**
 * The delivery rule: how long a message takes between two nodes, whether it is lost, and whether a
 * partition cuts it. Every transport (the in-memory network, BroadcastChannel) plans its
 * deliveries here, so the headless simulator and the page behave alike (CONTRIBUTING.md, One place
 * for each fact). Pure: the randomness and the clock are passed in.
 */
import type { Rng } from './rng.ts';
import type { NodeId } from './types.ts';

/**
 * The shape of one message's one-way delay:
 * - `spread`: between half and one and a half times the mean, uniformly (the default);
 * - `fixed`: always the same;
 * - `uniform`: uniformly between two bounds;
 * - `exponential`: memoryless, with a long tail (a few messages are very late).
 */
export type LatencyDistribution =
  | { readonly kind: 'spread'; readonly meanMs: number }
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number };

/** Link conditions: latency and loss. */
export interface LinkConditions {
  /** Mean one-way delay in milliseconds; alone it means a `spread` distribution around it. */
  readonly latencyMs: number;
  /** Probability in [0, 1] that a message is lost. */
  readonly loss: number;
  /** Another shape for the delay; `latencyMs` is then its mean. */
  readonly distribution?: LatencyDistribution;
}

/** Latency, loss and partitions: what a simulation's network is set to. */
export interface NetworkSettings extends LinkConditions {
  /** Partition groups; nodes in different groups cannot talk. Empty: one network. */
  readonly groups: readonly (readonly NodeId[])[];
}

/** The network of a fresh simulation, headless or in the page: healthy and quick. */
export const DEFAULT_NETWORK: NetworkSettings = { latencyMs: 100, loss: 0, groups: [] };

/** Upper bound of any latency setting, milliseconds. */
export const MAX_LATENCY_MS = 10_000;

/** The mean of a distribution, milliseconds. */
export function meanLatencyMs(d: LatencyDistribution): number {
  switch (d.kind) {
    case 'spread':
    case 'exponential':
      return d.meanMs;
    case 'fixed':
      return d.ms;
    case 'uniform':
      return (d.minMs + d.maxMs) / 2;
  }
}

/** Conditions with the given delay distribution (its mean becomes `latencyMs`). */
export function withDistribution(d: LatencyDistribution, loss: number): LinkConditions {
  return { latencyMs: meanLatencyMs(d), loss, distribution: d };
}

/** Draw one message's delay. Uses exactly one draw of `rng`, whatever the distribution. */
export function drawLatencyMs(c: LinkConditions, rng: Rng): number {
  const u = rng.float();
  const d = c.distribution;
  // The default spread, without building a distribution object for every message.
  if (!d) return c.latencyMs * (0.5 + u);
  switch (d.kind) {
    case 'spread':
      return d.meanMs * (0.5 + u);
    case 'fixed':
      return d.ms;
    case 'uniform':
      return d.minMs + (d.maxMs - d.minMs) * u;
    case 'exponential':
      // Inverse transform; 1 - u lies in (0, 1], so the log is finite.
      return -d.meanMs * Math.log(1 - u);
  }
}

/** What the rule decided for one message. */
export type DeliveryPlan = { readonly lost: true } | { readonly lost: false; readonly at: number };

/**
 * Plan one message on one link: lost with probability `loss` (one draw, only when loss > 0), else
 * it arrives after a drawn delay plus `transferMs`, but never before the previous message on the
 * same link (`lastArrival`), since a connection keeps order as a BroadcastChannel does per sender.
 * The caller records `at` as the link's new last arrival.
 */
export function planDelivery(
  conditions: LinkConditions,
  rng: Rng,
  now: number,
  lastArrival: number,
  transferMs = 0,
): DeliveryPlan {
  if (conditions.loss > 0 && rng.float() < conditions.loss) return { lost: true };
  const at = Math.max(now + drawLatencyMs(conditions, rng) + transferMs, lastArrival);
  return { lost: false, at };
}

/**
 * A node's uplink sends one message at a time: a message handed over at `now` starts leaving when
 * the uplink is free (`freeAt`) and occupies it for `transferMs`. Returns when it starts (the `now`
 * to plan its delivery from) and when the uplink is free again. So a node relaying a block to eight
 * peers over a slow link sends it eight times over, one after another, as a real uplink would.
 */
export function throughUplink(
  now: number,
  freeAt: number,
  transferMs: number,
): { readonly start: number; readonly freeAt: number } {
  const start = Math.max(now, freeAt);
  return { start, freeAt: start + transferMs };
}

/**
 * Time to push `bytes` through a link whose slower end has `bitsPerSecond` (Infinity: no limit).
 * A block's transfer time grows with its size; small control messages cost next to nothing.
 */
export function transferMs(bytes: number, bitsPerSecond: number): number {
  return Number.isFinite(bitsPerSecond) && bitsPerSecond > 0
    ? (bytes * 8 * 1000) / bitsPerSecond
    : 0;
}

/**
 * Can `a` reach `b` under these partition groups? Unlisted nodes form one more group. Checked when
 * a message is sent and again when it arrives: a partition that starts in flight cuts it too.
 */
export function reachable(groups: readonly (readonly NodeId[])[], a: NodeId, b: NodeId): boolean {
  if (groups.length === 0) return true;
  const groupOf = (id: NodeId): number => groups.findIndex((g) => g.includes(id));
  return groupOf(a) === groupOf(b);
}

const MS = /^\d+(?:\.\d+)?$/;

/**
 * Parse a latency setting: `MS` (a spread around MS), `fixed:MS`, `uniform:MIN:MAX` or
 * `exponential:MEAN`, each at most {@link MAX_LATENCY_MS}. The error is one sentence.
 */
export function parseLatency(
  text: string,
): { ok: true; value: LatencyDistribution } | { ok: false; error: string } {
  const [kind, ...rest] = text.split(':');
  const numbers = rest.map((r) => (MS.test(r) ? Number(r) : NaN));
  const bad = (error: string): { ok: false; error: string } => ({ ok: false, error });
  const inRange = numbers.every((x) => x >= 0 && x <= MAX_LATENCY_MS);
  const range = `from 0 to ${MAX_LATENCY_MS} ms`;
  if (kind !== undefined && rest.length === 0 && MS.test(kind)) {
    const meanMs = Number(kind);
    if (meanMs > MAX_LATENCY_MS) return bad(`the delay must be ${range}, got ${kind}.`);
    return { ok: true, value: { kind: 'spread', meanMs } };
  }
  switch (kind) {
    case 'fixed':
    case 'exponential': {
      const [ms] = numbers;
      if (numbers.length !== 1 || ms === undefined || !inRange) {
        return bad(`${kind} needs one delay ${range}: ${kind}:MS, e.g. ${kind}:100.`);
      }
      return {
        ok: true,
        value: kind === 'fixed' ? { kind, ms } : { kind, meanMs: ms },
      };
    }
    case 'uniform': {
      const [minMs, maxMs] = numbers;
      if (numbers.length !== 2 || minMs === undefined || maxMs === undefined || !inRange) {
        return bad(`uniform needs two delays ${range}: uniform:MIN:MAX, e.g. uniform:50:150.`);
      }
      if (minMs > maxMs) return bad(`uniform's MIN (${minMs}) is larger than its MAX (${maxMs}).`);
      return { ok: true, value: { kind, minMs, maxMs } };
    }
    default:
      return bad(
        `Unknown latency "${text}": use MS, fixed:MS, uniform:MIN:MAX or exponential:MEAN (milliseconds).`,
      );
  }
}

/** The text form `parseLatency` reads. */
export function formatLatency(d: LatencyDistribution): string {
  switch (d.kind) {
    case 'spread':
      return plainDecimal(d.meanMs);
    case 'fixed':
      return `fixed:${plainDecimal(d.ms)}`;
    case 'uniform':
      return `uniform:${plainDecimal(d.minMs)}:${plainDecimal(d.maxMs)}`;
    case 'exponential':
      return `exponential:${plainDecimal(d.meanMs)}`;
  }
}

/**
 * A non-negative number as plain decimal digits, never in exponent form (`1e-7` is written
 * `0.0000001`), so what the command-line parsers accept they can read back from a report.
 */
export function plainDecimal(x: number): string {
  const text = String(x);
  if (!text.includes('e')) return text;
  // toFixed(100) writes the double's exact decimal expansion; trailing zeros say nothing.
  return x.toFixed(100).replace(/\.?0+$/, '');
}
