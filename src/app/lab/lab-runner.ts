/**
 * The lab's worker, seen from the page: experiments run in a module worker of their own
 * (src/worker/lab.worker.ts), never on the node workers, so a long run neither slows the nodes
 * nor freezes the page. This module is the page's one way into that worker (CONTRIBUTING.md,
 * Layers): the rest of src/app runs experiments through `LabRunner` and imports nothing from
 * src/worker.
 */
import * as Comlink from 'comlink';
import type { ExperimentInfo, ExperimentResult, PointResult } from '../../lab/experiment.ts';
import type { RunRequest } from '../../lab/service.ts';
import type { LabWorkerApi } from '../../worker/lab.worker.ts';

export type { RunRequest } from '../../lab/service.ts';

/** What a run reports while it goes. */
export interface RunCallbacks {
  readonly onProgress?: (done: number, total: number) => void;
  readonly onPoint?: (point: PointResult) => void;
}

/**
 * How long a cancelled run may take to stop by itself before its worker is terminated: the
 * worker looks at the signal between runs, and one run of a long experiment (a million blocks
 * of selfish mining) may outlast a learner's patience.
 */
export const CANCEL_GRACE_MS = 2_000;

/** Was this error a cancelled run (the worker's `Cancelled`, or a worker stopped for it)? */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'Cancelled';
}

function cancelledError(): Error {
  const error = new Error('The experiment was cancelled.');
  error.name = 'Cancelled';
  return error;
}

interface LabWorker {
  readonly worker: Worker;
  readonly api: Comlink.Remote<LabWorkerApi>;
}

/** Runs experiments in the lab worker, one at a time; the worker starts on the first run. */
export class LabRunner {
  #lab: LabWorker | null = null;
  /** Ends the current run with this error when its worker is terminated or fails. */
  #abandon: ((error: Error) => void) | null = null;
  #graceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Silences the current run's callbacks. */
  #mute: (() => void) | null = null;

  #open(): LabWorker {
    if (this.#lab) return this.#lab;
    const worker = new Worker(new URL('../../worker/lab.worker.ts', import.meta.url), {
      type: 'module',
      name: 'chainlab-lab',
    });
    const lab: LabWorker = { worker, api: Comlink.wrap<LabWorkerApi>(worker) };
    // A worker that cannot load or throws outside a call would leave the run waiting forever.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.#lab === lab) this.#stop(new Error(`The lab worker stopped: ${event.message}`));
    });
    this.#lab = lab;
    return lab;
  }

  /** The experiments the worker can run, described (starting the worker if need be). */
  async list(): Promise<ExperimentInfo[]> {
    return this.#open().api.list();
  }

  /**
   * Run an experiment. Callbacks stop the moment the run is cancelled, so nothing arrives after
   * a cancel. Rejects with an error for which {@link isCancelled} holds when cancelled.
   */
  async run(request: RunRequest, callbacks: RunCallbacks = {}): Promise<ExperimentResult> {
    if (this.#abandon) throw new Error('An experiment is already running: cancel it first.');
    const lab = this.#open();
    let live = true;
    this.#mute = () => {
      live = false;
    };
    const listeners = Comlink.proxy({
      onProgress: (done: number, total: number) => {
        if (live) callbacks.onProgress?.(done, total);
      },
      onPoint: (point: PointResult) => {
        if (live) callbacks.onPoint?.(point);
      },
    });
    const abandoned = new Promise<never>((_, reject) => {
      this.#abandon = reject;
    });
    try {
      return await Promise.race([lab.api.run(request, listeners), abandoned]);
    } finally {
      live = false;
      this.#mute = null;
      this.#abandon = null;
      if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
      this.#graceTimer = null;
    }
  }

  /** Is a run going? */
  get running(): boolean {
    return this.#abandon !== null;
  }

  /**
   * Cancel the run: the worker stops at its next look between runs; if it has not stopped
   * within {@link CANCEL_GRACE_MS}, it is terminated and the next run starts a fresh one.
   */
  cancel(): void {
    const lab = this.#lab;
    if (!lab || !this.#abandon || this.#graceTimer !== null) return;
    this.#mute?.();
    void lab.api.cancel();
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = null;
      this.#stop(cancelledError());
    }, CANCEL_GRACE_MS);
  }

  /** Stop the worker (and any run in it, as cancelled). */
  dispose(): void {
    if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    this.#stop(cancelledError());
  }

  #stop(reason: Error): void {
    const lab = this.#lab;
    this.#lab = null;
    this.#abandon?.(reason);
    if (!lab) return;
    lab.api[Comlink.releaseProxy]();
    lab.worker.terminate();
  }
}
