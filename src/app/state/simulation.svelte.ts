/**
 * What the page knows about its simulation, refreshed from the workers: node statuses, network
 * settings, every block any node knows (for the tree), and the event log. State lives here;
 * components render it (CONTRIBUTING.md, D3 computes, Svelte draws). Nothing here ever flows back into a node or its storage.
 */
import type { NetworkView, ResetOptions } from '../../api/backend.ts';
import { DEFAULT_RESET } from '../../api/backend.ts';
import type { EventJson } from '../../api/json.ts';
import type { NodeId } from '../../core/types.ts';
import type { BlockSummary, NodeStatus, WorkerSimulation } from '../sim/worker-simulation.ts';

/** How often the page asks the workers how they are. */
const POLL_MS = 400;
/** Event-log entries kept. */
const LOG_LIMIT = 500;

/** A block as the page knows it: the first summary any node gave, and when the page first saw it. */
export interface KnownBlock extends BlockSummary {
  /** Order in which the page first saw the block, across all nodes. */
  readonly seen: number;
}

/** One line of the event log. */
export interface LogEntry {
  readonly id: number;
  readonly node: NodeId;
  /** Wall-clock time the page received it. */
  readonly at: number;
  readonly event: EventJson;
}

/** Live view of a worker simulation. */
export class SimulationState {
  nodes = $state.raw<readonly NodeStatus[]>([]);
  network = $state.raw<NetworkView>({ latency_ms: 0, loss: 0, groups: [] });
  options = $state.raw<ResetOptions>(DEFAULT_RESET);
  blocks = $state.raw<ReadonlyMap<string, KnownBlock>>(new Map());
  log = $state.raw<readonly LogEntry[]>([]);
  problems = $state.raw<readonly string[]>([]);
  ready = $state(false);

  #sim: WorkerSimulation | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #cursors = new Map<NodeId, number>();
  #generation = -1;
  #seen = 0;
  #logId = 0;
  #polling = false;

  /** The simulation, once it is up. */
  get simulation(): WorkerSimulation | null {
    return this.#sim;
  }

  /** Record a problem to show (storage full, unreadable saved data, …). */
  report(message: string): void {
    if (!this.problems.includes(message)) this.problems = [...this.problems, message];
  }

  /** Dismiss a problem. */
  dismiss(message: string): void {
    this.problems = this.problems.filter((p) => p !== message);
  }

  /** Start following a simulation. */
  async attach(simulation: Promise<WorkerSimulation>): Promise<void> {
    this.#sim = await simulation;
    await this.refresh();
    this.ready = true;
    this.#timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  /** Stop following. */
  detach(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Ask every worker for news now: statuses, new blocks, new events. */
  async refresh(): Promise<void> {
    const sim = this.#sim;
    if (!sim || this.#polling) return;
    this.#polling = true;
    try {
      if (sim.generation !== this.#generation) this.#forget(sim.generation);
      const [nodes, network] = await Promise.all([sim.statuses(), sim.networkSettings()]);
      // Copied only when a block is new: most polls bring none, and the map holds thousands.
      let blocks: Map<string, KnownBlock> | null = null;
      const entries: LogEntry[] = [];
      for (const node of nodes) {
        for (const b of await sim.blocksSince(node.id, this.#cursors.get(node.id) ?? -1)) {
          this.#cursors.set(node.id, Math.max(this.#cursors.get(node.id) ?? -1, b.seq));
          if ((blocks ?? this.blocks).has(b.hash)) continue;
          blocks ??= new Map(this.blocks);
          blocks.set(b.hash, { ...b, seen: this.#seen++ });
        }
        for (const event of await sim.takeEvents(node.id)) {
          entries.push({ id: this.#logId++, node: node.id, at: Date.now(), event });
        }
        if (node.storageProblem) this.report(node.storageProblem);
      }
      this.nodes = nodes;
      this.network = network;
      if (sim.options !== this.options) this.options = sim.options;
      if (blocks) this.blocks = blocks;
      if (entries.length > 0) this.log = [...this.log, ...entries].slice(-LOG_LIMIT);
    } catch {
      // A node being added, removed or reset mid-poll: the next poll sees the settled state.
    } finally {
      this.#polling = false;
    }
  }

  /** A reset started a new run: drop the old run's blocks and log. */
  #forget(generation: number): void {
    this.#generation = generation;
    this.#cursors.clear();
    this.blocks = new Map();
    this.log = [];
  }
}
