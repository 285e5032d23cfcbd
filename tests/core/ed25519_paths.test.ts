/**
 * The two Ed25519 verifiers must accept and reject exactly the same signatures, or nodes on
 * different platforms would split over the same block: the strict pure path (src/core/wallet.ts,
 * the reference) and WebCrypto behind its guard (src/runtime/signatures.ts). Checked on the twelve
 * "Taming the many EdDSAs" vectors (Chalkias, Garillot, Nikolaenko, SSR 2020; the
 * ed25519-speccheck cases), whose claimed properties are recomputed here, and on generated edge
 * cases: wrong key or message, S + L, every flipped bit of R and A, the eight small-order points
 * as key and as R, keys and R with a small-order component, and encodings with y >= p. The cases
 * live in tests/core/ed25519_cases.ts, which tests/e2e/ed25519_chromium.spec.ts also runs through
 * Chromium's WebCrypto (BoringSSL), where the nodes actually verify.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.ts';
import { makeParams } from '../../src/core/params.ts';
import type { Transfer } from '../../src/core/tx.ts';
import { decodeTransfer, signTransfer, signingBytes } from '../../src/core/tx.ts';
import { checkTransfer } from '../../src/core/validation.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import { pureSignatures, sign, verify } from '../../src/core/wallet.ts';
import { passesStrictEncoding, webCryptoSignatures } from '../../src/runtime/signatures.ts';
import type { Ed25519Case } from './ed25519_cases.ts';
import {
  ED25519_CASES,
  ED25519_GROUPS,
  L,
  P,
  SPECCHECK_VECTORS,
  challenge,
  concat,
  fromHex,
  le,
  msg64,
  mul,
  mutate,
  toLe,
  torsion,
  w0,
  wallets,
} from './ed25519_cases.ts';

const { Point } = ed25519;
const subtle = globalThis.crypto.subtle;

/** Calls to the pure fallback inside the WebCrypto path, to show honest input never needs it. */
let referenceCalls = 0;
const webCrypto = webCryptoSignatures(subtle, (publicKey, signature, message) => {
  referenceCalls++;
  return pureSignatures.verify(publicKey, signature, message);
});

/** WebCrypto with no guard at all, to show what the guard relies on. */
async function rawWebCrypto(pub: Uint8Array, sig: Uint8Array, msg: Uint8Array): Promise<boolean> {
  try {
    const key = await subtle.importKey('raw', pub as BufferSource, 'Ed25519', false, ['verify']);
    return await subtle.verify('Ed25519', key, sig as BufferSource, msg as BufferSource);
  } catch {
    return false;
  }
}

/**
 * Asserts both paths decide alike, and the two facts the guard rests on: whatever the encoding
 * check refuses the pure path refuses, and whatever raw WebCrypto accepts past it the pure path
 * accepts. Returns the verdict.
 */
async function same(
  pub: Uint8Array,
  sig: Uint8Array,
  msg: Uint8Array,
  label?: string,
): Promise<boolean> {
  const reference = verify(sig, msg, pub);
  expect(await webCrypto.verify(pub, sig, msg), label).toBe(reference);
  if (pub.length === 32 && sig.length === 64) {
    const passes = passesStrictEncoding(pub, sig);
    if (!passes) expect(reference, label).toBe(false);
    if (passes && (await rawWebCrypto(pub, sig, msg))) expect(reference, label).toBe(true);
  }
  return reference;
}

