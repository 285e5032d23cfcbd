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
 * Student's t two-sided 95% quantiles, t(0.975; df) for 1 to 30 degrees of freedom
 * (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2, upper critical values).
 */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
] as const;

/**
 * t(0.975; df): the table up to 30 degrees of freedom, beyond it the Cornish-Fisher expansion
 * around the normal quantile (within 1e-3 of the exact value from 30 on).
 */
export function t95(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new RangeError(`Degrees of freedom are a whole number from 1, got ${df}.`);
  const tabled = T_95[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_95;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/**
 * The sample mean and its 95% interval, mean ± t(0.975; n − 1) · s / √n with s the sample
 * standard deviation (n − 1 in the denominator): Student's t, since the spread is itself
 * estimated from the few runs. One sample gives `[mean, mean]`: there is no spread to measure.
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
  const half = (t95(n - 1) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half] };
}
