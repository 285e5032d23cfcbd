/** Byte length of a block header; the proof is its last 8 bytes. */
export const HEADER_BYTES = 92;

/** Eight 32-bit words: a SHA-256 state (FIPS 180-4, section 6.2) or a 256-bit big-endian number. */
type Words8 = readonly [number, number, number, number, number, number, number, number];

/**
 * A prepared mining job: the header's constant part plus the target, precomputed for the kernel.
 * Treat it as opaque; build it with `preparePowJob`.
 */
export interface PowJob {
  /** SHA-256 state after compressing header bytes 0..63 (the midstate), as int32 words. */
  readonly midstate: Words8;
  /** Working variables a..h after rounds 0-4 of the second block, which read only W0..W4. */
  readonly round4: Words8;
  /** Second-block message words W0..W4: merkle_root[16..32] and bits. */
  readonly block2: readonly [number, number, number, number, number];
  /** target - 1 as eight unsigned big-endian words: a hash is valid when it is at most this. */
  readonly limit: Words8;
}

const TWO_32 = 0x1_0000_0000;
const TWO_256 = 1n << 256n;
/** Longest run one kernel call scans, so its loop counter stays a small (int31) integer. */
const MAX_SEGMENT = 0x4000_0000;
/** One-proof kernel calls per prepared job, to give V8 type feedback (see `preparePowJob`). */
const WARM_UP_SCANS = 16;
/** The all-ones limit: every hash is at most 2^256 - 1, so the kernel accepts the first proof. */
const ACCEPT_ALL: Words8 = [
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
];

/** SHA-256 initial hash value H(0) (FIPS 180-4, section 5.3.3). */
const IV: Words8 = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** SHA-256 round constants K0..K63 (FIPS 180-4, section 4.2.2); the kernel inlines them. */
export const SHA256_K: readonly number[] = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// The SHA-256 functions of FIPS 180-4, section 4.1.2, on int32 values, for job preparation and the
// kernel's per-call prologue. The kernel's loop writes them out inline (see `scan`).

/** Σ0 (FIPS 180-4, 4.4): ROTR^2 ^ ROTR^13 ^ ROTR^22. */
function bigSigma0(x: number): number {
  return ((x >>> 2) | (x << 30)) ^ ((x >>> 13) | (x << 19)) ^ ((x >>> 22) | (x << 10));
}
/** Σ1 (FIPS 180-4, 4.5): ROTR^6 ^ ROTR^11 ^ ROTR^25. */
function bigSigma1(x: number): number {
  return ((x >>> 6) | (x << 26)) ^ ((x >>> 11) | (x << 21)) ^ ((x >>> 25) | (x << 7));
}
/** σ0 (FIPS 180-4, 4.6): ROTR^7 ^ ROTR^18 ^ SHR^3. */
function smallSigma0(x: number): number {
  return ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
}
/** σ1 (FIPS 180-4, 4.7): ROTR^17 ^ ROTR^19 ^ SHR^10. */
function smallSigma1(x: number): number {
  return ((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10);
}
/** Ch (FIPS 180-4, 4.2), as g ^ (e & (f ^ g)): one operation fewer than the textbook form. */
function ch(e: number, f: number, g: number): number {
  return g ^ (e & (f ^ g));
}
/** Maj (FIPS 180-4, 4.3), as (a & b) | (c & (a | b)). */
function maj(a: number, b: number, c: number): number {
  return (a & b) | (c & (a | b));
}

/** Big-endian 32-bit word at `offset` (SHA-256 reads its message big-endian, FIPS 180-4 3.1). */
function readWord(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) << 24) |
    ((bytes[offset + 1] ?? 0) << 16) |
    ((bytes[offset + 2] ?? 0) << 8) |
    (bytes[offset + 3] ?? 0)
  );
}

/**
 * Rounds `from`..`to - 1` of the SHA-256 compression (FIPS 180-4, 6.2.2 step 3) on working
 * variables `v`, with the message schedule `w` (at least `to` words). Used only to prepare jobs.
 */
