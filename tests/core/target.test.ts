import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigIntToBytes } from '../../src/core/hash.ts';
import {
  compactToTarget,
  hashZeroBits,
  leadingZeroBits,
  MAX_TARGET,
  normalizeTarget,
  retarget,
  retargetWindow,
  targetFromZeroBits,
  targetToCompact,
  TWO_256,
  workForTarget,
} from '../../src/core/target.ts';

const ZERO_BITS = Array.from({ length: 255 }, (_, i) => i + 1);
/** Any target the chain may use. */
const anyTarget = fc.bigInt({ min: 1n, max: MAX_TARGET });

describe('targetFromZeroBits', () => {
  it('is 2^(256 - bits) and never above MAX_TARGET', () => {
    expect(targetFromZeroBits(1)).toBe(MAX_TARGET);
    expect(targetFromZeroBits(8)).toBe(1n << 248n);
    expect(targetFromZeroBits(255)).toBe(2n);
    for (const b of ZERO_BITS) expect(targetFromZeroBits(b) <= MAX_TARGET).toBe(true);
  });

  it.each([0, 256, -1, 1.5, Number.NaN])('refuses %s zero bits', (bits) => {
    expect(() => targetFromZeroBits(bits)).toThrow(RangeError);
  });
});

describe('leadingZeroBits and workForTarget', () => {
  it('inverts targetFromZeroBits(1..255), whose work is 2^bits', () => {
    for (const b of ZERO_BITS) {
      const target = targetFromZeroBits(b);
      expect(leadingZeroBits(target), `bits ${b}`).toBe(b);
      expect(workForTarget(target), `bits ${b}`).toBe(1n << BigInt(b));
    }
  });

  it('counts the zeros every hash below a non-power-of-two target has', () => {
    expect(leadingZeroBits((1n << 252n) + 1n)).toBe(3);
    expect(leadingZeroBits((1n << 252n) - 1n)).toBe(4);
    expect(leadingZeroBits(1n)).toBe(256);
    expect(workForTarget(3n << 250n)).toBe(TWO_256 / (3n << 250n));
  });

  it('guarantees at least that many zeros for any hash under the target', () => {
    fc.assert(
      fc.property(anyTarget, fc.bigInt({ min: 0n, max: TWO_256 - 1n }), (target, h) => {
        const hash = h % target; // any hash that meets the target
        expect(hashZeroBits(bigIntToBytes(hash, 32))).toBeGreaterThanOrEqual(
          leadingZeroBits(target),
        );
        // ...and the bound is tight: target - 1 itself has exactly that many.
        expect(hashZeroBits(bigIntToBytes(target - 1n, 32))).toBe(leadingZeroBits(target));
      }),
    );
  });

  it('makes a harder target worth more work', () => {
    fc.assert(
      fc.property(anyTarget, anyTarget, (a, b) => {
        if (a < b) expect(workForTarget(a) >= workForTarget(b)).toBe(true);
        expect(workForTarget(a) > 0n).toBe(true);
      }),
    );
  });
});

describe('hashZeroBits', () => {
  /** Count zeros bit by bit, the slow obvious way. */
  const naive = (hash: Uint8Array): number => {
    let n = 0;
    for (const byte of hash) {
      for (let bit = 7; bit >= 0; bit--) {
        if ((byte >> bit) & 1) return n;
        n++;
      }
    }
    return n;
  };

  it('agrees with a bit-by-bit count', () => {
    expect(hashZeroBits(new Uint8Array(32))).toBe(256);
    expect(hashZeroBits(Uint8Array.of(0x80))).toBe(0);
    expect(hashZeroBits(Uint8Array.of(0, 0x01))).toBe(15);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(32), (bytes, zeros) => {
        const hash = bytes.slice();
        hash.fill(0, 0, zeros); // favour long runs of zeros
        expect(hashZeroBits(hash)).toBe(naive(hash));
      }),
    );
  });
});

