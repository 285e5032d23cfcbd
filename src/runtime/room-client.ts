/**
 * The page's own connection to a classroom's room (beside its nodes' connections): it checks the
 * address, code and teacher key before any node joins, so a mistake gets one sentence and nothing
 * half-joined; it lists who is in the room from their signed presence; it carries the teacher's
 * controls, which only the teacher's user may publish (the server enforces it) and every page
 * applies to its own nodes.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { AuthorizationError, wsconnect } from '@nats-io/nats-core';
import { MAX_LATENCY_MS } from '../core/delivery.ts';
import type { BlockHash, NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';
import { toHex } from '../core/bytes.ts';
import { readEnvelope } from '../core/wire.ts';
import type { RoomConnection } from './nats-bus.ts';
import { natsRoomConnection } from './nats-bus.ts';
import type { Room } from './room.ts';
import {
  parseLearnerName,
  parseRoomCode,
  parseTeacherKey,
  ROOM_RECONNECT,
  roomOf,
  teacherKeyExpiry,
} from './room.ts';
import { decodePresence } from './room-transport.ts';
import { ROOM_PEER_SILENCE_MS } from './protocol.ts';
import { platformSignatures } from './signatures.ts';

/** What can stop a page from joining a room, each with its own sentence in the page. */
export type RoomJoinProblem =
  | 'bad-address'
  | 'bad-code'
  | 'bad-name'
  | 'bad-teacher-key'
  | 'unreachable'
  | 'wrong-code'
  | 'wrong-teacher-key'
  | 'expired-teacher-key'
  | 'blocked';

/** Joining failed: `problem` says why. Nothing was joined. */
export class RoomJoinError extends Error {
  readonly problem: RoomJoinProblem;
  constructor(problem: RoomJoinProblem, detail = '') {
    super(detail ? `${problem}: ${detail}` : problem);
    this.name = 'RoomJoinError';
    this.problem = problem;
  }
}

/** What the teacher can do to the whole room. */
export type RoomControl =
  /** Network conditions for everyone; `groups` partitions the room by node. */
  | {
      readonly type: 'network';
      readonly latencyMs: number;
      readonly loss: number;
      readonly groups: readonly (readonly NodeId[])[];
    }
  | { readonly type: 'mining'; readonly enabled: boolean }
  /** Every page starts its nodes afresh (they catch up from nobody: a new chain). */
  | { readonly type: 'reset' }
  | { readonly type: 'remove'; readonly node: NodeId };

/** Largest control message accepted: a partition of a big class fits easily. */
const MAX_CONTROL_BYTES = 64 * 1024;

/** A control from anything heard on the control subject; null when malformed. */
export function parseRoomControl(raw: unknown): RoomControl | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  switch (r.type) {
    case 'network': {
      const { latencyMs, loss, groups } = r;
      if (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS)) {
        return null;
      }
      if (typeof loss !== 'number' || !(loss >= 0 && loss <= 1)) return null;
      if (!Array.isArray(groups) || groups.length > 64) return null;
      const parsed: NodeId[][] = [];
      for (const g of groups) {
        if (!Array.isArray(g) || g.length > 1024) return null;
        const ids = g.map(parseNodeId);
        if (ids.some((id) => id === null)) return null;
        parsed.push(ids as NodeId[]);
      }
      return { type: 'network', latencyMs, loss, groups: parsed };
    }
    case 'mining':
      return typeof r.enabled === 'boolean' ? { type: 'mining', enabled: r.enabled } : null;
    case 'reset':
      return { type: 'reset' };
    case 'remove': {
      const node = parseNodeId(r.node);
      return node ? { type: 'remove', node } : null;
    }
    default:
      return null;
  }
}

/** One node of the room, as its signed presence says. */
export interface RoomMember {
  readonly id: NodeId;
  readonly learner: string;
  readonly page: string;
  readonly height: number;
  /** The tip of its best chain. */
  readonly tip: BlockHash;
}

