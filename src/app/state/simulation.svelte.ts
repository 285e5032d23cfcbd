/**
 * What the page knows about its simulation, refreshed from the workers: node statuses, network
 * settings, every block any node knows (for the tree), and the event log. Every poll also feeds
 * the run's recording (src/app/timeline/recording.ts), which the timeline replays. State lives
 * here; components render it (CONTRIBUTING.md, D3 computes, Svelte draws). Nothing here ever
 * flows back into a node or its storage.
 */
import type { NetworkView, ResetOptions } from '../../api/backend.ts';
import { DEFAULT_RESET } from '../../api/backend.ts';
import type { NodeId } from '../../core/types.ts';
import type { MessageTrace, NodeStatus, WorkerSimulation } from '../sim/worker-simulation.ts';
import type { KnownBlock, LogEntry, ReportedBlock, ReportedEvent } from '../timeline/recording.ts';
import { POLL_MS, Recorder } from '../timeline/recording.ts';
import { EMPTY_NETWORK, LOG_LIMIT } from '../timeline/replay.ts';

export type { KnownBlock, LogEntry } from '../timeline/recording.ts';

/** Live view of a worker simulation. */
export class SimulationState {
  nodes = $state.raw<readonly NodeStatus[]>([]);
  network = $state.raw<NetworkView>(EMPTY_NETWORK);
  options = $state.raw<ResetOptions>(DEFAULT_RESET);
  blocks = $state.raw<ReadonlyMap<string, KnownBlock>>(new Map());
  log = $state.raw<readonly LogEntry[]>([]);
  problems = $state.raw<readonly string[]>([]);
  ready = $state(false);
  /** The recording of this run; a reset starts a new one. Appended to in place by every poll. */
  recording = $state.raw(new Recorder(DEFAULT_RESET, Date.now()));
  /** When the recording last heard from the workers: changes with every poll it takes. */
  recordedAt = $state(this.recording.end);

  #sim: WorkerSimulation | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #cursors: ReadonlyMap<NodeId, number> = new Map();
  #generation = -1;
  #polling = false;
  readonly #dismissed = new Set<string>();

  /** The simulation, once it is up. */
  get simulation(): WorkerSimulation | null {
    return this.#sim;
  }

  /**
   * Record a problem to show (storage full, unreadable saved data, …). Each sentence shows once,
   * however many nodes report it and however often; once dismissed it stays away.
   */
  report(message: string): void {
    if (this.problems.includes(message) || this.#dismissed.has(message)) return;
    this.problems = [...this.problems, message];
  }

  /** Dismiss a problem: nodes go on reporting it with every poll, and it is not shown again. */
  dismiss(message: string): void {
    this.#dismissed.add(message);
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

  /** Ask every worker for news now: statuses, new blocks, new events, messages heard. */
  async refresh(): Promise<void> {
    const sim = this.#sim;
    if (!sim || this.#polling) return;
    this.#polling = true;
    try {
      if (sim.generation !== this.#generation) this.#forget(sim.generation, sim.options);
      const [nodes, network] = await Promise.all([sim.statuses(), sim.networkSettings()]);
      // Every node is asked at once; the answers are taken in the nodes' order.
      const news = await Promise.all(
        nodes.map((node) =>
          Promise.all([
            sim.blocksSince(node.id, this.#cursors.get(node.id) ?? -1),
            sim.takeEvents(node.id),
            sim.takeTraces(node.id),
          ]),
        ),
      );
      // Cursors move only once the whole poll has been taken: a poll cut short by a reset or a
      // removed node asks again for the same blocks.
      const cursors = new Map(this.#cursors);
      const blocks: ReportedBlock[] = [];
      const events: ReportedEvent[] = [];
      const traces: MessageTrace[] = [];
      nodes.forEach((node, i) => {
        const [summaries, nodeEvents, nodeTraces] = news[i] ?? [[], [], []];
        for (const block of summaries) {
          cursors.set(node.id, Math.max(cursors.get(node.id) ?? -1, block.seq));
          blocks.push({ node: node.id, block });
        }
        for (const event of nodeEvents) events.push({ node: node.id, event });
        for (const trace of nodeTraces) traces.push(trace);
        if (node.storageProblem) this.report(node.storageProblem);
      });
      const recorded = this.recording.record({
        t: Date.now(),
        nodes,
        network,
        blocks,
        events,
        traces,
        seeds: sim.seeds(),
        settings: sim.options,
      });
      this.#cursors = cursors;
      this.nodes = nodes;
      this.network = network;
      if (sim.options !== this.options) this.options = sim.options;
      // Copied only when a block is new: most polls bring none, and the map holds thousands.
      if (recorded.blocks.length > 0) {
        const known = new Map(this.blocks);
        for (const block of recorded.blocks) known.set(block.hash, block);
        this.blocks = known;
      }
      if (recorded.log.length > 0) this.log = [...this.log, ...recorded.log].slice(-LOG_LIMIT);
      this.recordedAt = this.recording.end;
    } catch {
      // A node being added, removed or reset mid-poll: the next poll sees the settled state.
    } finally {
      this.#polling = false;
    }
  }

  /** A reset started a new run: drop the old run's blocks and log, and start a new recording. */
  #forget(generation: number, options: ResetOptions): void {
    this.#generation = generation;
    this.#cursors = new Map();
    this.blocks = new Map();
    this.log = [];
    // Log ids go on rising across runs: the event log announces only lines newer than it has seen.
    this.recording = new Recorder(options, Date.now(), this.recording.nextLogId);
    this.recordedAt = this.recording.end;
  }
}
