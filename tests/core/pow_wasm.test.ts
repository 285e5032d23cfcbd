/**
 * The WebAssembly SIMD proof-of-work kernel (src/runtime/pow-wasm.ts) finds exactly what the
 * JavaScript kernel finds, and a kernel that is wrong, missing or not faster is never chosen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, mineRange, preparePowJob } from '../../src/core/pow-kernel.ts';
import type { PowSearch } from '../../src/core/pow-kernel.ts';
import {
  adaptivePowSearch,
  choosePowSearch,
  selfTest,
  wasmPowSearch,
} from '../../src/runtime/pow-wasm.ts';
import { powWasmBytes } from '../../src/runtime/pow-wasm-kernel.ts';

const TWO_32 = 2 ** 32;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const wasm: PowSearch = wasmPowSearch(new WebAssembly.Module(powWasmBytes()));

/** Results as plain data, so that a mismatch prints readably. */
const show = (r: ReturnType<PowSearch>): { proof: number; hash: string } | null =>
  r && { proof: r.proof, hash: hex(r.hash) };

/** A valid module exporting `scan` and `memory` whose scan claims a hit at once and stores nothing. */
function lyingKernel(): Uint8Array<ArrayBuffer> {
  const name = (s: string): number[] => [s.length, ...Buffer.from(s)];
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const code = [0, 0x41, 0, 0x0b]; // no locals; i32.const 0; end
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('scan'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, code.length, ...code]),
  ]);
}

/**
 * The real kernel with one lane of one constant changed: K63 (0xc67178f2) in lane 3 only, so
 * that only every fourth proof hashes wrong.
 */
function oneLaneWrong(): Uint8Array<ArrayBuffer> {
  const bytes = powWasmBytes();
  const k63 = [0xf2, 0x78, 0x71, 0xc6];
  const pattern = [...k63, ...k63, ...k63, ...k63];
  const at = bytes.findIndex((_, i) => pattern.every((b, j) => bytes[i + j] === b));
  if (at < 0) throw new Error('K63 not found as a v128 constant');
  bytes[at + 12] = (bytes[at + 12] ?? 0) ^ 1;
  return bytes;
}

