import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../src/lab/theory.ts';
import {
  exactDoubleSpend,
  MAX_CONFIRMATIONS,
  nakamotoPoisson,
  POISSON_VS_EXACT,
  selfishRevenue,
  selfishThreshold,
  staleRateModel,
} from '../../src/lab/theory.ts';

/** Attacker shares on a grid of 1/10,000: neighbouring shares differ by far more than rounding. */
const share = fc.integer({ min: 100, max: 4999 }).map((k) => k / 10_000);
const confirmations = fc.integer({ min: 0, max: 100 });
const lead = fc.constantFrom<Lead>(0, 1);

const curves = [
  ['nakamotoPoisson', nakamotoPoisson],
  ['exactDoubleSpend', exactDoubleSpend],
] as const;

/** Smallest z with P < 0.001, searched upwards the way the whitepaper's table was made. */
function confirmationsForOneInAThousand(f: (q: number, z: number) => number, q: number): number {
  let z = 0;
  while (f(q, z) >= 0.001) z++;
  return z;
}

/** C(n, k) by the plain product, fine for the small n these cross-checks use. */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Rosenfeld's closed form as printed: 1 − Σ_{m=0}^{z} C(m+z−1, m)(p^z q^m − q^z p^m). */
function rosenfeldAsPrinted(q: number, z: number): number {
  const p = 1 - q;
  let sum = 0;
  for (let m = 0; m <= z; m++) sum += binomial(m + z - 1, m) * (p ** z * q ** m - q ** z * p ** m);
  return 1 - sum;
}

/** The race summed literally: 1 − Σ_{m<z+lead} P(m)(1 − (q/p)^(z+lead−m)), P negative binomial. */
function raceAsWritten(q: number, z: number, lead: Lead): number {
  const p = 1 - q;
  if (z === 0) return lead === 0 ? 1 : q / p;
  let sum = 0;
  for (let m = 0; m < z + lead; m++) {
    sum += binomial(m + z - 1, m) * p ** z * q ** m * (1 - (q / p) ** (z + lead - m));
  }
  return 1 - sum;
}

describe('nakamotoPoisson', () => {
  // Bitcoin whitepaper, §11 "Calculations", the two printed columns (7 decimals).
  const printed: readonly (readonly [q: number, z: number, p: number])[] = [
    [0.1, 0, 1.0],
    [0.1, 1, 0.2045873],
    [0.1, 2, 0.0509779],
    [0.1, 3, 0.0131722],
    [0.1, 4, 0.0034552],
    [0.1, 5, 0.0009137],
    [0.1, 6, 0.0002428],
    [0.1, 7, 0.0000647],
    [0.1, 8, 0.0000173],
    [0.1, 9, 0.0000046],
    [0.1, 10, 0.0000012],
    [0.3, 0, 1.0],
    [0.3, 5, 0.1773523],
    [0.3, 10, 0.0416605],
    [0.3, 15, 0.0101008],
    [0.3, 20, 0.0024804],
    [0.3, 25, 0.0006132],
    [0.3, 30, 0.0001522],
    [0.3, 35, 0.0000379],
    [0.3, 40, 0.0000095],
    [0.3, 45, 0.0000024],
    [0.3, 50, 0.0000006],
  ];

  it.each(printed)('matches the whitepaper at q=%s, z=%s to its 7 printed decimals', (q, z, p) => {
    expect(Math.abs(nakamotoPoisson(q, z) - p)).toBeLessThanOrEqual(5e-8);
  });

  // Whitepaper §11, "Solving for P less than 0.1%".
  it.each([
    [0.1, 5],
    [0.15, 8],
    [0.2, 11],
    [0.25, 15],
    [0.3, 24],
    [0.35, 41],
    [0.4, 89],
    [0.45, 340],
  ])('at q=%s needs the whitepaper z=%s for P < 0.1%%', (q, z) => {
    expect(confirmationsForOneInAThousand(nakamotoPoisson, q)).toBe(z);
  });

  // Reference values worked with 80-digit arithmetic (mpmath); in doubles the whitepaper's 1 − Σ
  // would lose the tiny ones entirely.
  it.each([
    [0.1, 100, 0, 8.03881714897262e-58],
    [0.1, 100, 1, 9.59356716214578e-59],
    [0.3, 100, 0, 5.806355343398713e-13],
    [0.45, 100, 1, 0.08754655185113715],
    [0.45, 539, 0, 2.2596124780692325e-5],
  ] as const)('keeps its digits at q=%s, z=%s, lead=%s', (q, z, l, p) => {
    expect(Math.abs(nakamotoPoisson(q, z, l) - p) / p).toBeLessThan(1e-11);
  });
});

