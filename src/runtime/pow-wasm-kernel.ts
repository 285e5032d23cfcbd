/**
 * The WebAssembly SIMD proof-of-work kernel, generated from this source: no binary is downloaded
 * or committed. `powWasmBytes()` writes the module byte by byte (WebAssembly core spec, chapter 5
 * "Binary Format", and the fixed-width SIMD proposal's opcodes); the worker compiles it at start.
 *
 * The kernel runs the same SHA-256 search as `scan` in src/core/pow-kernel.ts, on four proofs at
 * once: lane j of every i32x4 value holds proof lo + 4i + j. Like the JavaScript kernel it starts
 * from the job's midstate and its state after rounds 0-4 of the second block (FIPS 180-4, 6.2.2),
 * and it runs rounds 5-63 per call. Every value that does not depend on the proof's low word W6 is
 * computed once per call, before the loop: the generator tracks which values vary per proof and
 * hoists the rest, which is the hand hoisting of the JavaScript kernel done mechanically.
 *
 * The exported function `scan(lo, groups)` tries groups of four proofs lo + 4i .. lo + 4i + 3 for
 * i = 0 .. groups - 1 (hi, the proof's high word, and the job are read from memory) and returns
 * the first i for which some lane's first hash word is at most limit word 0, with the eight hash
 * words of all four lanes stored at `KERNEL_LAYOUT.out`; or -1. The caller then compares the full
 * hashes lane by lane, in proof order (src/runtime/pow-wasm.ts).
 */
import { SHA256_K } from '../core/pow-kernel.ts';

/** Byte offsets in the module's memory: the job's inputs, written by the caller, and the output. */
export const KERNEL_LAYOUT = {
  /** Eight words: the midstate (SHA-256 state after header bytes 0..63). */
  midstate: 0,
  /** Eight words: working variables a..h after rounds 0-4 of the second block. */
  round4: 32,
  /** Five words: second-block message words W0..W4. */
  block2: 64,
  /** One word: W5, the proof's high 32 bits. */
  hi: 84,
  /** One word: word 0 of the limit (target - 1), the first and usually the only one compared. */
  limit0: 88,
  /** Eight i32x4 vectors: hash word k of lane j at out + 16k + 4j. */
  out: 128,
} as const;

/** Proofs per kernel step: one per 32-bit lane of a 128-bit vector. */
export const LANES = 4;

// Opcodes (WebAssembly core spec 5.4; SIMD instructions are 0xfd followed by a LEB128 number).
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  void: 0x40,
  i32: 0x7f,
  v128: 0x7b,
} as const;
const SIMD = {
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  i32x4Splat: 0x11,
  i32x4LeU: 0x3e,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;

/** Unsigned LEB128 (spec 5.2.2). */
function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (spec 5.2.2). */
function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];

/** A value in the generated code: a constant folded at generation, or a v128 local. */
type Val =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'uniform' | 'varying'; readonly local: number };

/**
 * Emits the kernel's straight-line code. Values that depend on the proof's low word are
 * `varying` and computed in the loop body; others are `uniform` and computed in the prologue,
 * once per call; operations on constants are folded here.
 */
class Emitter {
  readonly prologue: number[] = [];
  readonly body: number[] = [];
  /** Locals 0-1 are the parameters, 2 the loop counter, 3 the proofs vector; then one per value. */
  locals = 4;