describe('the "Taming the many EdDSAs" vectors', () => {
  const VECTORS = SPECCHECK_VECTORS;

  /** Order class and canonicity of an encoding, recomputed, plus the two equations. */
  function describeVector(m: Uint8Array, a: Uint8Array, sig: Uint8Array) {
    const kind = (e: Uint8Array): string => {
      const q = Point.fromBytes(e, true); // lenient decoding, to look at what strict refuses
      const order = q.isSmallOrder() ? 'small' : q.isTorsionFree() ? 'prime' : 'mixed';
      return toHex(q.toBytes()) === toHex(e) ? order : `${order}/non-canonical`;
    };
    const r = sig.subarray(0, 32);
    const s = le(sig.subarray(32));
    const [A, R] = [Point.fromBytes(a, true), Point.fromBytes(r, true)];
    // The equations with k over the bytes as written, and [S]B = [S mod L]B.
    const diff = R.add(mul(A, challenge(r, a, m))).subtract(mul(Point.BASE, s));
    // Some libraries hash the points re-encoded canonically instead.
    const k2 = challenge(R.toBytes(), A.toBytes(), m);
    const rehashed = R.add(mul(A, k2)).subtract(mul(Point.BASE, s));
    return {
      A: kind(a),
      R: kind(r),
      S: s === 0n ? 'zero' : s >= L ? 'S >= L' : 'S < L',
      cofactorless: diff.is0(),
      cofactored: diff.clearCofactor().is0(),
      rehashed: rehashed.clearCofactor().is0(),
    };
  }

  it('have the properties the paper gives them', () => {
    const seen = VECTORS.map(([m, a, s]) => describeVector(fromHex(m), fromHex(a), fromHex(s)));
    const all = { cofactorless: true, cofactored: true, rehashed: true };
    const cofactoredOnly = { cofactorless: false, cofactored: true, rehashed: true };
    expect(seen).toEqual([
      { A: 'small', R: 'small', S: 'zero', ...all },
      { A: 'small', R: 'mixed', S: 'S < L', ...all },
      { A: 'mixed', R: 'small', S: 'S < L', ...all },
      { A: 'mixed', R: 'mixed', S: 'S < L', ...all },
      { A: 'mixed', R: 'mixed', S: 'S < L', ...cofactoredOnly },
      { A: 'mixed', R: 'prime', S: 'S < L', ...cofactoredOnly },
      { A: 'prime', R: 'prime', S: 'S >= L', ...all },
      { A: 'prime', R: 'prime', S: 'S >= L', ...all },
      // Non-canonical R: one passes only with R re-encoded before hashing, one only as written.
      {
        A: 'mixed',
        R: 'small/non-canonical',
        S: 'S < L',
        ...all,
        cofactorless: false,
        cofactored: false,
      },
      { A: 'mixed', R: 'small/non-canonical', S: 'S < L', ...all, rehashed: false },
      { A: 'small/non-canonical', R: 'mixed', S: 'S < L', ...cofactoredOnly },
      { A: 'small/non-canonical', R: 'mixed', S: 'S < L', ...all },
    ]);
  });

  it.each(VECTORS.map((v, i) => [i, ...v] as const))(
    'vector %i: both paths decide alike',
    async (_i, m, a, s, verdict) => {
      expect(await same(fromHex(a), fromHex(s), fromHex(m))).toBe(verdict);
    },
  );

  it('are where raw WebCrypto and the strict path part, which the guard closes', async () => {
    const parted: number[] = [];
    for (const [i, [m, a, s]] of VECTORS.entries()) {
      const [pub, sig, msg] = [fromHex(a), fromHex(s), fromHex(m)];
      if ((await rawWebCrypto(pub, sig, msg)) !== verify(sig, msg, pub)) parted.push(i);
    }
    // OpenSSL 3 (Node 20) and BoringSSL take small-order and x = 0 keys and check the
    // cofactorless equation: vectors 0, 1, 11 and 4, 5. Another platform may part elsewhere.
    expect(parted.length).toBeGreaterThan(0);
  });
});

/** Decides every case of a group on both paths, expecting the group's verdict. */
async function decideGroup(cases: readonly Ed25519Case[], verdict: boolean): Promise<void> {
  for (const c of cases) {
    expect(await same(c.publicKey, c.signature, c.message, c.label), c.label).toBe(verdict);
  }
}

