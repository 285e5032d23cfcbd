/**
 * Ed25519 through WebCrypto where the platform has it (Chromium, Node), about ten times faster
 * than pure JavaScript, with the pure implementation as the fallback. Chosen once by a self-test
 * that must reproduce the pure signature of a fixed message exactly.
 *
 * Verifying must decide exactly as the pure, strict path in src/core/wallet.ts does, or nodes on
 * different platforms would split over the same block (CONTRIBUTING.md, Fast paths). OpenSSL (Node) and BoringSSL (Chromium)
 * differ from it in two ways (tests/core/ed25519_paths.test.ts, on the "Taming the many EdDSAs"
 * vectors): they accept small-order and x = 0 "negative zero" public keys, which the strict path
 * refuses, and they check [S]B = R + [k]A where the strict path checks the cofactored
 * [8][S]B = [8]R + [8][k]A, so they refuse signatures whose R or key carries a small-order
 * component. The first is closed by a byte-level check before WebCrypto, the second by letting
 * the pure path decide whenever WebCrypto says no.
 */
import { toHex } from '../core/bytes.ts';
import { pureSignatures, verify as pureVerify, walletFromSecret } from '../core/wallet.ts';
import type { Signatures } from '../core/wire.ts';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 secret key (RFC 8410): this prefix, then the key. */
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/** Imported keys kept, by their bytes: a node signs with one key and hears from a few dozen. */
const MAX_KEYS = 1024;

/** The group order L = 2^252 + 27742317777372353535851937790883648493, 32 bytes little-endian. */
const ORDER_LE = fromHexLe('1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed');
/** The field prime p = 2^255 - 19, 32 bytes little-endian. */
const PRIME_LE = fromHexLe('7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed');
/**
 * The y coordinates of the eight points of small order (1, -1, 0 and the two of order 8), sign
 * bit clear: both points with such a y, when they exist, have small order.
 */
const SMALL_ORDER_Y = [
  '0000000000000000000000000000000000000000000000000000000000000001',
  '7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7',
  '05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826',
].map(fromHexLe);

/** Bytes from big-endian hex, reversed to little-endian. */
function fromHexLe(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[31 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Whether the 32-byte little-endian number, with bit 255 cleared if `yOnly`, is below `bound`. */
function below(bytes: Uint8Array, bound: Uint8Array, yOnly: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 && yOnly ? (bytes[i] ?? 0) & 0x7f : (bytes[i] ?? 0);
    const c = bound[i] ?? 0;
    if (b !== c) return b < c;
  }
  return false;
}

/** Whether the encoding's y (bit 255 cleared) is one of `ys`. */
function hasY(encoding: Uint8Array, ys: readonly Uint8Array[]): boolean {
  return ys.some((y) =>
    y.every((b, i) => b === (i === 31 ? (encoding[i] ?? 0) & 0x7f : encoding[i])),
  );
}

/**
 * Byte-level checks the strict pure path would also fail (so rejecting here never changes an
 * answer): S < L, both points' y < p, a public key of large order, and no x = 0 point written
 * with its sign bit set (y = ±1). Costs a few comparisons; no curve arithmetic.
 */
export function passesStrictEncoding(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const r = signature.subarray(0, 32);
  if (!below(signature.subarray(32), ORDER_LE, false)) return false;
  if (!below(publicKey, PRIME_LE, true) || !below(r, PRIME_LE, true)) return false;
  // WebCrypto takes small-order keys (any message verifies under some of them); strict does not.
  if (hasY(publicKey, SMALL_ORDER_Y)) return false;
  const rSign = ((r[31] ?? 0) & 0x80) !== 0;
  return !(rSign && hasY(r, SMALL_ORDER_Y.slice(0, 2)));
}

/**
 * WebCrypto's Ed25519, with imported keys cached, deciding as the strict pure path does:
 * {@link passesStrictEncoding} first, then WebCrypto, and when WebCrypto refuses, `reference`
 * (the pure verify) has the last word. WebCrypto's cofactorless equation implies the cofactored
 * one, so what it accepts past the encoding checks the pure path accepts too; only a signature
 * whose R or key carries a small-order component can pass the pure path and fail WebCrypto, and no
 * honest signer makes one. Valid signatures never reach `reference`; invalid ones pay for one pure
 * verification, as on a platform without WebCrypto.
 */
export function webCryptoSignatures(
  subtle: SubtleCrypto,
  reference: Signatures['verify'] = (publicKey, signature, message) =>
    Promise.resolve(pureVerify(signature, message, publicKey)),
): Signatures {
  const secret = new Map<string, Promise<CryptoKey>>();
  const pub = new Map<string, Promise<CryptoKey>>();
  const cached = (
    cache: Map<string, Promise<CryptoKey>>,
    bytes: Uint8Array,
    load: () => Promise<CryptoKey>,
  ): Promise<CryptoKey> => {
    const id = toHex(bytes);
    let key = cache.get(id);
    if (!key) {
      if (cache.size >= MAX_KEYS) cache.clear();
      key = load();
      cache.set(id, key);
    }
    return key;
  };
  return {
    async sign(secretKey, message) {
      const key = await cached(secret, secretKey, () => {
        const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
        pkcs8.set(PKCS8_PREFIX);
        pkcs8.set(secretKey, PKCS8_PREFIX.length);
        return subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
      });
      return new Uint8Array(await subtle.sign('Ed25519', key, message as BufferSource));
    },
    async verify(publicKey, signature, message) {
      if (!passesStrictEncoding(publicKey, signature)) return false;
      let valid = false;
      try {
        const key = await cached(pub, publicKey, () =>
          subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, [
            'verify',
          ]),
        );
        valid = await subtle.verify(
          'Ed25519',
          key,
          signature as BufferSource,
          message as BufferSource,
        );
      } catch {
        // A key WebCrypto cannot parse: the pure path decides below, with its own reason.
      }
      // Cofactorless WebCrypto refuses what the cofactored strict path may accept: ask it.
      return valid || reference(publicKey, signature, message);
    },
  };
}

let chosen: Promise<{ signatures: Signatures; kind: 'webcrypto' | 'javascript' }> | null = null;

/**
 * The fastest Ed25519 this platform has, chosen once: WebCrypto if it signs a fixed message
 * exactly as the pure implementation does and verifies it, otherwise pure JavaScript.
 */
export function platformSignatures(): Promise<{
  signatures: Signatures;
  kind: 'webcrypto' | 'javascript';
}> {
  chosen ??= (async () => {
    // Missing where the page is not a secure context (plain http to another machine).
    const subtle: SubtleCrypto | undefined = (globalThis.crypto as Crypto | undefined)?.subtle;
    if (subtle) {
      try {
        const web = webCryptoSignatures(subtle);
        const secret = new Uint8Array(32).fill(7);
        const message = new TextEncoder().encode('chainlab self-test');
        const [mine, theirs] = await Promise.all([
          web.sign(secret, message),
          pureSignatures.sign(secret, message),
        ]);
        const same = mine.length === theirs.length && mine.every((b, i) => b === theirs[i]);
        const { publicKey } = walletFromSecret(secret);
        if (same && (await web.verify(publicKey, mine, message))) {
          return { signatures: web, kind: 'webcrypto' as const };
        }
      } catch {
        // No Ed25519 in this WebCrypto: fall through.
      }
    }
    return { signatures: pureSignatures, kind: 'javascript' as const };
  })();
  return chosen;
}
