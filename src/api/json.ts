/**
 * How blocks and transactions look in the API: the tutorial's field names, hex for bytes,
 * numbers for amounts (always safe integers: validation caps them at 2^53 - 1).
 */
import type { Block } from '../core/block.ts';
import { toHex } from '../core/bytes.ts';
import { headerTarget } from '../core/block.ts';
import { leadingZeroBits } from '../core/target.ts';
import type { NodeEvent, TxStatus } from '../core/node.ts';
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
  | { readonly kind: 'storage-skipped'; readonly reason: string }
  | {
      /** A payment left the mempool without being confirmed: which one, and why. */
      readonly kind: 'tx-dropped';
      readonly id: string;
      readonly sender: string;
      readonly recipient: string;
      readonly amount: number;
      readonly nonce: number;
      /** A `DropReason` of src/core/mempool.ts. */
      readonly reason: string;
      readonly message: string;
    }
  | {
      /** Another branch with as much work as ours: we keep ours (seen first) until a block decides. */
      readonly kind: 'tie-seen';
      readonly from: string | null;
      readonly tip: string;
      readonly kept: string;
      readonly height: number;
    };

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
    case 'tx-dropped': {
      const { tx, reason, message } = e.dropped;
      return {
        kind: e.kind,
        id: tx.id,
        sender: tx.sender,
        recipient: tx.recipient,
        amount: num(tx.amount),
        nonce: num(tx.nonce),
        reason,
        message,
      };
    }
    case 'tie-seen':
      return {
        kind: e.kind,
        from: e.from,
        tip: e.tip.hash,
        kept: e.kept.hash,
        height: e.tip.height,
      };
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

/** What GET /node/:id/transactions/:txid answers. */
export interface TxStatusJson {
  readonly id: string;
  readonly status: 'pending' | 'confirmed' | 'dropped';
  /** The best-chain block holding it, when confirmed. */
  readonly block?: { readonly index: number; readonly hash: string };
  /** Why it was dropped (a `DropReason` of src/core/mempool.ts). */
  readonly reason?: string;
  /** For a dropped payment, why; for one queued behind a nonce gap, what it waits for. */
  readonly message?: string;
}

/** A payment's status for the API. */
export function txStatusToJson(s: TxStatus): TxStatusJson {
  switch (s.status) {
    case 'confirmed':
      return {
        id: s.tx.id,
        status: 'confirmed',
        block: { index: s.block.height, hash: s.block.hash },
      };
    case 'pending':
      return s.waitingForNonce === null
        ? { id: s.tx.id, status: 'pending' }
        : {
            id: s.tx.id,
            status: 'pending',
            message: `Queued: it has nonce ${s.tx.nonce}, and the sender's payment with nonce ${s.waitingForNonce} must come first. It goes through once that gap is filled.`,
          };
    case 'dropped':
      return { id: s.id, status: 'dropped', reason: s.reason, message: s.message };
  }
}
