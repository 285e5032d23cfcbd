/**
 * Closed forms the lab's experiments are compared against: the double-spend race (Nakamoto's
 * approximation and the exact probability), selfish mining's revenue, the stale rate, and the
 * block interval as retargeting answers a drop in hash rate.
 *
 * Pure functions of plain numbers. Floats are right here: these describe the simulated network,
 * never what nodes agree on (CONTRIBUTING.md, Exact numbers).
 */
import { RETARGET_CLAMP, retarget, retargetWindow } from '../core/target.ts';

/**
 * How far ahead of the honest branch the attacker's branch must get to win the race.
 * 0: level with it (the whitepaper's "catch up", §11). 1: one block longer (`--win overtake`),
 * which is what a node that saw the honest branch first needs before it switches, since on equal
 * work the first seen stays best (`src/core/chain.ts`).
 */
export type Lead = 0 | 1;

/**
 * The most confirmations the race functions accept: far beyond any experiment (the 0.1% table
 * needs 539 at q = 0.45) and small enough that every call returns within milliseconds.
 */
export const MAX_CONFIRMATIONS = 100_000;

/** Why the two double-spend curves differ, in one sentence a learner can read beside the plot. */
export const POISSON_VS_EXACT =
  "Nakamoto's formula draws the attacker's progress from a Poisson distribution with the right " +
  'mean, which amounts to assuming the honest network took exactly the expected time to find ' +
  'its z blocks, whereas that time is itself random, so the real count of attacker blocks is ' +
  'negative binomial, with a wider spread, and the two probabilities part.';

/**
 * The whitepaper's approximation of the chance that the attacker's private branch wins the
 * double-spend race (Nakamoto 2008, §11 "Calculations"):
 * `1 − Σ_{k=0}^{z} (λ^k e^{−λ} / k!) (1 − (q/p)^{z−k+lead})`, with λ = z q / p the expected
 * number of attacker blocks while the honest network finds z.
 *
 * With `lead = 1` the same approximation applies with the catch-up target moved one block:
 * from k blocks the attacker must gain z − k + 1, and gambler's ruin gives (q/p)^(z−k+1).
 *
 * @param q attacker's share of the hash rate, in (0, 0.5)
 * @param z confirmations the merchant waits for, a whole number ≥ 0
 * @param lead 0 to win by catching up, 1 to win by overtaking
 */
export function nakamotoPoisson(q: number, z: number, lead: Lead = 0): number {
  checkRace(q, z, lead);
  const p = 1 - q;
  if (z === 0) return lead === 0 ? 1 : q / p;
  const lambda = (z * q) / p;
  const lnLambda = Math.log(lambda);
  const lnRatio = Math.log(q) - Math.log(p);
  // Rearranged into positive terms so that tiny probabilities keep their digits:
  // 1 − Σ_{k≤z} π_k (1 − r^{z+lead−k}) = P(K > z) + Σ_{k≤z} π_k r^{z+lead−k}.
  let lnPoisson = -lambda;
  let caughtUp = 0;
  for (let k = 0; k <= z; k++) {
    caughtUp += Math.exp(lnPoisson + (z + lead - k) * lnRatio);
    lnPoisson += lnLambda - Math.log(k + 1);
  }
  return caughtUp + poissonTail(lnPoisson, lambda, z + 1);
}

/**
 * The exact chance that the attacker's private branch wins the double-spend race (Rosenfeld
 * 2012, "Analysis of hashrate-based double spending", arXiv:1402.2009). While the honest
 * network finds z blocks the attacker finds m, negative binomial: P(m) = C(m+z−1, m) p^z q^m
 * (z = 0: m = 0 surely). From there it must gain z + lead − m blocks, which it ever does with
 * probability min(1, (q/p)^(z+lead−m)) (gambler's ruin). Summed:
 * `1 − Σ_{m=0}^{z+lead−1} P(m) (1 − (q/p)^(z+lead−m))`, a finite sum; for lead = 0 it equals
 * Rosenfeld's `1 − Σ_{m=0}^{z} C(m+z−1, m) (p^z q^m − q^z p^m)`.
 *
 * @param q attacker's share of the hash rate, in (0, 0.5)
 * @param z confirmations the merchant waits for, a whole number ≥ 0
 * @param lead 0 to win by catching up, 1 to win by overtaking
 */
