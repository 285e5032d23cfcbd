/**
 * The proof search a worker mines with: the WebAssembly SIMD kernel (./pow-wasm-kernel.ts) where
 * the platform runs it correctly and clearly faster, else the JavaScript kernel (`mineRange`).
 * Both find the same first proof with the same hash for the same range; the choice only changes
 * the speed.
 */
import type { PowJob, PowSearch } from '../core/pow-kernel.ts';
import {
  atMost,
  HEADER_BYTES,
  hashWithProof,
  mineRange,
  preparePowJob,
  searchWith,
} from '../core/pow-kernel.ts';
import { KERNEL_LAYOUT, LANES, powWasmBytes } from './pow-wasm-kernel.ts';

/** Which kernel a worker mines with. */
export type PowKernelName = 'wasm-simd' | 'js';

/** 2^32: the self-test's ranges cross its multiples, where the proof's high word changes. */
const TWO_32 = 0x1_0000_0000;

/**
 * A `PowSearch` on a compiled kernel module; throws if the module cannot be instantiated or does
 * not export what the kernel exports. The same driver as `mineRange` (`searchWith`), so the same
 * contract, RangeErrors included.
 */
export function wasmPowSearch(module: WebAssembly.Module): PowSearch {
  const instance = new WebAssembly.Instance(module, {});
  const { scan, memory } = instance.exports;
  if (typeof scan !== 'function' || !(memory instanceof WebAssembly.Memory)) {
    throw new Error('the kernel module does not export scan and memory');
  }
  const kernel = scan as (lo: number, groups: number) => number;
  // The memory never grows, so this view stays valid.
  const words = new Int32Array(memory.buffer);
  const L = KERNEL_LAYOUT;
  let loaded: PowJob | null = null;

  const load = (job: PowJob): void => {
    if (loaded === job) return;
    words.set(job.midstate, L.midstate / 4);
    words.set(job.round4, L.round4 / 4);
    words.set(job.block2, L.block2 / 4);
    words[L.limit0 / 4] = job.limit[0];
    loaded = job;
  };

  return searchWith((job, hi, lo, n, out) => {
    load(job);
    words[L.hi / 4] = hi | 0;
    const groups = Math.ceil(n / LANES);
    let from = 0;
    while (from < groups) {
      // lo + 4 * from < 2^32 here; the lanes past n (at most three) are computed and ignored,
      // even where their low word wraps.
      const at = kernel((lo + LANES * from) | 0, groups - from);
      if (at < 0) break;
      const group = from + at;
      // The kernel compared only the first hash word: compare the whole hash, lane by lane, in
      // proof order.
      for (let lane = 0; lane < LANES; lane++) {
        const i = LANES * group + lane;
        if (i >= n) break;
        for (let k = 0; k < 8; k++) out[k] = words[L.out / 4 + LANES * k + lane] ?? 0;
        if (atMost(out, job.limit)) return i;
      }
      from = group + 1;
    }
    return -1;
  });
}

/** What a worker mines with, and why. */
export interface PowChoice {
  readonly search: PowSearch;
  readonly kernel: PowKernelName;
  /** One line for the log: the kernel chosen and the reason. */
  readonly reason: string;
}

/** Deterministic test headers: bytes following `f(i)`. */
const patterned = (f: (i: number) => number): Uint8Array =>
  Uint8Array.from({ length: HEADER_BYTES }, (_, i) => f(i) & 0xff);

/** The headers {@link selfTest} mines on: zeros and three byte patterns. */
export const SELF_TEST_HEADERS: readonly Uint8Array[] = [
  new Uint8Array(HEADER_BYTES),
  patterned((i) => i),
  patterned((i) => 255 - i * 7),
  patterned((i) => i * 37 + 11),
];

/**
 * Compare `search` with the JavaScript kernel on known work: several headers, ranges that start
 * just below a multiple of 2^32 and cross it, targets met by the first proof of a range at each
 * lane 0..3 (every offset of a four-proof group), an easy target, and one never met. Returns the
 * first disagreement, or null.
 */
