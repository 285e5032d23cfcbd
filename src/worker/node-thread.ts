/**
 * The same node host under Node's worker_threads, with Node's own BroadcastChannel and
 * fake-indexeddb standing in for the browser's IndexedDB, so multi-worker tests run in CI without a
 * browser.
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { DexieStore } from '../runtime/dexie-store.ts';
import { NodeHost } from '../runtime/node-host.ts';

if (!parentPort) throw new Error('node-thread.ts runs only as a worker thread');

const host = new NodeHost({
  openStore: (name, onSkip) => new DexieStore(name, { onSkip }),
});

Comlink.expose(host, nodeEndpoint(parentPort));