export function exactDoubleSpend(q: number, z: number, lead: Lead = 0): number {
  checkRace(q, z, lead);
  const p = 1 - q;
  if (z === 0) return lead === 0 ? 1 : q / p;
  const target = z + lead;
  const lnP = Math.log(p);
  const lnQ = Math.log(q);
  // The same sum rearranged into positive terms, so that tiny probabilities keep their digits:
  // P(m ≥ target) + Σ_{m<target} P(m) r^(target−m). Binomial coefficients advance by their
  // ratio in log space, so z in the hundreds neither overflows nor underflows.
  let lnTerm = z * lnP + target * (lnQ - lnP);
  let caughtUp = 0;
  for (let m = 0; m < target; m++) {
    caughtUp += Math.exp(lnTerm);
    lnTerm += Math.log((m + z) / (m + 1)) + lnP;
  }
  // m ≥ target exactly when at most z − 1 of the first z + target − 1 blocks are honest.
  return caughtUp + binomialLowerTail(z + target - 1, z - 1, lnP, lnQ);
}

/**
 * Selfish mining's relative revenue (Eyal and Sirer 2014, "Majority is not enough", eq. 8):
 * `[α(1−α)²(4α + γ(1−2α)) − α³] / [1 − α(1 + (2−α)α)]`.
 *
 * @param alpha the selfish pool's share of the hash rate, in (0, 0.5)
 * @param gamma the share of honest miners that mine on the pool's block during a tie, in [0, 1]
 */
export function selfishRevenue(alpha: number, gamma: number): number {
  if (!Number.isFinite(alpha) || alpha <= 0 || alpha >= 0.5) {
    throw new RangeError(
      `The selfish pool's hash share alpha must be strictly between 0 and 0.5, got ${alpha}.`,
    );
  }
  checkGamma(gamma);
  const a = alpha;
  const numerator = a * (1 - a) ** 2 * (4 * a + gamma * (1 - 2 * a)) - a ** 3;
  return numerator / (1 - a * (1 + (2 - a) * a));
}

/**
 * The hash share above which selfish mining pays more than honest mining (Eyal and Sirer 2014,
 * Observation 1): `(1−γ) / (3−2γ)`.
 *
 * @param gamma the share of honest miners that mine on the pool's block during a tie, in [0, 1]
 */
export function selfishThreshold(gamma: number): number {
  checkGamma(gamma);
  return (1 - gamma) / (3 - 2 * gamma);
}

/**
 * The share of blocks expected to go stale: `1 − exp(−delay / interval)`. Blocks are found as a
 * Poisson process, so a block goes stale when another miner finds one within the delay this block
 * takes to reach everyone, which happens with that probability.
 *
 * @param delayMs time for a block to reach every miner, ≥ 0
 * @param intervalMs mean time between blocks, > 0
 */
export function staleRateModel(delayMs: number, intervalMs: number): number {
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new RangeError(`The propagation delay must be a finite number ≥ 0 ms, got ${delayMs}.`);
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`The block interval must be a finite number > 0 ms, got ${intervalMs}.`);
  }
  // expm1 keeps the digits of a small rate, where 1 − exp(−x) would cancel.
  return -Math.expm1(-delayMs / intervalMs);
}

/**
 * One-way messages a block needs to cross one link: its id announced (`inv`), the body asked for
 * (`getdata`), the body sent (`block`) (CONTRIBUTING.md, Gossip).
 */
export const MESSAGES_PER_HOP = 3;

/**
 * The delay to put into {@link staleRateModel} for a network of `nodes` equal miners:
 * `3 · latency · hops · (N−1)/N`. A block crosses `meanHops` links on average to reach another
 * node, each in {@link MESSAGES_PER_HOP} one-way messages of mean `latencyMs`, and only the other
 * N−1 miners, (N−1)/N of the hash rate, can find a rival while it travels. An effective delay, not
 * an exact one: a block reaches each node at its own time, and by the fastest of several paths.
 *
 * @param latencyMs mean one-way latency, ≥ 0
 * @param meanHops mean shortest-path length between two nodes (1 when all are linked), ≥ 0
 * @param nodes number of miners, ≥ 1
 */
