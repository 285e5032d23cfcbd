/**
 * The room's bus over a NATS connection: the browser's (WebSocket, `wsconnect`) and Node's
 * (`@nats-io/transport-node`) connections are the same interface, so one adapter serves both.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import type { RoomBus } from './room-transport.ts';

/** A node's connection to its room's server. */
export interface RoomConnection {
  readonly bus: RoomBus;
  /** Connected now; false while it reconnects. */
  connected(): boolean;
  /** Call `listener` each time the connection comes back after a drop. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** A {@link RoomConnection} over an open NATS connection. */
export function natsRoomConnection(nc: NatsConnection): RoomConnection {
  let up = true;
  const listeners: (() => void)[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') {
        up = true;
        for (const l of listeners) l();
      }
    }
  })();
  return {
    bus: natsBus(nc),
    connected: () => up && !nc.isClosed(),
    onReconnect: (listener) => {
      listeners.push(listener);
    },
    close: () => nc.close(),
  };
}

/** A {@link RoomBus} on an open NATS connection. */
export function natsBus(nc: NatsConnection): RoomBus {
  return {
    publish(subject, data) {
      nc.publish(subject, data);
    },
    subscribe(subject, onMessage) {
      const sub = nc.subscribe(subject, {
        callback: (error, msg) => {
          if (!error) onMessage(msg.data);
        },
      });
      return () => {
        sub.unsubscribe();
      };
    },
  };
}
