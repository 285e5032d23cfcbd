/**
 * The in-process runtime: every node in this process, on the seeded in-memory network, in virtual
 * time. Behind `npm run sim`, `npm run serve` and the multi-node tests (through `Simulation`).
 */
import type { ResetOptions } from '../api/backend.ts';
import { paramsFor } from '../api/backend.ts';
import type { EventJson } from '../api/json.ts';
import { eventToJson } from '../api/json.ts';
import { nodeBackend, summarize } from '../api/node-backend.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import type { DecodeCache, NodeEvent } from '../core/node.ts';
import { Node } from '../core/node.ts';
import type { ChainParams, WorkMode } from '../core/params.ts';
import type { Rng } from '../core/rng.ts';
import { createRng } from '../core/rng.ts';
import { compactToTarget } from '../core/target.ts';
import type { NodeId, TxId } from '../core/types.ts';
import { MemoryNetwork } from './memory-network.ts';
import { MemoryStore } from './memory-store.ts';
import type { NodeRuntime, RunSpec, RuntimeNode } from './runtime.ts';
import { sampledDelayMs } from './sampled-work.ts';
import { VirtualScheduler } from './virtual-scheduler.ts';

/** What shapes the in-process runtime across resets. */
export interface MemoryRuntimeConfig {
  /** Same seed, same run: keys, latencies, losses and mining all derive from it. */
  readonly seed: number;
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
  /** Every node's link speed in bits per second, so big blocks take longer. */
  readonly bandwidthBps: number;
  /** Virtual clock at the start, Unix milliseconds. */
  readonly startTimeMs: number;
  /** Called for everything any node does. */
  readonly onEvent?: (node: NodeId, event: NodeEvent) => void;
  /**
   * A saved network to start from: each node named here starts from a copy of its store (chain,
   * mempool, key, peers), the others fresh. Experiments run thousands of races from one start.
   */
  readonly from?: ReadonlyMap<NodeId, MemoryStore>;
  /**
   * Caches to share with other simulations of this process (sampled work only; default: this
   * run's own). Verifying a signature or decoding bytes gives the same answer in every run.
   */
  readonly caches?: SharedCaches;
}

/** What the nodes of sampled runs share: verified signatures and decoded messages. */
export interface SharedCaches {
  readonly signatures: Set<TxId>;
  readonly decoded: DecodeCache;
}

/** Fresh caches for sampled runs to share. */
export function sharedCaches(): SharedCaches {
  return { signatures: new Set(), decoded: { blocks: new WeakMap(), transfers: new WeakMap() } };
}

/** Continuous mining runs in slices of this much virtual time. */
const MINING_SLICE_MS = 100;
/** Give the host event loop a turn every this many events (about 5 ms of work at 1,000 nodes). */
const EVENTS_PER_TURN = 2_048;
/** Events kept per node until someone takes them (as a worker keeps them). */
const EVENTS_KEPT = 500;

interface SimNode {
  readonly node: Node;
  readonly store: MemoryStore;
  readonly backend: RuntimeNode;
  /** Draws this node's sampled discovery times (sampled work only). */
  readonly miningRng: Rng | null;
  /** The hash rate and target the pending sampled draw was made for; null when none is pending. */
  drawnFor: { readonly hashesPerSecond: number; readonly target: bigint } | null;
  cancelMining: () => void;
  events: NodeEvent[];
}

/** Counters over the whole run, for reports. */
export interface SimulationStats {
  /** Blocks any node mined (real or sampled), kept or not. */
  readonly blocksMined: number;
}

const finished = (): true => true;

/**
 * One turn of the host event loop: `setImmediate` in Node; in a browser worker (the page runs
 * experiments in one) a MessageChannel round trip, since a timer would wait at least 4 ms.
 */
