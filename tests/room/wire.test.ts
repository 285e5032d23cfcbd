/**
 * Messages and envelopes as bytes: every message survives a round trip, one message has one
 * encoding, anything else is refused with a reason, and a signature covers every field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.ts';
import type { Message } from '../../src/core/protocol.ts';
import { MAX_IDS } from '../../src/core/protocol.ts';
import type { NodeId } from '../../src/core/types.ts';
import { pureSignatures, walletFromSecret } from '../../src/core/wallet.ts';
import type { EnvelopeFields } from '../../src/core/wire.ts';
import {
  decodeMessage,
  encodeMessage,
  envelopeBody,
  readEnvelope,
  sealEnvelope,
  verifyEnvelope,
} from '../../src/core/wire.ts';
import { platformSignatures } from '../../src/runtime/signatures.ts';

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const ids = fc.array(hash, { maxLength: 5 });
const requestId = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ type: fc.constant('inv' as const), blocks: ids, txs: ids }),
  fc.record({ type: fc.constant('getdata' as const), blocks: ids, txs: ids }),
  fc.record({ type: fc.constant('block' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('tx' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant('getblocks' as const), requestId, locator: ids }),
  fc.record({
    type: fc.constant('blocklist' as const),
    requestId,
    hashes: ids,
    tip: hash,
    more: fc.boolean(),
  }),
) as fc.Arbitrary<Message>;

describe('messages as bytes', () => {
  it('round-trips every message, and re-encodes to the same bytes (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeMessage(m);
        const back = decodeMessage(bytes);
        expect(back).toEqual({ ok: true, message: m });
        if (back.ok) expect(encodeMessage(back.message)).toEqual(bytes);
      }),
    );
  });

  it('refuses truncated, padded, unknown and oversized messages with a reason', () => {
    const inv = encodeMessage({ type: 'inv', blocks: ['ab'.repeat(32) as never], txs: [] });
    expect(decodeMessage(inv.subarray(0, inv.length - 1))).toEqual({
      ok: false,
      error: 'truncated data',
    });
    expect(decodeMessage(new Uint8Array([...inv, 0]))).toEqual({
      ok: false,
      error: 'unexpected trailing bytes',
    });
    expect(decodeMessage(new Uint8Array([99]))).toEqual({
      ok: false,
      error: 'unknown message type',
    });
    const tooMany = new Uint8Array([1, 0, 0, 0x07, 0xd1]); // inv claiming 2,001 block ids
    expect(MAX_IDS).toBe(2000);
    expect(decodeMessage(tooMany)).toEqual({
      ok: false,
      error: '2001 ids exceed the limit of 2000',
    });
    expect(decodeMessage(new Uint8Array())).toEqual({ ok: false, error: 'truncated data' });
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeMessage(bytes);
        if (r.ok) expect(decodeMessage(encodeMessage(r.message))).toEqual(r);
      }),
    );
  });
});

describe('envelopes', () => {
  const alice = walletFromSecret(new Uint8Array(32).fill(1));
  const mallory = walletFromSecret(new Uint8Array(32).fill(2));
  const fields: EnvelopeFields = {
    room: 'chainlab.0123456789ab',
    from: 'alice-1' as NodeId,
    to: 'bob-1' as NodeId,
    seq: 42n,
    sentAt: 1_790_000_000_000,
    publicKey: alice.publicKey,
    payload: encodeMessage({ type: 'getdata', blocks: [], txs: [] }),
  };

  it('reads back every field, and verifies under the sender key only', async () => {
    const sealed = await sealEnvelope(fields, alice.secretKey, pureSignatures);
    const read = readEnvelope(sealed);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect({ ...read.value, signed: undefined, signature: undefined }).toEqual({
      ...fields,
      signed: undefined,
      signature: undefined,
    });
    expect(await verifyEnvelope(read.value, pureSignatures)).toBe(true);
    // Mallory's key in place of Alice's: the signature no longer matches.
    const swapped = { ...read.value, publicKey: mallory.publicKey };
    expect(await verifyEnvelope(swapped, pureSignatures)).toBe(false);
  });

  it('a change to any signed byte breaks the signature', async () => {
    const sealed = await sealEnvelope(fields, alice.secretKey, pureSignatures);
    const body = envelopeBody(fields).length;
    for (let i = 0; i < body; i += 7) {
      const flipped = sealed.slice();
      flipped[i] = (flipped[i] ?? 0) ^ 1;
      const read = readEnvelope(flipped);
      if (read.ok) expect(await verifyEnvelope(read.value, pureSignatures)).toBe(false);
    }
  });

  it('a broadcast has no recipient; bad rooms, ids and sizes are refused', async () => {
    const broadcast = await sealEnvelope({ ...fields, to: null }, alice.secretKey, pureSignatures);
    const read = readEnvelope(broadcast);
    expect(read.ok && read.value.to).toBe(null);
    expect(readEnvelope(new Uint8Array(10))).toEqual({ ok: false, error: 'truncated data' });
    expect(readEnvelope(new Uint8Array(100))).toEqual({ ok: false, error: 'not an envelope' });
    expect(() => envelopeBody({ ...fields, room: '' })).toThrow('bad room name');
    expect(() => envelopeBody({ ...fields, from: 'Alice' as NodeId, room: 'ré' })).toThrow(
      'envelope text must be printable ASCII',
    );
    const badId = await sealEnvelope(
      { ...fields, from: 'Not An Id' as NodeId },
      alice.secretKey,
      pureSignatures,
    );
    expect(readEnvelope(badId)).toEqual({ ok: false, error: 'bad node id' });
  });

  it("the platform's signatures (WebCrypto here) agree with pure JavaScript both ways", async () => {
    const { signatures, kind } = await platformSignatures();
    expect(kind).toBe('webcrypto');
    const sealedFast = await sealEnvelope(fields, alice.secretKey, signatures);
    const sealedPure = await sealEnvelope(fields, alice.secretKey, pureSignatures);
    expect(sealedFast).toEqual(sealedPure);
    const read = readEnvelope(sealedFast);
    if (!read.ok) throw new Error(read.error);
    expect(await verifyEnvelope(read.value, signatures)).toBe(true);
    const forged = {
      ...read.value,
      signature: read.value.signature.map((b, i) => (i ? b : b ^ 1)),
    };
    expect(await verifyEnvelope(forged, signatures)).toBe(false);
    expect(await verifyEnvelope(forged, pureSignatures)).toBe(false);
    expect(
      await signatures.verify(new Uint8Array(31), read.value.signature, read.value.signed),
    ).toBe(false);
  });
});