  #push(code: number[], v: Val): void {
    if (v.kind === 'const') {
      code.push(...simd(SIMD.const));
      for (let lane = 0; lane < LANES; lane++) {
        const x = v.value >>> 0;
        code.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24);
      }
    } else {
      code.push(OP.localGet, ...uleb(v.local));
    }
  }

  /** `op` over `args` (all pushed), or `fold` of their values when all are constants. */
  #op(args: readonly Val[], op: number[], fold: (xs: number[]) => number): Val {
    const values: number[] = [];
    for (const a of args) if (a.kind === 'const') values.push(a.value);
    if (values.length === args.length) return { kind: 'const', value: fold(values) | 0 };
    const kind = args.some((a) => a.kind === 'varying') ? 'varying' : 'uniform';
    const code = kind === 'varying' ? this.body : this.prologue;
    for (const a of args) this.#push(code, a);
    code.push(...op);
    return this.#store(code, kind);
  }

  #store(code: number[], kind: 'uniform' | 'varying'): Val {
    const local = this.locals++;
    code.push(OP.localSet, ...uleb(local));
    return { kind, local };
  }

  /** A word of the job from memory, as four equal lanes. */
  load(offset: number): Val {
    this.prologue.push(OP.i32Const, 0, ...simd(SIMD.load32Splat), 2, ...uleb(offset));
    return this.#store(this.prologue, 'uniform');
  }

  /**
   * The sum of `terms` modulo 2^32, regrouped (addition is associative and commutative): the
   * constants are folded, the uniform terms summed before the loop, the varying ones inside it.
   */
  add(...terms: Val[]): Val {
    let constant = 0;
    const uniform: Val[] = [];
    const varying: Val[] = [];
    for (const t of terms) {
      if (t.kind === 'const') constant = (constant + t.value) | 0;
      else (t.kind === 'uniform' ? uniform : varying).push(t);
    }
    if (constant !== 0) uniform.push({ kind: 'const', value: constant });
    const fixed = this.#sum(uniform);
    return this.#sum(fixed ? [...varying, fixed] : varying) ?? { kind: 'const', value: 0 };
  }

  #sum(terms: readonly Val[]): Val | null {
    const [first, ...rest] = terms;
    if (!first) return null;
    return rest.reduce(
      (acc, t) => this.#op([acc, t], simd(SIMD.i32x4Add), ([x = 0, y = 0]) => x + y),
      first,
    );
  }

  xor(x: Val, y: Val): Val {
    return this.#op([x, y], simd(SIMD.xor), ([p = 0, q = 0]) => p ^ q);
  }
  and(x: Val, y: Val): Val {
    return this.#op([x, y], simd(SIMD.and), ([p = 0, q = 0]) => p & q);
  }
  or(x: Val, y: Val): Val {
    return this.#op([x, y], simd(SIMD.or), ([p = 0, q = 0]) => p | q);
  }
  /** Bits of `x` where `mask` is 1, of `y` where it is 0 (v128.bitselect). */
  select(x: Val, y: Val, mask: Val): Val {
    return this.#op(
      [x, y, mask],
      simd(SIMD.bitselect),
      ([p = 0, q = 0, m = 0]) => (p & m) | (q & ~m),
    );
  }
  shl(x: Val, n: number): Val {
    return this.#op([x], [OP.i32Const, ...sleb(n), ...simd(SIMD.i32x4Shl)], ([p = 0]) => p << n);
  }
  shrU(x: Val, n: number): Val {
    return this.#op([x], [OP.i32Const, ...sleb(n), ...simd(SIMD.i32x4ShrU)], ([p = 0]) => p >>> n);
  }
  rotr(x: Val, n: number): Val {
    return this.or(this.shrU(x, n), this.shl(x, 32 - n));
  }

  // FIPS 180-4, section 4.1.2.
  bigSigma0(x: Val): Val {
    return this.xor(this.xor(this.rotr(x, 2), this.rotr(x, 13)), this.rotr(x, 22));
  }
  bigSigma1(x: Val): Val {
    return this.xor(this.xor(this.rotr(x, 6), this.rotr(x, 11)), this.rotr(x, 25));
  }
  smallSigma0(x: Val): Val {
    return this.xor(this.xor(this.rotr(x, 7), this.rotr(x, 18)), this.shrU(x, 3));
  }
  smallSigma1(x: Val): Val {
    return this.xor(this.xor(this.rotr(x, 17), this.rotr(x, 19)), this.shrU(x, 10));
  }
  /** Ch(e, f, g): f where e is 1, g where e is 0, in one bitselect. */
  ch(e: Val, f: Val, g: Val): Val {
    return this.select(f, g, e);
  }
  /**
   * Maj(a, b, c) as b ^ ((a ^ b) & (b ^ c)), given `bc` = b ^ c: this round's a ^ b is the next
   * round's b ^ c, so each round pays three operations instead of a bitselect (three on x64)
   * and an xor. Returns Maj and a ^ b.
   */
  maj(a: Val, b: Val, bc: Val): { maj: Val; ab: Val } {
    const ab = this.xor(a, b);
    return { maj: this.xor(b, this.and(ab, bc)), ab };
  }
}

const word = (value: number): Val => ({ kind: 'const', value: value | 0 });

