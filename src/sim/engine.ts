/**
 * The one simulation engine, over either runtime (src/sim/runtime.ts): it alone names nodes
 * (n1, n2, …), populates the network and registers peers, resets, splits and heals the network,
 * runs changes one after another, keeps every node's events and holds the defaults. The headless
 * `Simulation` (src/sim/simulation.ts) runs it in process; the page's `WorkerSimulation` runs it
 * over Web Workers (CONTRIBUTING.md, One place for each fact). Pure of the DOM.
 */
import type {
  NetworkView,
  NodeBackend,
  NodeSummary,
  ResetOptions,
  RoomJoin,
  SimulationBackend,
} from '../api/backend.ts';
import type { EventJson } from '../api/json.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import type { OfferOutcome } from '../core/node.ts';
import type { Address, BlockHash, NodeId } from '../core/types.ts';
import type { EventReader } from './event-feed.ts';
import { EventFeed } from './event-feed.ts';
import type { NodeRuntime, RuntimeNode } from './runtime.ts';
import type { Topology } from './topology.ts';
import { buildTopology, FULL_TOPOLOGY } from './topology.ts';

/** What the engine knows of a simulation: enough to save it and to open it again. */
export interface EngineState {
  readonly options: ResetOptions;
  readonly network: NetworkSettings;
  /** Node ids in creation order. */
  readonly ids: readonly NodeId[];
  /** The number the next unnamed node gets (`<prefix><nextIndex>`). */
  readonly nextIndex: number;
  /** What unnamed nodes' ids start with: `n`, or the learner's name and a dash in a room. */
  readonly prefix?: string;
  /** The classroom room the nodes are in, if any. */
  readonly room?: RoomJoin | null;
}

/** Unnamed nodes are n1, n2, … outside a room. */
export const DEFAULT_PREFIX = 'n';

/** What every run of a simulation starts from. */
export interface EngineDefaults {
  /** The network a reset starts from. */
  readonly network: NetworkSettings;
  /** Who registers whom when `peers` is "all" (default: everyone). */
  readonly topology?: Topology;
}

/** A simulation of nodes on runtime `R`. */
export class SimulationEngine<R extends NodeRuntime> implements SimulationBackend {
  /** Where the nodes run. */
  protected readonly runtime: R;
  #options: ResetOptions;
  #network: NetworkSettings;
  readonly #defaults: EngineDefaults;
  /** Running nodes in creation order; a restarted node keeps its place. */
  readonly #nodes = new Map<NodeId, RuntimeNode>();
  #nextIndex: number;
  #prefix: string;
  #room: RoomJoin | null;
  #changing: Promise<unknown> = Promise.resolve();
  readonly #events = new EventFeed();

  /** An engine with no nodes yet: call `populate` (fresh) or `restore` (from `state.ids`). */
  protected constructor(runtime: R, state: EngineState, defaults: EngineDefaults) {
    this.runtime = runtime;
    this.#options = state.options;
    this.#network = state.network;
    this.#nextIndex = state.nextIndex;
    this.#prefix = state.prefix ?? DEFAULT_PREFIX;
    this.#room = state.room ?? null;
    this.#defaults = defaults;
  }

