/**
 * What the route table needs from a simulation. The headless simulator implements it in memory;
 * the browser implements it over worker nodes. Inputs arrive already validated by the router.
 */
import type { ChainParams, ForkChoice } from '../core/params.ts';
import { makeParams } from '../core/params.ts';
import { targetFromZeroBits } from '../core/target.ts';
import type { GossipMode } from '../core/node.ts';
import type { Result } from '../core/result.ts';
import type { Address, BlockHash, NodeId, TxId } from '../core/types.ts';
import type { Rejection } from '../core/validation.ts';
import type { BlockJson, TxJson, TxStatusJson } from './json.ts';

/** One node as GET /sim/nodes lists it. */
export interface NodeSummary {
  readonly id: NodeId;
  readonly address: Address;
  readonly height: number;
  readonly tip: BlockHash;
  readonly peers: readonly NodeId[];
  readonly mining: boolean;
  readonly hashrate: number;
}

/** Network conditions as GET /sim/network shows them. */
export interface NetworkView {
  readonly latency_ms: number;
  readonly loss: number;
  /** Partition groups; empty when the network is whole. */
  readonly groups: readonly (readonly NodeId[])[];
}

/** Options of POST /sim/reset, defaults filled in. */
export interface ResetOptions {
  readonly nodes: number;
  readonly difficultyBits: number;
  readonly blockTimeMs: number;
  readonly forkChoice: ForkChoice;
  readonly gossip: GossipMode;
  readonly peers: 'all' | 'none';
  /** Coins a block pays its miner besides the fees; the tutorial pays 1. */
  readonly reward: number;
  /** Blocks between difficulty retargets (default: the chain's, see src/core/params.ts). */
  readonly retargetInterval?: number;
}

/**
 * The most nodes a simulation of real nodes runs, however they are added: `POST /sim/reset`,
 * `POST /sim/nodes`, the settings form and `npm run serve -- --nodes`. Each of them hashes for
 * real on the one machine that runs them all.
 */
export const MAX_NODES = 16;

/** Defaults of a fresh simulation. */
export const DEFAULT_RESET: ResetOptions = {
  nodes: 3,
  difficultyBits: 12,
  blockTimeMs: 5_000,
  forkChoice: 'most-work',
  gossip: 'auto',
  peers: 'all',
  reward: 1,
};

/** Consensus parameters of a simulation with these options. */
export function paramsFor(options: ResetOptions): ChainParams {
  return makeParams({
    initialTarget: targetFromZeroBits(options.difficultyBits),
    blockTimeMs: options.blockTimeMs,
    forkChoice: options.forkChoice,
    reward: BigInt(options.reward),
    ...(options.retargetInterval === undefined
      ? {}
      : { retargetInterval: options.retargetInterval }),
  });
}

/** How a simulation's nodes join a classroom's room (src/runtime/room.ts). */
export interface RoomJoin {
  /** The room's WebSocket address (`ws://` or `wss://`). */
  readonly server: string;
  /** The room code (the learners' password). */
  readonly code: string;
  /** The learner the nodes belong to, as others see it. */
  readonly learner: string;
  /** This page's id: the room's nodes of one page keep talking over BroadcastChannel. */
  readonly page: string;
}

/**
 * A node stopped (removed, restarted or crashed) while a call to it was under way, so it will
 * never answer; the route table answers 503 with this message.
 */
export class NodeStoppedError extends Error {
  readonly node: string;
  constructor(node: string) {
    super(
      `${node} stopped before it answered (it was removed or restarted): send the request again.`,
    );
    this.name = 'NodeStoppedError';
    this.node = node;
  }
}

/** Operations on one node: the tutorial's API. */
export interface NodeBackend {
  mine(): Promise<BlockJson>;
  pay(
    recipient: Address,
    amount: bigint,
    fee: bigint,
  ): Promise<Result<{ readonly transaction: TxJson; readonly nextIndex: number }, Rejection>>;
  chain(): Promise<readonly BlockJson[]>;
  /** Add peers (never the node itself); answers every registered peer, in the order added. */
  register(ids: readonly NodeId[]): Promise<readonly NodeId[]>;
  resolve(): Promise<{
    readonly replaced: boolean;
    readonly chain: readonly BlockJson[];
    /** When a peer's best chain ties with ours (same work, another tip): why nothing moved. */
    readonly tie?: string;
  }>;
  setMining(enabled: boolean, hashrate: number | undefined): Promise<NodeSummary>;
  wallet(): Promise<{
    readonly address: Address;
    readonly balance: number;
    readonly nonce: number;
    /** The nonce the next payment will carry: after every waiting payment, queued ones too. */
    readonly next_nonce: number;
  }>;
  balance(address: Address): Promise<number>;
  mempool(): Promise<readonly TxJson[]>;
  block(hash: BlockHash): Promise<BlockJson | null>;
  /**
   * What happened to a payment (null: never seen, or forgotten). Optional so that runtimes
   * written before it still compile; the route answers 501 where it is missing.
   */
  transaction?(id: TxId): Promise<TxStatusJson | null>;
  /** Sign a payment with this node's next nonce and keep it nowhere (see Node.signPayment). */
  signPayment(
    recipient: Address,
    amount: bigint,
    fee: bigint,
  ): Promise<Result<{ readonly transaction: TxJson; readonly raw: string }, Rejection>>;
  /** Take a signed payment given as canonical bytes, and pass it on to the peers. */
  submitPayment(raw: Uint8Array): Promise<Result<TxJson, Rejection>>;
  /**
   * Gossip automatically, or keep what it finds and hears to itself until asked (manual), until
   * the node restarts or the network resets.
   */
  setGossip(mode: GossipMode): Promise<GossipMode>;
  /** Send one of its blocks to every peer unasked; the peers it went to, null for an unknown block. */
  publish(hash: BlockHash): Promise<readonly NodeId[] | null>;
}

/** A whole simulation. */
export interface SimulationBackend {
  listNodes(): Promise<readonly NodeSummary[]>;
  addNode(id: NodeId | undefined): Promise<{ readonly id: NodeId; readonly address: Address }>;
  removeNode(id: NodeId): Promise<boolean>;
  reset(options: ResetOptions): Promise<void>;
  partition(groups: readonly (readonly NodeId[])[]): Promise<void>;
  heal(): Promise<void>;
  setNetwork(settings: { readonly latencyMs?: number; readonly loss?: number }): Promise<void>;
  /** The network conditions in force. */
  networkSettings(): Promise<NetworkView>;
  node(id: NodeId): NodeBackend | null;
}
