/**
 * Closed forms the lab's experiments are compared against: the double-spend race (Nakamoto's
 * approximation and the exact probability), selfish mining's revenue, and the stale rate.
 *
 * Pure functions of plain numbers. Floats are right here: these describe the simulated network,
 * never what nodes agree on (CONTRIBUTING.md, Exact numbers).
 */

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