export function macrotask(): Promise<void> {
  // Looked up on globalThis so that the lab worker compiles with WebWorker types alone.
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** Nodes in this process on a virtual clock. */
export class MemoryRuntime implements NodeRuntime {
  readonly #config: MemoryRuntimeConfig;
  #options!: ResetOptions;
  #params!: ChainParams;
  #rng!: Rng;
  #scheduler!: VirtualScheduler;
  #network!: MemoryNetwork;
  #nodes = new Map<NodeId, SimNode>();
  #blocksMined = 0;
  /**
   * One signature cache for every node of a sampled run: a signature verifies the same wherever it
   * is checked (tx ids hash the signed bytes), so a payment is verified once per run, not once per
   * node, which is what lets a thousand nodes validate payments for real. Likewise, blocks and
   * payments are decoded once per run (see NodeOptions.decoded).
   */
  #caches: SharedCaches | undefined;
  /**
   * Set by the first `takeEvents`: from then on each node keeps its latest events for the next
   * one. A headless run nobody asks keeps none (a thousand nodes would otherwise hold half a
   * million events, and the blocks they point to); `onEvent` sees every event either way.
   */
  #keepEvents = false;
  /** Set while the simulation runs live: the wall clock that virtual time follows. */
  clock: (() => number) | null = null;

  constructor(config: MemoryRuntimeConfig, run: RunSpec) {
    this.#config = config;
    this.#open(run, config.startTimeMs);
  }

  #open(run: RunSpec, startTimeMs: number): void {
    this.#options = run.options;
    this.#params = { ...paramsFor(run.options), work: this.#config.pow };
    this.#rng = createRng(this.#config.seed);
    this.#scheduler = new VirtualScheduler(startTimeMs);
    this.#network = new MemoryNetwork(this.#scheduler, this.#rng.fork('network'), run.network);
    this.#caches =
      this.#config.pow === 'sampled' ? (this.#config.caches ?? sharedCaches()) : undefined;
    this.#blocksMined = 0;
    this.#nodes = new Map();
  }

  /** A seeded stream of this run for `purpose` (CONTRIBUTING.md, Determinism). */
  rng(purpose: string): Rng {
    return this.#rng.fork(purpose);
  }

  /** Counters over the whole run. */
  get stats(): SimulationStats {
    return { blocksMined: this.#blocksMined };
  }

  /** The consensus parameters in force. */
  get params(): ChainParams {
    return this.#params;
  }

  /** The virtual clock's scheduler. */
  get scheduler(): VirtualScheduler {
    return this.#scheduler;
  }

  /** The simulated network (conditions, partitions, counters). */
  get network(): MemoryNetwork {
    return this.#network;
  }

  /** A node itself, for tests and reports. */
  nodeById(id: NodeId): Node {
    const n = this.#nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n.node;
  }

  /** Every running node. */
  get nodes(): Node[] {
    return [...this.#nodes.values()].map((n) => n.node);
  }

  start(id: NodeId): Promise<RuntimeNode> {
    return this.#startNode(id, this.#config.from?.get(id)?.copy() ?? new MemoryStore());
  }

  /** A copy of what a node has stored, to start other runs from (see `from`). */
  savedStore(id: NodeId): MemoryStore {
    const n = this.#nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n.store.copy();
  }

  async #startNode(id: NodeId, store: MemoryStore): Promise<RuntimeNode> {
    const onEvent = this.#config.onEvent;
    const sampled = this.#params.work === 'sampled';
    const sim: SimNode = {
      node: null as unknown as Node,
      store,
      backend: null as unknown as RuntimeNode,
      // Forked only when used: a fork advances the parent stream, and real-work runs keep theirs.
      miningRng: sampled ? this.#rng.fork(`mining:${id}`) : null,
      drawnFor: null,
      cancelMining: () => undefined,
      events: [],
    };
    const transport = this.#network.attach(
      id,
      (from, message) => sim.node.receive(from, message),
      this.#config.bandwidthBps,
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
      pause: () => (this.clock ? macrotask() : Promise.resolve()),
      ...(this.#caches
        ? { signatureCache: this.#caches.signatures, decoded: this.#caches.decoded }
        : {}),
      onEvent: (e: NodeEvent) => {
        if (e.kind === 'block-mined') this.#blocksMined++;
        if (sampled && e.kind === 'tip-changed') this.#scheduleSampled(sim);
        if (this.#keepEvents) sim.events.push(e);
        // Trimmed in batches, so keeping an event costs no copying.
        if (sim.events.length > 2 * EVENTS_KEPT) sim.events.splice(0, EVENTS_KEPT);
        onEvent?.(id, e);
      },
    });
    (sim as { node: Node }).node = node;
    (sim as { backend: RuntimeNode }).backend = {
      ...nodeBackend(node, () => {
        this.#scheduleMining(sim);
      }),
      summary: () => Promise.resolve(summarize(node)),
      forgetPeer: (peer) => node.forgetPeer(peer),
      announceTip: () => {
        node.announceTip();
        return Promise.resolve();
      },
      offerBlocks: (blocks) => node.offerBlocks(blocks),
      bestChainFrom: (hash) => Promise.resolve(node.bestChainFrom(hash)),
    };
    // A restarted node keeps its place (Map.set on a known key keeps the order).
    this.#nodes.set(id, sim);
    this.#scheduleMining(sim);
    return sim.backend;
  }

  /** Cancel a node's pending mining, real or sampled. */
  #stopMining(sim: SimNode): void {
    sim.cancelMining();
    sim.drawnFor = null;
  }

  #scheduleMining(sim: SimNode): void {
    if (this.#params.work === 'sampled') {
      this.#scheduleSampled(sim);
      return;
    }
    this.#stopMining(sim);
    const { mining, hashrate } = sim.node.settings;
    const hashes = Math.round((this.#config.hashesPerSecond * hashrate * MINING_SLICE_MS) / 1000);
    if (!mining || hashes <= 0) return;
    const tick = async (): Promise<void> => {
      await sim.node.mineSlice(hashes);
      sim.cancelMining = this.#scheduler.after(MINING_SLICE_MS, tick);
    };
    sim.cancelMining = this.#scheduler.after(MINING_SLICE_MS, tick);
  }

  /**
   * Sampled work: draw when this node would find a block, and forge it then on whatever its tip
   * is. The exponential distribution is memoryless, so a pending draw stays valid across tip
   * changes as long as the rate does: it is redrawn only when the hash rate or the target (after
   * a retarget) changed. Redrawing at every tip change gave the same statistics at twice the cost
   * in a 1,000-node run.
   */
  #scheduleSampled(sim: SimNode): void {
    if (!sim.miningRng) return;
    const { mining, hashrate } = sim.node.settings;
    const tree = sim.node.tree;
    const hashesPerSecond = this.#config.hashesPerSecond * (mining ? hashrate : 0);
    const target = compactToTarget(tree.nextBits(tree.tip)) ?? 0n;
    const pending = sim.drawnFor;
    if (pending?.hashesPerSecond === hashesPerSecond && pending.target === target) return;
    sim.cancelMining();
    sim.drawnFor = null;
    const delay = sampledDelayMs(hashesPerSecond, target, sim.miningRng);
    if (delay === null) return;
    sim.drawnFor = { hashesPerSecond, target };
    sim.cancelMining = this.#scheduler.after(delay, async () => {
      sim.drawnFor = null;
      // Its tip change draws the next one; a refused block (never expected) draws here.
      if (!(await sim.node.forgeSampled())) this.#scheduleSampled(sim);
    });
  }

  remove(id: NodeId): Promise<void> {
    const sim = this.#nodes.get(id);
    if (sim) {
      this.#stopMining(sim);
      this.#network.detach(id);
      this.#nodes.delete(id);
    }
    return Promise.resolve();
  }

  /**
   * Stop a node and start it again from its store, as if its worker had been terminated: what it
   * persisted is all it keeps. In one process every stop is abrupt.
   */
  restart(id: NodeId): Promise<RuntimeNode> {
    const old = this.#nodes.get(id);
    if (!old) throw new Error(`no node ${id}`);
    this.#stopMining(old);
    this.#network.detach(id);
    return this.#startNode(id, old.store);
  }

  applyNetwork(settings: NetworkSettings): Promise<void> {
    this.#network.apply(settings);
    return Promise.resolve();
  }

  begin(run: RunSpec): Promise<void> {
    for (const n of this.#nodes.values()) this.#stopMining(n);
    this.#open(run, this.clock ? this.clock() : this.#config.startTimeMs);
    return Promise.resolve();
  }

  takeEvents(id: NodeId): Promise<readonly EventJson[]> {
    this.#keepEvents = true;
    const sim = this.#nodes.get(id);
    if (!sim) return Promise.resolve([]);
    const events = sim.events.slice(-EVENTS_KEPT).map(eventToJson);
    sim.events = [];
    return Promise.resolve(events);
  }

  /** Run virtual time forward by `ms`. */
  async runFor(ms: number): Promise<void> {
    const until = this.#scheduler.now() + ms;
    await this.#run(() => false, until);
    this.#scheduler.advanceTo(until);
  }

  /** Run until `done()` holds, checking after every event; false if `maxMs` of virtual time passed first. */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    return this.#run(done, this.#scheduler.now() + maxMs);
  }

  /** Run events due by `until`, one at a time, until `done()` holds; returns `done()`. */
  async #run(done: () => boolean, until: number): Promise<boolean> {
    let n = 0;
    while (!done()) {
      const ran = this.#scheduler.step(until);
      if (ran === false) return done();
      // Each event finishes, microtasks included, before the next starts.
      await (ran === true ? ran : ran.then(finished));
      if (++n % EVENTS_PER_TURN === 0) await macrotask();
    }
    return true;
  }

  /** Stop all mining and deliver everything in flight, until nothing is left to run. */
  async settle(): Promise<void> {
    for (const n of this.#nodes.values()) {
      this.#stopMining(n);
      await n.node.setMining({ ...n.node.settings, mining: false });
    }
    await this.runUntil(() => false, Number.MAX_SAFE_INTEGER);
  }
}
