/**
 * Messages and signed envelopes as bytes, for networks that carry bytes between machines (a
 * classroom's room). Inside one browser messages travel as structured clones and need none of
 * this. Canonical, big-endian and bounded (CONTRIBUTING.md, Canonical bytes): one message has
 * exactly one encoding, so a signature covers exactly what the receiver decodes.
 *
 * Pure: signing and verifying go through a {@link Signatures} port passed in.
 */
import type { ByteReader } from './bytes.ts';
import { ByteWriter, DecodeError, decodeWith, fromHex, toHex } from './bytes.ts';
import type { Message, ParseResult } from './protocol.ts';
import { MAX_IDS, MAX_LOCATOR, MAX_PAYLOAD_BYTES, parseMessage } from './protocol.ts';
import type { Result } from './result.ts';
import { err, ok } from './result.ts';
import type { NodeId } from './types.ts';
import { parseNodeId } from './types.ts';

/** Ed25519 signing and verifying, however the platform does it fastest. */
export interface Signatures {
  /** The 64-byte signature of `message` by the 32-byte secret key (RFC 8032, deterministic). */
  sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** Whether `signature` is the key's signature of `message`; false for any malformed input. */
  verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean>;
}

const TYPE_CODES = {
  inv: 1,
  getdata: 2,
  block: 3,
  tx: 4,
  getblocks: 5,
  blocklist: 6,
} as const satisfies Record<Message['type'], number>;

const HASH_BYTES = 32;

function writeIds(w: ByteWriter, ids: readonly string[]): void {
  w.u32(ids.length);
  for (const id of ids) w.bytes(hexBytes(id));
}

function hexBytes(hex: string): Uint8Array {
  const r = fromHex(hex, HASH_BYTES);
  if (!r.ok) throw new RangeError(`not a 32-byte hash: ${hex}`);
  return r.value;
}