export function effectiveDelayMs(latencyMs: number, meanHops: number, nodes: number): number {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`The latency must be a finite number ≥ 0 ms, got ${latencyMs}.`);
  }
  if (!Number.isFinite(meanHops) || meanHops < 0) {
    throw new RangeError(`The mean number of hops must be a finite number ≥ 0, got ${meanHops}.`);
  }
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new RangeError(`The number of miners must be a whole number ≥ 1, got ${nodes}.`);
  }
  return (MESSAGES_PER_HOP * latencyMs * meanHops * (nodes - 1)) / nodes;
}

/**
 * A drop in hash rate: blocks up to height `after` are mined by the whole network, later ones by
 * the `1 − leave` of it that stays.
 */
export interface HashRateDrop {
  readonly after: number;
  readonly leave: number;
}

/** The first block after genesis (height 1): the first whose interval is measured. */
export const FIRST_MINED_HEIGHT = 2;

/**
 * The block interval the difficulty rule leads to at each height from 2 to `heights`, in units of
 * the target interval, if every retarget saw its window take exactly its expected time: the
 * chain's own rule (`retargetWindow` and `retarget` in src/core/target.ts, clamp included) applied
 * step by step to the times the hash rate predicts. Before the drop the interval is 1; after it,
 * 1/(1 − leave) until a retarget times blocks mined after it, then what the clamped rule makes of
 * that. Starts at the right difficulty for the whole network.
 *
 * @returns element i for height i + 2
 */
export function retargetExpected(drop: HashRateDrop, heights: number, window: number): number[] {
  checkDrop(drop, window);
  // A target with room to grow 2^55-fold; times in a unit long enough that the rule's whole
  // milliseconds round nothing away.
  const base = 1n << 200n;
  const unitMs = 2 ** 30;
  let target = base;
  const out: number[] = [];
  for (let h = FIRST_MINED_HEIGHT; h <= heights; h++) {
    const w = retargetWindow(h, window);
    if (w) {
      let actual = 0;
      for (let k = w.first + 1; k <= w.last; k++) actual += out[k - FIRST_MINED_HEIGHT] ?? 0;
      target = retarget(target, actual * unitMs, (w.last - w.first) * unitMs);
    }
    out.push(Number(base) / Number(target) / shareAt(drop, h));
  }
  return out;
}

/** Grid cells per factor {@link RETARGET_CLAMP} of difficulty in {@link retargetMean}. */
const CELLS_PER_CLAMP = 128;
/** Probability left outside {@link retargetMean}'s grid: far below anything runs resolve. */
const GRID_TAIL = 1e-15;

/**
 * The mean block interval at each height from 2 to `heights`, in units of the target interval,
 * over the randomness of the windows the rule times; what {@link retargetExpected} becomes when
 * the windows are as random as the blocks.
 *
 * A retarget times w − 1 intervals of a window (w blocks apart), each an exponential draw, and
 * scales the target by their sum over its expected value. So the rate of blocks it sets, relative
 * to the whole network's at the start, is R = Σ Eₖ/sₖ / (w − 1) (Eₖ exponential with mean 1, sₖ
 * the share still mining at height k), kept within a factor of 4 of the rate before. Unclamped,
 * R does not depend on the difficulty before it, and its mean is right (1 at full hash rate), but
 * the mean interval is E[1/R], which is more than 1/E[R] (Jensen's inequality): a window that
 * ran fast by chance makes the next one hard. At full hash rate E[1/R] = (w − 1)/(w − 2), 9/8 for
 * the chain's 10-block windows: after its first retarget the chain runs 12.5% slower than its
 * target on average. The clamp makes each rate depend on the one before, so the distribution of
 * the rate is carried forward window by window on a logarithmic grid (128 cells per factor of
 * 4); what falls outside it has probability below 1e-15. The rule's rounding to whole
 * milliseconds and compact targets is left out.
 *
 * @returns element i for height i + 2
 */
