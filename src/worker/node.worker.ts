/**
 * Browser worker entry: one node per worker, exposed to the page through Comlink. The page imports
 * only the type `NodeWorkerApi`.
 */
import { wsconnect } from '@nats-io/nats-core';
import * as Comlink from 'comlink';
import { DexieStore } from '../runtime/dexie-store.ts';
import { natsRoomConnection } from '../runtime/nats-bus.ts';
import { NodeHost } from '../runtime/node-host.ts';
import { roomConnectOptions } from '../runtime/room.ts';

const host = new NodeHost({
  openStore: (name, onSkip) => new DexieStore(name, { onSkip }),
  connectRoom: async (join, room) =>
    natsRoomConnection(await wsconnect(roomConnectOptions(join, room))),
});

/** What the page can call on a node worker. */
export type NodeWorkerApi = NodeHost;

Comlink.expose(host);
