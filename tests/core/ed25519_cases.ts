/**
 * Ed25519 verification cases shared by the Node test (tests/core/ed25519_paths.test.ts) and the
 * Chromium one (tests/e2e/ed25519_chromium.spec.ts): the WebCrypto path behind its guard
 * (src/runtime/signatures.ts) must accept and reject exactly what the strict pure path
 * (src/core/wallet.ts) does, on every platform a node runs on. Deterministic: the same seed always
 * gives the same bytes, so a failure names a case that can be rebuilt anywhere.
 *
 * The twelve "Taming the many EdDSAs" vectors (Chalkias, Garillot, Nikolaenko, SSR 2020; the
 * ed25519-speccheck cases), then generated ones: valid signatures, the wrong key or a changed
 * message, S + kL, every flipped bit of R, S and A, the eight small-order points as key and as R,
 * keys and R with a small-order component, encodings with y >= p, x = 0 written with its sign
 * bit, odd lengths and unparseable encodings, and a seeded batch of random mutations.
 */
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { createRng } from '../../src/core/rng.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import { createWallet, sign, walletFromSecret } from '../../src/core/wallet.ts';

const { Point } = ed25519;
export type EdPoint = InstanceType<typeof Point>;
/** The group order L and the field prime p. */
export const L = Point.Fn.ORDER;
export const P = Point.Fp.ORDER;

/** One verification to decide: does `signature` sign `message` under `publicKey`? */
export interface Ed25519Case {
  readonly label: string;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
}

/** Cases made alike, with the strict verdict they all share when there is one. */
export interface Ed25519Group {
  readonly name: string;
  readonly verdict: boolean | undefined;
  readonly cases: readonly Ed25519Case[];
}

/** Bytes from hex known to be well formed. */
export const fromHex = (hex: string): Uint8Array => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
};
/** A little-endian number. */
export const le = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
};
/** 32 bytes little-endian (the number taken modulo 2^256). */
export const toLe = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};
export const concat = (...parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** k = SHA-512(R || A || M) mod L, over the bytes as written (RFC 8032 §5.1.7). */
export const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint =>
  le(sha512(concat(r, a, m))) % L;
export const scalarOf = (secret: Uint8Array): bigint =>
  ed25519.utils.getExtendedPublicKey(secret).scalar;
export const mul = (q: EdPoint, n: bigint): EdPoint =>
  n % L === 0n ? Point.ZERO : q.multiply(n % L);
/** The eight points of small order. */
export const torsion: readonly EdPoint[] = ED25519_TORSION_SUBGROUP.map((h) =>
  Point.fromBytes(fromHex(h), true),
);

/** A signature R || S built by hand, with R any encoding and S = r + k·a (mod L). */
export function forge(wallet: Wallet, rBytes: Uint8Array, r: bigint, m: Uint8Array): Uint8Array {
  const k = challenge(rBytes, wallet.publicKey, m);
  return concat(rBytes, toLe((r + k * scalarOf(wallet.secretKey)) % L));
}

/**
 * The ed25519-speccheck vectors: [message, public key, signature, the strict verdict, what the
 * vector exercises].
 */
export const SPECCHECK_VECTORS: readonly (readonly [string, string, string, boolean, string])[] = [
  [
    '8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000',
    false,
    'S = 0, small A, small R',
  ],
  [
    '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
    false,
    'small A, mixed R',
  ],
  [
    'aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e',
    true,
    'mixed A, small R',
  ],
  [
    '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009',
    true,
    'mixed A, mixed R, both equations',
  ],
  [
    'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09',
    true,
    'mixed A, mixed R, cofactored only',
  ],
  [
    'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405',
    true,
    'mixed A, cofactored only',
  ],
  [
    '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    'e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514',
    false,
    'S > L',
  ],
  [
    '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    '8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22',
    false,
    'S much larger than L',
  ],
  [
    '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f',
    false,
    'non-canonical R',
  ],
  [
    '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908',
    false,
    'non-canonical R, passes with it re-encoded',
  ],
  [
    'e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
    false,
    'non-canonical A',
  ],
  [
    '39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
    false,
    'non-canonical A, passes with it re-encoded',
  ],
];

/** The keys the generated cases sign with, and a message most of them sign. */
const rng = createRng(0x5eed_25519);
export const wallets: readonly Wallet[] = Array.from({ length: 60 }, () => createWallet(rng));
export const w0 = wallets[0] as Wallet;
export const msg64 = rng.bytes(64);

const at = <T>(list: readonly T[], i: number): T => {
  const x = list[i];
  if (x === undefined) throw new RangeError(`no item ${i}`);
  return x;
};
const flip = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return out;
};
const one = (
  label: string,
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): Ed25519Case => ({ label, publicKey, signature, message });

function speccheck(): Ed25519Group {
  return {
    name: 'the "Taming the many EdDSAs" vectors',
    verdict: undefined,
    cases: SPECCHECK_VECTORS.map(([m, a, s, , what], i) =>
      one(`speccheck ${i}: ${what}`, fromHex(a), fromHex(s), fromHex(m)),
    ),
  };
}