  /**
   * Create the options' nodes and, unless `peers` is "none", register each with its peers in the
   * topology (everyone, by default).
   */
  protected async populate(): Promise<void> {
    for (let i = 0; i < this.#options.nodes; i++) await this.#addNode(undefined);
    if (this.#options.peers === 'all') {
      const ids = this.ids;
      const topology = this.#defaults.topology ?? FULL_TOPOLOGY;
      const graph =
        topology.kind === 'full'
          ? null
          : buildTopology(topology, ids, this.runtime.rng('topology'));
      for (const [id, node] of this.#nodes) await node.register(graph?.get(id) ?? ids);
    }
  }

  /** Start the nodes of a saved simulation again, side by side. */
  protected async restore(ids: readonly NodeId[]): Promise<void> {
    const started = await Promise.all(ids.map((id) => this.runtime.start(id)));
    ids.forEach((id, i) => {
      const node = started[i];
      if (node) this.#nodes.set(id, node);
    });
  }

  /** Called after every change worth saving (nodes, options, network). */
  protected changed(): Promise<void> {
    return Promise.resolve();
  }

  /** What to save to open this simulation again. */
  get state(): EngineState {
    return {
      options: this.#options,
      network: this.#network,
      ids: this.ids,
      nextIndex: this.#nextIndex,
      prefix: this.#prefix,
      room: this.#room,
    };
  }

  /** The classroom room the nodes are in, if any. */
  get room(): RoomJoin | null {
    return this.#room;
  }

  /** The options in force. */
  get options(): ResetOptions {
    return this.#options;
  }

  /** Node ids in creation order. */
  get ids(): NodeId[] {
    return [...this.#nodes.keys()];
  }

  /**
   * Run a change (add, remove, restart, reset, network) after the previous one; reads wait for
   * it, so nobody sees a half-started node or half a reset.
   */
  protected change<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#changing.then(fn, fn);
    this.#changing = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the changes queued so far are done. */
  protected settled(): Promise<unknown> {
    return this.#changing;
  }

  /** Stop a node and start it again from what it stored; false for an unknown node. */
  protected restart(id: NodeId, abrupt: boolean): Promise<boolean> {
    return this.change(async () => {
      if (!this.#nodes.has(id)) return false;
      // Same key, so the node keeps its place in the list.
      this.#nodes.set(id, await this.runtime.restart(id, abrupt));
      return true;
    });
  }

  /**
   * Events a node recorded since `reader` last asked: the page's event log and scripts each see
   * every event.
   */
  async takeEvents(id: NodeId, reader: EventReader = 'page'): Promise<EventJson[]> {
    await this.#changing;
    if (this.#nodes.has(id)) this.#events.push(id, await this.runtime.takeEvents(id));
    return this.#events.take(id, reader);
  }

  /**
   * Hand node `id` encoded blocks as a peer would send them (the tamper lab's "offer it to a
   * peer"): what it did with each, refusals typed; null for an unknown node.
   */
  async offerBlocks(
    id: NodeId,
    blocks: readonly Uint8Array[],
  ): Promise<readonly OfferOutcome[] | null> {
    await this.#changing;
    const node = this.#nodes.get(id);
    return node ? node.offerBlocks(blocks) : null;
  }

  /**
   * The encoded blocks of node `id`'s best chain from `hash` to its tip, oldest first; null for an
   * unknown node or a block not on its best chain.
   */
  async bestChainFrom(id: NodeId, hash: BlockHash): Promise<readonly Uint8Array[] | null> {
    await this.#changing;
    const node = this.#nodes.get(id);
    return node ? node.bestChainFrom(hash) : null;
  }

  // ---- SimulationBackend ---------------------------------------------------------------------

  async listNodes(): Promise<readonly NodeSummary[]> {
    await this.#changing;
    return Promise.all([...this.#nodes.values()].map((n) => n.summary()));
  }

  addNode(id: NodeId | undefined): Promise<{ id: NodeId; address: Address }> {
    return this.change(() => this.#addNode(id));
  }

  async #addNode(id: NodeId | undefined): Promise<{ id: NodeId; address: Address }> {
    let nodeId = id;
    while (!nodeId || this.#nodes.has(nodeId)) {
      nodeId = `${this.#prefix}${this.#nextIndex++}` as NodeId;
    }
    const node = await this.runtime.start(nodeId);
    this.#nodes.set(nodeId, node);
    await this.changed();
    return { id: nodeId, address: (await node.wallet()).address };
  }

  removeNode(id: NodeId): Promise<boolean> {
    return this.change(async () => {
      if (!this.#nodes.has(id)) return false;
      this.#nodes.delete(id);
      this.#events.forget(id);
      await this.runtime.remove(id);
      await this.changed();
      for (const other of this.#nodes.values()) await other.forgetPeer(id);
      return true;
    });
  }

  reset(options: ResetOptions): Promise<void> {
    return this.change(() => this.#begin(options, this.#room, this.#prefix));
  }

  /**
   * Start a new run in a classroom's room (its nodes named `<prefix>1`, `<prefix>2`, …), or back
   * outside any room with null.
   */
  protected enterRoom(options: ResetOptions, room: RoomJoin | null, prefix: string): Promise<void> {
    return this.change(() => this.#begin(options, room, prefix));
  }

  async #begin(options: ResetOptions, room: RoomJoin | null, prefix: string): Promise<void> {
    this.#options = options;
    this.#room = room;
    this.#prefix = prefix;
    this.#network = this.#defaults.network;
    await this.runtime.begin({ options, network: this.#network, room });
    this.#nodes.clear();
    this.#events.clear();
    this.#nextIndex = 1;
    await this.populate();
    await this.changed();
  }

  #setNetwork(network: NetworkSettings): Promise<void> {
    return this.change(async () => {
      this.#network = network;
      await this.runtime.applyNetwork(network);
      await this.changed();
    });
  }

  partition(groups: readonly (readonly NodeId[])[]): Promise<void> {
    // Empty groups split nothing; unlisted nodes form one more group (src/core/delivery.ts).
    const split = groups.map((g) => [...g]).filter((g) => g.length > 0);
    return this.#setNetwork({ ...this.#network, groups: split });
  }

  async heal(): Promise<void> {
    await this.#setNetwork({ ...this.#network, groups: [] });
    // Reconnected peers exchange tips, so the network converges without anyone mining again.
    for (const node of this.#nodes.values()) await node.announceTip();
  }

  setNetwork(settings: { latencyMs?: number; loss?: number }): Promise<void> {
    const { latencyMs, loss, distribution, groups } = this.#network;
    // A new mean latency replaces any other distribution with the default spread around it.
    return this.#setNetwork(
      settings.latencyMs === undefined && distribution
        ? { latencyMs, loss: settings.loss ?? loss, distribution, groups }
        : { latencyMs: settings.latencyMs ?? latencyMs, loss: settings.loss ?? loss, groups },
    );
  }

  networkSettings(): Promise<NetworkView> {
    const { latencyMs, loss, groups } = this.#network;
    return Promise.resolve({ latency_ms: latencyMs, loss, groups });
  }

  node(id: NodeId): NodeBackend | null {
    return this.#nodes.get(id) ?? null;
  }
}
