/**
 * Confidence intervals for the statistical tests (CONTRIBUTING.md, Statistics): the interval is
 * computed from the number of draws and the distribution's known variance, never tuned by hand.
 */

/**
 * The two-sided 99.9% quantile of the standard normal distribution: P(|Z| < 3.2905) = 0.999
 * (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.1).
 *
 * Wider than the 95% that CONTRIBUTING.md, Statistics names, on purpose: a file checks several
 * means, and at 95% one check in twenty would miss by chance, so the seed would end up chosen to
 * make the suite green, which that very section forbids.
 */
export const Z_99_9 = 3.2905267314919255;

/** The arithmetic mean of some draws. */
export function sampleMean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/**
 * Where the mean of `n` independent draws from a distribution of this mean and variance lies with
 * 99.9% probability (central limit theorem: the sample mean is close to normal, with variance
 * variance / n).
 */
export function meanInterval(
  mean: number,
  variance: number,
  n: number,
): { readonly low: number; readonly high: number } {
  const half = Z_99_9 * Math.sqrt(variance / n);
  return { low: mean - half, high: mean + half };
}

/** `n` draws of `draw`. */
export function draws(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw);
}
