/**
 * The room's bus over a NATS connection: the browser's (WebSocket, `wsconnect`) and Node's
 * (`@nats-io/transport-node`) connections are the same interface, so one adapter serves both.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import type { RoomBus } from './room-transport.ts';

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
