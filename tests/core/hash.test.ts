import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.ts';
import { bigIntToBytes, bytesToBigInt, sha256 } from '../../src/core/hash.ts';
import { nodeSha256Hex } from './helpers.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('matches the FIPS 180-4 vector for %j', (text, digest) => {
    expect(toHex(sha256(utf8(text)))).toBe(digest);
  });

  it('matches node:crypto on random input, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(toHex(sha256(data))).toBe(nodeSha256Hex(data));
      }),
    );
    for (let n = 50; n < 140; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
      expect(toHex(sha256(data))).toBe(nodeSha256Hex(data));
    }
  });
});

describe('big-endian integers', () => {
  it('reads bytes as a big-endian number', () => {
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bytesToBigInt(Uint8Array.of(1, 0))).toBe(256n);
    expect(bytesToBigInt(new Uint8Array(32).fill(0xff))).toBe((1n << 256n) - 1n);
  });

  it('writes a number as fixed-width big-endian bytes', () => {
    expect(bigIntToBytes(256n, 2)).toEqual(Uint8Array.of(1, 0));
    expect(bigIntToBytes(0n, 3)).toEqual(Uint8Array.of(0, 0, 0));
    expect(bigIntToBytes(1n, 1)).toEqual(Uint8Array.of(1));
  });

  it('round-trips any 256-bit number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (v) => {
        const bytes = bigIntToBytes(v, 32);
        expect(bytes.length).toBe(32);
        expect(bytesToBigInt(bytes)).toBe(v);
        expect(BigInt('0x' + (toHex(bytes) || '0'))).toBe(v);
      }),
    );
  });

  it.each([
    [-1n, 4],
    [1n << 32n, 4],
    [256n, 1],
  ])('refuses %s in %i bytes', (v, length) => {
    expect(() => bigIntToBytes(v, length)).toThrow(RangeError);
  });
});
