/**
 * Seeded pseudo-random numbers (CONTRIBUTING.md, Determinism). xoshiro128** by Blackman
 * and Vigna, seeded through SplitMix32 so that nearby seeds give unrelated streams.
 */

/** A deterministic random source. */
export interface Rng {
  /** A uniform unsigned 32-bit integer. */
  u32(): number;
  /** A uniform float in [0, 1). */
  float(): number;
  /** A uniform integer in [0, n), n a positive safe integer below 2^32. */
  int(n: number): number;
  /** `n` uniform bytes. */
  bytes(n: number): Uint8Array;
  /** An independent generator derived from this one and a label (e.g. one per node). */
  fork(label: string): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  // FNV-1a over UTF-16 code units: only needs to spread labels, not resist attack.
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A generator from a 32-bit seed; the same seed always gives the same stream. */
export function createRng(seed: number): Rng {
  const sm = splitmix32(seed);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if ((a | b | c | d) === 0) a = 1; // xoshiro's all-zero state is a fixed point

  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const rng: Rng = {
    u32,
    float: () => u32() / 2 ** 32,
    int(n) {
      if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`bad bound ${n}`);
      // Rejection sampling avoids modulo bias.
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const x = u32();
        if (x < limit) return x % n;
      }
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const x = u32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
      }
      return out;
    },
    fork(label) {
      return createRng((u32() ^ hashLabel(label)) >>> 0);
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