function readIds(r: ByteReader, max: number): string[] {
  const n = r.u32();
  if (n > max) throw new DecodeError(`${n} ids exceed the limit of ${max}`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(toHex(r.bytes(HASH_BYTES)));
  return out;
}

function readRequestId(r: ByteReader): number {
  const v = r.u64();
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('request id out of range');
  return Number(v);
}

/** A message's canonical bytes: a type code, then its fields. */
export function encodeMessage(message: Message): Uint8Array {
  const w = new ByteWriter().u8(TYPE_CODES[message.type]);
  switch (message.type) {
    case 'inv':
    case 'getdata':
      writeIds(w, message.blocks);
      writeIds(w, message.txs);
      break;
    case 'block':
    case 'tx':
      w.varBytes(message.bytes);
      break;
    case 'getblocks':
      w.u64(BigInt(message.requestId));
      writeIds(w, message.locator);
      break;
    case 'blocklist':
      w.u64(BigInt(message.requestId));
      writeIds(w, message.hashes);
      w.bytes(hexBytes(message.tip));
      w.u8(message.more ? 1 : 0);
      break;
  }
  return w.finish();
}

/**
 * A message from untrusted bytes: decoded, then checked by the same parser as a structured clone
 * ({@link parseMessage}), so both carriers accept exactly the same messages.
 */
export function decodeMessage(bytes: Uint8Array): ParseResult {
  const decoded = decodeWith(bytes, (r): unknown => {
    const code = r.u8();
    switch (code) {
      case TYPE_CODES.inv:
      case TYPE_CODES.getdata: {
        const blocks = readIds(r, MAX_IDS);
        const txs = readIds(r, MAX_IDS);
        return { type: code === TYPE_CODES.inv ? 'inv' : 'getdata', blocks, txs };
      }
      case TYPE_CODES.block:
      case TYPE_CODES.tx:
        return {
          type: code === TYPE_CODES.block ? 'block' : 'tx',
          bytes: r.varBytes(MAX_PAYLOAD_BYTES),
        };
      case TYPE_CODES.getblocks: {
        const requestId = readRequestId(r);
        return { type: 'getblocks', requestId, locator: readIds(r, MAX_LOCATOR) };
      }
      case TYPE_CODES.blocklist: {
        const requestId = readRequestId(r);
        const hashes = readIds(r, MAX_IDS);
        const tip = toHex(r.bytes(HASH_BYTES));
        const more = r.u8();
        if (more > 1) throw new DecodeError('bad flag in blocklist');
        return { type: 'blocklist', requestId, hashes, tip, more: more === 1 };
      }
      default:
        throw new DecodeError('unknown message type');
    }
  });
  return decoded.ok ? parseMessage(decoded.value) : { ok: false, error: decoded.error };
}

// ---- Envelopes ---------------------------------------------------------------------------------

/** First bytes of every envelope: what it is and which version of the format. */
const ENVELOPE_MAGIC = new Uint8Array([0x43, 0x4c, 0x45, 0x31]); // "CLE1"
/** Longest room name in an envelope. */
export const MAX_ROOM_CHARS = 64;
/** Largest envelope accepted from the wire: one largest message plus its framing. */
export const MAX_ENVELOPE_BYTES = MAX_PAYLOAD_BYTES + 1024;
const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

/** Who sent what to whom, and when: everything an envelope's signature covers. */
export interface EnvelopeFields {
  /** The room it was sent in: an envelope never counts in another room. */
  readonly room: string;
  readonly from: NodeId;
  /** The one node it is for, or null for every node of the room. */
  readonly to: NodeId | null;
  /** The sender's counter: strictly increasing, so a replayed envelope shows. */
  readonly seq: bigint;
  /** Sender's clock, Unix milliseconds. */
  readonly sentAt: number;
  /** The sender's ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The message's canonical bytes ({@link encodeMessage}), or another payload of the room's. */
  readonly payload: Uint8Array;
}

/** An envelope as read from the wire: its fields, the bytes signed and the signature. */
export interface ReadEnvelope extends EnvelopeFields {
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

/** Short printable-ASCII text (a room name, a node id), preceded by its length. */
function writeShort(w: ByteWriter, text: string): void {
  if (text.length > 255) throw new RangeError('text too long for an envelope');
  w.u8(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError('envelope text must be printable ASCII');
    w.u8(c);
  }
}

function readShort(r: ByteReader): string {
  const n = r.u8();
  const bytes = r.bytes(n);
  // Room names and node ids are ASCII; anything else is not ours.
  for (const b of bytes) if (b < 0x20 || b > 0x7e) throw new DecodeError('non-ASCII text');
  return String.fromCharCode(...bytes);
}

/** The canonical bytes an envelope's signature covers. */
export function envelopeBody(fields: EnvelopeFields): Uint8Array {
  if (fields.room.length === 0 || fields.room.length > MAX_ROOM_CHARS) {
    throw new RangeError('bad room name');
  }
  if (fields.publicKey.length !== KEY_BYTES) throw new RangeError('a public key is 32 bytes');
  const w = new ByteWriter().bytes(ENVELOPE_MAGIC);
  writeShort(w, fields.room);
  writeShort(w, fields.from);
  writeShort(w, fields.to ?? '');
  w.u64(fields.seq);
  w.u64(BigInt(fields.sentAt));
  w.bytes(fields.publicKey);
  w.varBytes(fields.payload);
  return w.finish();
}

/** Sign an envelope: its body followed by the signature. */
export async function sealEnvelope(
  fields: EnvelopeFields,
  secretKey: Uint8Array,
  signatures: Signatures,
): Promise<Uint8Array> {
  const body = envelopeBody(fields);
  const signature = await signatures.sign(secretKey, body);
  const out = new Uint8Array(body.length + SIGNATURE_BYTES);
  out.set(body);
  out.set(signature, body.length);
  return out;
}

/**
 * Read an envelope's fields from untrusted bytes, without checking its signature (see
 * {@link verifyEnvelope}): the receiver first drops what it would drop anyway (another room,
 * another node, a replay) before paying for a verification.
 */
export function readEnvelope(bytes: Uint8Array): Result<ReadEnvelope, string> {
  if (bytes.length > MAX_ENVELOPE_BYTES) return err('envelope too large');
  if (bytes.length < SIGNATURE_BYTES) return err('truncated data');
  const signedLength = bytes.length - SIGNATURE_BYTES;
  const signed = bytes.subarray(0, signedLength);
  const read = decodeWith(signed, (r) => {
    const magic = r.bytes(ENVELOPE_MAGIC.length);
    if (!magic.every((b, i) => b === ENVELOPE_MAGIC[i])) throw new DecodeError('not an envelope');
    const room = readShort(r);
    const from = parseNodeId(readShort(r));
    const toText = readShort(r);
    const to = toText === '' ? null : parseNodeId(toText);
    if (room.length === 0 || room.length > MAX_ROOM_CHARS) throw new DecodeError('bad room');
    if (!from || (toText !== '' && !to)) throw new DecodeError('bad node id');
    const seq = r.u64();
    const sentAt = r.u64();
    if (sentAt > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('bad time');
    const publicKey = r.bytes(KEY_BYTES);
    const payload = r.varBytes(MAX_PAYLOAD_BYTES + 64);
    return { room, from, to, seq, sentAt: Number(sentAt), publicKey, payload };
  });
  if (!read.ok) return read;
  return ok({ ...read.value, signed, signature: bytes.slice(signedLength) });
}

/** Whether the envelope carries its sender's valid signature. */
export function verifyEnvelope(envelope: ReadEnvelope, signatures: Signatures): Promise<boolean> {
  return signatures.verify(envelope.publicKey, envelope.signature, envelope.signed);
}
