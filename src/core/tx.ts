/**
 * Transactions keep the tutorial's shape (sender, recipient, amount) and become real: the sender
 * is an ed25519 public key, the signature covers the canonical bytes including a chain id and a
 * per-sender nonce, and amounts are whole coins as bigints (CONTRIBUTING.md, Canonical bytes and Exact numbers).
 *
 * Canonical encoding, big-endian:
 *   transfer: kind=1 u8 | chain_id u32 | sender_key 32 | recipient 20 | amount u64 | fee u64 |
 *             nonce u64 | signature 64
 *   coinbase: kind=0 u8 | chain_id u32 | height u32 | recipient 20 | amount u64
 * A transfer's signature covers every byte before it; a transaction's id is SHA-256 of all its
 * bytes. Signatures are checked strictly (RFC 8032), so the bytes, and the id, are unique.
 */
import { ByteReader, ByteWriter, DecodeError, decodeWith, fromHex, toHex } from './bytes.ts';
import { sha256 } from './hash.ts';
import type { Result } from './result.ts';
import type { Address, TxId } from './types.ts';
import type { Wallet } from './wallet.ts';
import { addressOf, sign } from './wallet.ts';

const KIND_COINBASE = 0;
const KIND_TRANSFER = 1;
/** Encoded size of a transfer. */
export const TRANSFER_BYTES = 1 + 4 + 32 + 20 + 8 + 8 + 8 + 64;
/** Encoded size of a coinbase. */
export const COINBASE_BYTES = 1 + 4 + 4 + 20 + 8;
export { MAX_AMOUNT } from './amount.ts';

/** A signed payment from one account to another. */
export interface Transfer {
  readonly kind: 'transfer';
  readonly id: TxId;
  readonly bytes: Uint8Array;
  readonly chainId: number;
  readonly senderKey: Uint8Array;
  readonly sender: Address;
  readonly recipient: Address;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
  readonly signature: Uint8Array;
}

/** The first transaction of a block: pays the miner the reward plus the fees. */
export interface Coinbase {
  readonly kind: 'coinbase';
  readonly id: TxId;
  readonly bytes: Uint8Array;
  readonly chainId: number;
  /** The block's index: makes every coinbase unique, as BIP 34 does. */
  readonly height: number;
  readonly recipient: Address;
  readonly amount: bigint;
}

/** Any transaction. */
export type Transaction = Transfer | Coinbase;

function addressBytes(a: Address): Uint8Array {
  const r = fromHex(a, 20);
  if (!r.ok) throw new RangeError(`not an address: ${a}`);
  return r.value;
}

/** What a transfer's signature covers. */
function transferSigningBytes(
  chainId: number,
  senderKey: Uint8Array,
  recipient: Address,
  amount: bigint,
  fee: bigint,
  nonce: bigint,
): Uint8Array {
  return new ByteWriter()
    .u8(KIND_TRANSFER)
    .u32(chainId)
    .bytes(senderKey)
    .bytes(addressBytes(recipient))
    .u64(amount)
    .u64(fee)
    .u64(nonce)
    .finish();
}

/** The bytes a transfer's signature must cover. */
export function signingBytes(tx: Transfer): Uint8Array {
  return tx.bytes.subarray(0, TRANSFER_BYTES - 64);
}

/** Fields of a payment before signing. */
export interface TransferFields {
  readonly chainId: number;
  readonly recipient: Address;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

/** A transfer object from its canonical bytes and the fields they encode. */
function transferOf(
  bytes: Uint8Array,
  f: TransferFields,
  senderKey: Uint8Array,
  signature: Uint8Array,
): Transfer {
  return {
    kind: 'transfer',
    id: toHex(sha256(bytes)) as TxId,
    bytes,
    chainId: f.chainId,
    senderKey,
    sender: addressOf(senderKey),
    recipient: f.recipient,
    amount: f.amount,
    fee: f.fee,
    nonce: f.nonce,
    signature,
  };
}

/** Sign a payment with a wallet. Amount limits are checked by validation, not here. */
export function signTransfer(wallet: Wallet, f: TransferFields): Transfer {
  const body = transferSigningBytes(
    f.chainId,
    wallet.publicKey,
    f.recipient,
    f.amount,
    f.fee,
    f.nonce,
  );
  const signature = sign(body, wallet.secretKey);
  const bytes = new ByteWriter().bytes(body).bytes(signature).finish();
  return transferOf(bytes, f, wallet.publicKey, signature);
}

/** The fields of a transfer someone without the sender's key can still rewrite. */
export type AlterableFields = Pick<TransferFields, 'recipient' | 'amount' | 'fee'>;

/**
 * A transfer with some fields rewritten and the old signature kept: what a forger without the
 * sender's key gets. Its bytes and id are canonical, but the signature no longer covers them, so
 * every node refuses it (`bad-signature`). Amount limits are checked by validation, not here.
 */
export function alterTransfer(tx: Transfer, changes: Partial<AlterableFields>): Transfer {
  const f: TransferFields = {
    chainId: tx.chainId,
    recipient: changes.recipient ?? tx.recipient,
    amount: changes.amount ?? tx.amount,
    fee: changes.fee ?? tx.fee,
    nonce: tx.nonce,
  };
  const body = transferSigningBytes(f.chainId, tx.senderKey, f.recipient, f.amount, f.fee, f.nonce);
  const bytes = new ByteWriter().bytes(body).bytes(tx.signature).finish();
  return transferOf(bytes, f, tx.senderKey, tx.signature);
}

/** The coinbase paying `recipient` at block `height`. */
export function makeCoinbase(
  chainId: number,
  height: number,
  recipient: Address,
  amount: bigint,
): Coinbase {
  const bytes = new ByteWriter()
    .u8(KIND_COINBASE)
    .u32(chainId)
    .u32(height)
    .bytes(addressBytes(recipient))
    .u64(amount)
    .finish();
  return {
    kind: 'coinbase',
    id: toHex(sha256(bytes)) as TxId,
    bytes,
    chainId,
    height,
    recipient,
    amount,
  };
}

/** Read one transaction from a reader (throws DecodeError on malformed input). */
export function readTransaction(r: ByteReader): Transaction {
  const start = r.position;
  const kind = r.u8();
  if (kind === KIND_TRANSFER) {
    const chainId = r.u32();
    const senderKey = r.bytes(32);
    const recipient = toHex(r.bytes(20)) as Address;
    const amount = r.u64();
    const fee = r.u64();
    const nonce = r.u64();
    const signature = r.bytes(64);
    // Every field is fixed-width, so the bytes read are already canonical.
    return transferOf(
      r.sliceFrom(start),
      { chainId, recipient, amount, fee, nonce },
      senderKey,
      signature,
    );
  }
  if (kind === KIND_COINBASE) {
    const chainId = r.u32();
    const height = r.u32();
    const recipient = toHex(r.bytes(20)) as Address;
    const amount = r.u64();
    return makeCoinbase(chainId, height, recipient, amount);
  }
  throw new DecodeError(`unknown transaction kind ${kind}`);
}

/** Decode one transaction from untrusted bytes. */
export function decodeTransaction(bytes: Uint8Array): Result<Transaction, string> {
  return decodeWith(bytes, readTransaction);
}

/** Decode untrusted bytes that must hold a transfer (peers never relay a lone coinbase). */
export function decodeTransfer(bytes: Uint8Array): Result<Transfer, string> {
  return decodeWith(bytes, (r) => {
    const tx = readTransaction(r);
    if (tx.kind !== 'transfer') throw new DecodeError('a coinbase cannot travel on its own');
    return tx;
  });
}
