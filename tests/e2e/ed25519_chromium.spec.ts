/**
 * The nodes verify payments with Chromium's WebCrypto (BoringSSL), behind the guard in
 * src/runtime/signatures.ts; tests/core/ed25519_paths.test.ts proves the guard against OpenSSL in
 * Node. Here every shared case (tests/core/ed25519_cases.ts) goes through `crypto.subtle` in the
 * built app's page, under the production headers, and the composed decision
 * `passesStrictEncoding && (Chromium || pure)` must equal the strict pure verdict.
 */
import { expect, test } from '@playwright/test';
import { toHex } from '../../src/core/bytes.ts';
import { verify } from '../../src/core/wallet.ts';
import { passesStrictEncoding, webCryptoSignatures } from '../../src/runtime/signatures.ts';
import { ED25519_CASES, SPECCHECK_VECTORS } from '../core/ed25519_cases.ts';

/** What Chromium's WebCrypto made of one case, with no guard in front of it. */
type Raw = 'accepted' | 'rejected' | 'key refused' | 'verify threw';

test('Chromium WebCrypto behind the guard accepts and rejects exactly what the strict path does', async ({
  page,
}) => {
  await page.goto('./');
  expect(await page.evaluate(() => isSecureContext)).toBe(true);

  const input = ED25519_CASES.map(
    (c) => [Array.from(c.publicKey), Array.from(c.signature), Array.from(c.message)] as const,
  );
  const raw: Raw[] = await page.evaluate(async (cases) => {
    const out: Raw[] = [];
    for (const [pub, sig, msg] of cases) {
      let key: CryptoKey;
      try {
        key = await crypto.subtle.importKey('raw', new Uint8Array(pub), 'Ed25519', false, [
          'verify',
        ]);
      } catch {
        out.push('key refused');
        continue;
      }
      try {
        const ok = await crypto.subtle.verify(
          'Ed25519',
          key,
          new Uint8Array(sig),
          new Uint8Array(msg),
        );
        out.push(ok ? 'accepted' : 'rejected');
      } catch {
        out.push('verify threw');
      }
    }
    return out;
  }, input);
  expect(raw).toHaveLength(ED25519_CASES.length);

  const parted: string[] = [];
  let accepted = 0;
  for (const [i, c] of ED25519_CASES.entries()) {
    const chromium = raw[i] === 'accepted';
    const pure = verify(c.signature, c.message, c.publicKey);
    const passes = passesStrictEncoding(c.publicKey, c.signature);
    if (pure) accepted++;
    // The decision the nodes make, and what the guard relies on: Chromium accepts nothing past
    // the encoding check that the strict path refuses.
    expect(passes && (chromium || pure), c.label).toBe(pure);
    if (passes && chromium) expect(pure, `${c.label}: Chromium accepts, strict refuses`).toBe(true);
    if (!passes) expect(pure, `${c.label}: refused by the encoding check`).toBe(false);
    if (chromium !== pure) parted.push(`${c.label}: Chromium ${raw[i]}, strict ${String(pure)}`);
  }
  expect(accepted).toBeGreaterThan(100);

  // Raw BoringSSL (Debian Chromium) parts from the strict path on 119 of the 1549 cases, in the
  // same two ways as OpenSSL in Node:
  // - it takes small-order keys, the x = 0 "negative zero" key included, so it accepts what the
  //   strict path refuses: speccheck 0, 1 and 11, and the seven small-order keys paired with a
  //   small-order R that makes [S]B = R + [k]A hold with S = 0. passesStrictEncoding refuses
  //   every one of them before WebCrypto is asked;
  // - it checks the cofactorless equation, so it rejects what carries a small-order residue the
  //   cofactored strict path accepts: speccheck 4 and 5, the seven small-order R other than the
  //   identity with S = k·a, R = [r]B + T and key = [a]B + T (all but the identity, and the key
  //   with the order-2 point T4, whose residue [k]T4 vanishes when k is even), and the random
  //   'small R' and 'mixed R' mutations. There the pure path has the last word.
  // No S >= L, y >= p, flipped-bit or bad-length case parts. BoringSSL imports any 32-byte key
  // (only the three keys of the wrong length are refused at import) and refuses the rest at verify.
  expect(parted.length, parted.join('\n')).toBeGreaterThan(0);
  const partedVectors = SPECCHECK_VECTORS.flatMap((_v, i) =>
    parted.some((p) => p.startsWith(`speccheck ${i}:`)) ? [i] : [],
  );
  expect(partedVectors).toEqual([0, 1, 4, 5, 11]);
  expect(parted.filter((p) => p.startsWith('small-order key ')).length).toBeGreaterThan(0);
  const counts = new Map<Raw, number>();
  for (const r of raw) counts.set(r, (counts.get(r) ?? 0) + 1);
  console.log(JSON.stringify(Object.fromEntries(counts)));
  console.log(`${ED25519_CASES.length} cases, raw Chromium parts on ${parted.length}:`);
  console.log(parted.join('\n'));

  // The guard's own code (webCryptoSignatures) with Chromium's answers as its WebCrypto.
  const keys = new Map<string, boolean>();
  const verdicts = new Map<string, boolean>();
  for (const [i, c] of ED25519_CASES.entries()) {
    keys.set(toHex(c.publicKey), raw[i] !== 'key refused');
    verdicts.set(toHex(c.publicKey) + toHex(c.signature) + toHex(c.message), raw[i] === 'accepted');
  }
  const chromiumSubtle = {
    importKey: (_format: string, bytes: Uint8Array) =>
      keys.get(toHex(bytes))
        ? Promise.resolve({ bytes } as unknown as CryptoKey)
        : Promise.reject(new Error('key refused')),
    verify: (_alg: string, key: { bytes: Uint8Array }, sig: Uint8Array, msg: Uint8Array) =>
      Promise.resolve(verdicts.get(toHex(key.bytes) + toHex(sig) + toHex(msg)) === true),
  } as unknown as SubtleCrypto;
  const guarded = webCryptoSignatures(chromiumSubtle);
  for (const c of ED25519_CASES) {
    const decided = await guarded.verify(c.publicKey, c.signature, c.message);
    expect(decided, c.label).toBe(verify(c.signature, c.message, c.publicKey));
  }
});