export function retargetMean(drop: HashRateDrop, heights: number, window: number): number[] {
  checkDrop(drop, window);
  const timed = window - 1;
  const step = Math.log(RETARGET_CLAMP) / CELLS_PER_CLAMP;
  const slow = 1 - drop.leave;
  // The rate stays between the least a window at full hash rate measures and the most a window
  // of the remaining hash rate does.
  const lowest = gammaQuantile(timed, GRID_TAIL, 'low') / timed;
  const highest = gammaQuantile(timed, GRID_TAIL, 'high') / timed / slow;
  const lo = Math.min(0, Math.floor(Math.log(lowest) / step));
  const size = Math.max(0, Math.ceil(Math.log(highest) / step)) - lo + 1;
  const inverse = Float64Array.from({ length: size }, (_, i) => Math.exp(-(lo + i) * step));
  let mass: Float64Array = new Float64Array(size);
  mass[-lo] = 1;
  let meanInverse = 1;
  const edgesFor = new Map<string, Float64Array>();
  const out: number[] = [];
  for (let h = FIRST_MINED_HEIGHT; h <= heights; h++) {
    const w = retargetWindow(h, window);
    if (w) {
      let full = 0;
      for (let k = w.first + 1; k <= w.last; k++) if (shareAt(drop, k) === 1) full++;
      const key = `${full}`;
      let edges = edgesFor.get(key);
      if (!edges) {
        edges = rateEdges(full, timed - full, slow, lo, size, step);
        edgesFor.set(key, edges);
      }
      mass = clampedStep(mass, edges);
      meanInverse = 0;
      for (let i = 0; i < size; i++) meanInverse += (mass[i] ?? 0) * (inverse[i] ?? 0);
    }
    out.push(meanInverse / shareAt(drop, h));
  }
  return out;
}

/**
 * One retarget on the grid: from rate cell s the new rate is the measured one, clamped to cells
 * s − K … s + K (K cells per factor of 4), so what the window measured beyond lands on the bound.
 * `edges[j]` is the chance the measured rate lies below cell j's lower edge.
 */
function clampedStep(mass: Float64Array, edges: Float64Array): Float64Array {
  const size = mass.length;
  const next = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    const p = mass[s] ?? 0;
    if (p === 0) continue;
    const low = Math.max(0, s - CELLS_PER_CLAMP);
    const high = Math.min(size - 1, s + CELLS_PER_CLAMP);
    next[low] = (next[low] ?? 0) + p * (edges[low + 1] ?? 1);
    for (let j = low + 1; j < high; j++) {
      next[j] = (next[j] ?? 0) + p * ((edges[j + 1] ?? 1) - (edges[j] ?? 0));
    }
    next[high] = (next[high] ?? 0) + p * (1 - (edges[high] ?? 0));
  }
  return next;
}

/**
 * The distribution of the rate a window measures, at the grid's cell edges: R = Y / timed with
 * Y the sum of `full` exponential intervals of mean 1 and `slowCount` of mean 1/slow. Tails
 * beyond the grid go to its end cells.
 */
function rateEdges(
  full: number,
  slowCount: number,
  slow: number,
  lo: number,
  size: number,
  step: number,
): Float64Array {
  const timed = full + slowCount;
  const edges = new Float64Array(size + 1);
  edges[size] = 1;
  for (let j = 1; j < size; j++) {
    edges[j] = sumCdf(full, slowCount, slow, timed * Math.exp((lo + j - 0.5) * step));
  }
  return edges;
}

/** P(Y ≤ y) for Y a sum of `a` exponentials of mean 1 and `b` of mean 1/slow. */
function sumCdf(a: number, b: number, slow: number, y: number): number {
  if (b === 0) return gammaCdf(a, y);
  if (a === 0) return gammaCdf(b, slow * y);
  // ∫₀^y f_a(x) P(Gamma(b)/slow ≤ y − x) dx by Simpson's rule, over where f_a has its mass.
  const top = Math.min(y, gammaQuantile(a, GRID_TAIL, 'high'));
  const intervals = 1024;
  const h = top / intervals;
  const lnNorm = lnFactorial(a - 1);
  const f = (x: number): number =>
    (x === 0 ? (a === 1 ? 1 : 0) : Math.exp((a - 1) * Math.log(x) - x - lnNorm)) *
    gammaCdf(b, slow * (y - x));
  let sum = f(0) + f(top);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

/** P(Gamma(k, 1) ≤ x) for a whole k ≥ 1: the chance of at least k Poisson(x) events. */
function gammaCdf(k: number, x: number): number {
  if (x <= 0) return 0;
  if (x < k) {
    // The lower tail as its own series, so small values keep their digits.
    let term = Math.exp(k * Math.log(x) - x - lnFactorial(k));
    let sum = 0;
    for (let i = k; term > sum * Number.EPSILON; i++) {
      sum += term;
      term *= x / (i + 1);
    }
    return sum;
  }
  return 1 - gammaSurvival(k, x);
}

/** P(Gamma(k, 1) > x): the chance of fewer than k Poisson(x) events. */
function gammaSurvival(k: number, x: number): number {
  let term = Math.exp(-x);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    sum += term;
    term *= x / (i + 1);
  }
  return sum;
}

