import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../src/core/bytes.ts';
import { merkleRoot } from '../../src/core/merkle.ts';
import { nodeSha256, nodeSha256Hex } from './helpers.ts';

/**
 * RFC 6962 section 2.1 Merkle Tree Hash, written straight from the definition with node:crypto:
 * MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0), and for n > 1 with k the largest power of
 * two below n: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
 */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) return nodeSha256(new Uint8Array(0));
  if (n === 1) return nodeSha256(Uint8Array.of(0), leaves[0] ?? new Uint8Array(0));
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeSha256(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaf = (i: number): Uint8Array => Uint8Array.of(i, i + 1, i + 2);
const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leaf(i));

describe('merkleRoot', () => {
  it.each([0, 1, 2, 3, 5])('matches RFC 6962 MTH for %i leaves', (n) => {
    expect(toHex(merkleRoot(leaves(n)))).toBe(toHex(mth(leaves(n))));
  });

  it('spells out the small trees', () => {
    const [a, b, c] = leaves(3).map((l) => nodeSha256(Uint8Array.of(0), l));
    if (!a || !b || !c) throw new Error('three leaves');
    expect(toHex(merkleRoot([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(toHex(merkleRoot(leaves(1)))).toBe(toHex(a));
    expect(toHex(merkleRoot(leaves(2)))).toBe(nodeSha256Hex(Uint8Array.of(1), a, b));
    // Three leaves: the odd one is promoted, not duplicated.
    const ab = nodeSha256(Uint8Array.of(1), a, b);
    expect(toHex(merkleRoot(leaves(3)))).toBe(nodeSha256Hex(Uint8Array.of(1), ab, c));
  });

  it('matches RFC 6962 MTH for any number of random leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 }), (ls) => {
        expect(toHex(merkleRoot(ls))).toBe(toHex(mth(ls)));
      }),
      { numRuns: 200 },
    );
  });

  it('gives a list and the list with its last leaf repeated different roots (CVE-2012-2459)', () => {
    for (const n of [1, 3, 5, 6, 7]) {
      const ls = leaves(n);
      const last = ls[ls.length - 1] ?? new Uint8Array(0);
      expect(toHex(merkleRoot([...ls, last]))).not.toBe(toHex(merkleRoot(ls)));
    }
  });

  it('separates leaves from inner nodes (second-preimage resistance)', () => {
    const [a, b] = leaves(2).map((l) => nodeSha256(Uint8Array.of(0), l));
    if (!a || !b) throw new Error('two leaves');
    const inner = concatBytes(Uint8Array.of(1), a, b);
    // A one-leaf tree whose leaf is the two-leaf tree's inner node must not collide with it.
    expect(toHex(merkleRoot([inner]))).not.toBe(toHex(merkleRoot(leaves(2))));
    expect(toHex(merkleRoot([concatBytes(a, b)]))).not.toBe(toHex(merkleRoot(leaves(2))));
  });

  it('depends on the order and the content of every leaf', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 8 }), {
          minLength: 2,
          maxLength: 12,
          selector: (u) => toHex(u),
        }),
        fc.nat(),
        (ls, pick) => {
          const root = toHex(merkleRoot(ls));
          const i = pick % ls.length;
          const j = (i + 1) % ls.length;
          const swapped = ls.slice();
          [swapped[i], swapped[j]] = [ls[j] ?? new Uint8Array(0), ls[i] ?? new Uint8Array(0)];
          expect(toHex(merkleRoot(swapped))).not.toBe(root);
          const edited = ls.map((l) => l.slice());
          const target = edited[i];
          if (target) target[0] = (target[0] ?? 0) ^ 0x80;
          expect(toHex(merkleRoot(edited))).not.toBe(root);
          expect(toHex(merkleRoot(ls.slice(0, -1)))).not.toBe(root);
        },
      ),
    );
  });
});
