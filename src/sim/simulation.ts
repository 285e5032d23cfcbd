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
import type { LatencyDistribution } from '../core/delivery.ts';
import { DEFAULT_NETWORK, withDistribution } from '../core/delivery.ts';
import type { DecodeCache, NodeEvent } from '../core/node.ts';
import { Node } from '../core/node.ts';
import type { ChainParams, WorkMode } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import { createRng } from '../core/rng.ts';
import { compactToTarget } from '../core/target.ts';
import type { Result } from '../core/result.ts';
import type { Transfer } from '../core/tx.ts';
import type { Address, NodeId, TxId } from '../core/types.ts';
import type { Rejection } from '../core/validation.ts';
import type { NetworkConditions } from './memory-network.ts';
import { MemoryNetwork } from './memory-network.ts';
import { MemoryStore } from './memory-store.ts';
import { sampledDelayMs } from './sampled-work.ts';
import type { Topology } from './topology.ts';
import { buildTopology, FULL_TOPOLOGY } from './topology.ts';
import { VirtualScheduler } from './virtual-scheduler.ts';

/** Everything that shapes a simulated run. */
export interface SimulationOptions extends ResetOptions {
  /** Same seed, same run: keys, latencies, losses and mining all derive from it. */
  readonly seed: number;
  readonly latencyMs: number;
  readonly loss: number;
  /** The shape of message delays, `latencyMs` being its mean (default: a spread around it). */
  readonly latency?: LatencyDistribution;
  /** Every node's link speed in bits per second, so big blocks take longer (default: unlimited). */
  readonly bandwidthBps: number;
  /** Who registers whom when `peers` is "all" (default: everyone). */
  readonly topology: Topology;
  /**
   * `real`: nodes hash for their proofs. `sampled`: each miner's next block is drawn from the
   * exponential distribution the real search follows, and no hashing is done (see sampled-work.ts).
   */
  readonly pow: WorkMode;
  /**
   * Virtual hashes per second of a node at full hash-rate share: with real work this many SHA-256
   * proofs are actually tried per virtual second; with sampled work it sets the discovery rate.
   */
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
  bandwidthBps: Infinity,
  topology: FULL_TOPOLOGY,
  pow: 'real',
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
  /** Draws this node's sampled discovery times (sampled work only). */
  readonly miningRng: Rng | null;
  cancelMining: () => void;
}

/** Counters over the whole run, for reports. */
export interface SimulationStats {
  /** Blocks any node mined (real or sampled), kept or not. */
  readonly blocksMined: number;
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
  #blocksMined = 0;
  /**
   * One signature cache for every node of a sampled run: a signature verifies the same wherever it
   * is checked (tx ids hash the signed bytes), so a payment is verified once per run, not once per
   * node, which is what lets a thousand nodes validate payments for real.
   */
  #signatureCache: Set<TxId> | undefined;
  /** Likewise, blocks and payments are decoded once per run (see NodeOptions.decoded). */
  readonly #decodeCache: DecodeCache = { blocks: new WeakMap(), transfers: new WeakMap() };
  #queue: Promise<unknown> = Promise.resolve();
  /** Set while the simulation runs live: the wall clock that virtual time follows. */
  #clock: (() => number) | null = null;