export function selfTest(
  search: PowSearch,
  headers: readonly Uint8Array[] = SELF_TEST_HEADERS,
): string | null {
  const same = (
    what: string,
    a: ReturnType<PowSearch>,
    b: ReturnType<PowSearch>,
  ): string | null => {
    if (a === null && b === null) return null;
    if (a === null || b === null || a.proof !== b.proof || !equalBytes(a.hash, b.hash)) {
      const show = (r: ReturnType<PowSearch>): string => (r ? `proof ${r.proof}` : 'nothing');
      return `${what}: found ${show(a)}, the JavaScript kernel ${show(b)}`;
    }
    return null;
  };
  for (const [h, header] of headers.entries()) {
    // Every proof is accepted at the all-ones limit: the hash of the range's first proof, at any
    // lane (start modulo 4 = 0..3) and on both sides of 2^32.
    const all = preparePowJob(header, 1n << 255n);
    const any = preparePowJob(header, (1n << 256n) - 1n);
    for (const start of [0, 1, 2, 3, TWO_32 - 3, TWO_32 - 1, TWO_32, 3 * TWO_32 + 2]) {
      const r = search(any, start, 5);
      const want = { proof: start, hash: hashWithProof(any, start) };
      const bad = same(`header ${h}, accept-all from ${start}`, r, want);
      if (bad) return bad;
      const half = same(
        `header ${h}, half from ${start}`,
        search(all, start, 64),
        mineRange(all, start, 64),
      );
      if (half) return half;
    }
    // An easy target (one proof in 256): the first hit, across 2^32 and within a short range.
    const easy = preparePowJob(header, 1n << 248n);
    for (const [start, count] of [
      [0, 2_000],
      [TWO_32 - 700, 1_500],
      [17, 3],
      [2 ** 40 + 5, 1_001],
    ] as const) {
      const bad = same(
        `header ${h}, easy target from ${start}`,
        search(easy, start, count),
        mineRange(easy, start, count),
      );
      if (bad) return bad;
    }
    // A target equal to one hash plus one, met first at lane j of the group (the hashes before it
    // are larger): the full eight-word comparison, at its edge, at every lane.
    for (let lane = 0; lane < LANES; lane++) {
      for (let base = h * 1_000; ; base++) {
        const hashes = [0, 1, 2, 3].map((i) => toBigInt(hashWithProof(all, base + i)));
        const mine = hashes[lane] ?? 0n;
        if (!hashes.slice(0, lane).every((x) => x > mine)) continue;
        const exact = preparePowJob(header, mine + 1n);
        const bad = same(
          `header ${h}, lane ${lane} from ${base}`,
          search(exact, base, LANES),
          mineRange(exact, base, LANES),
        );
        if (bad) return bad;
        break;
      }
    }
    // A target never met: a full scan finds nothing.
    const never = preparePowJob(header, 1n);
    const none = same(`header ${h}, target 1`, search(never, TWO_32 - 99, 201), null);
    if (none) return none;
  }
  return null;
}