describe('exactDoubleSpend', () => {
  // Rosenfeld's printed table could not be consulted, so the small cases are worked by hand.
  // z = 1: the attacker either finds the next block (q) and has caught up, or falls one behind
  // (p) and catches up with probability q/p: q + p·q/p = 2q.
  it('is 2q after one confirmation', () => {
    fc.assert(
      fc.property(share, (q) => {
        expect(exactDoubleSpend(q, 1)).toBeCloseTo(2 * q, 14);
      }),
    );
    expect(exactDoubleSpend(0.1, 1)).toBeCloseTo(0.2, 15);
  });

  // z = 2: P(m=0) = p², P(m=1) = 2p²q, so 1 − p²(1 − r²) − 2p²q(1 − r) with r = q/p, which is
  // 1 − (p − q)(p + q) − 2pq(p − q) = 1 − (p − q)(1 + 2pq). At q = 0.1: 1 − 0.8 · 1.18 = 0.056;
  // at q = 0.3: 1 − 0.4 · 1.42 = 0.432.
  it('is 1 − (p − q)(1 + 2pq) after two confirmations', () => {
    fc.assert(
      fc.property(share, (q) => {
        const p = 1 - q;
        expect(exactDoubleSpend(q, 2)).toBeCloseTo(1 - (p - q) * (1 + 2 * p * q), 14);
      }),
    );
    expect(exactDoubleSpend(0.1, 2)).toBeCloseTo(0.056, 15);
    expect(exactDoubleSpend(0.3, 2)).toBeCloseTo(0.432, 15);
  });

  it("equals Rosenfeld's closed form as he prints it", () => {
    fc.assert(
      fc.property(share, fc.integer({ min: 0, max: 40 }), (q, z) => {
        expect(Math.abs(exactDoubleSpend(q, z) - rosenfeldAsPrinted(q, z))).toBeLessThan(1e-12);
      }),
    );
  });

  it('equals the race summed as written, for both leads', () => {
    fc.assert(
      fc.property(share, fc.integer({ min: 0, max: 40 }), lead, (q, z, l) => {
        expect(Math.abs(exactDoubleSpend(q, z, l) - raceAsWritten(q, z, l))).toBeLessThan(1e-12);
      }),
    );
  });

  // Not checked against Rosenfeld's paper: these counts were cross-checked with exact rational
  // arithmetic (the smallest z with P < 1/1000; at q = 0.45, z = 538 gives 0.00101, 539 gives
  // 0.000999). Every one is above Nakamoto's, as his approximation is optimistic there.
  it.each([
    [0.1, 6],
    [0.15, 9],
    [0.2, 13],
    [0.25, 20],
    [0.3, 32],
    [0.35, 58],
    [0.4, 133],
    [0.45, 539],
  ])('at q=%s needs z=%s for P < 0.1%%', (q, z) => {
    expect(confirmationsForOneInAThousand(exactDoubleSpend, q)).toBe(z);
  });

  // Reference values worked with 80-digit arithmetic (mpmath).
  it.each([
    [0.1, 100, 0, 2.998065647822807e-46],
    [0.1, 100, 1, 5.966608192529675e-47],
    [0.3, 100, 0, 3.6822282231601057e-9],
    [0.45, 100, 0, 0.15677586542444105],
    [0.45, 539, 0, 0.0009990951718896028],
    [0.45, 539, 1, 0.0008984619931237711],
  ] as const)('keeps its digits at q=%s, z=%s, lead=%s', (q, z, l, p) => {
    expect(Math.abs(exactDoubleSpend(q, z, l) - p) / p).toBeLessThan(1e-11);
  });

  it('runs up to MAX_CONFIRMATIONS', () => {
    const p = exactDoubleSpend(0.45, MAX_CONFIRMATIONS);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-100);
  });
});

