/**
 * Blocks: the tutorial's fields (index, timestamp, transactions, proof, previous hash) plus the
 * Merkle root of the transactions and the difficulty target, all inside one 92-byte header that
 * the proof of work covers, so editing any transaction of a mined block breaks it.
 *
 * Header, big-endian: version u32 | index u32 | timestamp_ms u64 | previous_hash 32 |
 *                     merkle_root 32 | bits u32 (compact target) | proof u64
 * Block: header | tx_count u32 | each transaction as u32 length + bytes.
 */
import { ByteWriter, bytesEqual, DecodeError, decodeWith, fromHex, toHex } from './bytes.ts';
import type { ByteReader } from './bytes.ts';
import { sha256 } from './hash.ts';
import { merkleRoot } from './merkle.ts';
import type { ChainParams } from './params.ts';
import { HEADER_BYTES } from './pow-kernel.ts';
import type { Result } from './result.ts';
import { compactToTarget, targetToCompact } from './target.ts';
import type { Transaction } from './tx.ts';
import { readTransaction, TRANSFER_BYTES } from './tx.ts';
import type { BlockHash, Height } from './types.ts';

/** The header version of every block with a real proof of work. */
export const BLOCK_VERSION = 1;
/**
 * The header version of blocks whose discovery was sampled instead of hashed (ASCII "SAMP"). Its
 * proof is not a proof of work, so real-work nodes refuse the version outright, and a sampled chain
 * starts from a genesis block of this version too: it shares no block with any real chain.
 */
export const SAMPLED_BLOCK_VERSION = 0x53414d50;

/** The header version blocks of a chain with these parameters carry. */
export function blockVersion(params: Pick<ChainParams, 'work'>): number {
  return params.work === 'sampled' ? SAMPLED_BLOCK_VERSION : BLOCK_VERSION;
}
/** Previous hash of the genesis block: the tutorial's `previous_hash=1`, as 32 bytes. */
export const GENESIS_PREVIOUS_HASH = ('0'.repeat(63) + '1') as BlockHash;
/** Proof of the genesis block: the tutorial's `proof=100`. */
export const GENESIS_PROOF = 100;

/** Everything the proof of work covers. */
export interface BlockHeader {
  readonly version: number;
  readonly index: Height;
  readonly timestampMs: number;
  readonly previousHash: BlockHash;
  readonly merkleRoot: Uint8Array;
  readonly bits: number;
  readonly proof: number;
}

/** A block with its derived hash and encoding. */
export interface Block {
  readonly header: BlockHeader;
  readonly hash: BlockHash;
  readonly transactions: readonly Transaction[];
  /** Canonical encoding of the whole block. */
  readonly bytes: Uint8Array;
}

/** The 92 header bytes. */
export function encodeHeader(h: BlockHeader): Uint8Array {
  const prev = fromHex(h.previousHash, 32);
  if (!prev.ok) throw new RangeError('bad previous hash');
  return new ByteWriter()
    .u32(h.version)
    .u32(h.index)
    .u64(BigInt(h.timestampMs))
    .bytes(prev.value)
    .bytes(h.merkleRoot)
    .u32(h.bits)
    .u64(BigInt(h.proof))
    .finish();
}

/** SHA-256 of the header bytes. */
export function headerHash(h: BlockHeader): BlockHash {
  return toHex(sha256(encodeHeader(h))) as BlockHash;
}

/** Assemble a block from a header and its transactions. */
export function makeBlock(header: BlockHeader, transactions: readonly Transaction[]): Block {
  const headerBytes = encodeHeader(header);
  const w = new ByteWriter().bytes(headerBytes).u32(transactions.length);
  for (const tx of transactions) w.varBytes(tx.bytes);
  return {
    header,
    hash: toHex(sha256(headerBytes)) as BlockHash,
    transactions,
    bytes: w.finish(),
  };
}

function readHeader(r: ByteReader): BlockHeader {
  const version = r.u32();
  const index = r.u32() as Height;
  const timestamp = r.u64();
  const previousHash = toHex(r.bytes(32)) as BlockHash;
  const merkle = r.bytes(32);
  const bits = r.u32();
  const proof = r.u64();
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('timestamp out of range');
  if (proof > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('proof out of range');
  return {
    version,
    index,
    timestampMs: Number(timestamp),
    previousHash,
    merkleRoot: merkle,
    bits,
    proof: Number(proof),
  };
}

/** Decode a block from untrusted bytes; `maxBytes` bounds the work done on oversize input. */
export function decodeBlock(bytes: Uint8Array, maxBytes: number): Result<Block, string> {
  if (bytes.length > maxBytes) return { ok: false, error: 'oversize' };
  return decodeWith(bytes, (r) => {
    const header = readHeader(r);
    const count = r.u32();
    if (count > Math.floor(r.remaining / 4)) throw new DecodeError('transaction count too large');
    const transactions: Transaction[] = [];
    for (let i = 0; i < count; i++) {
      const txBytes = r.varBytes(TRANSFER_BYTES);
      const tx = decodeWith(txBytes, readTransaction);
      if (!tx.ok) throw new DecodeError(`transaction ${i}: ${tx.error}`);
      transactions.push(tx.value);
    }
    const hash = toHex(sha256(bytes.subarray(0, HEADER_BYTES))) as BlockHash;
    return { header, hash, transactions, bytes: bytes.slice() };
  });
}

/** Merkle root of a transaction list. */
export function transactionsRoot(transactions: readonly Transaction[]): Uint8Array {
  // A copy: callers own what they get, and the memoised root must never change.
  return rootOf(transactions).slice();
}

function rootOf(transactions: readonly Transaction[]): Uint8Array {
  let root = roots.get(transactions);
  if (!root) {
    root = merkleRoot(transactions.map((tx) => tx.bytes));
    roots.set(transactions, root);
  }
  return root;
}

/** Does `root` commit to these transactions? Compares with the memoised root, copying nothing. */
export function matchesTransactionsRoot(
  root: Uint8Array,
  transactions: readonly Transaction[],
): boolean {
  return bytesEqual(rootOf(transactions), root);
}

/**
 * Roots of transaction lists already hashed, by list: a block shared by the nodes of one process
 * (see NodeOptions.decoded) is hashed once, not once per node. Lists are readonly, so the root of
 * a list never changes.
 */
const roots = new WeakMap<readonly Transaction[], Uint8Array>();

/** The target a header's bits encode, or null when the encoding is not canonical. */
export function headerTarget(h: BlockHeader): bigint | null {
  return compactToTarget(h.bits);
}

/**
 * The fixed genesis block: identical on every node of a simulation because it derives only from
 * the shared parameters (the tutorial minted one per node, so nodes never agreed).
 */
export function genesisBlock(params: ChainParams): Block {
  const version = blockVersion(params);
  const bits = targetToCompact(params.initialTarget);
  // Every node of every simulation builds it: memoised by what it derives from.
  const key = `${version}:${params.genesisTimestampMs}:${bits}`;
  const known = genesisBlocks.get(key);
  if (known) return known;
  const block = makeBlock(
    {
      version,
      index: 1 as Height,
      timestampMs: params.genesisTimestampMs,
      previousHash: GENESIS_PREVIOUS_HASH,
      merkleRoot: transactionsRoot([]),
      bits,
      proof: GENESIS_PROOF,
    },
    [],
  );
  if (genesisBlocks.size >= MAX_GENESIS_BLOCKS) genesisBlocks.clear();
  genesisBlocks.set(key, block);
  return block;
}

const genesisBlocks = new Map<string, Block>();
const MAX_GENESIS_BLOCKS = 64;
