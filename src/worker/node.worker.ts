/**
 * Browser worker entry: one node per worker, exposed to the page through Comlink. The page imports
 * only the type `NodeWorkerApi`.
 */
import { wsconnect } from '@nats-io/nats-core';
import * as Comlink from 'comlink';
import { DexieStore } from '../runtime/dexie-store.ts';
import { natsRoomConnection } from '../runtime/nats-bus.ts';
import { NodeHost } from '../runtime/node-host.ts';
import { ROOM_RECONNECT } from '../runtime/room.ts';

const host = new NodeHost({
  openStore: (name, onSkip) => new DexieStore(name, { onSkip }),
  connectRoom: async (join, room) =>
    natsRoomConnection(
      await wsconnect({
        servers: join.server,
        user: room.learnerUser,
        pass: room.code,
        name: `chainlab ${join.learner}`,
        ...ROOM_RECONNECT,
      }),
    ),
});

/** What the page can call on a node worker. */
export type NodeWorkerApi = NodeHost;

Comlink.expose(host);
