/**
 * Difficulty: a 256-bit target held as a bigint. A header is valid when its hash, read as a
 * big-endian number, is strictly below the target. In headers the target travels in Bitcoin's
 * compact "nBits" form (Bitcoin Core, arith_uint256::SetCompact), so every header is 92 bytes.
 */

/** 2^256. */
export const TWO_256 = 1n << 256n;
/** The easiest target allowed: one leading zero bit. */
export const MAX_TARGET = 1n << 255n;

/** Target meaning "at least `bits` leading zero bits": 2^(256-bits). */
export function targetFromZeroBits(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 1 || bits > 255) throw new RangeError(`bad bits ${bits}`);
  return 1n << BigInt(256 - bits);
}

/** Bit length of a positive bigint. */
function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** The difficulty people see: how many leading zero bits a hash below the target has at least. */
export function leadingZeroBits(target: bigint): number {
  // A hash h < target has at least 256 - bitLength(target - 1) leading zeros.
  return 256 - bitLength(target - 1n);
}

/** Expected hashes to find one block at this target: 2^256 / target (Bitcoin's GetBlockProof). */
export function workForTarget(target: bigint): bigint {
  // Every node divides 2^256 by the target of every block it accepts, and a chain uses a handful
  // of targets: memoised like compactToTarget.
  let work = works.get(target);
  if (work === undefined) {
    if (works.size >= MAX_DECODED) works.clear();
    work = TWO_256 / target;
    works.set(target, work);
  }
  return work;
}

const works = new Map<bigint, bigint>();

/** Leading zero bits of a 32-byte hash, for highlighting them on screen. */
export function hashZeroBits(hash: Uint8Array): number {
  let n = 0;
  for (const b of hash) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

/** Encode a target as compact bits, rounding down to 24 significant bits. */
export function targetToCompact(target: bigint): number {
  if (target <= 0n || target > MAX_TARGET) throw new RangeError('target out of range');
  let size = Math.ceil(bitLength(target) / 8);
  let mantissa = size <= 3 ? target << BigInt(8 * (3 - size)) : target >> BigInt(8 * (size - 3));
  // The mantissa's top bit is a sign bit in this format: shift into the next byte instead.
  if (mantissa & 0x800000n) {
    mantissa >>= 8n;
    size += 1;
  }
  return ((size << 24) | Number(mantissa)) >>> 0;
}

/**
 * Decode compact bits. Returns null for negative, zero, oversized or non-canonical encodings, so
 * one target has exactly one header encoding.
 */
export function compactToTarget(bits: number): bigint | null {
  // A chain uses a handful of distinct bits values, decoded for every block a node sees: memoised
  // (bigint shifts and the canonical round trip cost about 2% of a 100-node run, measured).
  const known = decoded.get(bits);
  if (known !== undefined) return known;
  if (decoded.size >= MAX_DECODED) decoded.clear();
  const target = decodeCompact(bits);
  decoded.set(bits, target);
  return target;
}

const decoded = new Map<number, bigint | null>();
const MAX_DECODED = 4096;

function decodeCompact(bits: number): bigint | null {
  const size = bits >>> 24;
  const mantissa = bits & 0x7fffff;
  if (bits & 0x800000) return null;
  const target =
    size <= 3
      ? BigInt(mantissa) >> BigInt(8 * (3 - size))
      : BigInt(mantissa) << BigInt(8 * (size - 3));
  if (target <= 0n || target > MAX_TARGET) return null;
  if (targetToCompact(target) !== bits) return null;
  return target;
}

/** Round a target to what its compact form can express. */
export function normalizeTarget(target: bigint): bigint {
  const t = compactToTarget(targetToCompact(target));
  if (t === null) throw new RangeError('target cannot be normalized');
  return t;
}

/**
 * The most one retarget moves the target, either way: the actual time is clamped to between a
 * quarter and four times the expected one, as Bitcoin does (CalculateNextWorkRequired).
 */
export const RETARGET_CLAMP = 4;

/**
 * Which blocks' timestamps set the target of the block at `height` when the chain retargets every
 * `interval` blocks: the window from height `first` to `last` (its parent), whose `last − first`
 * intervals are timed, as Bitcoin times 2,015 of each 2,016. Null when the block keeps its parent's
 * target. Genesis is height 1, and the first window would include its timestamp, fixed long ago,
 * so the first retarget is at height 2 × interval + 1.
 */
export function retargetWindow(
  height: number,
  interval: number,
): { readonly first: number; readonly last: number } | null {
  if ((height - 1) % interval !== 0 || height < 2 * interval + 1) return null;
  return { first: height - interval, last: height - 1 };
}

/**
 * The next target after a retarget window: scale by actual / expected time, with the actual time
 * clamped to a factor of {@link RETARGET_CLAMP} either way, as Bitcoin does
 * (CalculateNextWorkRequired).
 */
export function retarget(previous: bigint, actualMs: number, expectedMs: number): bigint {
  // Whole milliseconds as bigints: no floats in consensus (CONTRIBUTING.md, Exact numbers).
  const expected = BigInt(Math.max(1, Math.trunc(expectedMs)));
  const clamp = BigInt(RETARGET_CLAMP);
  let actual = BigInt(Math.trunc(actualMs));
  if (actual < expected / clamp) actual = expected / clamp;
  if (actual > expected * clamp) actual = expected * clamp;
  if (actual < 1n) actual = 1n;
  let next = (previous * actual) / expected;
  if (next > MAX_TARGET) next = MAX_TARGET;
  if (next < 1n) next = 1n;
  return normalizeTarget(next);
}
