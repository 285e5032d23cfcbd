/**
 * Ed25519 through WebCrypto where the platform has it (Chromium, Node), about ten times faster
 * than pure JavaScript, with the pure implementation as the fallback. Chosen once by a self-test
 * that must reproduce the pure signature of a fixed message exactly.
 */
import { toHex } from '../core/bytes.ts';
import { pureSignatures, walletFromSecret } from '../core/wallet.ts';
import type { Signatures } from '../core/wire.ts';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 secret key (RFC 8410): this prefix, then the key. */
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/** Imported keys kept, by their bytes: a node signs with one key and hears from a few dozen. */
const MAX_KEYS = 1024;

/** WebCrypto's Ed25519, with imported keys cached. */
function webCryptoSignatures(subtle: SubtleCrypto): Signatures {
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
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const key = await cached(pub, publicKey, () =>
          subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, [
            'verify',
          ]),
        );
        return await subtle.verify(
          'Ed25519',
          key,
          signature as BufferSource,
          message as BufferSource,
        );
      } catch {
        return false; // a key WebCrypto cannot parse is simply not a valid signer
      }
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