describe('generated signatures', () => {
  const G = ED25519_GROUPS;

  it('valid signatures from sixty keys pass both, without the pure fallback', async () => {
    const before = referenceCalls;
    expect(G.valid.cases).toHaveLength(60);
    await decideGroup(G.valid.cases, true);
    expect(referenceCalls).toBe(before);
  });

  it('the wrong key or a changed message fails both', async () => {
    expect(G.wrongKeyOrMessage.cases).toHaveLength(120);
    await decideGroup(G.wrongKeyOrMessage.cases, false);
  });

  it('S + L, S + 2L, ... (the same S modulo L) fail both', async () => {
    const cases = G.sPlusMultiplesOfL.cases;
    // Every S + kL below 2^256, for the S of one honest signature.
    expect(cases.length).toBe(
      Number(((1n << 256n) - 1n - le(sign(msg64, w0.secretKey).subarray(32))) / L),
    );
    await decideGroup(cases, false);
  });

  it('every flipped bit of R, S or A is decided alike', async () => {
    expect(G.flippedBits.cases).toHaveLength(768);
    await decideGroup(G.flippedBits.cases, false);
  });

  it('the eight small-order points as keys fail both', async () => {
    expect(G.smallOrderKeys.cases).toHaveLength(72);
    let cofactorless = 0;
    for (const { label, publicKey, signature, message } of G.smallOrderKeys.cases) {
      const r = signature.subarray(0, 32);
      // R = -[k]A makes the cofactorless equation hold with S = 0, as in vector 0.
      if (
        le(signature.subarray(32)) === 0n &&
        Point.fromBytes(r)
          .add(mul(Point.fromBytes(publicKey), challenge(r, publicKey, message)))
          .is0()
      ) {
        cofactorless++;
        expect(await rawWebCrypto(publicKey, signature, message), label).toBe(true); // what the guard refuses
      }
      expect(await same(publicKey, signature, message, label), label).toBe(false);
    }
    expect(cofactorless).toBeGreaterThan(0);
  });

  it('the eight small-order points as R pass both with S = k·a (strict rules allow them)', async () => {
    // R + [k]A - [S]B = T: cofactored holds, cofactorless only for the identity.
    expect(G.smallOrderR.cases).toHaveLength(8);
    await decideGroup(G.smallOrderR.cases, true);
  });

  it('R and keys with a small-order component pass both', async () => {
    expect(G.mixedOrder.cases).toHaveLength(16);
    await decideGroup(G.mixedOrder.cases, true);
  });

  it('encodings with y >= p fail both, as keys and as R', async () => {
    // y = p .. 2^255 - 1, either sign: as key, as R, and as R with S = k·a (p + 1 is the
    // identity written long, so the cofactorless equation holds over the bytes as written).
    expect(G.yAtLeastP.cases).toHaveLength(19 * 2 * 3);
    await decideGroup(G.yAtLeastP.cases, false);
  });

  it('x = 0 written with its sign bit set fails both, as key and as R', async () => {
    expect(G.negativeZero.cases).toHaveLength(4);
    await decideGroup(G.negativeZero.cases, false);
  });

  it('lengths other than 32 and 64 bytes fail both without throwing', async () => {
    const sig = sign(msg64, w0.secretKey);
    expect(await same(w0.publicKey.subarray(1), sig, msg64)).toBe(false);
    expect(await same(w0.publicKey, sig.subarray(1), msg64)).toBe(false);
    expect(await same(new Uint8Array(0), new Uint8Array(0), msg64)).toBe(false);
  });

  it('odd lengths and unparseable encodings in the shared list fail both', async () => {
    await decideGroup(G.badEncodings.cases, false);
  });

  it('the seeded random mutations in the shared list are decided alike', async () => {
    for (const { label, publicKey, signature, message } of G.randomMutations.cases) {
      const verdict = await same(publicKey, signature, message, label);
      if (label.endsWith(': none')) expect(verdict, label).toBe(true);
    }
  });

  it('the shared list has every group, with unique labels, all decided alike', async () => {
    const labels = ED25519_CASES.map((c) => c.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(ED25519_CASES.length).toBe(Object.values(G).reduce((n, g) => n + g.cases.length, 0));
    for (const { label, publicKey, signature, message } of ED25519_CASES) {
      expect(typeof (await same(publicKey, signature, message, label)), label).toBe('boolean');
    }
  });

  it('random keys, messages and mutations are decided alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.oneof(
          fc.constant({ kind: 'none' as const, at: 0 }),
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(767) }),
          fc.record({ kind: fc.constant('message' as const), at: fc.nat(99) }),
          fc.record({ kind: fc.constant('s+L' as const), at: fc.constant(0) }),
          fc.record({ kind: fc.constant('small R' as const), at: fc.nat(7) }),
          fc.record({ kind: fc.constant('small key' as const), at: fc.nat(7) }),
          fc.record({ kind: fc.constant('mixed R' as const), at: fc.nat(7) }),
        ),
        async (secret, message, mutation) => {
          const [pub, sig, m] = mutate(secret, message, mutation);
          const verdict = await same(pub, sig, m);
          if (mutation.kind === 'none') expect(verdict).toBe(true);
        },
      ),
      { numRuns: 300, seed: 25519 },
    );
  });
});

