/**
 * Browser worker entry: one node per worker, exposed to the page through Comlink. The page imports
 * only the type `NodeWorkerApi`.
 */
import * as Comlink from 'comlink';
import { DexieStore } from '../runtime/dexie-store.ts';
import { NodeHost } from '../runtime/node-host.ts';

const host = new NodeHost({
  openStore: (name, onSkip) => new DexieStore(name, { onSkip }),
});

/** What the page can call on a node worker. */
export type NodeWorkerApi = NodeHost;

Comlink.expose(host);
