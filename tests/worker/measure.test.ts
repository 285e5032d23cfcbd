/**
 * What `window.chainlab.measure` runs in a worker: signature checks through a verifier and
 * hashing through a kernel, counted exactly and refusing to report a rate for work that went
 * wrong (a valid signature refused, a proof found for an impossible target).
 */
import { describe, expect, it } from 'vitest';
import { mineRange } from '../../src/core/pow-kernel.ts';
import type { PowSearch } from '../../src/core/pow-kernel.ts';
import { pureSignatures } from '../../src/core/wallet.ts';
import type { Signatures } from '../../src/core/wire.ts';
import { measureMiner, measureSignatures } from '../../src/runtime/measure.ts';
import { webCryptoSignatures } from '../../src/runtime/signatures.ts';

const noPause = (): Promise<void> => Promise.resolve();

describe('measureSignatures', () => {
  it('checks every signature once, through the verifier given, 256 at a time at most', async () => {
    let calls = 0;
    let inFlight = 0;
    let widest = 0;
    const counting: Signatures = {
      sign: (secretKey, message) => pureSignatures.sign(secretKey, message),
      async verify(publicKey, signature, message) {
        calls++;
        widest = Math.max(widest, ++inFlight);
        await Promise.resolve();
        inFlight--;
        return pureSignatures.verify(publicKey, signature, message);
      },
    };
    const rate = await measureSignatures(counting, 300);
    expect(rate.verifications).toBe(300);
    expect(calls).toBe(300);
    expect(widest).toBe(256);
    expect(rate.perSecond).toBeCloseTo((300 * 1000) / rate.ms, 6);
  });

  it('signs distinct messages that WebCrypto and the pure path both accept', async () => {
    const rate = await measureSignatures(webCryptoSignatures(crypto.subtle), 64);
    expect(rate.verifications).toBe(64);
  });

  it('refuses to report a rate when a valid signature fails', async () => {
    const broken: Signatures = {
      sign: (secretKey, message) => pureSignatures.sign(secretKey, message),
      verify: () => Promise.resolve(false),
    };
    await expect(measureSignatures(broken, 10)).rejects.toThrow(/failed to verify/);
  });
});

describe('measureMiner', () => {
  it('counts whole slices of the kernel and pauses between them', async () => {
    let pauses = 0;
    const rate = await measureMiner(
      mineRange,
      () => {
        pauses++;
        return Promise.resolve();
      },
      20,
      1_000,
    );
    expect(rate.hashes % 1_000).toBe(0);
    expect(rate.hashes).toBeGreaterThan(0);
    expect(pauses).toBe(rate.hashes / 1_000);
  });

  it('refuses to report a rate for a kernel that finds a proof no hash can meet', async () => {
    const lying: PowSearch = (_job, start) => ({ proof: start, hash: new Uint8Array(32) });
    await expect(measureMiner(lying, noPause, 10, 100)).rejects.toThrow(/impossible target/);
  });
});
