/** SHA-256 (FIPS 180-4) over canonical bytes; every id in Chainlab is one of these. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** SHA-256 digest of some bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** A 256-bit big-endian byte string read as an unsigned integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** An unsigned integer below 2^(8·length) as big-endian bytes. */
export function bigIntToBytes(v: bigint, length: number): Uint8Array {
  if (v < 0n || v >= 1n << BigInt(8 * length)) throw new RangeError('value out of range');
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
