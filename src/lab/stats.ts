/**
 * Intervals for the lab's measured points: a proportion (how often a double spend won) and a
 * mean (a revenue share, a stale rate), each reported with its 95% interval
 * (CONTRIBUTING.md, Statistics).
 */

/** A closed interval `[low, high]`. */
export type Interval = readonly [low: number, high: number];

/**
 * The two-sided 95% quantile of the standard normal distribution: P(|Z| < 1.95996) = 0.95
 * (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.1).
 */
export const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; method 3 in Newcombe 1998):
 * `(s + z²/2 ± z √(s(n−s)/n + z²/4)) / (n + z²)` for s successes in n trials, clamped to [0, 1].
 * Unlike the normal approximation p̂ ± z √(p̂(1−p̂)/n), it stays inside [0, 1] and does not
 * shrink to a point at 0 or n successes.
 *
 * @param successes whole number in [0, trials]
 * @param trials whole number ≥ 1
 * @param z normal quantile for the level, 95% by default
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`The number of trials must be a whole number ≥ 1, got ${trials}.`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `The number of successes must be a whole number from 0 to ${trials}, got ${successes}.`,
    );
  }
  if (!Number.isFinite(z) || z <= 0) {
    throw new RangeError(`The normal quantile z must be a finite number > 0, got ${z}.`);
  }
  const z2 = z * z;
  const centre = (successes + z2 / 2) / (trials + z2);
  const half =
    (z * Math.sqrt((successes * (trials - successes)) / trials + z2 / 4)) / (trials + z2);
  // At 0 (or all) successes the bound is exactly 0 (or 1); rounding would leave a few ulps.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === trials ? 1 : Math.min(1, centre + half);
  return [low, high];
}

/**
 * The sample mean and its 95% normal-approximation interval, mean ± Z_95 · s / √n with s the
 * sample standard deviation (n − 1 in the denominator). One sample gives `[mean, mean]`: there
 * is no spread to measure.
 *
 * @param samples at least one finite number
 */
export function meanInterval95(samples: readonly number[]): {
  readonly mean: number;
  readonly ci95: Interval;
} {
  const n = samples.length;
  if (n < 1) throw new RangeError('A mean needs at least one sample, got none.');
  let sum = 0;
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new RangeError(`Every sample must be finite, got ${x}.`);
    sum += x;
  }
  const mean = sum / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  let squares = 0;
  for (const x of samples) squares += (x - mean) ** 2;
  const half = (Z_95 * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half] };
}
