/**
 * Selfish mining on real nodes against Eyal & Sirer's closed form (their eq. 8): the closed form
 * must lie in the 99.9% interval of the pool's mean revenue over the runs, at each point checked
 * (CONTRIBUTING.md, Statistics). The interval uses Student's t with the runs' degrees of freedom:
 * the spread is estimated from the runs themselves.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../src/lab/experiment.ts';
import { runSelfish } from '../../src/lab/selfish-mining.ts';
import { selfishRevenue } from '../../src/lab/theory.ts';
import { sampleMean } from '../core/confidence.ts';

/** Runs per point: 41, so 40 degrees of freedom. */
const RUNS = 41;
/**
 * The two-sided 99.9% quantile of Student's t with 40 degrees of freedom (NIST/SEMATECH
 * e-Handbook of Statistical Methods, 1.3.6.7.2, upper 0.0005 critical value).
 */
const T_99_9_DF40 = 3.551;
const BLOCKS = 400;

async function revenues(alpha: number, gamma: number): Promise<number[]> {
  const out: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const seed = runSeed('selfish-test', 3, { alpha, gamma }, run);
    out.push((await runSelfish(alpha, gamma, BLOCKS, seed)).revenue);
  }
  return out;
}

describe('selfish mining, run by real nodes', () => {
  it.each([
    [0.2, 0],
    [0.35, 0.5],
    [0.3, 1],
  ])(
    'alpha = %f, gamma = %f: the pool earns what Eyal and Sirer predict',
    async (alpha, gamma) => {
      const xs = await revenues(alpha, gamma);
      const mean = sampleMean(xs);
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
      const half = (T_99_9_DF40 * sd) / Math.sqrt(xs.length);
      const expected = selfishRevenue(alpha, gamma);
      expect(expected).toBeGreaterThanOrEqual(mean - half);
      expect(expected).toBeLessThanOrEqual(mean + half);
    },
    60_000,
  );

  it('the same seed gives the same run', async () => {
    const a = await runSelfish(0.3, 0.5, 100, 42);
    const b = await runSelfish(0.3, 0.5, 100, 42);
    expect(b).toEqual(a);
    expect(a.mined).toBeGreaterThan(100);
  });
});