/** The x with P(Gamma(k, 1) < x) = p (`low`) or P(Gamma(k, 1) > x) = p (`high`), by bisection. */
function gammaQuantile(k: number, p: number, tail: 'low' | 'high'): number {
  let a = tail === 'low' ? 0 : k;
  let b = tail === 'low' ? k : k + 100 * Math.sqrt(k) + 100;
  for (let i = 0; i < 200; i++) {
    const m = (a + b) / 2;
    // Both tail chances are monotone: move the end on the side where the chance passed p.
    const below = tail === 'low' ? gammaCdf(k, m) > p : gammaSurvival(k, m) < p;
    if (below) b = m;
    else a = m;
  }
  return (a + b) / 2;
}

function lnFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

function shareAt(drop: HashRateDrop, height: number): number {
  return height <= drop.after ? 1 : 1 - drop.leave;
}

function checkDrop(drop: HashRateDrop, window: number): void {
  if (!Number.isFinite(drop.leave) || drop.leave < 0 || drop.leave >= 1) {
    throw new RangeError(`The share that leaves must be in [0, 1), got ${drop.leave}.`);
  }
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`The retarget window must be a whole number ≥ 2, got ${window}.`);
  }
}

/** Rejects a race outside the formulas' domain (programmer error, so an exception). */
function checkRace(q: number, z: number, lead: number): void {
  if (!Number.isFinite(q) || q <= 0 || q >= 0.5) {
    throw new RangeError(
      `The attacker's hash share q must be strictly between 0 and 0.5, got ${q}.`,
    );
  }
  if (!Number.isInteger(z) || z < 0 || z > MAX_CONFIRMATIONS) {
    throw new RangeError(
      `The number of confirmations z must be a whole number from 0 to ${MAX_CONFIRMATIONS}, got ${z}.`,
    );
  }
  if (lead !== 0 && lead !== 1) {
    throw new RangeError(`The lead must be 0 (catch up) or 1 (overtake), got ${lead}.`);
  }
}

function checkGamma(gamma: number): void {
  if (!Number.isFinite(gamma) || gamma < 0 || gamma > 1) {
    throw new RangeError(`The tie-break share gamma must be between 0 and 1, got ${gamma}.`);
  }
}

/**
 * Σ_{k=0}^{kMax} C(n, k) p^k q^(n−k), the chance of at most kMax successes in n trials, with the
 * binomial coefficient advanced by its ratio in log space.
 */
function binomialLowerTail(n: number, kMax: number, lnP: number, lnQ: number): number {
  let lnTerm = n * lnQ;
  let sum = 0;
  for (let k = 0; k <= kMax; k++) {
    sum += Math.exp(lnTerm);
    lnTerm += Math.log((n - k) / (k + 1)) + lnP - lnQ;
  }
  return sum;
}

/**
 * P(K ≥ from) for K Poisson with mean lambda < from, given ln P(K = from). Each term is the last
 * times ρ = lambda / (k + 1), a factor below 1 that only falls, so what is left after a term is
 * below term · ρ / (1 − ρ); the sum stops once that bound is lost in double precision.
 */
function poissonTail(lnFirst: number, lambda: number, from: number): number {
  let lnTerm = lnFirst;
  let sum = 0;
  for (let k = from; ; k++) {
    const term = Math.exp(lnTerm);
    sum += term;
    const ratio = lambda / (k + 1);
    if (term === 0 || (term * ratio) / (1 - ratio) <= sum * Number.EPSILON) return sum;
    lnTerm += Math.log(ratio);
  }
}
