/**
 * The same node host under Node's worker_threads, with Node's own BroadcastChannel and
 * fake-indexeddb standing in for the browser's IndexedDB, so multi-worker tests run in CI without a
 * browser, and headless learners (npm run classroom -- --join) run the page's nodes. A room is
 * reached over NATS's TCP port (`nats://host:port`): Node 20 has no WebSocket.
 */
import 'fake-indexeddb/auto';
import { connect } from '@nats-io/transport-node';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { DexieStore } from '../runtime/dexie-store.ts';
import { natsRoomConnection } from '../runtime/nats-bus.ts';
import { NodeHost } from '../runtime/node-host.ts';
import { roomConnectOptions } from '../runtime/room.ts';

if (!parentPort) throw new Error('node-thread.ts runs only as a worker thread');

const host = new NodeHost({
  openStore: (name, onSkip) => new DexieStore(name, { onSkip }),
  connectRoom: async (join, room) =>
    natsRoomConnection(await connect(roomConnectOptions(join, room))),
});

Comlink.expose(host, nodeEndpoint(parentPort));
