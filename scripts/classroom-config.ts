/**
 * The nats-server configuration for one class: the room's two users (learners and the teacher)
 * with permissions limited to the room's subjects, the message-size and connection limits, and
 * the WebSocket listener browsers join through. Pure text, so it is tested as such.
 */
import { MAX_ENVELOPE_BYTES } from '../src/core/wire.ts';
import type { Room } from '../src/runtime/room.ts';
import { roomLinkFragment, teacherKeyExpiry } from '../src/runtime/room.ts';

/** What one class's server is set to. */
export interface ClassroomSettings {
  readonly room: Room;
  /** Null once the key has expired: the room runs on without a teacher's user. */
  readonly teacherKey: string | null;
  /** NATS clients (headless nodes). */
  readonly port: number;
  /** Browsers, over WebSocket. */
  readonly wsPort: number;
  /** Plain ws:// (a LAN or this machine); behind TLS termination the proxy speaks to it so too. */
  readonly noTls: boolean;
  /** Connections the server accepts in all: a browser opens one per node. */
  readonly maxConnections: number;
  /**
   * One server of a cluster (several servers acting as one room): its name, the port its peers
   * reach it on, and their route addresses (`nats-route://host:port`).
   */
  readonly cluster?: {
    readonly serverName: string;
    readonly port: number;
    readonly routes: readonly string[];
  };
}

/** Connections for a class of thirty with two nodes each, the teacher's page and headroom. */
export const DEFAULT_MAX_CONNECTIONS = 200;

const quote = (s: string): string => JSON.stringify(s);

/** The nats-server configuration file's text. */
export function natsConfig(s: ClassroomSettings, generatedAt: Date): string {
  const { subjects, learnerUser, teacherUser, code, id } = s.room;
  const learnerPublish = [subjects.nodes, subjects.gossip, subjects.presence];
  const list = (items: readonly string[]): string => `[${items.map(quote).join(', ')}]`;
  const teacher =
    s.teacherKey === null
      ? `    # The teacher key has expired: nobody may publish controls until a new key is made.`
      : `    {
      # The teacher: the teacher key is the password; only the teacher may publish controls.
      # The key expires at ${new Date(teacherKeyExpiry(s.teacherKey)).toISOString()}.
      user: ${quote(teacherUser)}
      password: ${quote(s.teacherKey)}
      permissions: {
        publish: ${list([subjects.all])}
        subscribe: ${list([subjects.all])}
      }
    }`;
  const cluster = s.cluster
    ? `
server_name: ${quote(s.cluster.serverName)}
# Servers of one room share its users; learners on any of them hear each other.
cluster {
  name: "chainlab"
  listen: "0.0.0.0:${s.cluster.port}"
  routes: ${list(s.cluster.routes)}
}
`
    : '';
  return `# Chainlab classroom ${id}, generated ${generatedAt.toISOString()}.
# Keep this file private: it holds the room code and the teacher key.
port: ${s.port}${cluster}
# An envelope holds at most one block of 1 MiB plus its framing.
max_payload: ${MAX_ENVELOPE_BYTES}
max_connections: ${s.maxConnections}
# A node subscribes to its inbox, the room's announcements, presence and the teacher's controls.
max_subscriptions: 16
ping_interval: "20s"

websocket {
  port: ${s.wsPort}
  no_tls: ${s.noTls}
  # The page is served from another origin than the socket (a static host, or Vite's port).
  same_origin: false
}

authorization {
  users: [
    {
      # Learners: the room code is their password. They may speak only as nodes of this room.
      user: ${quote(learnerUser)}
      password: ${quote(code)}
      permissions: {
        publish: ${list(learnerPublish)}
        subscribe: ${list([subjects.all])}
      }
    }
${teacher}
  ]
}
`;
}

/** The links the teacher hands out: the page, with the server and code in the fragment. */
export function roomLinks(
  site: string,
  socket: string,
  room: Room,
  teacherKey: string,
): { learner: string; teacher: string } {
  const base = site.endsWith('/') ? site : `${site}/`;
  const link = (key: string): string =>
    `${base}#${roomLinkFragment({ server: socket, code: room.code, teacherKey: key })}`;
  return { learner: link(''), teacher: link(teacherKey) };
}