describe('a payment whose signature WebCrypto cannot parse', () => {
  const params = makeParams();
  const [alice, bob] = [w0, wallets[1] as Wallet];
  const good = signTransfer(alice, {
    chainId: params.chainId,
    recipient: bob.address,
    amount: 5n,
    fee: 0n,
    nonce: 0n,
  });
  /** The payment with its signature replaced (offsets 81..144 of its bytes). */
  const withSignature = (signature: Uint8Array): Transfer => {
    const bytes = good.bytes.slice();
    bytes.set(signature, 81);
    const tx = decodeTransfer(bytes);
    if (!tx.ok) throw new Error(tx.error);
    return tx.value;
  };
  const s = good.signature.subarray(32);
  const unparseable: readonly [string, Uint8Array][] = [
    ['S + L', concat(good.signature.subarray(0, 32), toLe(le(s) + L))],
    ['R with y >= p', concat(toLe(P + 3n), s)],
    ['R with x = 0 and the sign bit', concat(toLe(1n | (1n << 255n)), s)],
    ['R off the curve', concat(toLe(2n), s)],
    ['all ones', new Uint8Array(64).fill(0xff)],
  ];

  it('the good payment passes, on both paths', async () => {
    expect(checkTransfer(good, params).ok).toBe(true);
    expect(await same(good.senderKey, good.signature, signingBytes(good))).toBe(true);
  });

  it.each(unparseable)(
    '%s: bad-signature, and false (not a throw) on both paths',
    async (_n, sig) => {
      const tx = withSignature(sig);
      const r = checkTransfer(tx, params);
      expect(r.ok ? 'ok' : r.error.reason).toBe('bad-signature');
      expect(await same(tx.senderKey, tx.signature, signingBytes(tx))).toBe(false);
      expect(await pureSignatures.verify(tx.senderKey, tx.signature, signingBytes(tx))).toBe(false);
    },
  );
});

describe('passesStrictEncoding', () => {
  it('lists exactly the small-order y values noble computes', () => {
    // Every small-order point is refused as a key, and each one's y (either sign) too.
    for (const t of torsion) {
      const e = t.toBytes();
      expect(passesStrictEncoding(e, sign(msg64, w0.secretKey))).toBe(false);
      e[31] = (e[31] ?? 0) ^ 0x80;
      expect(passesStrictEncoding(e, sign(msg64, w0.secretKey))).toBe(false);
    }
    // Honest keys pass: sixty of them, none with a small-order y.
    for (const w of wallets) {
      expect(passesStrictEncoding(w.publicKey, sign(msg64, w.secretKey))).toBe(true);
    }
  });

  it('takes S = L - 1 and y = p - 1 for R, refuses S = L and y = p', () => {
    const key = w0.publicKey;
    const r = sign(msg64, w0.secretKey).subarray(0, 32);
    expect(passesStrictEncoding(key, concat(r, toLe(L - 1n)))).toBe(true);
    expect(passesStrictEncoding(key, concat(r, toLe(L)))).toBe(false);
    expect(passesStrictEncoding(key, concat(toLe(P - 1n), toLe(0n)))).toBe(true);
    expect(passesStrictEncoding(key, concat(toLe(P), toLe(0n)))).toBe(false);
  });
});
