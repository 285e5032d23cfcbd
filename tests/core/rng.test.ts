import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rng } from '../../src/core/rng.ts';
import { createRng } from '../../src/core/rng.ts';

const arbSeed = fc.integer({ min: 0, max: 0xffffffff });
const take = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.u32());

const M32 = 0xffffffffn;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M32;

/** xoshiro128** (Blackman and Vigna) on unsigned BigInt words: no int32 sign tricks to get wrong. */
function referenceXoshiro(state: readonly [bigint, bigint, bigint, bigint]): () => number {
  let [a, b, c, d] = state;
  return () => {
    const result = (rotl((b * 5n) & M32, 7n) * 9n) & M32;
    const t = (b << 9n) & M32;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11n);
    return Number(result);
  };
}

/** The documented seeding: four outputs of SplitMix32 (golden-ratio step, murmur3 finaliser). */
function referenceSeed(seed: number): [bigint, bigint, bigint, bigint] {
  let s = BigInt(seed >>> 0);
  const next = (): bigint => {
    s = (s + 0x9e3779b9n) & M32;
    let z = s;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M32;
    return (z ^ (z >> 16n)) & M32;
  };
  const state: [bigint, bigint, bigint, bigint] = [next(), next(), next(), next()];
  if ((state[0] | state[1] | state[2] | state[3]) === 0n) state[0] = 1n;
  return state;
}

describe('createRng', () => {
  it('runs xoshiro128** as published (reference state 1, 2, 3, 4)', () => {
    const ref = referenceXoshiro([1n, 2n, 3n, 4n]);
    // First outputs by hand: rotl(2 * 5, 7) * 9 = 11520, then b becomes 0.
    expect(ref()).toBe(11520);
    expect(ref()).toBe(0);
  });

  it('matches an independent BigInt implementation for any seed', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const ref = referenceXoshiro(referenceSeed(seed));
        expect(take(createRng(seed), 40)).toEqual(Array.from({ length: 40 }, ref));
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same stream for the same seed, across every method', () => {
    fc.assert(
      fc.property(arbSeed, (seed) => {
        const draw = (rng: Rng): unknown[] => [
          rng.u32(),
          rng.float(),
          rng.int(1000),
          rng.bytes(7),
          rng.fork('x').u32(),
          rng.u32(),
        ];
        expect(draw(createRng(seed))).toEqual(draw(createRng(seed)));
      }),
    );
  });

  it('gives different streams for different seeds, even adjacent ones', () => {
    fc.assert(
      fc.property(arbSeed, arbSeed, (a, b) => {
        fc.pre(a !== b);
        expect(take(createRng(a), 4)).not.toEqual(take(createRng(b), 4));
      }),
    );
    const firsts = new Set(Array.from({ length: 1000 }, (_, seed) => createRng(seed).u32()));
    expect(firsts.size).toBeGreaterThan(995);
  });

  it('treats seeds as 32-bit unsigned', () => {
    expect(take(createRng(-1), 5)).toEqual(take(createRng(0xffffffff), 5));
    expect(take(createRng(2 ** 32 + 5), 5)).toEqual(take(createRng(5), 5));
  });

  it('returns unsigned 32-bit integers', () => {
    const rng = createRng(3);
    for (let i = 0; i < 2000; i++) {
      const x = rng.u32();
      expect(Number.isInteger(x) && x >= 0 && x <= 0xffffffff).toBe(true);
    }
  });

  it('returns floats in [0, 1)', () => {
    const rng = createRng(4);
    let sum = 0;
    for (let i = 0; i < 5000; i++) {
      const x = rng.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 5000 - 0.5)).toBeLessThan(0.02);
  });
});

describe('Rng.int', () => {
  it('stays within [0, n) for any bound', () => {
    fc.assert(
      fc.property(arbSeed, fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const x = rng.int(n);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(n);
        }
      }),
    );
  });

  it('returns 0 for a bound of 1 and covers small ranges evenly', () => {
    const rng = createRng(5);
    expect(Array.from({ length: 10 }, () => rng.int(1))).toEqual(new Array<number>(10).fill(0));
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const k = rng.int(10);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (const c of counts) expect(c).toBeLessThan(1150);
  });

  it('has no modulo bias for a large bound', () => {
    // For n = 3 * 2^30, u32 % n would land in [0, 2^30) half the time instead of a third.
    const rng = createRng(6);
    const n = 3 * 2 ** 30;
    let low = 0;
    for (let i = 0; i < 3000; i++) if (rng.int(n) < 2 ** 30) low++;
    expect(low).toBeGreaterThan(880);
    expect(low).toBeLessThan(1120);
  });

  it.each([0, -1, 1.5, 2 ** 32 + 1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses the bound %s',
    (n) => {
      expect(() => createRng(1).int(n)).toThrow(RangeError);
    },
  );
});

describe('Rng.bytes', () => {
  it('spreads each u32 over four bytes, little-endian, dropping the unused tail', () => {
    fc.assert(
      fc.property(arbSeed, fc.nat(40), (seed, n) => {
        const bytes = createRng(seed).bytes(n);
        const words = take(createRng(seed), Math.ceil(n / 4));
        const expected = words.flatMap((w) => [
          w & 0xff,
          (w >>> 8) & 0xff,
          (w >>> 16) & 0xff,
          w >>> 24,
        ]);
        expect([...bytes]).toEqual(expected.slice(0, n));
      }),
    );
  });
});

describe('Rng.fork', () => {
  it('is deterministic: equal parents and labels give equal children', () => {
    fc.assert(
      fc.property(arbSeed, fc.string(), (seed, label) => {
        expect(take(createRng(seed).fork(label), 10)).toEqual(
          take(createRng(seed).fork(label), 10),
        );
      }),
    );
  });

  it('gives different labels different streams', () => {
    const labels = ['n1', 'n2', 'n3', 'wallet', 'network', ''];
    const streams = labels.map((l) => take(createRng(9).fork(l), 4).join(','));
    expect(new Set(streams).size).toBe(labels.length);
  });

  it('advances the parent by one draw, so successive forks differ', () => {
    const parent = createRng(10);
    const a = take(parent.fork('n1'), 4);
    const b = take(parent.fork('n1'), 4);
    expect(a).not.toEqual(b);
    const plain = createRng(10);
    plain.u32();
    plain.u32();
    expect(parent.u32()).toBe(plain.u32());
  });

  it('yields a child whose stream is not the parent’s', () => {
    const parent = createRng(11);
    const child = parent.fork('c');
    expect(take(child, 8)).not.toEqual(take(parent, 8));
  });
});
