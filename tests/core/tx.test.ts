import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import type { Transaction, Transfer } from '../../src/core/tx.ts';
import {
  COINBASE_BYTES,
  decodeTransaction,
  decodeTransfer,
  makeCoinbase,
  MAX_AMOUNT,
  signingBytes,
  signTransfer,
  TRANSFER_BYTES,
} from '../../src/core/tx.ts';
import type { Address } from '../../src/core/types.ts';
import { parseAddress } from '../../src/core/types.ts';
import { addressOf, createWallet, verify, walletFromSecret } from '../../src/core/wallet.ts';
import { createRng } from '../../src/core/rng.ts';
import { must, nodeSha256, nodeSha256Hex, seededWallets } from './helpers.ts';

function hex(text: string): Uint8Array {
  const r = fromHex(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
const U64_MAX = (1n << 64n) - 1n;

/** Verify an ed25519 signature with node:crypto (OpenSSL), independent of @noble/curves. */
function opensslVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return nodeVerify(null, message, key, signature);
}

const arbWallet = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(walletFromSecret);
const arbAddress = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => toHex(b) as Address);
const arbU64 = fc.bigInt({ min: 0n, max: U64_MAX });
const arbU32 = fc.integer({ min: 0, max: 0xffffffff });

const arbTransfer: fc.Arbitrary<Transfer> = fc
  .record({
    wallet: arbWallet,
    chainId: arbU32,
    recipient: arbAddress,
    amount: arbU64,
    fee: arbU64,
    nonce: arbU64,
  })
  .map(({ wallet, ...fields }) => signTransfer(wallet, fields));

const arbCoinbase = fc
  .record({ chainId: arbU32, height: arbU32, recipient: arbAddress, amount: arbU64 })
  .map(({ chainId, height, recipient, amount }) =>
    makeCoinbase(chainId, height, recipient, amount),
  );

const arbTx: fc.Arbitrary<Transaction> = fc.oneof(arbTransfer, arbCoinbase);

describe('wallets', () => {
  // RFC 8032 section 7.1, TEST 1.
  const secret = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const publicKey = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

  it('derives the RFC 8032 public key', () => {
    expect(toHex(walletFromSecret(secret).publicKey)).toBe(publicKey);
  });

  it('makes the address the first 20 bytes of SHA-256 of the public key', () => {
    const w = walletFromSecret(secret);
    expect(w.address).toBe(nodeSha256Hex(w.publicKey).slice(0, 40));
    expect(addressOf(w.publicKey)).toBe(w.address);
    expect(parseAddress(w.address)).toBe(w.address);
  });

  it('draws the same keys from the same seed, and different ones from another', () => {
    const a = seededWallets(3, 7);
    const b = seededWallets(3, 7);
    const c = seededWallets(3, 8);
    expect(a.map((w) => w.address)).toEqual(b.map((w) => w.address));
    expect(new Set([...a, ...c].map((w) => w.address)).size).toBe(6);
    expect(createWallet(createRng(7)).address).toBe(a[0]?.address);
  });

  it('copies the secret key it is given', () => {
    const s = secret.slice();
    const w = walletFromSecret(s);
    s.fill(0);
    expect(toHex(w.publicKey)).toBe(publicKey);
    expect(w.secretKey).toEqual(secret);
  });

  it.each([0, 31, 33, 64])('refuses a %i-byte secret key', (n) => {
    expect(() => walletFromSecret(new Uint8Array(n))).toThrow(RangeError);
  });

  it('treats malformed keys and signatures as simply invalid', () => {
    const msg = Uint8Array.of(1, 2, 3);
    expect(verify(new Uint8Array(64), msg, new Uint8Array(32).fill(0xff))).toBe(false);
    expect(verify(new Uint8Array(10), msg, walletFromSecret(secret).publicKey)).toBe(false);
    expect(verify(new Uint8Array(64), msg, new Uint8Array(5))).toBe(false);
  });
});

