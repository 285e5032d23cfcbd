/**
 * Canonical byte encoding: fixed field order, fixed-width big-endian integers (CONTRIBUTING.md, Canonical bytes).
 * Hex appears only at the edges (API, storage keys, display).
 */
import type { Result } from './result.ts';
import { err, ok } from './result.ts';

const HEX = '0123456789abcdef';
const HEX_PAIRS: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => (HEX[i >> 4] ?? '') + (HEX[i & 15] ?? ''),
);

/** Lowercase hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_PAIRS[b] ?? '';
  return out;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Strict hex decoding: even length, hex digits only; `length` in bytes when given. */
export function fromHex(hex: string, length?: number): Result<Uint8Array, string> {
  if (hex.length % 2 !== 0) return err('hex text must have an even number of digits');
  if (length !== undefined && hex.length !== length * 2) {
    return err(`expected ${length * 2} hex digits, got ${hex.length}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return err('hex text may contain only 0-9 and a-f');
    out[i] = (hi << 4) | lo;
  }
  return ok(out);
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const U64_MAX = (1n << 64n) - 1n;

/** Appends fixed-width big-endian fields to a growing buffer. */
export class ByteWriter {
  #buf = new Uint8Array(128);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** One byte. */
  u8(v: number): this {
    this.#reserve(1);
    this.#view.setUint8(this.#len, v);
    this.#len += 1;
    return this;
  }

  /** Unsigned 32-bit big-endian. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`not a u32: ${v}`);
    this.#reserve(4);
    this.#view.setUint32(this.#len, v);
    this.#len += 4;
    return this;
  }

  /** Unsigned 64-bit big-endian. */
  u64(v: bigint): this {
    if (v < 0n || v > U64_MAX) throw new RangeError(`not a u64: ${v}`);
    this.#reserve(8);
    this.#view.setBigUint64(this.#len, v);
    this.#len += 8;
    return this;
  }

  /** Raw bytes of a fixed, known length. */
  bytes(b: Uint8Array): this {
    this.#reserve(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** Bytes preceded by their u32 length. */
  varBytes(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  /** A copy of everything written. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** Thrown only inside {@link ByteReader}; decoders turn it into a typed rejection. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

/** Reads fixed-width big-endian fields; throws {@link DecodeError} past the end. */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(n: number): void {
    if (this.#at + n > this.#bytes.length) throw new DecodeError('truncated data');
  }

  /** One byte. */
  u8(): number {
    this.#need(1);
    const v = this.#view.getUint8(this.#at);
    this.#at += 1;
    return v;
  }

  /** Unsigned 32-bit big-endian. */
  u32(): number {
    this.#need(4);
    const v = this.#view.getUint32(this.#at);
    this.#at += 4;
    return v;
  }

  /** Unsigned 64-bit big-endian. */
  u64(): bigint {
    this.#need(8);
    const v = this.#view.getBigUint64(this.#at);
    this.#at += 8;
    return v;
  }

  /** `n` raw bytes (a copy). */
  bytes(n: number): Uint8Array {
    this.#need(n);
    const v = this.#bytes.slice(this.#at, this.#at + n);
    this.#at += n;
    return v;
  }

  /** Bytes preceded by their u32 length, at most `max` of them. */
  varBytes(max: number): Uint8Array {
    const n = this.u32();
    if (n > max) throw new DecodeError(`field of ${n} bytes exceeds the limit of ${max}`);
    return this.bytes(n);
  }

  /** How many bytes have been read. */
  get position(): number {
    return this.#at;
  }

  /** A copy of the bytes from `start` up to the current position. */
  sliceFrom(start: number): Uint8Array {
    return this.#bytes.slice(start, this.#at);
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.#bytes.length - this.#at;
  }

  /** Fails unless every byte was consumed: canonical encodings have no trailing data. */
  end(): void {
    if (this.remaining !== 0) throw new DecodeError('unexpected trailing bytes');
  }
}

/** Run a decoder over untrusted bytes, turning {@link DecodeError} into a typed failure. */
export function decodeWith<T>(bytes: Uint8Array, read: (r: ByteReader) => T): Result<T, string> {
  try {
    const r = new ByteReader(bytes);
    const value = read(r);
    r.end();
    return ok(value);
  } catch (e) {
    if (e instanceof DecodeError) return err(e.message);
    throw e;
  }
}
