/**
 * The page's view of the network: live node statuses polled from the workers. State lives here,
 * components only render it (style rule 10). UI state never reaches the nodes or their storage.
 */
import type { NodeStatus } from '../../runtime/node-host.ts';
import type { WorkerSimulation } from '../sim/worker-simulation.ts';

/** How often the page asks the workers how they are. */
const POLL_MS = 500;

/** Live statuses of a simulation's nodes. */
export class NetworkView {
  nodes = $state.raw<readonly NodeStatus[]>([]);
  problems = $state.raw<readonly string[]>([]);
  ready = $state(false);
  #sim: WorkerSimulation | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  /** Record a problem to show (storage full, unreadable saved data, …). */
  report(message: string): void {
    if (!this.problems.includes(message)) this.problems = [...this.problems, message];
  }

  /** Start polling once the simulation is up. */
  async attach(simulation: Promise<WorkerSimulation>): Promise<void> {
    this.#sim = await simulation;
    this.ready = true;
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  /** Ask every worker for its status now. */
  async refresh(): Promise<void> {
    if (!this.#sim) return;
    try {
      const nodes = await this.#sim.statuses();
      this.nodes = nodes;
      for (const n of nodes) if (n.storageProblem) this.report(n.storageProblem);
    } catch {
      // A node being added or removed mid-poll: the next poll sees the settled list.
    }
  }

  /** Stop polling. */
  detach(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
