/**
 * Browser worker entry for the lab: experiments run here, in a worker of their own, never on the
 * node workers (CONTRIBUTING.md, Layers). The page asks it for the experiments (`list`), calls
 * `run` through Comlink with proxied listeners for progress and points, and `cancel` to stop
 * between runs; it imports only the type `LabWorkerApi`, through src/app/lab/lab-runner.ts, so
 * the simulator's code loads here and not on the page.
 */
import * as Comlink from 'comlink';
import type { ExperimentInfo, ExperimentResult } from '../lab/experiment.ts';
import type { RunListeners } from '../lab/service.ts';
import { LabService } from '../lab/service.ts';

const service = new LabService();

const api = {
  /** Every experiment, described: the page builds its form from these. */
  list(): ExperimentInfo[] {
    return service.list();
  },
  /** Run an experiment; the listeners arrive as a Comlink proxy, released when the run ends. */
  async run(
    request: unknown,
    listeners: Comlink.Remote<RunListeners & Comlink.ProxyMarked>,
  ): Promise<ExperimentResult> {
    try {
      return await service.run(request, listeners);
    } finally {
      listeners[Comlink.releaseProxy]();
    }
  },
  /** Stop the running experiment between two runs. */
  cancel(): void {
    service.cancel();
  },
};

/** What the page can call on the lab worker. */
export type LabWorkerApi = typeof api;

Comlink.expose(api);