describe('the WebAssembly SIMD kernel', () => {
  it('is generated deterministically and validates', () => {
    const a = powWasmBytes();
    expect(hex(powWasmBytes())).toBe(hex(a));
    expect(WebAssembly.validate(a)).toBe(true);
  });

  it('hashes published vectors', () => {
    // SHA-256 of 92 zero bytes, and of bytes 0..91 with proof 0xdeadbeef (as in pow-kernel.test).
    const any = (header: Uint8Array) => preparePowJob(header, (1n << 256n) - 1n);
    expect(show(wasm(any(new Uint8Array(HEADER_BYTES)), 0, 1))).toEqual({
      proof: 0,
      hash: '62b14867e4e79d50673d2f7474335229f54c478f56d2a910235e1953c6d29206',
    });
    const counting = Uint8Array.from({ length: HEADER_BYTES }, (_, i) => i);
    expect(show(wasm(any(counting), 0xdeadbeef, 3))).toEqual({
      proof: 0xdeadbeef,
      hash: '4d96da626661f3465b8292564f53ae1cc803a22305d6c33ec5f8381e918580c3',
    });
  });

  it('passes the self-test', () => {
    expect(selfTest(wasm)).toBeNull();
  });

  it('finds the same first proof and hash as mineRange for any header, target and range', () => {
    const starts = fc.oneof(
      fc.nat({ max: 10_000 }),
      fc.integer({ min: TWO_32 - 4_000, max: TWO_32 + 10 }),
      fc.integer({ min: 5 * TWO_32 - 4_000, max: 5 * TWO_32 }),
      fc.integer({ min: MAX_SAFE - 4_000, max: MAX_SAFE }),
      fc.maxSafeNat(),
    );
    // Easy targets (one proof in 2^bits meets them), and arbitrary ones.
    const targets = fc.oneof(
      fc.integer({ min: 1, max: 12 }).map((bits) => 1n << BigInt(256 - bits)),
      fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
      fc.constant(1n),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }),
        targets,
        starts,
        fc.nat({ max: 3_000 }),
        (header, target, start, wanted) => {
          const count = Math.min(wanted, MAX_SAFE + 1 - start);
          const job = preparePowJob(header, target);
          expect(show(wasm(job, start, count))).toEqual(show(mineRange(job, start, count)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a hit at every offset of a range that is not a multiple of four long', () => {
    const job = preparePowJob(new Uint8Array(HEADER_BYTES), 1n << 250n);
    for (let start = TWO_32 - 70; start < TWO_32 + 5; start++) {
      for (const count of [0, 1, 2, 3, 5, 7, 64]) {
        expect(show(wasm(job, start, count))).toEqual(show(mineRange(job, start, count)));
      }
    }
  });

  it('rejects the ranges mineRange rejects', () => {
    const job = preparePowJob(new Uint8Array(HEADER_BYTES), 1n);
    for (const [start, count] of [
      [-1, 1],
      [1.5, 1],
      [0, -1],
      [MAX_SAFE, 2],
      [Number.NaN, 1],
    ] as const) {
      expect(() => wasm(job, start, count)).toThrow(RangeError);
      expect(() => mineRange(job, start, count)).toThrow(RangeError);
    }
    expect(wasm(job, MAX_SAFE, 1)).toBeNull();
  });
});

describe('choosePowSearch', () => {
  const choose = async (options: Parameters<typeof choosePowSearch>[1]) => {
    const lines: string[] = [];
    const choice = await choosePowSearch((line) => lines.push(line), options);
    return { choice, lines };
  };

  it('falls back to JavaScript, with a log line, when the kernel hashes wrong', async () => {
    for (const bytes of [lyingKernel(), oneLaneWrong()]) {
      const { choice, lines } = await choose({ bytes });
      expect(choice.kernel).toBe('js');
      expect(choice.search).toBe(mineRange);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^proof-of-work kernel: JavaScript \(WebAssembly self-test failed/);
    }
  });

  it('falls back to JavaScript when the module does not validate', async () => {
    const { choice, lines } = await choose({ bytes: Uint8Array.from([0, 0x61, 0x73, 0x6d, 2]) });
    expect(choice.search).toBe(mineRange);
    expect(lines).toEqual(['proof-of-work kernel: JavaScript (no WebAssembly SIMD)']);
  });

  it('keeps JavaScript unless the kernel is faster by the margin', async () => {
    const { choice, lines } = await choose({ margin: 1_000, rounds: 2, proofs: 2_000 });
    expect(choice.kernel).toBe('js');
    expect(lines[0]).toMatch(/not 1000x faster: WebAssembly SIMD [\d.]+ MH\/s, JavaScript/);
  });

  it('chooses the kernel when it is correct and any faster at all', async () => {
    // margin 0: the speed test always passes, so this checks the path, not a speed.
    const { choice, lines } = await choose({ margin: 0, rounds: 1, proofs: 1_000 });
    expect(choice.kernel).toBe('wasm-simd');
    expect(lines[0]).toMatch(/^proof-of-work kernel: WebAssembly SIMD \(/);
    const job = preparePowJob(new Uint8Array(HEADER_BYTES), 1n << 248n);
    expect(show(choice.search(job, 0, 5_000))).toEqual(show(mineRange(job, 0, 5_000)));
  });

  it('adaptivePowSearch mines with JavaScript until the choice is made, then with it', async () => {
    const lines: string[] = [];
    const adaptive = adaptivePowSearch((line) => lines.push(line), {
      margin: 0,
      rounds: 1,
      proofs: 1_000,
    });
    const job = preparePowJob(new Uint8Array(HEADER_BYTES), 1n << 248n);
    const want = show(mineRange(job, 0, 5_000));
    expect(adaptive.kernel()).toBe('js');
    expect(show(adaptive.search(job, 0, 5_000))).toEqual(want);
    await expect.poll(() => adaptive.kernel()).toBe('wasm-simd');
    expect(show(adaptive.search(job, 0, 5_000))).toEqual(want);
    expect(lines).toHaveLength(1);
  });
});
