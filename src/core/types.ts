/**
 * Branded primitive types (CONTRIBUTING.md, Types and messages): a `BlockHash` is not a `TxId` is not an `Address`,
 * even though all are hex strings at the edges.
 */
declare const brand: unique symbol;
/** A primitive tagged with a compile-time name. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** SHA-256 of a block header, 64 lowercase hex digits. */
export type BlockHash = Brand<string, 'BlockHash'>;
/** SHA-256 of a transaction's canonical bytes, 64 lowercase hex digits. */
export type TxId = Brand<string, 'TxId'>;
/** An account: the first 20 bytes of SHA-256 of an ed25519 public key, 40 lowercase hex digits. */
export type Address = Brand<string, 'Address'>;
/** A node's name within a simulation, e.g. "n1". */
export type NodeId = Brand<string, 'NodeId'>;
/** Block height; the genesis block has index 1, as in the tutorial. */
export type Height = Brand<number, 'Height'>;

const HASH_RE = /^[0-9a-f]{64}$/;
const ADDRESS_RE = /^[0-9a-f]{40}$/;
const NODE_ID_RE = /^[a-z][a-z0-9-]{0,31}$/;

/** Parse a block hash from untrusted text. */
export function parseBlockHash(v: unknown): BlockHash | null {
  return typeof v === 'string' && HASH_RE.test(v) ? (v as BlockHash) : null;
}

/** Parse a transaction id from untrusted text. */
export function parseTxId(v: unknown): TxId | null {
  return typeof v === 'string' && HASH_RE.test(v) ? (v as TxId) : null;
}

/** Parse an address from untrusted text. */
export function parseAddress(v: unknown): Address | null {
  return typeof v === 'string' && ADDRESS_RE.test(v) ? (v as Address) : null;
}

/** Parse a node id from untrusted text: a lowercase name of at most 32 characters. */
export function parseNodeId(v: unknown): NodeId | null {
  return typeof v === 'string' && NODE_ID_RE.test(v) ? (v as NodeId) : null;
}
