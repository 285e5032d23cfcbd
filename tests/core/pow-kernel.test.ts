import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PowJob } from '../../src/core/pow-kernel.ts';
import {
  HEADER_BYTES,
  hashWithProof,
  mineRange,
  preparePowJob,
} from '../../src/core/pow-kernel.ts';

const TWO_32 = 2 ** 32;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TWO_256 = 1n << 256n;

/** The header bytes with `proof` written big-endian into the last 8 bytes. */
function withProof(header: Uint8Array, proof: number): Uint8Array {
  const bytes = Uint8Array.from(header);
  new DataView(bytes.buffer).setBigUint64(HEADER_BYTES - 8, BigInt(proof));
  return bytes;
}

/** Reference hash: node:crypto SHA-256 over the 92 header bytes with the proof filled in. */
function nodeHash(header: Uint8Array, proof: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(withProof(header, proof)).digest());
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const toBig = (hash: Uint8Array): bigint => BigInt(`0x${hex(hash)}`);

/** Reference miner: the first proof in [start, start + count) whose node:crypto hash is below. */
function bruteForce(header: Uint8Array, target: bigint, start: number, count: number) {
  for (let p = start; p < start + count; p++) {
    const hash = nodeHash(header, p);
    if (toBig(hash) < target) return { proof: p, hash };
  }
  return null;
}

/** A deterministic header whose bytes follow `f(i)`. */
const patterned = (f: (i: number) => number): Uint8Array =>
  Uint8Array.from({ length: HEADER_BYTES }, (_, i) => f(i) & 0xff);

/** A header laid out like a real one: version, index, timestamp, previous hash, root, bits. */
function realisticHeader(): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 1); // version
  view.setUint32(4, 42); // index
  view.setBigUint64(8, 1_700_000_000_123n); // timestamp_ms
  bytes.set(patterned((i) => i * 13 + 5).subarray(0, 32), 16); // previous_hash
  bytes.set(patterned((i) => 255 - i * 7).subarray(0, 32), 48); // merkle_root
  view.setUint32(80, 0x1f00ffff); // bits
  return bytes;
}

const FIXED_HEADERS: readonly (readonly [string, Uint8Array])[] = [
  ['all zero', new Uint8Array(HEADER_BYTES)],
  ['all 0xff', new Uint8Array(HEADER_BYTES).fill(0xff)],
  ['counting bytes', patterned((i) => i)],
  ['mixed pattern', patterned((i) => i * 37 + 11)],
  ['realistic layout', realisticHeader()],
];

const EDGE_PROOFS = [0, 1, 2 ** 31 - 1, 2 ** 31, TWO_32 - 1, TWO_32, TWO_32 + 1, MAX_SAFE];

