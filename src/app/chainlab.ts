/**
 * `window.chainlab`: the route table for the browser console and for Playwright.
 *
 *   await chainlab.ready
 *   await chainlab.request('GET', '/node/n1/mine')
 */
import type { ApiResponse } from '../api/routes.ts';
import { handleRequest } from '../api/routes.ts';
import { claimSimulationId } from './sim/session.ts';
import { WorkerSimulation } from './sim/worker-simulation.ts';

/** What the page exposes to scripts. */
export interface ChainlabGlobal {
  /** Resolves once the simulation is up, restored or fresh. */
  readonly ready: Promise<void>;
  /** One call of the route table: (method, path, body) → { status, body }. */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

declare global {
  interface Window {
    chainlab: ChainlabGlobal;
  }
}

/** Start this tab's simulation and publish `window.chainlab`. */
export function startChainlab(onProblem: (message: string) => void): {
  readonly global: ChainlabGlobal;
  readonly simulation: Promise<WorkerSimulation>;
} {
  const simulation = claimSimulationId().then((id) => WorkerSimulation.open(id, onProblem));
  const global: ChainlabGlobal = {
    ready: simulation.then(() => undefined),
    request: async (method, path, body) => handleRequest(await simulation, method, path, body),
  };
  window.chainlab = global;
  return { global, simulation };
}