function valid(): Ed25519Group {
  return {
    name: 'valid signatures from sixty keys',
    verdict: true,
    cases: wallets.map((w, i) => {
      const m = rng.bytes(i); // lengths 0..59, the empty message included
      return one(`valid: key ${i}, ${i}-byte message`, w.publicKey, sign(m, w.secretKey), m);
    }),
  };
}

function wrongKeyOrMessage(): Ed25519Group {
  const cases = wallets.flatMap((w, i) => {
    const other = at(wallets, (i + 1) % wallets.length);
    const sig = sign(msg64, w.secretKey);
    return [
      one(`wrong key: key ${i + 1} for key ${i}'s signature`, other.publicKey, sig, msg64),
      one(`changed message: bit 0 of byte ${i}`, w.publicKey, sig, flip(msg64, 8 * i)),
    ];
  });
  return { name: 'the wrong key or a changed message', verdict: false, cases };
}

function sPlusMultiplesOfL(): Ed25519Group {
  const sig = sign(msg64, w0.secretKey);
  const s = le(sig.subarray(32));
  const cases: Ed25519Case[] = [];
  for (let n = s + L, k = 1; n < 1n << 256n; n += L, k++) {
    cases.push(one(`S + ${k}L`, w0.publicKey, concat(sig.subarray(0, 32), toLe(n)), msg64));
  }
  return { name: 'S + L, S + 2L, ... (the same S modulo L)', verdict: false, cases };
}

function flippedBits(): Ed25519Group {
  const sig = sign(msg64, w0.secretKey);
  const cases: Ed25519Case[] = [];
  for (let bit = 0; bit < 512; bit++) {
    const part = bit < 256 ? `R bit ${bit}` : `S bit ${bit - 256}`;
    cases.push(one(`flipped ${part}`, w0.publicKey, flip(sig, bit), msg64));
  }
  for (let bit = 0; bit < 256; bit++) {
    cases.push(one(`flipped key bit ${bit}`, flip(w0.publicKey, bit), sig, msg64));
  }
  return { name: 'every flipped bit of R, S or A', verdict: false, cases };
}

function smallOrderKeys(): Ed25519Group {
  const cases = torsion.flatMap((t, i) => {
    const key = t.toBytes();
    const m = rng.bytes(32);
    // With R = -[k]A the cofactorless equation holds with S = 0, as in speccheck vector 0.
    const forged = torsion.map((r, j) =>
      one(
        `small-order key ${i}, small-order R ${j}, S = 0`,
        key,
        concat(r.toBytes(), new Uint8Array(32)),
        m,
      ),
    );
    const honest = sign(m, at(wallets, i).secretKey);
    return [...forged, one(`small-order key ${i}, key ${i}'s signature`, key, honest, m)];
  });
  return { name: 'the eight small-order points as keys', verdict: false, cases };
}

function smallOrderR(): Ed25519Group {
  // R + [k]A - [S]B = T: the cofactored equation holds, the cofactorless one only for T = 0.
  const cases = torsion.map((t, i) => {
    const w = at(wallets, i);
    return one(`small-order R ${i}, S = k·a`, w.publicKey, forge(w, t.toBytes(), 0n, msg64), msg64);
  });
  return { name: 'the eight small-order points as R, S = k·a', verdict: true, cases };
}

function mixedOrder(): Ed25519Group {
  const cases = torsion.flatMap((t, i) => {
    const w = at(wallets, i);
    const r = 12345n + BigInt(i);
    const mixedR = mul(Point.BASE, r).add(t).toBytes();
    // A = [a]B + T signing as [a]B would: the residue [k]T vanishes once multiplied by 8.
    const a = scalarOf(w.secretKey);
    const mixedA = mul(Point.BASE, a).add(t).toBytes();
    const rB = mul(Point.BASE, r).toBytes();
    const k = challenge(rB, mixedA, msg64);
    return [
      one(`R = [r]B + T${i}`, w.publicKey, forge(w, mixedR, r, msg64), msg64),
      one(`key = [a]B + T${i}`, mixedA, concat(rB, toLe((r + k * a) % L)), msg64),
    ];
  });
  return { name: 'R and keys with a small-order component', verdict: true, cases };
}

function yAtLeastP(): Ed25519Group {
  const sig = sign(msg64, w0.secretKey);
  const cases: Ed25519Case[] = [];
  for (let y = P; y < 1n << 255n; y++) {
    for (const sign_ of [0n, 1n << 255n]) {
      const e = toLe(y | sign_);
      const what = `y = p + ${y - P}${sign_ ? ', sign bit set' : ''}`;
      cases.push(one(`key with ${what}`, e, sig, msg64));
      cases.push(one(`R with ${what}`, w0.publicKey, concat(e, sig.subarray(32)), msg64));
      // p + 1 is the identity written long: with S = k·a the cofactorless equation holds over
      // the bytes as written, yet strict decoding refuses it.
      cases.push(one(`R with ${what}, S = k·a`, w0.publicKey, forge(w0, e, 0n, msg64), msg64));
    }
  }
  return { name: 'encodings with y >= p, as keys and as R', verdict: false, cases };
}

