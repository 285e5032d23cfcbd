import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval95, t95, wilsonInterval, Z_95 } from '../../src/lab/stats.ts';

describe('Z_95', () => {
  // The standard normal density integrated from 0 to Z_95 (Simpson's rule, error far below the
  // tolerance) holds half of the central 95%.
  it('leaves 2.5% in each tail', () => {
    const density = (x: number) => Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
    const steps = 10_000;
    const h = Z_95 / steps;
    let sum = density(0) + density(Z_95);
    for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
    expect((sum * h) / 3).toBeCloseTo(0.475, 12);
  });
});

describe('wilsonInterval', () => {
  const z2 = Z_95 * Z_95;

  // Written out from (s + z²/2 ± z √(s(n−s)/n + z²/4)) / (n + z²): with s = 0 the root is z²/2,
  // so the interval is [0, z²/(n + z²)]; with s = n it is [n/(n + z²), 1].
  it('is [0, z²/(n + z²)] with no successes', () => {
    const [low, high] = wilsonInterval(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(z2 / (10 + z2), 15);
    expect(high).toBeCloseTo(0.2775328, 7);
  });

  it('is [n/(n + z²), 1] with every trial a success', () => {
    const [low, high] = wilsonInterval(10, 10);
    expect(low).toBeCloseTo(10 / (10 + z2), 15);
    expect(low).toBeCloseTo(0.7224672, 7);
    expect(high).toBe(1);
  });

  // s = 5 of 10: centre (5 + z²/2)/(10 + z²) = 1/2, half-width z √(2.5 + z²/4)/(10 + z²).
  it('is centred on 1/2 with half the trials successes', () => {
    const [low, high] = wilsonInterval(5, 10);
    const half = (Z_95 * Math.sqrt(2.5 + z2 / 4)) / (10 + z2);
    expect(low).toBeCloseTo(0.5 - half, 15);
    expect(high).toBeCloseTo(0.5 + half, 15);
    expect(low).toBeCloseTo(0.2365931, 7);
  });

  // Newcombe 1998, "Two-sided confidence intervals for the single proportion", Table I,
  // example 81/263, method 3 (score interval without continuity correction): 0.2553 to 0.3662.
  it("matches Newcombe's worked example 81 of 263 to 4 decimals", () => {
    const [low, high] = wilsonInterval(81, 263);
    expect(Math.abs(low - 0.2553)).toBeLessThanOrEqual(5e-5);
    expect(Math.abs(high - 0.3662)).toBeLessThanOrEqual(5e-5);
  });

  const counts = fc
    .integer({ min: 1, max: 10_000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('lies in [0, 1], holds the observed share and mirrors for failures', () => {
    fc.assert(
      fc.property(counts, ([s, n]) => {
        const [low, high] = wilsonInterval(s, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(s / n);
        expect(high).toBeGreaterThanOrEqual(s / n);
        expect(high).toBeGreaterThan(low);
        const [mirrorLow, mirrorHigh] = wilsonInterval(n - s, n);
        expect(mirrorLow).toBeCloseTo(1 - high, 12);
        expect(mirrorHigh).toBeCloseTo(1 - low, 12);
      }),
    );
  });

  it('widens with a larger quantile', () => {
    const [low95, high95] = wilsonInterval(30, 100);
    // The two-sided 99% quantile (NIST/SEMATECH e-Handbook, 1.3.6.7.1).
    const [low99, high99] = wilsonInterval(30, 100, 2.5758293035489004);
    expect(low99).toBeLessThan(low95);
    expect(high99).toBeGreaterThan(high95);
  });
});

describe('meanInterval95', () => {
  // 1..5: mean 3, s² = (4 + 1 + 0 + 1 + 4)/4 = 2.5, half-width t(0.975; 4) √2.5 / √5
  // = 2.776 / √2 (NIST's t table, 4 degrees of freedom).
  it('matches a hand-worked sample', () => {
    const { mean, ci95 } = meanInterval95([1, 2, 3, 4, 5]);
    expect(mean).toBe(3);
    expect(ci95[0]).toBeCloseTo(3 - 2.776 / Math.SQRT2, 14);
    expect(ci95[1]).toBeCloseTo(3 + 2.776 / Math.SQRT2, 14);
    expect(ci95[1]).toBeCloseTo(4.9629, 4);
  });

  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares 9+1+1+1+0+0+4+16 = 32, s² = 32/7,
  // half-width t(0.975; 7) √(32/7) / √8 = 2.365 √(4/7).
  it('matches a second hand-worked sample', () => {
    const { mean, ci95 } = meanInterval95([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(ci95[0]).toBeCloseTo(5 - 2.365 * Math.sqrt(4 / 7), 14);
    expect(ci95[1]).toBeCloseTo(5 + 2.365 * Math.sqrt(4 / 7), 14);
  });

  it("uses Student's t, which narrows to the normal quantile as runs grow", () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(30)).toBe(2.042);
    // Printed values beyond the table: t(0.975; 40) = 2.021, 60: 2.000, 120: 1.980.
    expect(t95(40)).toBeCloseTo(2.021, 3);
    expect(t95(60)).toBeCloseTo(2.0, 3);
    expect(t95(120)).toBeCloseTo(1.98, 3);
    expect(t95(1_000_000)).toBeCloseTo(Z_95, 5);
    expect(() => t95(0)).toThrow(/Degrees of freedom/);
  });

  it('is a point for one sample and for equal samples', () => {
    expect(meanInterval95([0.25])).toEqual({ mean: 0.25, ci95: [0.25, 0.25] });
    expect(meanInterval95([2, 2, 2])).toEqual({ mean: 2, ci95: [2, 2] });
  });
});

describe('bad inputs', () => {
  function expectRangeError(call: () => unknown, names: RegExp): void {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(names);
    expect(call).toThrow(/^[A-Z][^\n]*\.$/);
  }

  it('wilsonInterval refuses impossible counts and quantiles', () => {
    for (const n of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRangeError(() => wilsonInterval(0, n), /trials/);
    }
    for (const s of [-1, 11, 0.5, Number.NaN]) {
      expectRangeError(() => wilsonInterval(s, 10), /successes/);
    }
    for (const z of [0, -1.96, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRangeError(() => wilsonInterval(5, 10, z), /quantile z/);
    }
  });

  it('meanInterval95 refuses no samples and non-finite ones', () => {
    expectRangeError(() => meanInterval95([]), /at least one sample/);
    expectRangeError(() => meanInterval95([1, Number.NaN]), /finite/);
    expectRangeError(() => meanInterval95([Number.POSITIVE_INFINITY]), /finite/);
  });
});
