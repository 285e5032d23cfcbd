/**
 * What a node needs from the world, as interfaces: the core never touches a channel, a database or
 * a timer itself. Step by step these get in-memory, BroadcastChannel and IndexedDB implementations.
 */
import type { Message } from './protocol.ts';
import type { BlockHash, NodeId } from './types.ts';

/** Delivers messages to other nodes; delivery may be late, lost or cut by a partition. */
export interface Transport {
  send(to: NodeId, message: Message): void;
}

/** Time: a clock plus one-shot timers (virtual in simulations, real in the browser). */
export interface Scheduler {
  /** Unix milliseconds. */
  now(): number;
  /** Run `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/** Per-node settings that survive a restart. */
export interface NodeSettings {
  readonly mining: boolean;
  /** Share of the node's hash power, 0 to 1. */
  readonly hashrate: number;
}

/** Everything a node persists. Stored data is untrusted on load and validated again. */
export interface StoredNode {
  /** Blocks in the order they were accepted, so parents come first and ties resolve the same. */
  readonly blocks: readonly Uint8Array[];
  readonly peers: readonly string[];
  readonly mempool: readonly Uint8Array[];
  readonly secretKey: Uint8Array | null;
  readonly settings: unknown;
}

/** One atomic write: all of it lands, or none of it. */
export interface StoreBatch {
  readonly blocks?: readonly { readonly hash: BlockHash; readonly bytes: Uint8Array }[];
  readonly tip?: BlockHash;
  readonly peers?: readonly NodeId[];
  readonly mempool?: readonly Uint8Array[];
  readonly secretKey?: Uint8Array;
  readonly settings?: NodeSettings;
}

/** A node's persistent storage. */
export interface ChainStore {
  /** What was stored, or null for a new node. */
  load(): Promise<StoredNode | null>;
  /** Apply a batch atomically. */
  write(batch: StoreBatch): Promise<void>;
}