describe('hashWithProof', () => {
  it('matches literal SHA-256 digests', () => {
    // sha256 of 92 zero bytes, and of bytes 0..91 with proof 0xdeadbeef (computed independently).
    expect(hex(hashWithProof(preparePowJob(new Uint8Array(HEADER_BYTES), 1n), 0))).toBe(
      '62b14867e4e79d50673d2f7474335229f54c478f56d2a910235e1953c6d29206',
    );
    expect(
      hex(
        hashWithProof(
          preparePowJob(
            patterned((i) => i),
            1n,
          ),
          0xdeadbeef,
        ),
      ),
    ).toBe('4d96da626661f3465b8292564f53ae1cc803a22305d6c33ec5f8381e918580c3');
  });

  describe.each(FIXED_HEADERS)('on the %s header', (_name, header) => {
    it.each(EDGE_PROOFS)('matches node:crypto for proof %d', (proof) => {
      const job = preparePowJob(header, 1n << 200n);
      expect(hex(hashWithProof(job, proof))).toBe(hex(nodeHash(header, proof)));
    });
  });

  it('ignores the proof bytes already in the header', () => {
    const header = realisticHeader();
    const dirty = withProof(header, MAX_SAFE);
    const a = preparePowJob(header, 1n);
    const b = preparePowJob(dirty, 1n);
    for (const proof of EDGE_PROOFS)
      expect(hashWithProof(b, proof)).toEqual(hashWithProof(a, proof));
  });

  it('matches node:crypto on random headers and proofs', () => {
    const proofs = fc.oneof(
      fc.maxSafeNat(),
      fc.constantFrom(...EDGE_PROOFS),
      fc.integer({ min: TWO_32 - 4, max: TWO_32 + 4 }),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }),
        proofs,
        (header, proof) => {
          const job = preparePowJob(header, 1n);
          expect(hex(hashWithProof(job, proof))).toBe(hex(nodeHash(header, proof)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects proofs that are not non-negative safe integers', () => {
    const job = preparePowJob(new Uint8Array(HEADER_BYTES), 1n);
    for (const bad of [-1, 1.5, MAX_SAFE + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => hashWithProof(job, bad)).toThrow(RangeError);
    }
  });
});

describe('mineRange', () => {
  it('finds the first proof below an easy target, and only that one', () => {
    const header = realisticHeader();
    const target = 1n << 248n;
    const start = 1000;
    const found = mineRange(preparePowJob(header, target), start, 100_000);
    expect(found).not.toBeNull();
    if (found === null) return;
    expect(found.proof).toBeGreaterThanOrEqual(start);
    expect(hex(found.hash)).toBe(hex(nodeHash(header, found.proof)));
    expect(toBig(found.hash) < target).toBe(true);
    for (let p = start; p < found.proof; p++) {
      expect(toBig(nodeHash(header, p)) >= target).toBe(true);
    }
  });

  it('agrees with a node:crypto brute force on random headers, targets and ranges', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }),
        fc.integer({ min: 247, max: 252 }),
        fc.oneof(fc.nat({ max: 10_000 }), fc.integer({ min: TWO_32 - 600, max: TWO_32 + 10 })),
        fc.integer({ min: 0, max: 700 }),
        (header, bits, start, count) => {
          const target = 1n << BigInt(bits);
          const want = bruteForce(header, target, start, count);
          const got = mineRange(preparePowJob(header, target), start, count);
          expect(got === null ? null : { proof: got.proof, hash: hex(got.hash) }).toEqual(
            want === null ? null : { proof: want.proof, hash: hex(want.hash) },
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns null when the target is 1 (no hash is below it)', () => {
    const job = preparePowJob(realisticHeader(), 1n);
    expect(mineRange(job, 0, 20_000)).toBeNull();
    expect(mineRange(job, TWO_32 - 5_000, 10_000)).toBeNull();
    expect(mineRange(job, MAX_SAFE - 999, 1000)).toBeNull();
  });

  it('returns null for an empty range', () => {
    expect(mineRange(preparePowJob(realisticHeader(), TWO_256 - 1n), 7, 0)).toBeNull();
  });

  it('accepts the first proof when the target is 2^256 - 1', () => {
    const header = realisticHeader();
    const found = mineRange(preparePowJob(header, TWO_256 - 1n), 12_345, 10);
    expect(found?.proof).toBe(12_345);
    expect(found && hex(found.hash)).toBe(hex(nodeHash(header, 12_345)));
  });

  it('treats the target as a strict upper bound', () => {
    for (const [, header] of FIXED_HEADERS) {
      for (const proof of [0, TWO_32 + 3]) {
        const hash = toBig(nodeHash(header, proof));
        expect(mineRange(preparePowJob(header, hash), proof, 1)).toBeNull();
        expect(mineRange(preparePowJob(header, hash + 1n), proof, 1)?.proof).toBe(proof);
      }
    }
  });

  /**
   * Picks a target that only proof `first + 1` meets among `first` and `first + 1`, trying header
   * variants until the two hashes are in the needed order (half of them are).
   */
  function steppingPair(first: number): { header: Uint8Array; target: bigint } {
    for (let v = 0; ; v++) {
      const header = patterned((i) => i * 31 + v);
      const a = toBig(nodeHash(header, first));
      const b = toBig(nodeHash(header, first + 1));
      if (b < a) return { header, target: b + 1n };
    }
  }

  it.each([
    ['the first 2^32 boundary', TWO_32 - 1],
    ['a later 2^32 boundary', 77 * TWO_32 - 1],
    ['the top of the safe range', MAX_SAFE - 1],
  ])('steps across %s', (_name, first) => {
    const { header, target } = steppingPair(first);
    const job = preparePowJob(header, target);
    const found = mineRange(job, first, 2);
    expect(found?.proof).toBe(first + 1);
    expect(found && hex(found.hash)).toBe(hex(nodeHash(header, first + 1)));
    expect(mineRange(job, first, 1)).toBeNull();
  });

  it('scans a range that crosses a 2^32 boundary without skipping proofs', () => {
    const header = realisticHeader();
    const target = 1n << 250n;
    const job: PowJob = preparePowJob(header, target);
    // Walk the range in successive calls: every solution found must be the brute-force next one.
    let next = TWO_32 - 2_000;
    const end = TWO_32 + 2_000;
    while (next < end) {
      const got = mineRange(job, next, end - next);
      const want = bruteForce(header, target, next, end - next);
      expect(got?.proof ?? null).toBe(want?.proof ?? null);
      if (got === null) break;
      next = got.proof + 1;
    }
  });

  it('rejects malformed ranges', () => {
    const job = preparePowJob(realisticHeader(), 1n);
    expect(() => mineRange(job, -1, 10)).toThrow(RangeError);
    expect(() => mineRange(job, 0.5, 10)).toThrow(RangeError);
    expect(() => mineRange(job, 0, -1)).toThrow(RangeError);
    expect(() => mineRange(job, 0, 2.5)).toThrow(RangeError);
    expect(() => mineRange(job, MAX_SAFE, 2)).toThrow(RangeError);
    expect(() => mineRange(job, MAX_SAFE + 1, 0)).toThrow(RangeError);
    expect(mineRange(job, MAX_SAFE, 1)).toBeNull(); // start + count = 2^53 is allowed
  });
});

describe('preparePowJob', () => {
  it('rejects headers of the wrong length', () => {
    for (const length of [0, 64, HEADER_BYTES - 1, HEADER_BYTES + 1, 128]) {
      expect(() => preparePowJob(new Uint8Array(length), 1n)).toThrow(RangeError);
    }
  });

  it('rejects targets outside (0, 2^256)', () => {
    const header = new Uint8Array(HEADER_BYTES);
    for (const target of [0n, -1n, TWO_256, TWO_256 + 1n]) {
      expect(() => preparePowJob(header, target)).toThrow(RangeError);
    }
    expect(() => preparePowJob(header, 1n)).not.toThrow();
    expect(() => preparePowJob(header, TWO_256 - 1n)).not.toThrow();
  });

  it('copies what it needs: later changes to the header do not affect the job', () => {
    const header = realisticHeader();
    const before = hex(nodeHash(header, 5));
    const job = preparePowJob(header, 1n);
    header.fill(0);
    expect(hex(hashWithProof(job, 5))).toBe(before);
  });
});
