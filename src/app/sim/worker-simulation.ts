/**
 * The simulation in the browser: the one simulation engine (src/sim/engine.ts) on the workers
 * runtime below, saved between reloads (./registry.ts). It implements the route
 * table's backend, so `window.chainlab.request` answers exactly as the headless simulator does.
 *
 * This module is the page's one entry to the runtime (CONTRIBUTING.md, Layers): the rest of
 * src/app imports what it needs of src/runtime and src/worker from here, and the linter refuses
 * any other way in.
 *
 * Headless learners (`npm run classroom -- --join`, scripts/classroom-join.ts) run this same
 * simulation on Node's worker threads, through a {@link WorkerPlatform} of their own, so a room's
 * headless nodes behave as a page's do.
 */
import * as Comlink from 'comlink';
import Dexie from 'dexie';
import type { ResetOptions, RoomJoin } from '../../api/backend.ts';
import { DEFAULT_RESET, NodeStoppedError, paramsFor } from '../../api/backend.ts';
import type { EventJson } from '../../api/json.ts';
import type { NetworkSettings } from '../../core/delivery.ts';
import { DEFAULT_NETWORK } from '../../core/delivery.ts';
import type { Rng } from '../../core/rng.ts';
import { createRng } from '../../core/rng.ts';
import type { NodeId } from '../../core/types.ts';
import { publishNetworkSettings } from '../../runtime/broadcast-transport.ts';
import type { WorkerMeasurement } from '../../runtime/node-host.ts';
import { isBlockedError, isQuotaError, openUnblocked } from '../../runtime/dexie-store.ts';
import { STORAGE_MESSAGES } from '../../runtime/fallback-store.ts';
import type { BlockSummary, MessageTrace, NodeStatus } from '../../runtime/protocol.ts';
import { names, parseNetworkSettings } from '../../runtime/protocol.ts';
import { DEFAULT_PREFIX, SimulationEngine } from '../../sim/engine.ts';
import type { NodeRuntime, RunSpec, RuntimeNode } from '../../sim/runtime.ts';
import type { NodeWorkerApi } from '../../worker/node.worker.ts';
import type { SimulationRecord } from './registry.ts';
import { Registry } from './registry.ts';
import { claimSimulationId } from './session.ts';

export type {
  BlockSummary,
  MessageTrace,
  NodeStatus,
  TraceFate,
  TraceKind,
} from '../../runtime/protocol.ts';
/** The yield a worker's miner takes between slices; the page's tamper lab re-mines the same way. */
export { yieldToEventLoop } from '../../runtime/real-time.ts';
/** The classroom: the page's own connection to a room, and the names a room derives. */
export type { RoomStatus } from '../../runtime/protocol.ts';
export type { WorkerMeasurement } from '../../runtime/node-host.ts';
export type {
  RoomClient,
  RoomControl,
  RoomJoinProblem,
  RoomMember,
} from '../../runtime/room-client.ts';

/**
 * The page's room client, loaded when a page first joins a room: the NATS client and the
 * signatures stay out of the page's first download (npm run check:bundle).
 */
export function loadRoomClient(): Promise<typeof import('../../runtime/room-client.ts')> {
  return import('../../runtime/room-client.ts');
}
export type { RoomLinkFields } from '../../runtime/room.ts';
export {
  learnerSlug,
  LISTEN_BEFORE_NAMING_MS,
  MAX_ROOM_NODES,
  parseRoomCode,
  parseTeacherKey,
  readRoomLinkFragment,
  roomLinkFragment,
  teacherKeyExpiry,
  uniquePrefix,
} from '../../runtime/room.ts';
/** What every member of a room does with a teacher's control (the page and headless learners). */
export type { RoomSimulation } from '../../runtime/room-control.ts';
export { applyRoomControl } from '../../runtime/room-control.ts';

/**
 * The page's simulation records. Another tab holding an older version of its database open
 * blocks the open, which then fails after a grace period instead of waiting for that tab.
 */
const registry = new Registry(names.registryDatabase, parseNetworkSettings, openUnblocked);

/** Claim this tab's simulation (see session.ts) and open it: restored, or fresh. */
export async function openTabSimulation(
  onProblem: (message: string) => void,
): Promise<WorkerSimulation> {
  return WorkerSimulation.open(await claimSimulationId(names), onProblem);
}

