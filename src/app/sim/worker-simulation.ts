/**
 * The simulation in the browser: every node in its own module Web Worker (Comlink), talking over
 * BroadcastChannel, keeping its chain in IndexedDB. Implements the route table's backend, so
 * `window.chainlab.request` answers exactly as the headless simulator does.
 *
 * This module is the page's one entry to the runtime (CONTRIBUTING.md, Layers): the rest of
 * src/app imports what it needs of src/runtime and src/worker from here, and the linter refuses
 * any other way in.
 */
import * as Comlink from 'comlink';
import Dexie from 'dexie';
import type {
  NetworkView,
  NodeBackend,
  NodeSummary,
  ResetOptions,
  SimulationBackend,
} from '../../api/backend.ts';
import { DEFAULT_RESET, paramsFor } from '../../api/backend.ts';
import type { EventJson } from '../../api/json.ts';
import type { NetworkSettings } from '../../core/delivery.ts';
import { DEFAULT_NETWORK } from '../../core/delivery.ts';
import type { Address, NodeId } from '../../core/types.ts';
import { publishNetworkSettings } from '../../runtime/broadcast-transport.ts';
import type { BlockSummary, NodeStatus } from '../../runtime/protocol.ts';
import { names, parseNetworkSettings } from '../../runtime/protocol.ts';
import type { NodeWorkerApi } from '../../worker/node.worker.ts';
import type { EventReader } from './event-feed.ts';
import { EventFeed } from './event-feed.ts';
import type { SimulationRecord } from './registry.ts';
import { Registry } from './registry.ts';
import { claimSimulationId } from './session.ts';

export type { BlockSummary, NodeStatus } from '../../runtime/protocol.ts';

interface WorkerNode {
  readonly id: NodeId;
  readonly seed: number;
  readonly worker: Worker;
  readonly api: Comlink.Remote<NodeWorkerApi>;
}

/**
 * Of the cores left after the page's own, the share the miners may fill: some headroom for the
 * compositor and garbage collection keeps the frame time steady (see npm run bench).
 */
const HASHING_BUDGET = 0.75;

/** The page's simulation records. */
const registry = new Registry(names.registryDatabase, parseNetworkSettings);

/** Claim this tab's simulation (see session.ts) and open it: restored, or fresh. */
export async function openTabSimulation(
  onProblem: (message: string) => void,
): Promise<WorkerSimulation> {
  return WorkerSimulation.open(await claimSimulationId(names), onProblem);
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
}

/** A simulation of worker nodes. Open it with {@link WorkerSimulation.open}. */
export class WorkerSimulation implements SimulationBackend {
  readonly simId: string;
  #record: SimulationRecord;
  #nodes = new Map<NodeId, WorkerNode>();
  #changing: Promise<unknown> = Promise.resolve();
  readonly #events = new EventFeed();
  readonly #onProblem: (message: string) => void;

  private constructor(record: SimulationRecord, onProblem: (message: string) => void) {
    this.simId = record.simId;
    this.#record = record;
    this.#onProblem = onProblem;
  }

  /** Restore the simulation `simId` from storage, or start a fresh one under that id. */
  static async open(
    simId: string,
    onProblem: (message: string) => void,
  ): Promise<WorkerSimulation> {
    let record: SimulationRecord | null = null;
    try {
      record = await registry.load(simId, onProblem);
    } catch {
      onProblem('Saved simulations cannot be read here; starting a fresh one in memory.');
    }
    const sim = new WorkerSimulation(
      record ?? {
        simId,
        generation: 0,
        options: DEFAULT_RESET,
        network: DEFAULT_NETWORK,
        nodes: [],
        nextIndex: 1,
      },
      onProblem,
    );
    if (record && record.nodes.length > 0) await sim.#restore();
    else await sim.#populate(record?.options ?? DEFAULT_RESET);
    return sim;
  }

  get #namespace(): string {
    return names.namespace(this.simId, this.#record.generation);
  }

  /** The options in force. */
  get options(): ResetOptions {
    return this.#record.options;
  }

  /** Network conditions in force. */
  get network(): NetworkSettings {
    return this.#record.network;
  }