/** A room's address as typed: `ws://` or `wss://` and a host; null otherwise. */
export function parseRoomServer(typed: unknown): string | null {
  if (typeof typed !== 'string') return null;
  try {
    const url = new URL(typed.trim());
    if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') return null;
    return url.href.replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** What a page needs to join a room. */
export interface RoomClientOptions {
  readonly server: string;
  readonly code: string;
  /** The teacher key, for the teacher's page; null for a learner. */
  readonly teacherKey: string | null;
  /** The learner's name (checked here, used by the page's nodes). */
  readonly learner: string;
  readonly onControl: (control: RoomControl) => void;
  /** The wall clock (Unix milliseconds): teacher keys' expiry, members heard lately. */
  readonly now?: () => number;
}

/** A page's connection to its room. Close it when the page leaves the room. */
export class RoomClient {
  readonly room: Room;
  readonly server: string;
  readonly teacher: boolean;
  /** When the teacher's key expires (Unix milliseconds); null on a learner's page. */
  readonly teacherUntil: number | null;
  readonly learner: string;
  readonly #now: () => number;
  readonly #nc: NatsConnection;
  readonly #members = new Map<NodeId, RoomMember & { at: number; key: string }>();
  readonly #connection: RoomConnection;

  private constructor(nc: NatsConnection, room: Room, options: RoomClientOptions, server: string) {
    this.#nc = nc;
    this.room = room;
    this.server = server;
    this.teacher = options.teacherKey !== null;
    this.teacherUntil = options.teacherKey === null ? null : teacherKeyExpiry(options.teacherKey);
    this.#now = options.now ?? (() => Date.now());
    this.learner = options.learner;
    const decoder = new TextDecoder();
    nc.subscribe(room.subjects.control, {
      callback: (error, msg) => {
        if (error || msg.data.length > MAX_CONTROL_BYTES) return;
        try {
          const control = parseRoomControl(JSON.parse(decoder.decode(msg.data)));
          if (control) options.onControl(control);
        } catch {
          // Not JSON: only the teacher can publish here, so this is a broken teacher page.
        }
      },
    });
    nc.subscribe(room.subjects.presence, {
      callback: (error, msg) => {
        if (!error) void this.#hearPresence(msg.data);
      },
    });
    this.#connection = natsRoomConnection(nc);
  }

  /** Check everything, connect, and listen; rejects with a {@link RoomJoinError}. */
  static async open(options: RoomClientOptions): Promise<RoomClient> {
    const server = parseRoomServer(options.server);
    if (!server) throw new RoomJoinError('bad-address');
    const code = parseRoomCode(options.code);
    if (!code) throw new RoomJoinError('bad-code');
    if (!parseLearnerName(options.learner)) throw new RoomJoinError('bad-name');
    const key = options.teacherKey === null ? null : parseTeacherKey(options.teacherKey);
    if (options.teacherKey !== null && !key) throw new RoomJoinError('bad-teacher-key');
    // Said before connecting: the server refuses an expired key like a wrong one.
    if (key && teacherKeyExpiry(key) <= (options.now ? options.now() : Date.now())) {
      throw new RoomJoinError('expired-teacher-key');
    }
    const room = roomOf(code);
    // A socket the page's Content-Security-Policy forbids fails like an unreachable one; the
    // browser tells us which by this event.
    const csp = { blocked: false };
    const onViolation = (e: Event): void => {
      if ((e as Event & { effectiveDirective?: string }).effectiveDirective === 'connect-src') {
        csp.blocked = true;
      }
    };
    globalThis.addEventListener('securitypolicyviolation', onViolation);
    try {
      const nc = await wsconnect({
        servers: server,
        user: key ? room.teacherUser : room.learnerUser,
        pass: key ?? code,
        name: `chainlab page ${options.learner}`,
        ...ROOM_RECONNECT,
        // The first connection must succeed now: a wrong address is said at once.
        waitOnFirstConnect: false,
      });
      return new RoomClient(nc, room, { ...options, teacherKey: key }, server);
    } catch (e) {
      // Let the browser report a blocked socket before deciding what went wrong.
      await new Promise((r) => setTimeout(r, 50));
      if (csp.blocked || (e instanceof DOMException && e.name === 'SecurityError')) {
        throw new RoomJoinError('blocked');
      }
      if (e instanceof AuthorizationError || /authorization/i.test(String(e))) {
        throw new RoomJoinError(key ? 'wrong-teacher-key' : 'wrong-code');
      }
      throw new RoomJoinError('unreachable', String(e));
    } finally {
      globalThis.removeEventListener('securitypolicyviolation', onViolation);
    }
  }

  /**
   * A client over a connection opened elsewhere, as the learners' or the teacher's user of the
   * room `options.code` names: headless learners and tests connect over NATS's TCP port (Node 20
   * has no WebSocket) and check their input themselves.
   */
  static over(nc: NatsConnection, options: RoomClientOptions): RoomClient {
    return new RoomClient(nc, roomOf(options.code), options, options.server);
  }

  async #hearPresence(data: Uint8Array): Promise<void> {
    const read = readEnvelope(data);
    if (!read.ok || read.value.room !== this.room.id) return;
    const env = read.value;
    const presence = decodePresence(env.payload);
    if (!presence) return;
    const key = toHex(env.publicKey);
    const known = this.#members.get(env.from);
    // The first key heard for a node is its key (as the nodes themselves judge).
    if (known && known.key !== key && this.#now() - known.at < ROOM_PEER_SILENCE_MS) return;
    const { signatures } = await platformSignatures();
    if (!(await signatures.verify(env.publicKey, env.signature, env.signed))) return;
    this.#members.set(env.from, { id: env.from, ...presence, at: this.#now(), key });
  }

  /** Nodes heard from lately, by learner then id. */
  members(): RoomMember[] {
    const since = this.#now() - ROOM_PEER_SILENCE_MS;
    return [...this.#members.values()]
      .filter((m) => m.at >= since)
      .map(({ id, learner, page, height, tip }) => ({ id, learner, page, height, tip }))
      .sort((a, b) => a.learner.localeCompare(b.learner) || a.id.localeCompare(b.id));
  }

  /** Connected now (it reconnects by itself after a drop). */
  connected(): boolean {
    return this.#connection.connected();
  }

  /** Whether this page holds a teacher key that has expired (the server refuses it by now). */
  teacherKeyExpired(): boolean {
    return this.teacherUntil !== null && this.#now() >= this.teacherUntil;
  }

  /** Send a control to the whole room (the teacher's page, while its key lasts). */
  async send(control: RoomControl): Promise<void> {
    if (!this.teacher) throw new Error('only the teacher can control the room');
    if (this.teacherKeyExpired()) throw new RoomJoinError('expired-teacher-key');
    this.#nc.publish(this.room.subjects.control, JSON.stringify(control));
    await this.#nc.flush();
  }

  /** Leave the room. */
  close(): Promise<void> {
    return this.#nc.close();
  }
}
