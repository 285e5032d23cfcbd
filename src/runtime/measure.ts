/**
 * How fast this platform does what a node leans on (checking signatures, hashing), measured the
 * way a node does it: for `window.chainlab.measure` in the browser and for `npm run bench` in
 * Node.
 */
import type { PowSearch } from '../core/pow-kernel.ts';
import { HEADER_BYTES, preparePowJob } from '../core/pow-kernel.ts';
import { createRng } from '../core/rng.ts';
import { TRANSFER_BYTES } from '../core/tx.ts';
import { walletFromSecret } from '../core/wallet.ts';
import type { Signatures } from '../core/wire.ts';

/** What {@link measureSignatures} found. */
export interface SignatureRate {
  /** Signatures checked. */
  readonly verifications: number;
  readonly ms: number;
  readonly perSecond: number;
}

/** Senders of the measured payments: a class's worth, so imported keys are reused as in a run. */
const SENDERS = 16;
/** Signatures in flight together, as a batch of caught-up blocks puts them. */
const BATCH = 256;
/** The bytes a payment's signature covers. */
const SIGNED_BYTES = TRANSFER_BYTES - 64;

/**
 * Verifications per second through `signatures.verify`, `count` distinct payment-sized messages
 * from {@link SENDERS} seeded senders, {@link BATCH} at a time (all in flight, then the next batch),
 * as a node checks the payments of a batch of blocks. Signing happens before the clock starts;
 * every signature must verify, or this throws.
 */
export async function measureSignatures(
  signatures: Signatures,
  count: number,
  seed = 7,
): Promise<SignatureRate> {
  const rng = createRng(seed);
  const secrets = Array.from({ length: SENDERS }, () => rng.bytes(32));
  const keys = secrets.map((s) => walletFromSecret(s).publicKey);
  const items = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const message = rng.bytes(SIGNED_BYTES);
      const sender = i % SENDERS;
      const secret = secrets[sender] ?? secrets[0];
      const publicKey = keys[sender] ?? keys[0];
      if (!secret || !publicKey) throw new Error('no sender');
      return { publicKey, message, signature: await signatures.sign(secret, message) };
    }),
  );
  const start = performance.now();
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    const valid = await Promise.all(
      batch.map((t) => signatures.verify(t.publicKey, t.signature, t.message)),
    );
    if (valid.some((v) => !v)) throw new Error('a valid signature failed to verify');
  }
  const ms = performance.now() - start;
  return { verifications: count, ms, perSecond: (count * 1000) / ms };
}

/** What {@link measureMiner} found. */
export interface MinerRate {
  readonly hashes: number;
  /** Time spent in the kernel, pauses excluded. */
  readonly ms: number;
  readonly perSecond: number;
}

/**
 * Hashes per second of `search`, the kernel a node mines with: slices of `slice` proofs of a job
 * whose target no hash meets (target 1), for about `ms` of kernel time. `pause` runs between
 * slices, as in the mining loop, so the worker keeps answering (CONTRIBUTING.md, Mining never
 * blocks); only the slices are timed.
 */
export async function measureMiner(
  search: PowSearch,
  pause: () => Promise<void>,
  ms = 1_000,
  slice = 25_000,
): Promise<MinerRate> {
  const job = preparePowJob(createRng(9).bytes(HEADER_BYTES), 1n);
  let hashes = 0;
  let spent = 0;
  while (spent < ms) {
    const start = performance.now();
    if (search(job, hashes, slice)) throw new Error('a proof met an impossible target');
    spent += performance.now() - start;
    hashes += slice;
    await pause();
  }
  return { hashes, ms: spent, perSecond: (hashes * 1000) / spent };
}
