/**
 * Proof-of-work kernel benchmark: hashes per second of the midstate kernel (src/core/pow-kernel.ts)
 * against node:crypto called once per candidate, both on the same random 92-byte header.
 *
 * Run: npx tsx scripts/bench-pow.ts [seconds per side, default 2]
 */
import { createHash, randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { HEADER_BYTES, hashWithProof, mineRange, preparePowJob } from '../src/core/pow-kernel.ts';

/** Proofs per kernel call: ~10 ms of work, so the clock is read rarely. */
const KERNEL_CHUNK = 1 << 16;
/** node:crypto hashes between clock reads. */
const NODE_CHUNK = 1 << 10;
/** Untimed warm-up before each measurement, so both sides are measured after JIT tier-up. */
const WARM_UP_SECONDS = 0.3;

/** Runs `step` (which does `per` hashes) repeatedly for `seconds`; returns hashes per second. */
function rate(seconds: number, per: number, step: (done: number) => void): number {
  const start = performance.now();
  const stop = start + seconds * 1000;
  let done = 0;
  let now = start;
  while (now < stop) {
    step(done);
    done += per;
    now = performance.now();
  }
  return (done * 1000) / (now - start);
}

/**
 * Measures the kernel (`mineRange` with an unreachable target, so every proof is tried) and
 * node:crypto `createHash('sha256').update(header).digest()` per candidate (with the proof written
 * into the header first, as a miner must) for `seconds` each, on the same random header.
 */
export async function benchPow(
  seconds: number,
): Promise<{ miner_hps: number; node_crypto_hps: number }> {
  const header = randomBytes(HEADER_BYTES);
  const job = preparePowJob(header, 1n);

  // Sanity check before timing anything: the kernel and node:crypto agree on this header.
  const probe = Buffer.from(header);
  probe.writeBigUInt64BE(123_456_789n, HEADER_BYTES - 8);
  const want = createHash('sha256').update(probe).digest('hex');
  if (Buffer.from(hashWithProof(job, 123_456_789)).toString('hex') !== want) {
    throw new Error('pow kernel disagrees with node:crypto');
  }

  const kernelStep = (done: number): void => {
    if (mineRange(job, done, KERNEL_CHUNK) !== null) throw new Error('target 1 was met');
  };
  rate(WARM_UP_SECONDS, KERNEL_CHUNK, kernelStep);
  const miner_hps = rate(seconds, KERNEL_CHUNK, kernelStep);

  await nextTurn(); // let pending I/O (e.g. the printout of a combined bench) through

  const buf = Buffer.from(header);
  const nodeStep = (done: number): void => {
    for (let proof = done; proof < done + NODE_CHUNK; proof++) {
      buf.writeUInt32BE(Math.floor(proof / 0x1_0000_0000), HEADER_BYTES - 8);
      buf.writeUInt32BE(proof >>> 0, HEADER_BYTES - 4);
      createHash('sha256').update(buf).digest();
    }
  };
  rate(WARM_UP_SECONDS, NODE_CHUNK, nodeStep);
  const node_crypto_hps = rate(seconds, NODE_CHUNK, nodeStep);

  return { miner_hps, node_crypto_hps };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = Number(process.argv[2] ?? 2);
  if (!(seconds > 0)) throw new RangeError('usage: bench-pow.ts [seconds > 0]');
  const { miner_hps, node_crypto_hps } = await benchPow(seconds);
  const mega = (hps: number): string => `${(hps / 1e6).toFixed(2)} M hashes/s`;
  console.log(`pow kernel (midstate):      ${mega(miner_hps)}`);
  console.log(`node:crypto, one per proof: ${mega(node_crypto_hps)}`);
  console.log(`ratio:                      ${(miner_hps / node_crypto_hps).toFixed(2)}x`);
}