function runRounds(v: Words8, w: readonly number[], from: number, to: number): Words8 {
  let [a, b, c, d, e, f, g, h] = v;
  for (let t = from; t < to; t++) {
    const t1 = (h + bigSigma1(e) + ch(e, f, g) + (SHA256_K[t] ?? 0) + (w[t] ?? 0)) | 0;
    const t2 = (bigSigma0(a) + maj(a, b, c)) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return [a, b, c, d, e, f, g, h];
}

/** One full SHA-256 compression (FIPS 180-4, 6.2.2) of the 64-byte block at `bytes[offset..]`. */
function compress(state: Words8, bytes: Uint8Array, offset: number): Words8 {
  const w: number[] = [];
  for (let t = 0; t < 16; t++) w.push(readWord(bytes, offset + 4 * t));
  for (let t = 16; t < 64; t++) {
    const w2 = w[t - 2] ?? 0;
    const w15 = w[t - 15] ?? 0;
    w.push((smallSigma1(w2) + (w[t - 7] ?? 0) + smallSigma0(w15) + (w[t - 16] ?? 0)) | 0);
  }
  const v = runRounds(state, w, 0, 64);
  return [
    (state[0] + v[0]) | 0,
    (state[1] + v[1]) | 0,
    (state[2] + v[2]) | 0,
    (state[3] + v[3]) | 0,
    (state[4] + v[4]) | 0,
    (state[5] + v[5]) | 0,
    (state[6] + v[6]) | 0,
    (state[7] + v[7]) | 0,
  ];
}

/** Whether the eight hash words in `hash` (int32), read as a big-endian number, are <= `limit`. */
export function atMost(hash: Int32Array, limit: readonly number[]): boolean {
  for (let i = 0; i < 8; i++) {
    const x = (hash[i] ?? 0) >>> 0;
    const y = limit[i] ?? 0;
    if (x !== y) return x < y;
  }
  return true;
}

/** The 32-byte big-endian encoding of eight hash words (FIPS 180-4, 6.2.2 step 4). */
function wordsToBytes(words: Int32Array): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const x = words[i] ?? 0;
    bytes[4 * i] = x >>> 24;
    bytes[4 * i + 1] = x >>> 16;
    bytes[4 * i + 2] = x >>> 8;
    bytes[4 * i + 3] = x;
  }
  return bytes;
}

/**
 * The kernel: tries proofs hi * 2^32 + lo + i for i = 0..n-1 (lo + n <= 2^32, n <= 2^30) and returns
 * the first i whose hash is at most `limit`, with the eight hash words in `out`, or -1.
 *
 * Design choices, each measured on Node 20 (x64) in 2-4 s runs of the kernel alone:
 * - Everything that does not depend on W6 (the proof's low word) is hoisted out of the loop: rounds
 *   0-4 per job, round 5, the W6-free half of round 6 and the W6-free schedule terms per call. Against
 *   a plain midstate kernel that runs all 64 rounds and the whole schedule per proof: ~18% faster.
 * - Rounds are unrolled with the SHA-256 functions written out inline, in local int32 variables.
 *   Calling the small Σ/σ/Ch/Maj helpers instead is ~5x slower (1.0 vs 5 M/s): V8 stops inlining
 *   into a function this large.
 * - The working variables are renamed instead of shifted: each round writes T1 into the variable
 *   that plays h, adds it to d, then adds T2, and the roles rotate by one (FIPS 180-4, 6.2.2 step 3).
 * - Tried and dropped: signed int32 literals for K and the Maj "b ^ ((a ^ b) & (b ^ c))" carry
 *   trick; both changed throughput by less than the run-to-run noise (~3%).
 */
