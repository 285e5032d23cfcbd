/**
 * Node hosts (src/worker/node-thread.ts) in Node's worker_threads, TypeScript loaded through tsx:
 * the platform headless learners run the page's workers runtime on, and the worker-thread tests'
 * way to start a node.
 */
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Endpoint } from 'comlink';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerPlatform } from '../src/app/sim/worker-simulation.ts';

const entry = new URL('../src/worker/node-thread.ts', import.meta.url).href;
const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;

/** Start a worker thread running one node host; talk to it through Comlink at `endpoint`. */
export function startNodeThread(): { readonly worker: Worker; readonly endpoint: Endpoint } {
  const worker = new Worker(boot, { eval: true });
  return { worker, endpoint: nodeEndpoint(worker) };
}

/**
 * The workers runtime's platform on Node, for one of `pages` simulations sharing the machine:
 * each gets its part of the cores beyond the one left free, so together their miners leave it
 * free as one page's do. Each thread's IndexedDB (fake-indexeddb) lives in the thread's memory and
 * ends with it, so there is no database to delete afterwards.
 */
export function nodeThreads(pages = 1): WorkerPlatform {
  return {
    spawn: () => {
      const { worker, endpoint } = startNodeThread();
      return {
        endpoint,
        terminate: () => {
          void worker.terminate();
        },
      };
    },
    deleteDatabase: () => Promise.resolve(),
    cores: () => 1 + (availableParallelism() - 1) / Math.max(1, pages),
  };
}
