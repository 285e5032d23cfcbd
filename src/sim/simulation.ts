/**
 * A whole network of nodes in one process, in virtual time: the headless simulator behind
 * `npm run sim`, the multi-node tests, and (later) the HTTP server. It implements the route table's
 * backend, so `request(method, path, body)` drives it exactly as the browser will.
 */
import type { ApiResponse } from '../api/routes.ts';
import { handleRequest } from '../api/routes.ts';
import type {
  NetworkView,
  NodeBackend,
  NodeSummary,
  ResetOptions,
  SimulationBackend,
} from '../api/backend.ts';
import { DEFAULT_RESET, paramsFor } from '../api/backend.ts';
import { nodeBackend, summarize } from '../api/node-backend.ts';
import { DEFAULT_NETWORK } from '../core/delivery.ts';
import type { NodeEvent } from '../core/node.ts';
import { Node } from '../core/node.ts';
import type { ChainParams } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import { createRng } from '../core/rng.ts';
import type { Address, NodeId } from '../core/types.ts';
import { MemoryNetwork } from './memory-network.ts';
import { MemoryStore } from './memory-store.ts';
import { VirtualScheduler } from './virtual-scheduler.ts';

/** Everything that shapes a simulated run. */
export interface SimulationOptions extends ResetOptions {
  /** Same seed, same run: keys, latencies, losses and mining all derive from it. */
  readonly seed: number;
  readonly latencyMs: number;
  readonly loss: number;
  /** Virtual hashes per second of a node at full hash-rate share (the real SHA-256 work is done). */
  readonly hashesPerSecond: number;
  /** Virtual clock at the start, Unix milliseconds. */
  readonly startTimeMs: number;
  /** Called for everything any node does. */
  readonly onEvent?: (node: NodeId, event: NodeEvent) => void;
}

/** Defaults: the route table's reset defaults plus the default network. */
export const DEFAULT_SIMULATION: SimulationOptions = {
  ...DEFAULT_RESET,
  seed: 1,
  latencyMs: DEFAULT_NETWORK.latencyMs,
  loss: DEFAULT_NETWORK.loss,
  hashesPerSecond: 2_000,
  // 2026-01-01T00:00:00Z
  startTimeMs: 1_767_225_600_000,
};

/** Continuous mining runs in slices of this much virtual time. */
const MINING_SLICE_MS = 100;
/** Live, the clock is checked for due events at least this often (milliseconds). */
const LIVE_TICK_MS = 20;
/** Give the host event loop a turn every this many events. */
const EVENTS_PER_TURN = 256;

interface SimNode {
  readonly node: Node;
  readonly store: MemoryStore;
  cancelMining: () => void;
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A simulated network of nodes. */
export class Simulation implements SimulationBackend {
  #options: SimulationOptions;
  #params: ChainParams;
  #rng: Rng;
  #scheduler: VirtualScheduler;
  #network: MemoryNetwork;
  #nodes = new Map<NodeId, SimNode>();
  #nextIndex = 1;
  #queue: Promise<unknown> = Promise.resolve();
  /** Set while the simulation runs live: the wall clock that virtual time follows. */
  #clock: (() => number) | null = null;

  private constructor(options: SimulationOptions) {
    this.#options = options;
    this.#params = paramsFor(options);
    this.#rng = createRng(options.seed);
    this.#scheduler = new VirtualScheduler(options.startTimeMs);
    this.#network = new MemoryNetwork(this.#scheduler, this.#rng.fork('network'), options);
  }

  /** Build a simulation with its nodes, registered with each other unless `peers` is "none". */
  static async create(options: Partial<SimulationOptions> = {}): Promise<Simulation> {
    const sim = new Simulation({ ...DEFAULT_SIMULATION, ...options });
    await sim.#populate();
    return sim;
  }