function scan(
  job: PowJob,
  hi: number,
  lo: number,
  n: number,
  limit: Words8,
  out: Int32Array,
): number {
  const [m0, m1, m2, m3, m4, m5, m6, m7] = job.midstate;
  const [w0, w1, w2, w3, w4] = job.block2;
  const l0 = limit[0];
  // Round 5 reads W5 = hi. r0..r7 are the working variables a..h after it.
  const [s0, s1, s2, s3, s4, s5, s6, s7] = job.round4;
  const t5 = (s7 + bigSigma1(s4) + ch(s4, s5, s6) + 0x59f111f1 + hi) | 0;
  const r0 = (t5 + bigSigma0(s0) + maj(s0, s1, s2)) | 0;
  const r1 = s0;
  const r2 = s1;
  const r3 = s2;
  const r4 = (s3 + t5) | 0;
  const r5 = s4;
  const r6 = s5;
  const r7 = s6;
  // Round 6: T1 = t6 + W6, and T2 = u6 does not depend on W6 at all.
  const t6 = (r7 + bigSigma1(r4) + ch(r4, r5, r6) + 0x923f82a4) | 0;
  const u6 = (bigSigma0(r0) + maj(r0, r1, r2)) | 0;
  // Schedule words W16..W20 do not depend on W6 (W7 = 0x80000000, W8..W14 = 0, W15 = 736 are
  // folded in as literals); kT is the W6-free part of a later word WT, kwT is KT + WT.
  const w16 = (smallSigma0(w1) + w0) | 0;
  const w17 = (smallSigma0(w2) + w1 + 0x012c0000) | 0;
  const w18 = (smallSigma1(w16) + smallSigma0(w3) + w2) | 0;
  const w19 = (smallSigma1(w17) + smallSigma0(w4) + w3) | 0;
  const w20 = (smallSigma1(w18) + smallSigma0(hi) + w4) | 0;
  const k21 = (smallSigma1(w19) + hi) | 0;
  const k22 = (smallSigma1(w20) + 0x110022e0) | 0;
  const k23 = (w16 + 0x80000000) | 0;
  const k31 = (smallSigma0(w16) + 0x000002e0) | 0;
  const k32 = (smallSigma0(w17) + w16) | 0;
  const k33 = (smallSigma0(w18) + w17) | 0;
  const k34 = (smallSigma0(w19) + w18) | 0;
  const k35 = (smallSigma0(w20) + w19) | 0;
  const kw16 = (0xe49b69c1 + w16) | 0;
  const kw17 = (0xefbe4786 + w17) | 0;
  const kw18 = (0x0fc19dc6 + w18) | 0;
  const kw19 = (0x240ca1cc + w19) | 0;
  const kw20 = (0x2de92c6f + w20) | 0;
  let w6 = lo | 0;
  for (let i = 0; i < n; i++, w6 = (w6 + 1) | 0) {
    let a = r0;
    let b = r1;
    let c = r2;
    let e = r4;
    let f = r5;
    let g = r6;
    let x: number; // Σ and σ values, kept in temporaries so that each statement stays short
    let y: number;
    // Round 6 (its W6-free parts t6 and u6 come from the prologue)
    let h = (t6 + w6) | 0;
    let d = (r3 + h) | 0;
    h = (h + u6) | 0;
    // Round 7
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x2b1c5ed5) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 8
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0xd807aa98) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 9
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0x12835b01) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 10
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0x243185be) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 11
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0x550c7dc3) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 12
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0x72be5d74) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 13
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0x80deb1fe) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 14
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0x9bdc06a7) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 15
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0xc19bf454) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 16
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + kw16) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 17
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + kw17) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 18
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + kw18) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 19
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + kw19) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 20
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + kw20) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 21
    y = ((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3);
    const w21 = (y + k21) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0x4a7484aa + w21) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 22
    const w22 = (w6 + k22) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0x5cb0a9dc + w22) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 23
    x = ((w21 >>> 17) | (w21 << 15)) ^ ((w21 >>> 19) | (w21 << 13)) ^ (w21 >>> 10);
    const w23 = (x + k23) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x76f988da + w23) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 24
    x = ((w22 >>> 17) | (w22 << 15)) ^ ((w22 >>> 19) | (w22 << 13)) ^ (w22 >>> 10);
    const w24 = (x + w17) | 0;
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0x983e5152 + w24) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 25
    x = ((w23 >>> 17) | (w23 << 15)) ^ ((w23 >>> 19) | (w23 << 13)) ^ (w23 >>> 10);
    const w25 = (x + w18) | 0;
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0xa831c66d + w25) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 26
    x = ((w24 >>> 17) | (w24 << 15)) ^ ((w24 >>> 19) | (w24 << 13)) ^ (w24 >>> 10);
    const w26 = (x + w19) | 0;
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0xb00327c8 + w26) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 27
    x = ((w25 >>> 17) | (w25 << 15)) ^ ((w25 >>> 19) | (w25 << 13)) ^ (w25 >>> 10);
    const w27 = (x + w20) | 0;
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0xbf597fc7 + w27) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 28
    x = ((w26 >>> 17) | (w26 << 15)) ^ ((w26 >>> 19) | (w26 << 13)) ^ (w26 >>> 10);
    const w28 = (x + w21) | 0;
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0xc6e00bf3 + w28) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 29
    x = ((w27 >>> 17) | (w27 << 15)) ^ ((w27 >>> 19) | (w27 << 13)) ^ (w27 >>> 10);
    const w29 = (x + w22) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0xd5a79147 + w29) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 30
    x = ((w28 >>> 17) | (w28 << 15)) ^ ((w28 >>> 19) | (w28 << 13)) ^ (w28 >>> 10);
    const w30 = (x + w23 + 0xc0b80059) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0x06ca6351 + w30) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 31
    x = ((w29 >>> 17) | (w29 << 15)) ^ ((w29 >>> 19) | (w29 << 13)) ^ (w29 >>> 10);
    const w31 = (x + w24 + k31) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x14292967 + w31) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 32
    x = ((w30 >>> 17) | (w30 << 15)) ^ ((w30 >>> 19) | (w30 << 13)) ^ (w30 >>> 10);
    const w32 = (x + w25 + k32) | 0;
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0x27b70a85 + w32) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 33
    x = ((w31 >>> 17) | (w31 << 15)) ^ ((w31 >>> 19) | (w31 << 13)) ^ (w31 >>> 10);
    const w33 = (x + w26 + k33) | 0;
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0x2e1b2138 + w33) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 34
    x = ((w32 >>> 17) | (w32 << 15)) ^ ((w32 >>> 19) | (w32 << 13)) ^ (w32 >>> 10);
    const w34 = (x + w27 + k34) | 0;
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0x4d2c6dfc + w34) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 35
    x = ((w33 >>> 17) | (w33 << 15)) ^ ((w33 >>> 19) | (w33 << 13)) ^ (w33 >>> 10);
    const w35 = (x + w28 + k35) | 0;
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0x53380d13 + w35) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 36
    x = ((w34 >>> 17) | (w34 << 15)) ^ ((w34 >>> 19) | (w34 << 13)) ^ (w34 >>> 10);
    y = ((w21 >>> 7) | (w21 << 25)) ^ ((w21 >>> 18) | (w21 << 14)) ^ (w21 >>> 3);
    const w36 = (x + w29 + y + w20) | 0;
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0x650a7354 + w36) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 37
    x = ((w35 >>> 17) | (w35 << 15)) ^ ((w35 >>> 19) | (w35 << 13)) ^ (w35 >>> 10);
    y = ((w22 >>> 7) | (w22 << 25)) ^ ((w22 >>> 18) | (w22 << 14)) ^ (w22 >>> 3);
    const w37 = (x + w30 + y + w21) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0x766a0abb + w37) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 38
    x = ((w36 >>> 17) | (w36 << 15)) ^ ((w36 >>> 19) | (w36 << 13)) ^ (w36 >>> 10);
    y = ((w23 >>> 7) | (w23 << 25)) ^ ((w23 >>> 18) | (w23 << 14)) ^ (w23 >>> 3);
    const w38 = (x + w31 + y + w22) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0x81c2c92e + w38) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 39
    x = ((w37 >>> 17) | (w37 << 15)) ^ ((w37 >>> 19) | (w37 << 13)) ^ (w37 >>> 10);
    y = ((w24 >>> 7) | (w24 << 25)) ^ ((w24 >>> 18) | (w24 << 14)) ^ (w24 >>> 3);
    const w39 = (x + w32 + y + w23) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x92722c85 + w39) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 40
    x = ((w38 >>> 17) | (w38 << 15)) ^ ((w38 >>> 19) | (w38 << 13)) ^ (w38 >>> 10);
    y = ((w25 >>> 7) | (w25 << 25)) ^ ((w25 >>> 18) | (w25 << 14)) ^ (w25 >>> 3);
    const w40 = (x + w33 + y + w24) | 0;
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0xa2bfe8a1 + w40) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 41
    x = ((w39 >>> 17) | (w39 << 15)) ^ ((w39 >>> 19) | (w39 << 13)) ^ (w39 >>> 10);
    y = ((w26 >>> 7) | (w26 << 25)) ^ ((w26 >>> 18) | (w26 << 14)) ^ (w26 >>> 3);
    const w41 = (x + w34 + y + w25) | 0;
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0xa81a664b + w41) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 42
    x = ((w40 >>> 17) | (w40 << 15)) ^ ((w40 >>> 19) | (w40 << 13)) ^ (w40 >>> 10);
    y = ((w27 >>> 7) | (w27 << 25)) ^ ((w27 >>> 18) | (w27 << 14)) ^ (w27 >>> 3);
    const w42 = (x + w35 + y + w26) | 0;
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0xc24b8b70 + w42) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 43
    x = ((w41 >>> 17) | (w41 << 15)) ^ ((w41 >>> 19) | (w41 << 13)) ^ (w41 >>> 10);
    y = ((w28 >>> 7) | (w28 << 25)) ^ ((w28 >>> 18) | (w28 << 14)) ^ (w28 >>> 3);
    const w43 = (x + w36 + y + w27) | 0;
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0xc76c51a3 + w43) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 44
    x = ((w42 >>> 17) | (w42 << 15)) ^ ((w42 >>> 19) | (w42 << 13)) ^ (w42 >>> 10);
    y = ((w29 >>> 7) | (w29 << 25)) ^ ((w29 >>> 18) | (w29 << 14)) ^ (w29 >>> 3);
    const w44 = (x + w37 + y + w28) | 0;
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0xd192e819 + w44) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 45
    x = ((w43 >>> 17) | (w43 << 15)) ^ ((w43 >>> 19) | (w43 << 13)) ^ (w43 >>> 10);
    y = ((w30 >>> 7) | (w30 << 25)) ^ ((w30 >>> 18) | (w30 << 14)) ^ (w30 >>> 3);
    const w45 = (x + w38 + y + w29) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0xd6990624 + w45) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 46
    x = ((w44 >>> 17) | (w44 << 15)) ^ ((w44 >>> 19) | (w44 << 13)) ^ (w44 >>> 10);
    y = ((w31 >>> 7) | (w31 << 25)) ^ ((w31 >>> 18) | (w31 << 14)) ^ (w31 >>> 3);
    const w46 = (x + w39 + y + w30) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0xf40e3585 + w46) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 47
    x = ((w45 >>> 17) | (w45 << 15)) ^ ((w45 >>> 19) | (w45 << 13)) ^ (w45 >>> 10);
    y = ((w32 >>> 7) | (w32 << 25)) ^ ((w32 >>> 18) | (w32 << 14)) ^ (w32 >>> 3);
    const w47 = (x + w40 + y + w31) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x106aa070 + w47) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 48
    x = ((w46 >>> 17) | (w46 << 15)) ^ ((w46 >>> 19) | (w46 << 13)) ^ (w46 >>> 10);
    y = ((w33 >>> 7) | (w33 << 25)) ^ ((w33 >>> 18) | (w33 << 14)) ^ (w33 >>> 3);
    const w48 = (x + w41 + y + w32) | 0;
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0x19a4c116 + w48) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 49
    x = ((w47 >>> 17) | (w47 << 15)) ^ ((w47 >>> 19) | (w47 << 13)) ^ (w47 >>> 10);
    y = ((w34 >>> 7) | (w34 << 25)) ^ ((w34 >>> 18) | (w34 << 14)) ^ (w34 >>> 3);
    const w49 = (x + w42 + y + w33) | 0;
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0x1e376c08 + w49) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 50
    x = ((w48 >>> 17) | (w48 << 15)) ^ ((w48 >>> 19) | (w48 << 13)) ^ (w48 >>> 10);
    y = ((w35 >>> 7) | (w35 << 25)) ^ ((w35 >>> 18) | (w35 << 14)) ^ (w35 >>> 3);
    const w50 = (x + w43 + y + w34) | 0;
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0x2748774c + w50) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 51
    x = ((w49 >>> 17) | (w49 << 15)) ^ ((w49 >>> 19) | (w49 << 13)) ^ (w49 >>> 10);
    y = ((w36 >>> 7) | (w36 << 25)) ^ ((w36 >>> 18) | (w36 << 14)) ^ (w36 >>> 3);
    const w51 = (x + w44 + y + w35) | 0;
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0x34b0bcb5 + w51) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 52
    x = ((w50 >>> 17) | (w50 << 15)) ^ ((w50 >>> 19) | (w50 << 13)) ^ (w50 >>> 10);
    y = ((w37 >>> 7) | (w37 << 25)) ^ ((w37 >>> 18) | (w37 << 14)) ^ (w37 >>> 3);
    const w52 = (x + w45 + y + w36) | 0;
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0x391c0cb3 + w52) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 53
    x = ((w51 >>> 17) | (w51 << 15)) ^ ((w51 >>> 19) | (w51 << 13)) ^ (w51 >>> 10);
    y = ((w38 >>> 7) | (w38 << 25)) ^ ((w38 >>> 18) | (w38 << 14)) ^ (w38 >>> 3);
    const w53 = (x + w46 + y + w37) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0x4ed8aa4a + w53) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 54
    x = ((w52 >>> 17) | (w52 << 15)) ^ ((w52 >>> 19) | (w52 << 13)) ^ (w52 >>> 10);
    y = ((w39 >>> 7) | (w39 << 25)) ^ ((w39 >>> 18) | (w39 << 14)) ^ (w39 >>> 3);
    const w54 = (x + w47 + y + w38) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0x5b9cca4f + w54) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 55
    x = ((w53 >>> 17) | (w53 << 15)) ^ ((w53 >>> 19) | (w53 << 13)) ^ (w53 >>> 10);
    y = ((w40 >>> 7) | (w40 << 25)) ^ ((w40 >>> 18) | (w40 << 14)) ^ (w40 >>> 3);
    const w55 = (x + w48 + y + w39) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0x682e6ff3 + w55) | 0;
    c = (c + g) | 0;
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    g = (g + x + ((h & a) | (b & (h | a)))) | 0;
    // Round 56
    x = ((w54 >>> 17) | (w54 << 15)) ^ ((w54 >>> 19) | (w54 << 13)) ^ (w54 >>> 10);
    y = ((w41 >>> 7) | (w41 << 25)) ^ ((w41 >>> 18) | (w41 << 14)) ^ (w41 >>> 3);
    const w56 = (x + w49 + y + w40) | 0;
    x = ((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7));
    f = (f + x + (e ^ (c & (d ^ e))) + 0x748f82ee + w56) | 0;
    b = (b + f) | 0;
    x = ((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10));
    f = (f + x + ((g & h) | (a & (g | h)))) | 0;
    // Round 57
    x = ((w55 >>> 17) | (w55 << 15)) ^ ((w55 >>> 19) | (w55 << 13)) ^ (w55 >>> 10);
    y = ((w42 >>> 7) | (w42 << 25)) ^ ((w42 >>> 18) | (w42 << 14)) ^ (w42 >>> 3);
    const w57 = (x + w50 + y + w41) | 0;
    x = ((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7));
    e = (e + x + (d ^ (b & (c ^ d))) + 0x78a5636f + w57) | 0;
    a = (a + e) | 0;
    x = ((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10));
    e = (e + x + ((f & g) | (h & (f | g)))) | 0;
    // Round 58
    x = ((w56 >>> 17) | (w56 << 15)) ^ ((w56 >>> 19) | (w56 << 13)) ^ (w56 >>> 10);
    y = ((w43 >>> 7) | (w43 << 25)) ^ ((w43 >>> 18) | (w43 << 14)) ^ (w43 >>> 3);
    const w58 = (x + w51 + y + w42) | 0;
    x = ((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7));
    d = (d + x + (c ^ (a & (b ^ c))) + 0x84c87814 + w58) | 0;
    h = (h + d) | 0;
    x = ((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10));
    d = (d + x + ((e & f) | (g & (e | f)))) | 0;
    // Round 59
    x = ((w57 >>> 17) | (w57 << 15)) ^ ((w57 >>> 19) | (w57 << 13)) ^ (w57 >>> 10);
    y = ((w44 >>> 7) | (w44 << 25)) ^ ((w44 >>> 18) | (w44 << 14)) ^ (w44 >>> 3);
    const w59 = (x + w52 + y + w43) | 0;
    x = ((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7));
    c = (c + x + (b ^ (h & (a ^ b))) + 0x8cc70208 + w59) | 0;
    g = (g + c) | 0;
    x = ((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10));
    c = (c + x + ((d & e) | (f & (d | e)))) | 0;
    // Round 60
    x = ((w58 >>> 17) | (w58 << 15)) ^ ((w58 >>> 19) | (w58 << 13)) ^ (w58 >>> 10);
    y = ((w45 >>> 7) | (w45 << 25)) ^ ((w45 >>> 18) | (w45 << 14)) ^ (w45 >>> 3);
    const w60 = (x + w53 + y + w44) | 0;
    x = ((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7));
    b = (b + x + (a ^ (g & (h ^ a))) + 0x90befffa + w60) | 0;
    f = (f + b) | 0;
    x = ((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10));
    b = (b + x + ((c & d) | (e & (c | d)))) | 0;
    // Round 61
    x = ((w59 >>> 17) | (w59 << 15)) ^ ((w59 >>> 19) | (w59 << 13)) ^ (w59 >>> 10);
    y = ((w46 >>> 7) | (w46 << 25)) ^ ((w46 >>> 18) | (w46 << 14)) ^ (w46 >>> 3);
    const w61 = (x + w54 + y + w45) | 0;
    x = ((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7));
    a = (a + x + (h ^ (f & (g ^ h))) + 0xa4506ceb + w61) | 0;
    e = (e + a) | 0;
    x = ((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10));
    a = (a + x + ((b & c) | (d & (b | c)))) | 0;
    // Round 62
    x = ((w60 >>> 17) | (w60 << 15)) ^ ((w60 >>> 19) | (w60 << 13)) ^ (w60 >>> 10);
    y = ((w47 >>> 7) | (w47 << 25)) ^ ((w47 >>> 18) | (w47 << 14)) ^ (w47 >>> 3);
    const w62 = (x + w55 + y + w46) | 0;
    x = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    h = (h + x + (g ^ (e & (f ^ g))) + 0xbef9a3f7 + w62) | 0;
    d = (d + h) | 0;
    x = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = (h + x + ((a & b) | (c & (a | b)))) | 0;
    // Round 63
    x = ((w61 >>> 17) | (w61 << 15)) ^ ((w61 >>> 19) | (w61 << 13)) ^ (w61 >>> 10);
    y = ((w48 >>> 7) | (w48 << 25)) ^ ((w48 >>> 18) | (w48 << 14)) ^ (w48 >>> 3);
    const w63 = (x + w56 + y + w47) | 0;
    x = ((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7));
    g = (g + x + (f ^ (d & (e ^ f))) + 0xc67178f2 + w63) | 0;
    // Hash word 0 is the final a plus midstate word 0; most proofs fail on it alone.
    x = ((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10));
    const h0 = (g + x + ((h & a) | (b & (h | a))) + m0) >>> 0;
    if (h0 <= l0) {
      out[0] = h0;
      out[1] = h + m1;
      out[2] = a + m2;
      out[3] = b + m3;
      out[4] = c + g + m4;
      out[5] = d + m5;
      out[6] = e + m6;
      out[7] = f + m7;
      if (atMost(out, limit)) return i;
    }
  }
  return -1;
}