describe('overtaking (lead = 1)', () => {
  // Paid at broadcast, the attacker must get one block ahead from level: gambler's ruin, q/p.
  it('is q/p with no confirmation, for both curves', () => {
    fc.assert(
      fc.property(share, (q) => {
        expect(exactDoubleSpend(q, 0, 1)).toBeCloseTo(q / (1 - q), 15);
        expect(nakamotoPoisson(q, 0, 1)).toBeCloseTo(q / (1 - q), 15);
      }),
    );
  });

  // Write the race as a walk of blocks, H honest and D = attacker − honest. Overtaking after z is
  // {some step has H ≥ z and D ≥ 1}; catching up after z + 1 is {some step has H ≥ z + 1 and
  // D ≥ 0}. From a step of the first kind, the next honest block leaves D ≥ 0 with H ≥ z + 1, so
  // the first event lies inside the second; from the first step of the second kind the attacker
  // still gains one more block with probability ≥ r = q/p. Hence
  // r · catchUp(z + 1) ≤ overtake(z) ≤ catchUp(z + 1) ≤ catchUp(z).
  it('lies between r · catchUp(z + 1) and catchUp(z + 1)', () => {
    fc.assert(
      fc.property(share, confirmations, (q, z) => {
        const r = q / (1 - q);
        const overtake = exactDoubleSpend(q, z, 1);
        const nextCatchUp = exactDoubleSpend(q, z + 1, 0);
        expect(overtake).toBeLessThan(nextCatchUp);
        expect(overtake).toBeGreaterThan(r * nextCatchUp);
        expect(nextCatchUp).toBeLessThan(exactDoubleSpend(q, z, 0));
      }),
    );
  });

  // Exactly, overtake(z) = catchUp(z + 1) / (2p). With X ~ Bin(2z, q) the attacker's blocks among
  // the first 2z, the negative binomial sums read catchUp(z) = 2P(X > z) + P(X = z) and
  // overtake(z) = P(X > z)/p + (q/p) P(X = z). Adding two blocks to X and using
  // P(X = z − 1) = (p/q)² P(X = z + 1) turns catchUp(z + 1) into 2P(X > z) + 2q P(X = z), which
  // is 2p · overtake(z).
  it('is catchUp(z + 1) / (2p)', () => {
    fc.assert(
      fc.property(share, confirmations, (q, z) => {
        const expected = exactDoubleSpend(q, z + 1, 0) / (2 * (1 - q));
        expect(Math.abs(exactDoubleSpend(q, z, 1) - expected) / expected).toBeLessThan(1e-12);
      }),
    );
  });

  // Each Poisson term's catch-up chance (q/p)^(z−k+1) is below (q/p)^(z−k).
  it('is below catching up for the Poisson curve too', () => {
    fc.assert(
      fc.property(share, confirmations, (q, z) => {
        expect(nakamotoPoisson(q, z, 1)).toBeLessThan(nakamotoPoisson(q, z, 0));
      }),
    );
  });
});