  async #populate(): Promise<void> {
    for (let i = 0; i < this.#options.nodes; i++) await this.addNode(undefined);
    if (this.#options.peers === 'all') {
      const ids = [...this.#nodes.keys()];
      for (const { node } of this.#nodes.values()) await node.registerPeers(ids);
    }
  }

  /** The consensus parameters in force. */
  get params(): ChainParams {
    return this.#params;
  }

  /** When the virtual clock started. */
  get startTimeMs(): number {
    return this.#options.startTimeMs;
  }

  /** The virtual clock. */
  get now(): number {
    return this.#scheduler.now();
  }

  /** The simulated network (conditions, partitions, counters). */
  get network(): MemoryNetwork {
    return this.#network;
  }

  /** Node ids in creation order. */
  get ids(): NodeId[] {
    return [...this.#nodes.keys()];
  }

  /** A node itself, for tests and reports. */
  nodeById(id: NodeId): Node {
    const n = this.#nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n.node;
  }

  /**
   * The route table. In virtual time a request drives the clock until its answer is ready, and
   * requests run one at a time, so a script always gives the same run. Live, the clock moves by
   * itself and requests run side by side: a long mine or a resolve waiting on a slow peer never
   * holds up another call (the tutorial's servers mined inside the request and blocked the API).
   */
  request(method: unknown, path: unknown, body?: unknown): Promise<ApiResponse> {
    if (this.#clock) {
      // A request sees the clock's time even between two turns of the pump.
      this.#scheduler.advanceTo(this.#clock());
      return handleRequest(this, method, path, body);
    }
    const run = this.#queue.then(() => this.#drive(handleRequest(this, method, path, body)));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Run live: from now on virtual time follows `clock` (Unix milliseconds), so a simulation that
   * people talk to as it runs (`npm run serve`) gossips, mines and times out between requests and
   * stamps blocks with the real time. Requests then wait for the clock instead of driving it.
   * The clock is injected (principle 5); the caller passes `Date.now`. Returns a stop function.
   */
  runLive(clock: () => number): () => Promise<void> {
    if (this.#clock) throw new Error('the simulation already runs live');
    this.#clock = clock;
    let stop = false;
    // Read through a function: the stop function changes `stop` while the pump awaits.
    const stopped = (): boolean => stop;
    const pump = async (): Promise<void> => {
      while (!stopped()) {
        await this.runFor(Math.max(0, clock() - this.#scheduler.now()));
        // Sleep until the next event is due, at most LIVE_TICK_MS: a request may schedule work
        // meanwhile.
        const next = this.#scheduler.peek();
        const wait = next === null ? LIVE_TICK_MS : Math.min(LIVE_TICK_MS, next - clock());
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      }
    };
    const running = pump();
    return async () => {
      stop = true;
      await running;
      this.#clock = null;
    };
  }

  /** Run `fn` after `ms` of virtual time (scripted actions: payments, partitions, …). */
  schedule(ms: number, fn: () => unknown): () => void {
    return this.#scheduler.after(ms, fn);
  }

  /** Run virtual time forward by `ms`. */
  async runFor(ms: number): Promise<void> {
    const until = this.#scheduler.now() + ms;
    let n = 0;
    for (
      let next = this.#scheduler.peek();
      next !== null && next <= until;
      next = this.#scheduler.peek()
    ) {
      await this.#scheduler.runNext();
      if (++n % EVENTS_PER_TURN === 0) await macrotask();
    }
    this.#scheduler.advanceTo(until);
  }

  /** Run until `done()` holds, checking after every event; false if `maxMs` of virtual time passed first. */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const until = this.#scheduler.now() + maxMs;
    let n = 0;
    while (!done()) {
      const next = this.#scheduler.peek();
      if (next === null || next > until) return done();
      await this.#scheduler.runNext();
      if (++n % EVENTS_PER_TURN === 0) await macrotask();
    }
    return true;
  }

  /** Stop all mining and deliver everything in flight, until nothing is left to run. */
  async settle(): Promise<void> {
    for (const n of this.#nodes.values()) {
      n.cancelMining();
      await n.node.setMining({ ...n.node.settings, mining: false });
    }
    await this.runUntil(() => false, Number.MAX_SAFE_INTEGER);
  }

  /** Do all nodes share one tip? */
  converged(): boolean {
    const tips = new Set([...this.#nodes.values()].map((n) => n.node.tree.tip.hash));
    return tips.size <= 1;
  }

  async #drive<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const finish = (): void => {
      done = true;
    };
    const settled = (): boolean => done;
    work.then(finish, finish);
    for (;;) {
      // Let the request finish all it can without virtual time before the clock moves: an answer
      // that needs no network (a read, a 400) must not run mining slices or deliveries.
      await macrotask();
      if (settled()) return work;
      if (!(await this.#scheduler.runNext())) {
        await macrotask();
        if (settled()) return work;
        throw new Error('the simulation stalled: a request waits on nothing');
      }
    }
  }

  #scheduleMining(sim: SimNode): void {
    sim.cancelMining();
    const { mining, hashrate } = sim.node.settings;
    const hashes = Math.round((this.#options.hashesPerSecond * hashrate * MINING_SLICE_MS) / 1000);
    if (!mining || hashes <= 0) return;
    const tick = async (): Promise<void> => {
      await sim.node.mineSlice(hashes);
      sim.cancelMining = this.#scheduler.after(MINING_SLICE_MS, tick);
    };
    sim.cancelMining = this.#scheduler.after(MINING_SLICE_MS, tick);
  }

  // ---- SimulationBackend -------------------------------------------------------------------

  listNodes(): Promise<readonly NodeSummary[]> {
    return Promise.resolve([...this.#nodes.values()].map((n) => summarize(n.node)));
  }

  async addNode(id: NodeId | undefined): Promise<{ id: NodeId; address: Address }> {
    let nodeId = id;
    while (!nodeId || this.#nodes.has(nodeId)) nodeId = `n${this.#nextIndex++}` as NodeId;
    const store = new MemoryStore();
    const sim = await this.#startNode(nodeId, store);
    return { id: nodeId, address: sim.node.address };
  }

  async #startNode(id: NodeId, store: MemoryStore): Promise<SimNode> {
    const onEvent = this.#options.onEvent;
    const sim: SimNode = { node: null as unknown as Node, store, cancelMining: () => undefined };
    const transport = this.#network.attach(id, (from, message) => sim.node.receive(from, message));
    const node = await Node.create({
      id,
      params: this.#params,
      transport,
      store,
      scheduler: this.#scheduler,
      rng: this.#rng.fork(`node:${id}`),
      gossip: this.#options.gossip,
      // Live, a long one-shot mine gives the HTTP server and the network a turn between slices;
      // in virtual time nothing else could run meanwhile, so it does not pause.
      pause: () => (this.#clock ? macrotask() : Promise.resolve()),
      ...(onEvent
        ? {
            onEvent: (e: NodeEvent) => {
              onEvent(id, e);
            },
          }
        : {}),
    });
    (sim as { node: Node }).node = node;
    this.#nodes.set(id, sim);
    this.#scheduleMining(sim);
    return sim;
  }

  /**
   * Stop a node and start it again from its store, as if its worker had been terminated: what it
   * persisted is all it keeps.
   */
  async restartNode(id: NodeId): Promise<Node> {
    const old = this.#nodes.get(id);
    if (!old) throw new Error(`no node ${id}`);
    old.cancelMining();
    this.#network.detach(id);
    const order = this.ids;
    this.#nodes.delete(id);
    const started = await this.#startNode(id, old.store);
    // Keep creation order (GET /sim/nodes, `ids`): the restarted node takes its old place.
    const nodes = new Map<NodeId, SimNode>();
    for (const k of order) {
      const n = this.#nodes.get(k);
      if (n) nodes.set(k, n);
    }
    for (const [k, n] of this.#nodes) if (!nodes.has(k)) nodes.set(k, n);
    this.#nodes = nodes;
    return started.node;
  }

  async removeNode(id: NodeId): Promise<boolean> {
    const sim = this.#nodes.get(id);
    if (!sim) return false;
    sim.cancelMining();
    this.#network.detach(id);
    this.#nodes.delete(id);
    for (const other of this.#nodes.values()) await other.node.forgetPeer(id);
    return true;
  }

  async reset(options: ResetOptions): Promise<void> {
    for (const n of this.#nodes.values()) n.cancelMining();
    const next = { ...this.#options, ...options };
    this.#options = next;
    this.#params = paramsFor(next);
    this.#rng = createRng(next.seed);
    this.#scheduler = new VirtualScheduler(this.#clock ? this.#clock() : next.startTimeMs);
    this.#network = new MemoryNetwork(this.#scheduler, this.#rng.fork('network'), next);
    this.#nodes = new Map();
    this.#nextIndex = 1;
    await this.#populate();
  }

  partition(groups: readonly (readonly NodeId[])[]): Promise<void> {
    this.#network.partition(groups);
    return Promise.resolve();
  }

  heal(): Promise<void> {
    this.#network.heal();
    // Reconnected peers exchange tips, so the network converges without anyone mining again.
    for (const { node } of this.#nodes.values()) node.announceTip();
    return Promise.resolve();
  }

  setNetwork(settings: { latencyMs?: number; loss?: number }): Promise<void> {
    this.#network.setConditions({ ...this.#network.conditions, ...settings });
    return Promise.resolve();
  }

  networkSettings(): Promise<NetworkView> {
    const { latencyMs, loss } = this.#network.conditions;
    return Promise.resolve({ latency_ms: latencyMs, loss, groups: this.#network.groups });
  }

  node(id: NodeId): NodeBackend | null {
    const sim = this.#nodes.get(id);
    return sim
      ? nodeBackend(sim.node, () => {
          this.#scheduleMining(sim);
        })
      : null;
  }
}