/** One started worker: the end Comlink talks to, and how to end the worker. */
export interface PlatformWorker {
  readonly endpoint: Comlink.Endpoint;
  terminate(): void;
}

/**
 * Where a workers runtime gets its workers, storage and cores: the browser's by default. Headless
 * learners (scripts/classroom-join.ts) run the same runtime on Node's worker_threads.
 */
export interface WorkerPlatform {
  /** Start a worker running a node host (src/worker/node.worker.ts or its Node twin). */
  spawn(name: string): PlatformWorker;
  /** Delete a node's database once the node is gone for good. */
  deleteDatabase(name: string): Promise<void>;
  /** Cores this simulation may count on: its miners together leave one of them free. */
  cores(): number;
}

/** The browser: module Web Workers, IndexedDB through Dexie. */
const BROWSER: WorkerPlatform = {
  spawn: (name) => {
    const worker = new Worker(new URL('../../worker/node.worker.ts', import.meta.url), {
      type: 'module',
      name,
    });
    return {
      endpoint: worker,
      terminate: () => {
        worker.terminate();
      },
    };
  },
  deleteDatabase: (name) => Dexie.delete(name),
  cores: () => navigator.hardwareConcurrency || 2,
};

interface WorkerNode {
  readonly id: NodeId;
  readonly seed: number;
  readonly worker: PlatformWorker;
  /** Every call fails once the worker is terminated (see `guarded`). */
  readonly api: Comlink.Remote<NodeWorkerApi>;
  readonly kill: () => void;
}

/**
 * The worker's calls, each failing rather than hanging once the worker is terminated: a call in
 * flight when its node is removed or restarted would otherwise never be answered, and whoever
 * awaits it (a poll, a route) would wait forever. A call made after the end, through a handle
 * taken before it (a route that looked the node up, then awaited something else while the node
 * restarted), fails the same way: Comlink would throw "Proxy has been released" at once, which no
 * route expects, where the node's end is a 503 that says to send the request again.
 */
function guarded(
  api: Comlink.Remote<NodeWorkerApi>,
  gone: Promise<never>,
  stopped: () => boolean,
): Comlink.Remote<NodeWorkerApi> {
  return new Proxy(api, {
    get(target, prop) {
      // Symbols (Comlink's releaseProxy) and `then` (awaiting the proxy itself) pass through.
      if (typeof prop !== 'string' || prop === 'then') return Reflect.get(target, prop) as unknown;
      if (stopped()) return () => gone;
      const member: unknown = Reflect.get(target, prop);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) =>
        stopped()
          ? gone
          : Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), gone]);
    },
  });
}

/** Where a run's nodes live, and the seeds of the nodes it had. */
interface WorkerRun extends RunSpec {
  readonly simId: string;
  /** Bumped by every reset, so channels and databases of the old run are never reused. */
  readonly generation: number;
  /** Seeds of the nodes saved for this run (a restored node keeps its key and jitter). */
  readonly seeds: ReadonlyMap<NodeId, number>;
  /** Whether nodes keep their chains in IndexedDB; false runs every node in memory. */
  readonly persist: boolean;
}

/**
 * Of the cores left after the page's own, the share the miners may fill: some headroom for the
 * compositor and garbage collection keeps the frame time steady (see npm run bench).
 */
const HASHING_BUDGET = 0.75;

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
}

/**
 * The workers runtime: every node in its own module Web Worker (Comlink), talking over
 * BroadcastChannel, keeping its chain in IndexedDB. It starts, stops and restarts workers and
 * publishes network settings; the engine decides everything else.
 */
class WorkerRuntime implements NodeRuntime {
  readonly simId: string;
  readonly #platform: WorkerPlatform;
  #generation: number;
  #options: ResetOptions;
  #network: NetworkSettings;
  #room: RoomJoin | null;
  readonly #seeds: Map<NodeId, number>;
  readonly #nodes = new Map<NodeId, WorkerNode>();
  readonly #persist: boolean;

