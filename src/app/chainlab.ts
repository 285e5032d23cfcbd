/**
 * `window.chainlab`: the route table for the browser console and for Playwright.
 *
 *   await chainlab.ready
 *   await chainlab.request('GET', '/node/n1/mine')
 */
import type { EventJson } from '../api/json.ts';
import type { ApiResponse } from '../api/routes.ts';
import { handleRequest } from '../api/routes.ts';
import { parseNodeId } from '../core/types.ts';
import type { WorkerMeasurement, WorkerSimulation } from './sim/worker-simulation.ts';
import { openTabSimulation } from './sim/worker-simulation.ts';

/** What the page exposes to scripts. */
export interface ChainlabGlobal {
  /** Resolves once the simulation is up, restored or fresh. */
  readonly ready: Promise<void>;
  /** One call of the route table: (method, path, body) → { status, body }. */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /**
   * Restart a node's worker from its database; `{ abrupt: true }` kills it mid-flight first, to
   * show that nothing it committed is lost. Resolves false for an unknown node.
   */
  restartNode(id: string, options?: { abrupt?: boolean }): Promise<boolean>;
  /**
   * What a node did since the script last asked: mined, adopted, rejected, dropped (plain data).
   * The page's event log reads the same events separately, so a script misses none of them.
   */
  takeEvents(id: string): Promise<EventJson[]>;
  /**
   * How fast this browser does, in a node's worker, what nodes lean on: `count` signature checks
   * (default 10,000) through the verifier the node uses, and about a second of hashing with the
   * kernel it mines with. Null for an unknown node.
   */
  measure(id: string, count?: number): Promise<WorkerMeasurement | null>;
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
  const simulation = openTabSimulation(onProblem);
  const global: ChainlabGlobal = {
    ready: simulation.then(() => undefined),
    request: async (method, path, body) => handleRequest(await simulation, method, path, body),
    restartNode: async (id, options) => {
      const nodeId = parseNodeId(id);
      return nodeId ? (await simulation).restartNode(nodeId, options?.abrupt === true) : false;
    },
    measure: async (id, count) => {
      const nodeId = parseNodeId(id);
      return nodeId ? (await simulation).measure(nodeId, count) : null;
    },
    takeEvents: async (id) => {
      const nodeId = parseNodeId(id);
      return nodeId ? (await simulation).takeEvents(nodeId, 'script') : [];
    },
  };
  window.chainlab = global;
  return { global, simulation };
}
