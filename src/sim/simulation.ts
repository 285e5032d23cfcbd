/**
 * A whole network of nodes in one process, in virtual time: the headless simulator behind
 * `npm run sim`, `npm run serve` and the multi-node tests. It is the one simulation engine
 * (src/sim/engine.ts) on the in-process runtime (src/sim/memory-runtime.ts), with the clock
 * controls only virtual time has. `request(method, path, body)` drives it exactly as the browser
 * drives its workers.
 */
import type { ApiResponse } from '../api/routes.ts';
import { handleRequest } from '../api/routes.ts';
import type { ResetOptions } from '../api/backend.ts';
import { DEFAULT_RESET } from '../api/backend.ts';
import type { LatencyDistribution, NetworkSettings } from '../core/delivery.ts';
import { DEFAULT_NETWORK, withDistribution } from '../core/delivery.ts';
import type { Node, NodeEvent } from '../core/node.ts';
import type { ChainParams, WorkMode } from '../core/params.ts';
import type { Result } from '../core/result.ts';
import type { Transfer } from '../core/tx.ts';
import type { Address, NodeId } from '../core/types.ts';
import type { Rejection } from '../core/validation.ts';
import { SimulationEngine } from './engine.ts';
import type { MemoryNetwork } from './memory-network.ts';
import type { SharedCaches, SimulationStats } from './memory-runtime.ts';
import type { MemoryStore } from './memory-store.ts';
import { MemoryRuntime, macrotask } from './memory-runtime.ts';
import type { Topology } from './topology.ts';
import { FULL_TOPOLOGY } from './topology.ts';

export type { SimulationStats } from './memory-runtime.ts';

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
  /** A saved network to start from (see MemoryRuntimeConfig.from and `savedStore`). */
  readonly from?: ReadonlyMap<NodeId, MemoryStore>;
  /** Caches shared with other sampled runs of this process (see MemoryRuntimeConfig.caches). */
  readonly caches?: SharedCaches;
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

/** Live, the clock is checked for due events at least this often (milliseconds). */
const LIVE_TICK_MS = 20;

/** A simulated network of nodes in this process. */
export class Simulation extends SimulationEngine<MemoryRuntime> {
  readonly #startTimeMs: number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: SimulationOptions) {
    const link = options.latency
      ? withDistribution(options.latency, options.loss)
      : { latencyMs: options.latencyMs, loss: options.loss };
    const network: NetworkSettings = { ...link, groups: [] };
    const runtime = new MemoryRuntime(options, { options, network });
    super(
      runtime,
      { options, network, ids: [], nextIndex: 1 },
      { network, topology: options.topology },
    );
    this.#startTimeMs = options.startTimeMs;
  }

  /** Build a simulation with its nodes, registered with each other unless `peers` is "none". */
  static async create(options: Partial<SimulationOptions> = {}): Promise<Simulation> {
    const sim = new Simulation({ ...DEFAULT_SIMULATION, ...options });
    await sim.populate();
    return sim;
  }

  /** The consensus parameters in force. */
  get params(): ChainParams {
    return this.runtime.params;
  }

  /** When the virtual clock started. */
  get startTimeMs(): number {
    return this.#startTimeMs;
  }

  /** The virtual clock. */
  get now(): number {
    return this.runtime.scheduler.now();
  }

  /** Counters over the whole run. */
  get stats(): SimulationStats {
    return this.runtime.stats;
  }

  /** The simulated network (conditions, partitions, counters). */
  get network(): MemoryNetwork {
    return this.runtime.network;
  }

  /** A node itself, for tests and reports. */
  nodeById(id: NodeId): Node {
    return this.runtime.nodeById(id);
  }

  /** A copy of what a node has stored: start other simulations from it (`from`). */
  savedStore(id: NodeId): MemoryStore {
    return this.runtime.savedStore(id);
  }

  /**
   * Stop a node and start it again from its store, as if its worker had been terminated: what it
   * persisted is all it keeps.
   */
  async restartNode(id: NodeId): Promise<Node> {
    if (!(await this.restart(id, true))) throw new Error(`no node ${id}`);
    return this.runtime.nodeById(id);
  }

  /**
   * The route table. In virtual time a request drives the clock until its answer is ready, and
   * requests run one at a time, so a script always gives the same run. Live, the clock moves by
   * itself and requests run side by side: a long mine or a resolve waiting on a slow peer never
   * holds up another call (the tutorial's servers mined inside the request and blocked the API).
   */
  request(method: unknown, path: unknown, body?: unknown): Promise<ApiResponse> {
    const clock = this.runtime.clock;
    if (clock) {
      // A request sees the clock's time even between two turns of the pump.
      this.runtime.scheduler.advanceTo(clock());
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
   * The clock is injected (CONTRIBUTING.md, Determinism); the caller passes `Date.now`. Returns a stop function.
   */
  runLive(clock: () => number): () => Promise<void> {
    if (this.runtime.clock) throw new Error('the simulation already runs live');
    this.runtime.clock = clock;
    let stop = false;
    // Read through a function: the stop function changes `stop` while the pump awaits.
    const stopped = (): boolean => stop;
    const pump = async (): Promise<void> => {
      while (!stopped()) {
        await this.runFor(Math.max(0, clock() - this.runtime.scheduler.now()));
        // Sleep until the next event is due, at most LIVE_TICK_MS: a request may schedule work
        // meanwhile.
        const next = this.runtime.scheduler.peek();
        const wait = next === null ? LIVE_TICK_MS : Math.min(LIVE_TICK_MS, next - clock());
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      }
    };
    const running = pump();
    return async () => {
      stop = true;
      await running;
      this.runtime.clock = null;
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
    for (const id of this.ids) {
      if (id !== from) await this.runtime.nodeById(id).acceptPayment(paid.value);
    }
    return paid;
  }

  /** Run `fn` after `ms` of virtual time (scripted actions: payments, partitions, …). */
  schedule(ms: number, fn: () => unknown): () => void {
    return this.runtime.scheduler.after(ms, fn);
  }

  /** Run virtual time forward by `ms`. */
  runFor(ms: number): Promise<void> {
    return this.runtime.runFor(ms);
  }

  /** Run until `done()` holds, checking after every event; false if `maxMs` of virtual time passed first. */
  runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    return this.runtime.runUntil(done, maxMs);
  }

  /** Stop all mining and deliver everything in flight, until nothing is left to run. */
  settle(): Promise<void> {
    return this.runtime.settle();
  }

  /** Do all nodes share one tip? */
  converged(): boolean {
    const tips = new Set(this.runtime.nodes.map((n) => n.tree.tip.hash));
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
      if (!(await this.runtime.scheduler.runNext())) {
        await macrotask();
        if (settled()) return work;
        throw new Error('the simulation stalled: a request waits on nothing');
      }
    }
  }
}