  constructor(run: WorkerRun, platform: WorkerPlatform) {
    this.simId = run.simId;
    this.#persist = run.persist;
    this.#platform = platform;
    this.#generation = run.generation;
    this.#options = run.options;
    this.#network = run.network;
    this.#room = run.room ?? null;
    this.#seeds = new Map(run.seeds);
  }

  /** Bumped by every reset. */
  get generation(): number {
    return this.#generation;
  }

  /** The seed of a node (to save it). */
  seedOf(id: NodeId): number {
    return this.#seeds.get(id) ?? 0;
  }

  get #namespace(): string {
    return names.namespace(this.simId, this.#generation);
  }

  /** A node's database name; null when the run keeps nothing. */
  #database(namespace: string, id: NodeId): string | null {
    return this.#persist ? names.nodeDatabase(namespace, id) : null;
  }

  /** Delete a node's database, if the run keeps one. */
  async #deleteDatabase(namespace: string, id: NodeId): Promise<void> {
    const name = this.#database(namespace, id);
    if (name) await this.#platform.deleteDatabase(name);
  }

  async start(id: NodeId): Promise<RuntimeNode> {
    let seed = this.#seeds.get(id);
    if (seed === undefined) {
      seed = randomSeed();
      this.#seeds.set(id, seed);
    }
    const node = await this.#spawn(id, seed);
    this.#nodes.set(id, node);
    await this.#shareCpu();
    return node.api;
  }

  async #spawn(id: NodeId, seed: number): Promise<WorkerNode> {
    const worker = this.#platform.spawn(`chainlab node ${id}`);
    let kill = (): void => undefined;
    let stopped = false;
    const gone = new Promise<never>((_, reject) => {
      kill = () => {
        stopped = true;
        reject(new NodeStoppedError(id));
      };
    });
    // Nobody may be waiting when it is killed.
    gone.catch(() => undefined);
    const api = guarded(Comlink.wrap<NodeWorkerApi>(worker.endpoint), gone, () => stopped);
    const node: WorkerNode = { id, seed, worker, api, kill };
    // The caller lists the node only once it has started.
    await api.start({
      namespace: this.#namespace,
      database: this.#database(this.#namespace, id),
      id,
      params: paramsFor(this.#options),
      gossip: this.#options.gossip,
      network: this.#network,
      seed,
      room: this.#room,
    });
    return node;
  }

  async #terminate(node: WorkerNode): Promise<void> {
    try {
      await node.api.stop();
    } finally {
      node.api[Comlink.releaseProxy]();
      node.worker.terminate();
      node.kill();
    }
  }

  /**
   * Share the machine: together the workers may hash on all cores but one, so the page keeps a
   * core to draw with while every node mines (measured: 8 full-speed miners on 2 cores stretched
   * the 95th-percentile frame to 70–150 ms).
   */
  async #shareCpu(): Promise<void> {
    const cores = this.#platform.cores();
    const share = Math.min(
      1,
      (Math.max(1, cores - 1) * HASHING_BUDGET) / Math.max(1, this.#nodes.size),
    );
    await Promise.all([...this.#nodes.values()].map((n) => n.api.setCpuShare(share)));
  }

  async remove(id: NodeId): Promise<void> {
    const node = this.#nodes.get(id);
    if (!node) return;
    this.#nodes.delete(id);
    this.#seeds.delete(id);
    await this.#terminate(node);
    await this.#deleteDatabase(this.#namespace, id);
    await this.#shareCpu();
  }

  /**
   * Stop a node's worker and start it again from its database. `abrupt` terminates the worker
   * mid-flight, as a crash or a closed tab would: whatever it had committed must come back intact.
   */
  async restart(id: NodeId, abrupt: boolean): Promise<RuntimeNode> {
    const node = this.#nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    if (abrupt) {
      node.api[Comlink.releaseProxy]();
      node.worker.terminate();
      node.kill();
    } else {
      await this.#terminate(node);
    }
    const started = await this.#spawn(id, node.seed);
    this.#nodes.set(id, started);
    await this.#shareCpu();
    return started.api;
  }

  async applyNetwork(settings: NetworkSettings): Promise<void> {
    this.#network = settings;
    publishNetworkSettings(this.#namespace, settings);
    // Also applied directly, so the change holds before the request answers.
    await Promise.all([...this.#nodes.values()].map((n) => n.api.setNetwork(settings)));
  }

  async begin(run: RunSpec): Promise<void> {
    const oldNamespace = this.#namespace;
    const old = [...this.#nodes.keys()];
    await this.close();
    await Promise.all(old.map((id) => this.#deleteDatabase(oldNamespace, id)));
    this.#generation++;
    this.#options = run.options;
    this.#network = run.network;
    this.#room = run.room ?? null;
    this.#seeds.clear();
  }

  rng(purpose: string): Rng {
    // The page draws no topology today; a fresh seed keeps every draw its own.
    return createRng(randomSeed()).fork(purpose);
  }

  async takeEvents(id: NodeId): Promise<readonly EventJson[]> {
    const node = this.#nodes.get(id);
    return node ? node.api.takeEvents() : [];
  }

  /** What a node's worker measured of this platform (null: no such node). */
  async measure(id: NodeId, count?: number): Promise<WorkerMeasurement | null> {
    const node = this.#nodes.get(id);
    return node ? node.api.measure(count) : null;
  }

  /** Block summaries a node accepted after its arrival number `after` (for the tree view). */
  async blocksSince(id: NodeId, after: number): Promise<BlockSummary[]> {
    const node = this.#nodes.get(id);
    return node ? node.api.blocksSince(after) : [];
  }

  /** Messages a node heard since the last call (for the network view). */
  async takeTraces(id: NodeId): Promise<MessageTrace[]> {
    const node = this.#nodes.get(id);
    return node ? node.api.takeTraces() : [];
  }

  /** Live numbers of every node, in the order asked. */
  statuses(ids: readonly NodeId[]): Promise<NodeStatus[]> {
    const nodes = ids.flatMap((id) => this.#nodes.get(id) ?? []);
    return Promise.all(nodes.map((n) => n.api.status()));
  }

  /** Stop every worker (page unload, or a reset). */
  async close(): Promise<void> {
    await Promise.all([...this.#nodes.values()].map((n) => this.#terminate(n)));
    this.#nodes.clear();
  }
}

/** A simulation of worker nodes. Open it with {@link WorkerSimulation.open}. */
export class WorkerSimulation extends SimulationEngine<WorkerRuntime> {
  readonly simId: string;
  readonly #onProblem: (message: string) => void;
  /** Where the record is saved after every change; null saves nothing. */
  readonly #registry: Registry | null;

  private constructor(
    record: SimulationRecord,
    onProblem: (message: string) => void,
    platform: WorkerPlatform = BROWSER,
    saveTo: Registry | null = registry,
    // Nodes keep their chains where the page keeps its record: without the record a reload
    // could not find them again.
    persist = saveTo !== null,
  ) {
    const runtime = new WorkerRuntime(
      {
        simId: record.simId,
        generation: record.generation,
        options: record.options,
        network: record.network,
        room: record.room,
        seeds: new Map(record.nodes.map((n) => [n.id, n.seed])),
        persist,
      },
      platform,
    );
    super(
      runtime,
      {
        options: record.options,
        network: record.network,
        ids: record.nodes.map((n) => n.id),
        nextIndex: record.nextIndex,
        prefix: record.prefix,
        room: record.room,
      },
      { network: DEFAULT_NETWORK },
    );
    this.simId = record.simId;
    this.#onProblem = onProblem;
    this.#registry = saveTo;
  }

  /** Restore the simulation `simId` from storage, or start a fresh one under that id. */
  static async open(
    simId: string,
    onProblem: (message: string) => void,
  ): Promise<WorkerSimulation> {
    let record: SimulationRecord | null = null;
    let saveTo: Registry | null = registry;
    try {
      record = await registry.load(simId, onProblem);
    } catch (e) {
      // Nothing can be saved either: the whole simulation runs in memory (CONTRIBUTING.md, One
      // place for each fact: the blocked sentence is the storage layer's).
      saveTo = null;
      onProblem(
        isBlockedError(e)
          ? STORAGE_MESSAGES.blocked
          : 'Saved simulations cannot be read here; starting a fresh one in memory.',
      );
    }
    const sim = new WorkerSimulation(
      record ?? {
        simId,
        generation: 0,
        options: DEFAULT_RESET,
        network: DEFAULT_NETWORK,
        nodes: [],
        nextIndex: 1,
        prefix: DEFAULT_PREFIX,
        room: null,
      },
      onProblem,
      BROWSER,
      saveTo,
    );
    if (record && record.nodes.length > 0) await sim.restore(record.nodes.map((n) => n.id));
    else await sim.populate();
    return sim;
  }

  /**
   * A simulation with no nodes yet that saves nothing, on `platform`'s workers: a headless
   * learner (scripts/classroom-join.ts) opens one and joins a room with it, as a page does.
   */
  static headless(simId: string, platform: WorkerPlatform): WorkerSimulation {
    return new WorkerSimulation(
      {
        simId,
        generation: 0,
        options: { ...DEFAULT_RESET, nodes: 0 },
        network: DEFAULT_NETWORK,
        nodes: [],
        nextIndex: 1,
        prefix: DEFAULT_PREFIX,
        room: null,
      },
      () => undefined,
      platform,
      null,
      true,
    );
  }

  /** Save the record after every change, so a reload restores it. */
  protected override async changed(): Promise<void> {
    if (!this.#registry) return;
    const { options, network, ids, nextIndex, prefix, room } = this.state;
    const record: SimulationRecord = {
      simId: this.simId,
      generation: this.runtime.generation,
      options,
      network,
      nodes: ids.map((id) => ({ id, seed: this.runtime.seedOf(id) })),
      nextIndex,
      prefix: prefix ?? DEFAULT_PREFIX,
      room: room ?? null,
    };
    try {
      await this.#registry.save(record);
    } catch (e) {
      // A full disk is one fact, however many databases find it so (CONTRIBUTING.md, One place
      // for each fact): the nodes' sentence covers the record too.
      this.#onProblem(
        isQuotaError(e)
          ? STORAGE_MESSAGES.full
          : 'The simulation settings could not be saved; a reload may not restore them.',
      );
    }
  }

  /**
   * Leave whatever run this is and start `nodes` fresh nodes in a classroom's room, named
   * `<prefix>1`, `<prefix>2`, … (`alice-1`, `alice-2`); they catch up from the room. Null goes
   * back to a simulation of the page's own.
   */
  joinRoom(join: RoomJoin | null, nodes: number, prefix = DEFAULT_PREFIX): Promise<void> {
    return this.enterRoom({ ...DEFAULT_RESET, nodes }, join, join ? prefix : DEFAULT_PREFIX);
  }

  /** Bumped by every reset: views drop what they knew of the previous run. */
  get generation(): number {
    return this.runtime.generation;
  }

  /**
   * Stop a node's worker and start it again from its database. `abrupt` terminates the worker
   * mid-flight, as a crash or a closed tab would: whatever it had committed must come back intact.
   */
  restartNode(id: NodeId, abrupt: boolean): Promise<boolean> {
    return this.restart(id, abrupt);
  }

  /**
   * Measure, in a node's worker, how fast this browser does what nodes lean on (signature
   * checks); null for an unknown node. Runs beside the node, which keeps working meanwhile.
   */
  measure(id: NodeId, count?: number): Promise<WorkerMeasurement | null> {
    return this.runtime.measure(id, count);
  }

  /** Block summaries a node accepted after its arrival number `after` (for the tree view). */
  async blocksSince(id: NodeId, after: number): Promise<BlockSummary[]> {
    await this.settled();
    return this.runtime.blocksSince(id, after);
  }

  /** Messages a node heard since the last call, with their fates (for the network view). */
  takeTraces(id: NodeId): Promise<MessageTrace[]> {
    return this.runtime.takeTraces(id);
  }

  /** Each node's seed (its wallet key and network jitter), for a run's export. */
  seeds(): Record<NodeId, number> {
    return Object.fromEntries(this.ids.map((id) => [id, this.runtime.seedOf(id)]));
  }

  /** Live numbers of every node. */
  async statuses(): Promise<NodeStatus[]> {
    await this.settled();
    return this.runtime.statuses(this.ids);
  }

  /** Stop every worker (page unload). */
  close(): Promise<void> {
    return this.runtime.close();
  }
}
