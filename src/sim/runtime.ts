/**
 * Where a simulation's nodes run: in this process on a virtual clock (`MemoryRuntime`), or each in
 * its own Web Worker (the page's `WorkerRuntime`). The `Simulation` decides which nodes exist, what
 * they are called, who knows whom, what the network is set to and when changes happen; a runtime
 * only starts, stops and restarts nodes and applies network settings.
 */
import type { NodeBackend, NodeSummary, ResetOptions, RoomJoin } from '../api/backend.ts';
import type { EventJson } from '../api/json.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import type { OfferOutcome } from '../core/node.ts';
import type { Rng } from '../core/rng.ts';
import type { BlockHash, NodeId } from '../core/types.ts';

/** What one run of a simulation starts its nodes with. */
export interface RunSpec {
  readonly options: ResetOptions;
  readonly network: NetworkSettings;
  /** The classroom room the run's nodes join, if any (only the page's runtime can). */
  readonly room?: RoomJoin | null;
}

/** A running node, as its runtime hands it to the simulation. */
export interface RuntimeNode extends NodeBackend {
  /** The node as GET /sim/nodes lists it. */
  summary(): Promise<NodeSummary>;
  /** Forget a peer that left the simulation. */
  forgetPeer(id: NodeId): Promise<void>;
  /** Tell the peers about the tip again (after a partition heals). */
  announceTip(): Promise<void>;
  /**
   * Hand the node encoded blocks as a peer would send them (the tamper lab's "offer it to a
   * peer"): they take its one acceptance path, and a refusal comes back typed and as an event.
   */
  offerBlocks(blocks: readonly Uint8Array[]): Promise<readonly OfferOutcome[]>;
  /** The encoded blocks of its best chain from `hash` to its tip; null when not on it. */
  bestChainFrom(hash: BlockHash): Promise<readonly Uint8Array[] | null>;
}

/** The operations a simulation needs from where its nodes run. */
export interface NodeRuntime {
  /**
   * Start node `id` (a new one, or one coming back from what it stored) on the current run's
   * settings. Resolves once it answers.
   */
  start(id: NodeId): Promise<RuntimeNode>;
  /** Stop a node for good and delete what it stored. */
  remove(id: NodeId): Promise<void>;
  /**
   * Stop a node and start it again from what it stored. `abrupt` gives it no chance to finish
   * anything, as a crash would.
   */
  restart(id: NodeId, abrupt: boolean): Promise<RuntimeNode>;
  /** Apply network settings to every node before resolving. */
  applyNetwork(settings: NetworkSettings): Promise<void>;
  /** Stop every node, forget the previous run's data, and take `run`'s settings from now on. */
  begin(run: RunSpec): Promise<void>;
  /** The events node `id` recorded since the last call, oldest first. */
  takeEvents(id: NodeId): Promise<readonly EventJson[]>;
  /** A stream of the run's randomness for `purpose` (drawing a topology). */
  rng(purpose: string): Rng;
}