function toBigInt(hash: Uint8Array): bigint {
  let x = 0n;
  for (const byte of hash) x = (x << 8n) | BigInt(byte);
  return x;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Options for {@link choosePowSearch}; the defaults are what workers use. */
export interface ChooseOptions {
  /** The kernel module's bytes (tests pass broken ones). */
  readonly bytes?: Uint8Array<ArrayBuffer>;
  /** How much faster the WebAssembly kernel must measure to be chosen. */
  readonly margin?: number;
  /** Timing rounds; each times both kernels once, interleaved, with a yield in between. */
  readonly rounds?: number;
  /** Proofs per timed call: about the mining slice (src/runtime/node-host.ts SLICE_HASHES). */
  readonly proofs?: number;
  /** Let the event loop run between timed calls (CONTRIBUTING.md, Mining never blocks). */
  readonly pause?: () => Promise<void>;
}

/** 1.2x: a clear margin over the run-to-run noise of a few percent. */
const DEFAULT_MARGIN = 1.2;
const DEFAULT_ROUNDS = 12;
const DEFAULT_PROOFS = 25_000;

/**
 * Pick the kernel this platform mines with: the WebAssembly SIMD one only if it compiles, passes
 * {@link selfTest} against the JavaScript kernel, and measures at least `margin` times as fast;
 * otherwise `mineRange` (CONTRIBUTING.md, Fast paths). Calls `log` once with the choice and its
 * reason. The timing runs in short calls with `pause` between them, so a worker keeps answering
 * meanwhile.
 */
export async function choosePowSearch(
  log: (line: string) => void,
  options: ChooseOptions = {},
): Promise<PowChoice> {
  const js = (reason: string): PowChoice => {
    const line = `proof-of-work kernel: JavaScript (${reason})`;
    log(line);
    return { search: mineRange, kernel: 'js', reason: line };
  };
  let search: PowSearch;
  try {
    if (typeof WebAssembly === 'undefined') return js('no WebAssembly');
    const bytes = options.bytes ?? powWasmBytes();
    if (!WebAssembly.validate(bytes)) return js('no WebAssembly SIMD');
    search = wasmPowSearch(new WebAssembly.Module(bytes));
  } catch (e) {
    return js(`WebAssembly unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pause = options.pause ?? (() => Promise.resolve());
  // One header at a time, so that the worker answers in between.
  for (const header of SELF_TEST_HEADERS) {
    let failure: string | null;
    try {
      failure = selfTest(search, [header]);
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    if (failure !== null) return js(`WebAssembly self-test failed: ${failure}`);
    await pause();
  }

  const margin = options.margin ?? DEFAULT_MARGIN;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const proofs = options.proofs ?? DEFAULT_PROOFS;
  const job = preparePowJob(
    patterned((i) => i * 29 + 3),
    1n,
  );
  const timed = (s: PowSearch, start: number): number => {
    const t0 = performance.now();
    if (s(job, start, proofs) !== null) throw new Error('target 1 was met');
    return performance.now() - t0;
  };
  // The fastest of the rounds for each: the least disturbed by the page, other workers and tier-up.
  let jsBest = Infinity;
  let wasmBest = Infinity;
  for (let r = 0; r < rounds; r++) {
    jsBest = Math.min(jsBest, timed(mineRange, r * proofs));
    await pause();
    wasmBest = Math.min(wasmBest, timed(search, r * proofs));
    await pause();
  }
  const mega = (ms: number): string => (proofs / ms / 1000).toFixed(1);
  const rates = `WebAssembly SIMD ${mega(wasmBest)} MH/s, JavaScript ${mega(jsBest)} MH/s`;
  if (!(wasmBest * margin <= jsBest)) return js(`not ${margin}x faster: ${rates}`);
  const line = `proof-of-work kernel: WebAssembly SIMD (${rates})`;
  log(line);
  return { search, kernel: 'wasm-simd', reason: line };
}

/**
 * A `PowSearch` that runs the JavaScript kernel until {@link choosePowSearch}, started on its
 * first call (so only a worker that mines pays for it), has chosen; then the chosen one. The
 * choice runs between mining slices, `pause` letting each slice and message through.
 */
export function adaptivePowSearch(
  log: (line: string) => void,
  options: ChooseOptions = {},
): {
  readonly search: PowSearch;
  kernel(): PowKernelName;
  /** The choice, made now if no mining started it yet. */
  chosen(): Promise<PowChoice>;
} {
  let current: PowChoice | null = null;
  let choosing: Promise<PowChoice> | null = null;
  const choose = (): Promise<PowChoice> =>
    (choosing ??= choosePowSearch(log, options).then(
      (choice) => (current = choice),
      (e: unknown) => {
        const reason = `proof-of-work kernel: JavaScript (the choice failed: ${String(e)})`;
        log(reason);
        return (current = { search: mineRange, kernel: 'js', reason });
      },
    ));
  return {
    search: (job, start, count) => {
      if (!choosing) void choose();
      return (current?.search ?? mineRange)(job, start, count);
    },
    kernel: () => current?.kernel ?? 'js',
    chosen: choose,
  };
}
