/**
 * One experiment run as the page follows it: its request, progress, the points so far and the
 * final result. Points are replaced whole on each arrival ($state.raw), as the page's other
 * large collections are. A cancelled run keeps nothing: its points go at once, and the runner
 * silences any that were already on their way (src/app/lab/lab-runner.ts).
 */
import type { ExperimentInfo, ExperimentResult, PointResult } from '../../lab/experiment.ts';
import { pointsOf, withDefaults } from '../../lab/experiment.ts';
import type { RunRequest } from './lab-runner.ts';
import { LabRunner, isCancelled } from './lab-runner.ts';

/** Where a run stands. */
export type RunStatus = 'idle' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'failed';

/** The lab's one run at a time. */
export class LabState {
  /** The experiments, as the lab worker describes them; empty until it has. */
  experiments = $state.raw<readonly ExperimentInfo[]>([]);
  status = $state<RunStatus>('idle');
  /** Runs done so far, and in all. */
  done = $state(0);
  total = $state(0);
  /** What the current (or last) run asked for. */
  request = $state.raw<RunRequest | null>(null);
  /** The points measured so far, in the order they arrived. */
  points = $state.raw<readonly PointResult[]>([]);
  /** The finished run's result, for the downloads. */
  result = $state.raw<ExperimentResult | null>(null);
  /** Why the last run stopped, when it failed. */
  error = $state<string | null>(null);

  readonly #runner = new LabRunner();

  /** Is a run going (or still stopping)? */
  get busy(): boolean {
    return this.status === 'running' || this.status === 'cancelling';
  }

  /** Ask the lab worker for its experiments (the page bundles none of their code). */
  async load(): Promise<void> {
    try {
      this.experiments = await this.#runner.list();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    }
  }

  /** The experiment of this name, if the worker listed it. */
  experiment(name: string): ExperimentInfo | undefined {
    return this.experiments.find((e) => e.name === name);
  }

  /** Start a run; the request must hold plain values (`$state.snapshot`), as a worker takes. */
  async run(request: RunRequest): Promise<void> {
    if (this.busy) return;
    this.request = request;
    this.points = [];
    this.result = null;
    this.error = null;
    this.done = 0;
    // Known before the worker says anything, so the bar shows from the start.
    const experiment = this.experiment(request.experiment);
    this.total = experiment
      ? pointsOf(experiment, withDefaults(experiment, request.params)).length * request.runs
      : 0;
    this.status = 'running';
    try {
      const result = await this.#runner.run(request, {
        onProgress: (done, total) => {
          this.done = done;
          this.total = total;
        },
        onPoint: (point) => {
          this.points = [...this.points, point];
        },
      });
      // The worker's last reports travel on another port than its answer and may come after
      // it, silenced: the answer is the whole story.
      this.points = result.points;
      this.done = this.total;
      this.result = result;
      this.status = 'done';
    } catch (error) {
      this.points = [];
      if (isCancelled(error)) {
        this.status = 'cancelled';
      } else {
        this.error = error instanceof Error ? error.message : String(error);
        this.status = 'failed';
      }
    }
  }

  /** Cancel the run: its points go now, and it ends as cancelled once the worker stops. */
  cancel(): void {
    if (this.status !== 'running') return;
    this.status = 'cancelling';
    this.points = [];
    this.#runner.cancel();
  }

  /** Stop the worker (the view is going away). */
  dispose(): void {
    this.#runner.dispose();
  }
}