function negativeZero(): Ed25519Group {
  const cases = [1n, P - 1n].flatMap((y) => {
    const e = toLe(y | (1n << 255n));
    const what = `x = 0 with the sign bit (y = ${y === 1n ? '1' : 'p - 1'})`;
    return [
      one(`R ${what}, S = k·a`, w0.publicKey, forge(w0, e, 0n, msg64), msg64),
      one(`key ${what}`, e, sign(msg64, w0.secretKey), msg64),
    ];
  });
  return { name: 'x = 0 written with its sign bit set', verdict: false, cases };
}

function badEncodings(): Ed25519Group {
  const sig = sign(msg64, w0.secretKey);
  const s = sig.subarray(32);
  const cases = [
    one('key of 31 bytes', w0.publicKey.subarray(1), sig, msg64),
    one('key of 33 bytes', concat(w0.publicKey, new Uint8Array(1)), sig, msg64),
    one('signature of 63 bytes', w0.publicKey, sig.subarray(1), msg64),
    one('signature of 65 bytes', w0.publicKey, concat(sig, new Uint8Array(1)), msg64),
    one('empty key and signature', new Uint8Array(0), new Uint8Array(0), msg64),
    one('R off the curve (y = 2)', w0.publicKey, concat(toLe(2n), s), msg64),
    one('key off the curve (y = 2)', toLe(2n), sig, msg64),
    one('signature all ones', w0.publicKey, new Uint8Array(64).fill(0xff), msg64),
    one('signature all zeros', w0.publicKey, new Uint8Array(64), msg64),
    one('key all zeros', new Uint8Array(32), sig, msg64),
  ];
  return { name: 'odd lengths and unparseable encodings', verdict: false, cases };
}

/** The mutations the Node test's fast-check property draws from, here from a seeded stream. */
export const MUTATIONS = [
  'none',
  'flip',
  'message',
  's+L',
  'small R',
  'small key',
  'mixed R',
] as const;

/** One of {@link MUTATIONS}, with the number it needs: a bit, a byte, a small-order point. */
export interface Mutation {
  readonly kind: (typeof MUTATIONS)[number];
  /** The bit to flip (0-767), the byte to append, or which of the eight small-order points. */
  readonly at: number;
}

/** A signature by `secret` of `message`, changed as `mutation` says: key, signature, message. */
export function mutate(
  secret: Uint8Array,
  message: Uint8Array,
  mutation: Mutation,
): [Uint8Array, Uint8Array, Uint8Array] {
  const w = walletFromSecret(secret);
  let [pub, sig, m] = [w.publicKey, sign(message, w.secretKey), message];
  const n = mutation.at;
  const t = at(torsion, n % 8);
  switch (mutation.kind) {
    case 'none':
      break;
    case 'flip': {
      const both = flip(concat(sig, pub), n);
      [sig, pub] = [both.subarray(0, 64), both.subarray(64)];
      break;
    }
    case 'message':
      m = concat(message, new Uint8Array([n & 0xff]));
      break;
    case 's+L':
      sig = concat(sig.subarray(0, 32), toLe(le(sig.subarray(32)) + L));
      break;
    case 'small R':
      sig = forge(w, t.toBytes(), 0n, m);
      break;
    case 'small key':
      pub = t.toBytes();
      break;
    case 'mixed R': {
      const r = le(secret) % L;
      sig = forge(w, mul(Point.BASE, r).add(t).toBytes(), r, m);
      break;
    }
  }
  return [pub, sig, m];
}

function randomMutations(count: number): Ed25519Group {
  const draw = createRng(25519);
  const cases: Ed25519Case[] = [];
  for (let i = 0; i < count; i++) {
    const secret = draw.bytes(32);
    const message = draw.bytes(draw.int(101));
    const kind = at(MUTATIONS, i % MUTATIONS.length);
    const n = kind === 'flip' ? draw.int(768) : kind === 'message' ? draw.int(256) : draw.int(8);
    const [pub, sig, m] = mutate(secret, message, { kind, at: n });
    const what = kind === 'flip' ? `flipped bit ${n} of R || S || A` : kind;
    cases.push(one(`random ${i}: ${what}`, pub, sig, m));
  }
  return { name: 'seeded random keys, messages and mutations', verdict: undefined, cases };
}

/** Every case, grouped, with the strict verdict of each group that has a single one. */
export const ED25519_GROUPS = {
  speccheck: speccheck(),
  valid: valid(),
  wrongKeyOrMessage: wrongKeyOrMessage(),
  sPlusMultiplesOfL: sPlusMultiplesOfL(),
  flippedBits: flippedBits(),
  smallOrderKeys: smallOrderKeys(),
  smallOrderR: smallOrderR(),
  mixedOrder: mixedOrder(),
  yAtLeastP: yAtLeastP(),
  negativeZero: negativeZero(),
  badEncodings: badEncodings(),
  randomMutations: randomMutations(350),
} as const satisfies Record<string, Ed25519Group>;

/** Every case, in a fixed order, labels unique. */
export const ED25519_CASES: readonly Ed25519Case[] = Object.values(ED25519_GROUPS).flatMap(
  (g) => g.cases,
);