describe('compact bits', () => {
  it('round-trips targetFromZeroBits(1..255)', () => {
    for (const b of ZERO_BITS) {
      const target = targetFromZeroBits(b);
      const bits = targetToCompact(target);
      expect(bits >>> 0, `bits ${b}`).toBe(bits);
      expect(compactToTarget(bits), `bits ${b}`).toBe(target);
    }
  });

  // Bitcoin Core's arith_uint256 SetCompact/GetCompact vectors, restricted to what Chainlab allows.
  it.each([
    [0x1d00ffff, 0xffffn << 208n],
    [0x05009234, 0x92340000n],
    [0x04123456, 0x12345600n],
    [0x03123456, 0x123456n],
    [0x02123400, 0x1234n],
    [0x01120000, 0x12n],
    [0x02008000, 0x80n],
    [0x20123456, 0x123456n << 232n],
    [0x21008000, MAX_TARGET],
  ])('decodes the canonical encoding 0x%s', (bits, target) => {
    expect(compactToTarget(bits)).toBe(target);
    expect(targetToCompact(target)).toBe(bits);
  });

  it.each([
    ['zero', 0x00000000],
    ['zero mantissa', 0x04000000],
    ['mantissa shifted out', 0x00123456],
    ['mantissa shifted out, size 1', 0x01003456],
    ['mantissa shifted out, size 2', 0x02000056],
    ['negative', 0x04923456],
    ['negative, size 1', 0x01fedcba],
    ['negative zero', 0x00923456],
    ['negative zero, size 3', 0x03800000],
    ['non-canonical: bytes lost at size 1', 0x01123456],
    ['non-canonical: bytes lost at size 2', 0x02123456],
    ['non-canonical: leading zero byte', 0x04001234],
    ['non-canonical: padded mantissa', 0x05000080],
    ['above MAX_TARGET by one mantissa step', 0x21008001],
    ['2^256', 0x21010000],
    ['huge size', 0xff123456],
    ['size 34', 0x22000001],
  ])('rejects %s', (_name, bits) => {
    expect(compactToTarget(bits)).toBeNull();
  });

  it('gives every target exactly one encoding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const target = compactToTarget(bits);
        if (target !== null) {
          expect(target > 0n && target <= MAX_TARGET).toBe(true);
          expect(targetToCompact(target)).toBe(bits);
        }
      }),
    );
  });

  it('rounds any target down to something it can express', () => {
    fc.assert(
      fc.property(anyTarget, (t) => {
        const n = normalizeTarget(t);
        expect(n <= t).toBe(true);
        expect(n > 0n).toBe(true);
        // At least 16 significant bits survive.
        expect((t - n) << 15n <= t).toBe(true);
        expect(compactToTarget(targetToCompact(t))).toBe(n);
        expect(normalizeTarget(n)).toBe(n);
        expect(targetToCompact(n)).toBe(targetToCompact(t));
      }),
    );
  });

  it.each([0n, -1n, MAX_TARGET + 1n, TWO_256])('refuses to encode %s', (t) => {
    expect(() => targetToCompact(t)).toThrow(RangeError);
  });
});

describe('retargetWindow', () => {
  it('every 10 blocks from height 21, timing the 10 blocks before', () => {
    expect(retargetWindow(11, 10)).toBeNull();
    expect(retargetWindow(20, 10)).toBeNull();
    expect(retargetWindow(21, 10)).toEqual({ first: 11, last: 20 });
    expect(retargetWindow(22, 10)).toBeNull();
    expect(retargetWindow(31, 10)).toEqual({ first: 21, last: 30 });
  });
});

describe('retarget', () => {
  const E = 45_000; // (10 - 1) blocks of 5 s, as with the defaults
  const prev = 1n << 240n;

  it('keeps the target when blocks came exactly on time', () => {
    expect(retarget(prev, E, E)).toBe(prev);
  });

  it('scales by actual / expected', () => {
    expect(retarget(prev, E * 2, E)).toBe(prev * 2n);
    expect(retarget(prev, E / 2, E)).toBe(prev / 2n);
    expect(retarget(prev, E * 3, E)).toBe(normalizeTarget(prev * 3n));
  });

  it('clamps at 4x easier', () => {
    expect(retarget(prev, E * 4, E)).toBe(prev * 4n);
    expect(retarget(prev, E * 5, E)).toBe(prev * 4n);
    expect(retarget(prev, 1e15, E)).toBe(prev * 4n);
  });

  it('clamps at 4x harder, even for zero or negative time', () => {
    expect(retarget(prev, E / 4, E)).toBe(prev / 4n);
    expect(retarget(prev, E / 8, E)).toBe(prev / 4n);
    expect(retarget(prev, 0, E)).toBe(prev / 4n);
    expect(retarget(prev, -1e9, E)).toBe(prev / 4n);
  });

  it('never exceeds MAX_TARGET', () => {
    expect(retarget(MAX_TARGET, E * 4, E)).toBe(MAX_TARGET);
    expect(retarget(MAX_TARGET >> 1n, E * 4, E)).toBe(MAX_TARGET);
    expect(retarget(MAX_TARGET >> 1n, E * 3, E)).toBe(MAX_TARGET);
    expect(retarget(MAX_TARGET >> 2n, E * 3, E)).toBe((MAX_TARGET >> 2n) * 3n);
  });

  it('never goes below 1', () => {
    expect(retarget(1n, 0, E)).toBe(1n);
    expect(retarget(3n, 0, E)).toBe(1n);
  });

  it('stays within the clamps, under MAX_TARGET and monotone in the time taken', () => {
    fc.assert(
      fc.property(
        anyTarget.map(normalizeTarget),
        fc.integer({ min: 1, max: 25_000_000 }).map((q) => q * 4),
        fc.integer({ min: -1e9, max: 1e12 }),
        fc.integer({ min: -1e9, max: 1e12 }),
        (p, expected, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const slow = retarget(p, hi, expected);
          const fast = retarget(p, lo, expected);
          for (const next of [slow, fast]) {
            expect(next <= MAX_TARGET).toBe(true);
            expect(next >= 1n).toBe(true);
            expect(next >= normalizeTarget(p / 4n > 0n ? p / 4n : 1n)).toBe(true);
            expect(next <= normalizeTarget(p * 4n < MAX_TARGET ? p * 4n : MAX_TARGET)).toBe(true);
            expect(compactToTarget(targetToCompact(next))).toBe(next);
          }
          expect(fast <= slow).toBe(true);
        },
      ),
    );
  });
});
