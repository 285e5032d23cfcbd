/**
 * Wire messages between nodes: one interface per message, joined in a discriminated union and
 * parsed from `unknown` (CONTRIBUTING.md, Types and messages), because anything arriving from another node is untrusted.
 * Nodes announce ids and fetch bodies on demand (CONTRIBUTING.md, Gossip).
 */
import type { BlockHash, TxId } from './types.ts';
import { parseBlockHash, parseTxId } from './types.ts';

/** Most ids in one inv, getdata or blocklist. */
export const MAX_IDS = 2000;
/** Most hashes in a block locator. */
export const MAX_LOCATOR = 64;
/** Largest encoded block or transaction accepted from the wire before decoding. */
export const MAX_PAYLOAD_BYTES = 1 << 20;

/** "I have these": new blocks or payments, by id. */
export interface InvMessage {
  readonly type: 'inv';
  readonly blocks: readonly BlockHash[];
  readonly txs: readonly TxId[];
}

/** "Send me these bodies." */
export interface GetDataMessage {
  readonly type: 'getdata';
  readonly blocks: readonly BlockHash[];
  readonly txs: readonly TxId[];
}

/** One block's canonical bytes. */
export interface BlockMessage {
  readonly type: 'block';
  readonly bytes: Uint8Array;
}

/** One payment's canonical bytes. */
export interface TxMessage {
  readonly type: 'tx';
  readonly bytes: Uint8Array;
}

/** "Which best-chain blocks come after the first of these that you share?" (a locator). */
export interface GetBlocksMessage {
  readonly type: 'getblocks';
  readonly requestId: number;
  readonly locator: readonly BlockHash[];
}

/** The answer to getblocks: best-chain hashes after the shared point, and the sender's tip. */
export interface BlockListMessage {
  readonly type: 'blocklist';
  readonly requestId: number;
  readonly hashes: readonly BlockHash[];
  readonly tip: BlockHash;
  /** More hashes follow the last one: ask again from there. */
  readonly more: boolean;
}

/** Every message nodes exchange. */
export type Message =
  InvMessage | GetDataMessage | BlockMessage | TxMessage | GetBlocksMessage | BlockListMessage;

/** Why a message was dropped. */
export type ParseResult =
  { readonly ok: true; readonly message: Message } | { readonly ok: false; readonly error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function idList<T>(v: unknown, max: number, parse: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(v) || v.length > max) return null;
  const out: T[] = [];
  for (const x of v) {
    const id = parse(x);
    if (id === null) return null;
    out.push(id);
  }
  return out;
}

function payload(v: unknown): Uint8Array | null {
  return v instanceof Uint8Array && v.length <= MAX_PAYLOAD_BYTES ? v : null;
}

function requestId(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

const fail = (error: string): ParseResult => ({ ok: false, error });

/** Parse a message from anything a channel delivered. */
export function parseMessage(raw: unknown): ParseResult {
  if (!isRecord(raw)) return fail('not an object');
  switch (raw.type) {
    case 'inv':
    case 'getdata': {
      const blocks = idList(raw.blocks, MAX_IDS, parseBlockHash);
      const txs = idList(raw.txs, MAX_IDS, parseTxId);
      if (!blocks || !txs) return fail(`bad id list in ${raw.type}`);
      return { ok: true, message: { type: raw.type, blocks, txs } };
    }
    case 'block':
    case 'tx': {
      const bytes = payload(raw.bytes);
      if (!bytes) return fail(`bad payload in ${raw.type}`);
      return { ok: true, message: { type: raw.type, bytes } };
    }
    case 'getblocks': {
      const id = requestId(raw.requestId);
      const locator = idList(raw.locator, MAX_LOCATOR, parseBlockHash);
      if (id === null || !locator) return fail('bad getblocks');
      return { ok: true, message: { type: 'getblocks', requestId: id, locator } };
    }
    case 'blocklist': {
      const id = requestId(raw.requestId);
      const hashes = idList(raw.hashes, MAX_IDS, parseBlockHash);
      const tip = parseBlockHash(raw.tip);
      if (id === null || !hashes || !tip || typeof raw.more !== 'boolean') {
        return fail('bad blocklist');
      }
      return {
        ok: true,
        message: { type: 'blocklist', requestId: id, hashes, tip, more: raw.more },
      };
    }
    default:
      return fail('unknown message type');
  }
}

/** Bytes of a message's type and framing on the wire, as a bandwidth model counts them. */
const FRAME_BYTES = 8;
/** Bytes of one id (a 32-byte hash). */
const ID_BYTES = 32;

/**
 * A message's size on the wire, for the delivery rule's bandwidth model: a block costs its
 * encoding, an announcement 32 bytes an id.
 */
export function messageBytes(message: Message): number {
  switch (message.type) {
    case 'inv':
    case 'getdata':
      return FRAME_BYTES + ID_BYTES * (message.blocks.length + message.txs.length);
    case 'block':
    case 'tx':
      return FRAME_BYTES + message.bytes.length;
    case 'getblocks':
      return FRAME_BYTES + 4 + ID_BYTES * message.locator.length;
    case 'blocklist':
      return FRAME_BYTES + 5 + ID_BYTES * (message.hashes.length + 1);
  }
}