/** The function body: prologue, the loop over groups of four proofs, and the hit test. */
function kernelCode(): { locals: number; code: number[] } {
  const g = new Emitter();
  const L = KERNEL_LAYOUT;
  const PARAM_LO = 0;
  const PARAM_GROUPS = 1;
  const COUNTER = 2;
  const PROOFS = 3;

  const midstate = Array.from({ length: 8 }, (_, i) => g.load(L.midstate + 4 * i));
  const state = Array.from({ length: 8 }, (_, i) => g.load(L.round4 + 4 * i));
  // The second block's message (FIPS 180-4, 5.1.1): header bytes 64..91, then the padding of a
  // 92-byte message: W7 = 0x80000000, W8..W14 = 0, W15 = 92 * 8 = 736 bits.
  const w: Val[] = [
    ...Array.from({ length: 5 }, (_, i) => g.load(L.block2 + 4 * i)),
    g.load(L.hi),
    { kind: 'varying', local: PROOFS },
    word(0x80000000),
    ...Array.from({ length: 7 }, () => word(0)),
    word(736),
  ];
  const limit0 = g.load(L.limit0);
  for (let t = 16; t < 64; t++) {
    const [w2, w7, w15, w16] = [w[t - 2], w[t - 7], w[t - 15], w[t - 16]];
    if (!w2 || !w7 || !w15 || !w16) throw new Error('schedule index out of range');
    w.push(g.add(g.smallSigma1(w2), w7, g.smallSigma0(w15), w16));
  }
  let [a, b, c, d, e, f, gg, h] = state as [Val, Val, Val, Val, Val, Val, Val, Val];
  let bc = g.xor(b, c);
  for (let t = 5; t < 64; t++) {
    const t1 = g.add(h, g.bigSigma1(e), g.ch(e, f, gg), word(SHA256_K[t] ?? 0), w[t] ?? word(0));
    const { maj, ab } = g.maj(a, b, bc);
    bc = ab;
    const t2 = g.add(g.bigSigma0(a), maj);
    h = gg;
    gg = f;
    f = e;
    e = g.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = g.add(t1, t2);
  }
  const hash = [a, b, c, d, e, f, gg, h].map((v, i) => g.add(v, midstate[i] ?? word(0)));

  const code: number[] = [...g.prologue];
  // proofs = (lo, lo + 1, lo + 2, lo + 3)
  code.push(OP.localGet, PARAM_LO, ...simd(SIMD.i32x4Splat));
  code.push(...simd(SIMD.const), 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0);
  code.push(...simd(SIMD.i32x4Add), OP.localSet, PROOFS);
  code.push(OP.block, OP.void, OP.localGet, PARAM_GROUPS, OP.i32Eqz, OP.brIf, 0);
  code.push(OP.loop, OP.void, ...g.body);
  // Any lane whose first hash word is at most limit word 0 (unsigned): store all, return i.
  const [h0] = hash;
  if (h0?.kind !== 'varying' || limit0.kind !== 'uniform') throw new Error('unexpected hash word');
  code.push(OP.localGet, ...uleb(h0.local), OP.localGet, ...uleb(limit0.local));
  code.push(...simd(SIMD.i32x4LeU), ...simd(SIMD.anyTrue), OP.if, OP.void);
  hash.forEach((v, k) => {
    if (v.kind === 'const') throw new Error('unexpected constant hash word');
    code.push(OP.i32Const, 0, OP.localGet, ...uleb(v.local));
    code.push(...simd(SIMD.store), 4, ...uleb(L.out + 16 * k));
  });
  code.push(OP.localGet, COUNTER, OP.return, OP.end);
  // proofs += 4; i += 1; continue while i < groups
  code.push(OP.localGet, PROOFS, ...simd(SIMD.const));
  for (let lane = 0; lane < LANES; lane++) code.push(LANES, 0, 0, 0);
  code.push(...simd(SIMD.i32x4Add), OP.localSet, PROOFS);
  code.push(OP.localGet, COUNTER, OP.i32Const, 1, OP.i32Add, OP.localTee, COUNTER);
  code.push(OP.localGet, PARAM_GROUPS, OP.i32LtU, OP.brIf, 0, OP.end, OP.end);
  code.push(OP.i32Const, ...sleb(-1), OP.end);
  return { locals: g.locals, code };
}

/** A section: its id, then its contents as a byte vector (spec 5.5.2). */
function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

/** A name (spec 5.2.4). */
function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * The kernel module's bytes: one memory of one page (exported as `memory`) and the function
 * `scan(lo: i32, groups: i32) -> i32`. Deterministic: the same bytes on every call.
 */
export function powWasmBytes(): Uint8Array<ArrayBuffer> {
  const { locals, code } = kernelCode();
  // Local declarations: one i32 (the counter), then the proofs vector and every value, all v128.
  const body = [2, 1, OP.i32, ...uleb(locals - 3), OP.v128, ...code];
  const module = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, OP.i32, OP.i32, 1, OP.i32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('scan'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ];
  return Uint8Array.from(module);
}