  async #save(): Promise<void> {
    try {
      await registry.save(this.#record);
    } catch {
      this.#onProblem('The simulation settings could not be saved; a reload may not restore them.');
    }
  }

  /**
   * Run a change of the node set (add, remove, restart, reset) after the previous one; reads
   * wait for it, so nobody sees a half-started node or half a reset.
   */
  #change<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#changing.then(fn, fn);
    this.#changing = run.catch(() => undefined);
    return run;
  }

  async #restore(): Promise<void> {
    const started = await Promise.all(this.#record.nodes.map((n) => this.#spawn(n.id, n.seed)));
    for (const node of started) this.#nodes.set(node.id, node);
    await this.#shareCpu();
  }

  /**
   * Share the machine: together the workers may hash on all cores but one, so the page keeps a
   * core to draw with while every node mines (measured: 8 full-speed miners on 2 cores stretched
   * the 95th-percentile frame to 70–150 ms).
   */
  async #shareCpu(): Promise<void> {
    const cores = navigator.hardwareConcurrency || 2;
    const share = Math.min(
      1,
      (Math.max(1, cores - 1) * HASHING_BUDGET) / Math.max(1, this.#nodes.size),
    );
    await Promise.all([...this.#nodes.values()].map((n) => n.api.setCpuShare(share)));
  }

  async #populate(options: ResetOptions): Promise<void> {
    for (let i = 0; i < options.nodes; i++) await this.#addNode(undefined);
    if (options.peers === 'all') {
      const ids = [...this.#nodes.keys()];
      await Promise.all([...this.#nodes.values()].map((n) => n.api.register(ids)));
    }
  }

  async #spawn(id: NodeId, seed: number): Promise<WorkerNode> {
    const worker = new Worker(new URL('../../worker/node.worker.ts', import.meta.url), {
      type: 'module',
      name: `chainlab node ${id}`,
    });
    const api = Comlink.wrap<NodeWorkerApi>(worker);
    const node: WorkerNode = { id, seed, worker, api };
    // The caller lists the node only once it has started.
    await api.start({
      namespace: this.#namespace,
      database: names.nodeDatabase(this.#namespace, id),
      id,
      params: paramsFor(this.#record.options),
      gossip: this.#record.options.gossip,
      network: this.#record.network,
      seed,
    });
    return node;
  }

  async #terminate(node: WorkerNode): Promise<void> {
    try {
      await node.api.stop();
    } finally {
      node.api[Comlink.releaseProxy]();
      node.worker.terminate();
    }
  }

  /**
   * Stop a node's worker and start it again from its database. `abrupt` terminates the worker
   * mid-flight, as a crash or a closed tab would: whatever it had committed must come back intact.
   */
  restartNode(id: NodeId, abrupt: boolean): Promise<boolean> {
    return this.#change(async () => {
      const node = this.#nodes.get(id);
      if (!node) return false;
      if (abrupt) {
        node.api[Comlink.releaseProxy]();
        node.worker.terminate();
      } else {
        await this.#terminate(node);
      }
      // Same key, so the node keeps its place in the list.
      this.#nodes.set(id, await this.#spawn(id, node.seed));
      await this.#shareCpu();
      return true;
    });
  }

  /** Bumped by every reset: views drop what they knew of the previous run. */
  get generation(): number {
    return this.#record.generation;
  }

  /** Node ids in creation order. */
  get ids(): NodeId[] {
    return [...this.#nodes.keys()];
  }

  /** Block summaries a node accepted after its arrival number `after` (for the tree view). */
  async blocksSince(id: NodeId, after: number): Promise<BlockSummary[]> {
    await this.#changing;
    return (await this.#nodes.get(id)?.api.blocksSince(after)) ?? [];
  }

  /**
   * Events a node recorded since `reader` last asked: the page's event log and scripts each see
   * every event.
   */
  async takeEvents(id: NodeId, reader: EventReader = 'page'): Promise<EventJson[]> {
    await this.#changing;
    const node = this.#nodes.get(id);
    if (node) this.#events.push(id, await node.api.takeEvents());
    return this.#events.take(id, reader);
  }

  /** Live numbers of every node. */
  async statuses(): Promise<NodeStatus[]> {
    await this.#changing;
    return Promise.all([...this.#nodes.values()].map((n) => n.api.status()));
  }

  /** Stop every worker (page unload). */
  async close(): Promise<void> {
    await Promise.all([...this.#nodes.values()].map((n) => this.#terminate(n)));
    this.#nodes.clear();
  }

  // ---- SimulationBackend ---------------------------------------------------------------------

  async listNodes(): Promise<readonly NodeSummary[]> {
    return (await this.statuses()).map((s) => ({
      id: s.id,
      address: s.address,
      height: s.height,
      tip: s.tip,
      peers: s.peers,
      mining: s.mining,
      hashrate: s.hashrate,
    }));
  }

  addNode(id: NodeId | undefined): Promise<{ id: NodeId; address: Address }> {
    return this.#change(() => this.#addNode(id));
  }

  async #addNode(id: NodeId | undefined): Promise<{ id: NodeId; address: Address }> {
    let nextIndex = this.#record.nextIndex;
    let nodeId = id;
    while (!nodeId || this.#nodes.has(nodeId)) nodeId = `n${nextIndex++}` as NodeId;
    const seed = randomSeed();
    const node = await this.#spawn(nodeId, seed);
    this.#nodes.set(nodeId, node);
    await this.#shareCpu();
    this.#record = {
      ...this.#record,
      nextIndex,
      nodes: [...this.#record.nodes, { id: nodeId, seed }],
    };
    await this.#save();
    return { id: nodeId, address: (await node.api.wallet()).address };
  }

  removeNode(id: NodeId): Promise<boolean> {
    return this.#change(async () => {
      const node = this.#nodes.get(id);
      if (!node) return false;
      this.#nodes.delete(id);
      this.#events.forget(id);
      await this.#terminate(node);
      await Dexie.delete(names.nodeDatabase(this.#namespace, id));
      this.#record = { ...this.#record, nodes: this.#record.nodes.filter((n) => n.id !== id) };
      await this.#save();
      await this.#shareCpu();
      await Promise.all([...this.#nodes.values()].map((n) => n.api.forgetPeer(id)));
      return true;
    });
  }

  reset(options: ResetOptions): Promise<void> {
    return this.#change(() => this.#reset(options));
  }

  async #reset(options: ResetOptions): Promise<void> {
    const old = this.#record;
    await this.close();
    this.#events.clear();
    const oldNamespace = names.namespace(this.simId, old.generation);
    await Promise.all(old.nodes.map((n) => Dexie.delete(names.nodeDatabase(oldNamespace, n.id))));
    this.#record = {
      simId: this.simId,
      generation: old.generation + 1,
      options,
      network: DEFAULT_NETWORK,
      nodes: [],
      nextIndex: 1,
    };
    await this.#populate(options);
    await this.#save();
  }

  async #setNetwork(network: NetworkSettings): Promise<void> {
    this.#record = { ...this.#record, network };
    publishNetworkSettings(this.#namespace, network);
    // Also applied directly, so the change holds before the request answers.
    await Promise.all([...this.#nodes.values()].map((n) => n.api.setNetwork(network)));
    await this.#save();
  }

  async partition(groups: readonly (readonly NodeId[])[]): Promise<void> {
    await this.#setNetwork({ ...this.#record.network, groups });
  }

  async heal(): Promise<void> {
    await this.#setNetwork({ ...this.#record.network, groups: [] });
    await Promise.all([...this.#nodes.values()].map((n) => n.api.announceTip()));
  }

  async setNetwork(settings: { latencyMs?: number; loss?: number }): Promise<void> {
    await this.#setNetwork({ ...this.#record.network, ...settings });
  }

  networkSettings(): Promise<NetworkView> {
    const { latencyMs, loss, groups } = this.#record.network;
    return Promise.resolve({ latency_ms: latencyMs, loss, groups });
  }

  node(id: NodeId): NodeBackend | null {
    return this.#nodes.get(id)?.api ?? null;
  }
}