  private constructor(options: SimulationOptions) {
    this.#options = options;
    this.#params = Simulation.#paramsOf(options);
    this.#rng = createRng(options.seed);
    this.#scheduler = new VirtualScheduler(options.startTimeMs);
    this.#network = new MemoryNetwork(
      this.#scheduler,
      this.#rng.fork('network'),
      Simulation.#conditionsOf(options),
    );
    this.#signatureCache = options.pow === 'sampled' ? new Set() : undefined;
  }

  static #paramsOf(options: SimulationOptions): ChainParams {
    return { ...paramsFor(options), work: options.pow };
  }

  static #conditionsOf(options: SimulationOptions): NetworkConditions {
    return options.latency
      ? withDistribution(options.latency, options.loss)
      : { latencyMs: options.latencyMs, loss: options.loss };
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
      const { topology } = this.#options;
      const graph =
        topology.kind === 'full' ? null : buildTopology(topology, ids, this.#rng.fork('topology'));
      for (const { node } of this.#nodes.values())
        await node.registerPeers(graph?.get(node.id) ?? ids);
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

  /**
   * A synthetic payment for large runs: `from` signs it, and instead of gossiping it (an `inv`,
   * `getdata` and `tx` on every link, which cost a 100-node run three times its blocks, measured)
   * every node receives it at once and validates it for real, as it would from a peer. Only the
   * way it travels is synthetic; blocks still carry it to nodes that missed it.
   */
  async payEverywhere(
    from: NodeId,
    recipient: Address,
    amount: bigint,
    fee: bigint,
  ): Promise<Result<Transfer, Rejection>> {
    const paid = await this.nodeById(from).pay(recipient, amount, fee, false);
    if (!paid.ok) return paid;
    for (const [id, { node }] of this.#nodes) if (id !== from) await node.acceptPayment(paid.value);
    return paid;
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

  /** Counters over the whole run. */
  get stats(): SimulationStats {
    return { blocksMined: this.#blocksMined };
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
    if (this.#params.work === 'sampled') {
      this.#scheduleSampled(sim);
      return;
    }
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

  /**
   * Sampled work: draw when this node would find a block on its current tip, and forge it then.
   * Redrawn whenever the tip changes (a new target may change the rate, and the exponential
   * distribution is memoryless, so a redraw changes nothing else).
   */
  #scheduleSampled(sim: SimNode): void {
    sim.cancelMining();
    const { mining, hashrate } = sim.node.settings;
    const tree = sim.node.tree;
    if (!sim.miningRng) return;
    const delay = sampledDelayMs(
      this.#options.hashesPerSecond * (mining ? hashrate : 0),
      compactToTarget(tree.nextBits(tree.tip)) ?? 0n,
      sim.miningRng,
    );
    if (delay === null) return;
    sim.cancelMining = this.#scheduler.after(delay, async () => {
      // Its tip change draws the next one; a refused block (never expected) draws here.
      if (!(await sim.node.forgeSampled())) this.#scheduleSampled(sim);
    });
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
    const sampled = this.#params.work === 'sampled';
    const sim: SimNode = {
      node: null as unknown as Node,
      store,
      // Forked only when used: a fork advances the parent stream, and real-work runs keep theirs.
      miningRng: sampled ? this.#rng.fork(`mining:${id}`) : null,
      cancelMining: () => undefined,
    };
    const transport = this.#network.attach(
      id,
      (from, message) => sim.node.receive(from, message),
      this.#options.bandwidthBps,
    );
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
      ...(this.#signatureCache
        ? { signatureCache: this.#signatureCache, decoded: this.#decodeCache }
        : {}),
      onEvent: (e: NodeEvent) => {
        if (e.kind === 'block-mined') this.#blocksMined++;
        if (sampled && e.kind === 'tip-changed') this.#scheduleSampled(sim);
        onEvent?.(id, e);
      },
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
    this.#params = Simulation.#paramsOf(next);
    this.#rng = createRng(next.seed);
    this.#scheduler = new VirtualScheduler(this.#clock ? this.#clock() : next.startTimeMs);
    this.#network = new MemoryNetwork(
      this.#scheduler,
      this.#rng.fork('network'),
      Simulation.#conditionsOf(next),
    );
    this.#signatureCache = next.pow === 'sampled' ? new Set() : undefined;
    this.#blocksMined = 0;
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
    const { latencyMs, loss, distribution } = this.#network.conditions;
    // A new mean latency replaces any other distribution with the default spread around it.
    this.#network.setConditions(
      settings.latencyMs === undefined && distribution
        ? { latencyMs, loss: settings.loss ?? loss, distribution }
        : { latencyMs: settings.latencyMs ?? latencyMs, loss: settings.loss ?? loss },
    );
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
