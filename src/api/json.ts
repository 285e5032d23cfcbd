/**
 * How blocks and transactions look in the API: the tutorial's field names, hex for bytes,
 * numbers for amounts (always safe integers: validation caps them at 2^53 - 1).
 */
import type { Block } from '../core/block.ts';
import { toHex } from '../core/bytes.ts';
import { headerTarget } from '../core/block.ts';
import { leadingZeroBits } from '../core/target.ts';
import type { NodeEvent } from '../core/node.ts';
import type { Transaction } from '../core/tx.ts';

/** A transaction in the API. A coinbase shows sender "0", as in the tutorial. */
export interface TxJson {
  readonly id: string;
  readonly sender: string;
  readonly recipient: string;
  readonly amount: number;
  readonly fee: number;
  readonly nonce: number;
  readonly signature: string;
  /** The sender's ed25519 public key ("" for a coinbase). */
  readonly public_key: string;
}

/** A block in the API. */
export interface BlockJson {
  readonly index: number;
  /** Unix time in seconds, with milliseconds as a fraction (like Python's time.time()). */
  readonly timestamp: number;
  readonly transactions: readonly TxJson[];
  readonly proof: number;
  readonly previous_hash: string;
  readonly hash: string;
  readonly merkle_root: string;
  /** Leading zero bits the hash needed: the difficulty people see. */
  readonly difficulty: number;
  /** The exact 256-bit target, as 64 hex digits. */
  readonly target: string;
}

/** Amounts are capped at 2^53 - 1 by validation, so this is exact. */
function num(v: bigint): number {
  return Number(v);
}

/** A transaction for the API. */
export function txToJson(tx: Transaction): TxJson {
  if (tx.kind === 'coinbase') {
    return {
      id: tx.id,
      sender: '0',
      recipient: tx.recipient,
      amount: num(tx.amount),
      fee: 0,
      nonce: 0,
      signature: '',
      public_key: '',
    };
  }
  return {
    id: tx.id,
    sender: tx.sender,
    recipient: tx.recipient,
    amount: num(tx.amount),
    fee: num(tx.fee),
    nonce: num(tx.nonce),
    signature: toHex(tx.signature),
    public_key: toHex(tx.senderKey),
  };
}

/** A block for the API. */
export function blockToJson(block: Block): BlockJson {
  const h = block.header;
  const target = headerTarget(h) ?? 0n;
  return {
    index: h.index,
    timestamp: h.timestampMs / 1000,
    transactions: block.transactions.map(txToJson),
    proof: h.proof,
    previous_hash: h.previousHash,
    hash: block.hash,
    merkle_root: toHex(h.merkleRoot),
    difficulty: target > 0n ? leadingZeroBits(target) : 0,
    target: target.toString(16).padStart(64, '0'),
  };
}

/** Something a node did, in plain data (for event logs and scripts). */
export type EventJson =
  | { readonly kind: 'block-mined'; readonly hash: string; readonly height: number }
  | {
      readonly kind: 'block-rejected' | 'tx-rejected';
      readonly id: string;
      readonly from: string | null;
      readonly reason: string;
      readonly message: string;
    }
  | {
      readonly kind: 'tip-changed';
      readonly from: string | null;
      readonly oldTip: string;
      readonly newTip: string;
      readonly fork: string;
      readonly height: number;
      /** Blocks that left the best chain (a reorg when above zero). */
      readonly dropped: number;
      readonly adopted: number;
    }
  | { readonly kind: 'tx-accepted'; readonly id: string; readonly from: string | null }
  | { readonly kind: 'message-dropped'; readonly from: string; readonly reason: string }
  | { readonly kind: 'storage-skipped'; readonly reason: string };

/** A node event as plain data: hashes and counts, never whole blocks. */
export function eventToJson(e: NodeEvent): EventJson {
  switch (e.kind) {
    case 'block-mined':
    case 'tx-accepted':
    case 'message-dropped':
    case 'storage-skipped':
      return e;
    case 'block-rejected':
      return { kind: e.kind, id: e.hash, from: e.from, ...e.rejection };
    case 'tx-rejected':
      return { kind: e.kind, id: e.id, from: e.from, ...e.rejection };
    case 'tip-changed':
      return {
        kind: 'tip-changed',
        from: e.from,
        oldTip: e.change.oldTip.hash,
        newTip: e.change.newTip.hash,
        fork: e.change.fork.hash,
        height: e.change.newTip.height,
        dropped: e.change.disconnected.length,
        adopted: e.change.connected.length,
      };
  }
}