describe('both double-spend curves', () => {
  it.each(curves)('%s is a probability', (_, f) => {
    fc.assert(
      fc.property(share, confirmations, lead, (q, z, l) => {
        const p = f(q, z, l);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });

  it.each(curves)('%s falls with every confirmation', (_, f) => {
    fc.assert(
      fc.property(share, confirmations, lead, (q, z, l) => {
        expect(f(q, z + 1, l)).toBeLessThan(f(q, z, l));
      }),
    );
  });

  it.each(curves)('%s rises with the attacker share', (_, f) => {
    fc.assert(
      fc.property(share, share, fc.integer({ min: 1, max: 100 }), lead, (a, b, z, l) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(f(lo, z, l)).toBeLessThan(f(hi, z, l));
      }),
    );
  });

  it('differ, for the reason given in one sentence', () => {
    expect(exactDoubleSpend(0.1, 6)).not.toBeCloseTo(nakamotoPoisson(0.1, 6), 5);
    expect(POISSON_VS_EXACT).toMatch(/^[A-Z].*[^.]\.$/s);
    expect(POISSON_VS_EXACT.match(/[.!?](\s|$)/g)).toHaveLength(1);
    expect(POISSON_VS_EXACT).toContain('Poisson');
    expect(POISSON_VS_EXACT).toContain('negative binomial');
    expect(POISSON_VS_EXACT).toContain('expected time');
  });
});

describe('selfish mining', () => {
  it.each([
    [0, 1 / 3],
    [0.5, 1 / 4],
    [1, 0],
  ])('has threshold (1 − γ)/(3 − 2γ) at γ=%s', (gamma, threshold) => {
    expect(selfishThreshold(gamma)).toBeCloseTo(threshold, 15);
  });

  const gammaBelowOne = fc.integer({ min: 0, max: 999 }).map((k) => k / 1000);

  it('pays exactly the fair share at the threshold', () => {
    fc.assert(
      fc.property(gammaBelowOne, (gamma) => {
        const alpha = selfishThreshold(gamma);
        expect(Math.abs(selfishRevenue(alpha, gamma) - alpha)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('pays more than the fair share above the threshold and less below it', () => {
    fc.assert(
      fc.property(
        gammaBelowOne,
        fc.integer({ min: 1, max: 499 }).map((k) => k / 1000),
        (gamma, alpha) => {
          const threshold = selfishThreshold(gamma);
          fc.pre(Math.abs(alpha - threshold) > 1e-6);
          const revenue = selfishRevenue(alpha, gamma);
          if (alpha > threshold) expect(revenue).toBeGreaterThan(alpha);
          else expect(revenue).toBeLessThan(alpha);
        },
      ),
    );
  });

  it('pays more than the fair share at any size when every tie goes its way (γ = 1)', () => {
    for (const alpha of [0.001, 0.1, 0.25, 0.4, 0.499]) {
      expect(selfishRevenue(alpha, 1)).toBeGreaterThan(alpha);
    }
  });
});

describe('staleRateModel', () => {
  it('is 1 − exp(−delay / interval)', () => {
    expect(staleRateModel(0, 600_000)).toBe(0);
    expect(staleRateModel(600_000, 600_000)).toBeCloseTo(1 - Math.exp(-1), 15);
    // Two seconds to reach everyone with ten-minute blocks: about one block in 300.
    expect(staleRateModel(2_000, 600_000)).toBeCloseTo(1 - Math.exp(-1 / 300), 15);
    expect(staleRateModel(1, 1e15)).toBeCloseTo(1e-15, 28);
  });

  it('rises with the delay and falls with the interval, inside [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        // Intervals this long keep delay / interval ≤ 2, far from where the rate rounds to 1.
        fc.integer({ min: 100_000, max: 1_000_000 }),
        (delay, more, interval) => {
          const rate = staleRateModel(delay, interval);
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(rate).toBeLessThan(1);
          expect(staleRateModel(delay + more, interval)).toBeGreaterThan(rate);
          if (delay > 0) expect(staleRateModel(delay, interval + more)).toBeLessThan(rate);
        },
      ),
    );
  });
});

describe('bad inputs', () => {
  /** A RangeError whose message is one readable sentence naming the parameter. */
  function expectRangeError(call: () => unknown, names: RegExp): void {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(names);
    expect(call).toThrow(/^[A-Z][^\n]*\.$/);
  }

  it.each(curves)('%s refuses q outside (0, 0.5)', (_, f) => {
    for (const q of [0, 0.5, -0.1, 0.7, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRangeError(() => f(q, 6), /hash share q/);
    }
  });

  it.each(curves)('%s refuses z that is negative, fractional, non-finite or too large', (_, f) => {
    for (const z of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_CONFIRMATIONS + 1]) {
      expectRangeError(() => f(0.1, z), /confirmations z/);
    }
  });

  it.each(curves)('%s refuses a lead other than 0 or 1', (_, f) => {
    for (const l of [2, -1, 0.5]) expectRangeError(() => f(0.1, 6, l as Lead), /lead/);
  });

  it('refuses alpha outside (0, 0.5) and gamma outside [0, 1]', () => {
    for (const alpha of [0, 0.5, 0.6, Number.NaN]) {
      expectRangeError(() => selfishRevenue(alpha, 0), /alpha/);
    }
    for (const gamma of [-0.1, 1.1, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expectRangeError(() => selfishRevenue(0.3, gamma), /gamma/);
      expectRangeError(() => selfishThreshold(gamma), /gamma/);
    }
  });

  it('refuses a negative or non-finite delay and a non-positive interval', () => {
    for (const delay of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRangeError(() => staleRateModel(delay, 600_000), /delay/);
    }
    for (const interval of [0, -600_000, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRangeError(() => staleRateModel(2_000, interval), /interval/);
    }
  });
});