describe('transaction vectors', () => {
  const [alice] = seededWallets(1, 3);
  const sender = must(alice);
  const recipient = '00112233445566778899aabbccddeeff00112233' as Address;
  const tx = signTransfer(sender, {
    chainId: 0x01020304,
    recipient,
    amount: 0x1112131415161718n,
    fee: 0x2122232425262728n,
    nonce: 0x3132333435363738n,
  });

  it('lays a transfer out at the documented offsets', () => {
    const b = tx.bytes;
    expect(b.length).toBe(TRANSFER_BYTES);
    expect(TRANSFER_BYTES).toBe(145);
    expect(b[0]).toBe(1);
    expect(toHex(b.subarray(1, 5))).toBe('01020304');
    expect(b.subarray(5, 37)).toEqual(sender.publicKey);
    expect(toHex(b.subarray(37, 57))).toBe(recipient);
    expect(toHex(b.subarray(57, 65))).toBe('1112131415161718');
    expect(toHex(b.subarray(65, 73))).toBe('2122232425262728');
    expect(toHex(b.subarray(73, 81))).toBe('3132333435363738');
    expect(b.subarray(81, 145)).toEqual(tx.signature);
  });

  it('lays a coinbase out at the documented offsets', () => {
    const cb = makeCoinbase(0x0a0b0c0d, 0x01020304, recipient, 0x0102030405060708n);
    expect(cb.bytes.length).toBe(COINBASE_BYTES);
    expect(COINBASE_BYTES).toBe(37);
    expect(toHex(cb.bytes)).toBe('00' + '0a0b0c0d' + '01020304' + recipient + '0102030405060708');
  });

  it('makes a transaction id node:crypto SHA-256 of its bytes', () => {
    expect(tx.id).toBe(nodeSha256Hex(tx.bytes));
    const cb = makeCoinbase(1, 2, recipient, 3n);
    expect(cb.id).toBe(nodeSha256Hex(cb.bytes));
    fc.assert(
      fc.property(arbTx, (t) => {
        expect(t.id).toBe(nodeSha256Hex(t.bytes));
      }),
      { numRuns: 50 },
    );
  });

  it('signs exactly the bytes before the signature, verifiably by OpenSSL', () => {
    expect(signingBytes(tx)).toEqual(tx.bytes.subarray(0, TRANSFER_BYTES - 64));
    expect(opensslVerify(tx.signature, signingBytes(tx), sender.publicKey)).toBe(true);
    expect(verify(tx.signature, signingBytes(tx), sender.publicKey)).toBe(true);
    const altered = signingBytes(tx).slice();
    altered[60] = (altered[60] ?? 0) ^ 1;
    expect(opensslVerify(tx.signature, altered, sender.publicKey)).toBe(false);
    expect(verify(tx.signature, altered, sender.publicKey)).toBe(false);
  });

  it('produces signatures that OpenSSL accepts for random transfers', () => {
    fc.assert(
      fc.property(arbTransfer, (t) => {
        expect(opensslVerify(t.signature, signingBytes(t), t.senderKey)).toBe(true);
        expect(t.sender).toBe(nodeSha256Hex(t.senderKey).slice(0, 40));
      }),
      { numRuns: 30 },
    );
  });

  it('signs deterministically (RFC 8032)', () => {
    const again = signTransfer(sender, {
      chainId: tx.chainId,
      recipient,
      amount: tx.amount,
      fee: tx.fee,
      nonce: tx.nonce,
    });
    expect(again.bytes).toEqual(tx.bytes);
    expect(again.id).toBe(tx.id);
  });

  it('gives different payments different ids', () => {
    const fields = { chainId: 1, recipient, amount: 5n, fee: 1n, nonce: 0n };
    const base = signTransfer(sender, fields).id;
    const variants = [
      signTransfer(sender, { ...fields, chainId: 2 }),
      signTransfer(sender, { ...fields, amount: 6n }),
      signTransfer(sender, { ...fields, fee: 2n }),
      signTransfer(sender, { ...fields, nonce: 1n }),
      signTransfer(sender, { ...fields, recipient: ('0'.repeat(39) + '1') as Address }),
    ].map((t) => t.id);
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it.each([
    ['a negative amount', { amount: -1n }],
    ['an amount of 2^64', { amount: 1n << 64n }],
    ['a fee of 2^64', { fee: 1n << 64n }],
    ['a negative nonce', { nonce: -1n }],
    ['a chain id of 2^32', { chainId: 2 ** 32 }],
    ['a short recipient', { recipient: 'abcd' as Address }],
    ['a recipient that is not hex', { recipient: 'z'.repeat(40) as Address }],
  ])('refuses to sign %s', (_name, override) => {
    expect(() =>
      signTransfer(sender, {
        chainId: 1,
        recipient,
        amount: 1n,
        fee: 0n,
        nonce: 0n,
        ...override,
      }),
    ).toThrow(RangeError);
  });

  it('keeps MAX_AMOUNT exact as a JSON number', () => {
    expect(MAX_AMOUNT).toBe(2n ** 53n - 1n);
  });
});

describe('transaction decoding', () => {
  it('round-trips random transfers and coinbases', () => {
    fc.assert(
      fc.property(arbTx, (tx) => {
        const r = decodeTransaction(tx.bytes);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toEqual(tx);
        expect(r.value.id).toBe(tx.id);
        expect(r.value.bytes).toEqual(tx.bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips transfers through decodeTransfer', () => {
    fc.assert(
      fc.property(arbTransfer, (tx) => {
        expect(decodeTransfer(tx.bytes)).toEqual({ ok: true, value: tx });
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a coinbase travelling on its own', () => {
    const cb = makeCoinbase(1, 2, '0'.repeat(40) as Address, 1n);
    expect(decodeTransaction(cb.bytes).ok).toBe(true);
    expect(decodeTransfer(cb.bytes).ok).toBe(false);
  });

  it('refuses every truncation and any trailing byte', () => {
    fc.assert(
      fc.property(arbTx, fc.uint8Array({ minLength: 1, maxLength: 8 }), (tx, extra) => {
        for (let n = 0; n < tx.bytes.length; n++) {
          expect(decodeTransaction(tx.bytes.subarray(0, n)).ok).toBe(false);
        }
        const longer = new Uint8Array([...tx.bytes, ...extra]);
        expect(decodeTransaction(longer).ok).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it.each([2, 3, 0x7f, 0xff])('refuses unknown kind %i', (kind) => {
    const bytes = new Uint8Array(TRANSFER_BYTES);
    bytes[0] = kind;
    const r = decodeTransaction(bytes);
    expect(r.ok).toBe(false);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // Well-formed kinds with random bodies, of the right sizes and around them.
          fc
            .tuple(
              fc.constantFrom(0, 1),
              fc.uint8Array({ minLength: TRANSFER_BYTES - 2, maxLength: TRANSFER_BYTES }),
            )
            .map(([k, body]) => new Uint8Array([k, ...body])),
          fc
            .tuple(
              fc.constantFrom(0, 1),
              fc.uint8Array({ minLength: COINBASE_BYTES - 2, maxLength: COINBASE_BYTES }),
            )
            .map(([k, body]) => new Uint8Array([k, ...body])),
        ),
        (bytes) => {
          const r = decodeTransaction(bytes);
          expect(typeof r.ok).toBe('boolean');
          if (r.ok) {
            expect(r.value.bytes).toEqual(bytes);
            expect(r.value.id).toBe(toHex(nodeSha256(bytes)));
          }
          expect(typeof decodeTransfer(bytes).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes a forged transfer without judging it (validation does that)', () => {
    const tx = signTransfer(must(seededWallets(1)[0]), {
      chainId: 1,
      recipient: '0'.repeat(40) as Address,
      amount: 5n,
      fee: 0n,
      nonce: 0n,
    });
    const forged = tx.bytes.slice();
    forged[60] = (forged[60] ?? 0) ^ 0x01; // amount changes, signature does not
    const r = decodeTransfer(forged);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.amount).not.toBe(tx.amount);
    expect(r.value.id).not.toBe(tx.id);
    expect(verify(r.value.signature, signingBytes(r.value), r.value.senderKey)).toBe(false);
  });
});