/**
 * Prepare a job from a 92-byte header (its proof bytes are ignored) and a target bigint.
 * Computes the SHA-256 midstate over header bytes 0..63 and rounds 0-4 of the second block
 * (FIPS 180-4, 6.2.2). Throws RangeError for a wrong header length or a target outside
 * (0, 2^256) — programmer errors.
 */
export function preparePowJob(header: Uint8Array, target: bigint): PowJob {
  if (header.length !== HEADER_BYTES) {
    throw new RangeError(`header must be ${HEADER_BYTES} bytes, got ${header.length}`);
  }
  if (target <= 0n || target >= TWO_256) {
    throw new RangeError('target must be in (0, 2^256)');
  }
  const midstate = compress(IV, header, 0);
  const block2 = [
    readWord(header, 64),
    readWord(header, 68),
    readWord(header, 72),
    readWord(header, 76),
    readWord(header, 80),
  ] as const;
  const round4 = runRounds(midstate, block2, 0, 5);
  const limitBig = target - 1n;
  const word = (i: number): number => Number((limitBig >> BigInt(32 * (7 - i))) & 0xffffffffn);
  const limit: Words8 = [word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7)];
  const job: PowJob = Object.freeze({ midstate, round4, block2, limit });
  // Warm-up: V8 allocates a function's type-feedback vector only after it has run a while, so the
  // first, long scan collects no feedback for its prologue; the optimising compiler then bails out
  // on it and the loop stays in slower on-stack-replacement code (measured: about half of fresh
  // processes ran at ~4.6 instead of ~5.8 M/s). A few one-proof scans first fix that; they cost
  // ~3 ms on the very first job, ~0.5 ms while the kernel is not yet optimised, then microseconds.
  const scratch = new Int32Array(8);
  for (let i = 0; i < WARM_UP_SCANS; i++) scan(job, 0, i, 1, ACCEPT_ALL, scratch);
  return job;
}

