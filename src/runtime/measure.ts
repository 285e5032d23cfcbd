/**
 * How fast this platform does what a node leans on, measured the way a node does it: for
 * `window.chainlab.measure` in the browser and for `npm run bench` in Node.
 */
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