/** Throws RangeError unless `value` is a non-negative safe integer (a proof, or a proof count). */
function checkProof(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

/**
 * A proof search over a prepared job: {@link mineRange}, or a faster kernel the platform offers
 * (a WebAssembly one in the browser) that finds exactly the same proof for the same range.
 */
export type PowSearch = (
  job: PowJob,
  start: number,
  count: number,
) => { readonly proof: number; readonly hash: Uint8Array } | null;

/**
 * A kernel's scan of one segment: proofs hi * 2^32 + lo + i for i = 0..n-1 (lo + n <= 2^32,
 * n <= 2^30). Returns the first i whose hash is at most the job's limit, with its eight hash words
 * written to `out`, or -1.
 */
export type SegmentScan = (
  job: PowJob,
  hi: number,
  lo: number,
  n: number,
  out: Int32Array,
) => number;

/**
 * A {@link PowSearch} on a segment kernel: the range checked, cut into segments that never cross a
 * multiple of 2^32 (where the proof's high word changes) nor exceed 2^30, and the first proof
 * found returned with its hash as bytes. Every kernel goes through this one driver, so all throw
 * the same RangeErrors and return the same first proof.
 */
export function searchWith(scanSegment: SegmentScan): PowSearch {
  return (job, start, count) => {
    checkProof('start', start);
    checkProof('count', count);
    // Compared this way round because start + count may round (2^53 + 1 is not a double).
    if (count > Number.MAX_SAFE_INTEGER + 1 - start) {
      throw new RangeError('start + count must be at most 2^53');
    }
    const out = new Int32Array(8);
    let next = start;
    const end = start + count;
    while (next < end) {
      const hi = Math.floor(next / TWO_32);
      const lo = next - hi * TWO_32;
      const n = Math.min(end - next, TWO_32 - lo, MAX_SEGMENT);
      const i = scanSegment(job, hi, lo, n, out);
      if (i >= 0) return { proof: next + i, hash: wordsToBytes(out) };
      next += n;
    }
    return null;
  };
}

/**
 * Try proofs start, start+1, ..., start+count-1 (all safe integers, start >= 0,
 * start+count <= Number.MAX_SAFE_INTEGER+1). Returns the first proof whose hash (SHA-256 of the
 * header with that proof, FIPS 180-4) is below the target, with that hash (32 bytes), or null.
 * Throws RangeError when the range is not as described. The JavaScript kernel.
 */
export const mineRange: PowSearch = searchWith((job, hi, lo, n, out) =>
  scan(job, hi, lo, n, job.limit, out),
);

/**
 * Hash of the header with the given proof (a non-negative safe integer), computed by the kernel:
 * SHA-256 (FIPS 180-4) over the 92 header bytes with the proof written big-endian in the last 8.
 * For tests and verification convenience.
 */
export function hashWithProof(job: PowJob, proof: number): Uint8Array {
  checkProof('proof', proof);
  const hi = Math.floor(proof / TWO_32);
  const out = new Int32Array(8);
  scan(job, hi, proof - hi * TWO_32, 1, ACCEPT_ALL, out);
  return wordsToBytes(out);
}
