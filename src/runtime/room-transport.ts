/**
 * A node's connection to a classroom's room: messages to nodes of other browsers travel as signed
 * envelopes (src/core/wire.ts) over a message bus (NATS); messages to the page's own nodes keep
 * going through its local transport (BroadcastChannel). Everything heard goes through the node's
 * one delivery gate, so the room's latency, loss and partitions apply as inside one browser.
 *
 * Nothing from the room is trusted: an envelope is dropped, counted and reported when it cannot
 * be read, belongs to another room or node, is stale or replayed, claims a node whose key we know
 * under another key, or carries a bad signature. A node that keeps sending validly signed junk
 * (or, as its host reports, invalid blocks) is muted here.
 */
import { toHex } from '../core/bytes.ts';
import type { NodeEvent } from '../core/node.ts';
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import type { BlockHash, NodeId } from '../core/types.ts';
import { parseBlockHash } from '../core/types.ts';
import { isOffence } from '../core/validation.ts';
import type { ReadEnvelope, Signatures } from '../core/wire.ts';
import { decodeMessage, encodeMessage, readEnvelope, sealEnvelope } from '../core/wire.ts';
import type { DeliveryGate } from './delivery-gate.ts';
import { PRESENCE_RECHECK_MS, ROOM_PEER_SILENCE_MS } from './protocol.ts';
import type { Room } from './room.ts';
import { parseLearnerName } from './room.ts';

/** A publish/subscribe bus of bytes: what the room needs from NATS. */
export interface RoomBus {
  publish(subject: string, data: Uint8Array): void;
  /** Returns a function that unsubscribes. */
  subscribe(subject: string, onMessage: (data: Uint8Array) => void): () => void;
}

/** Why an envelope from the room was dropped before reaching the node. */
export type RoomRejection =
  | 'unreadable'
  | 'other room'
  | 'not for this node'
  | 'stale'
  | 'replayed'
  | 'impersonation'
  | 'forged'
  | 'junk'
  | 'muted';

/** Envelopes further than this from the receiver's clock are stale (replays of old traffic). */
export const ENVELOPE_FRESH_MS = 120_000;
/** Offences (signed junk, invalid blocks) after which a sender is muted. */
export const MUTE_AFTER_OFFENCES = 10;
/** How far behind a sender's newest envelope an older one is still accepted (reordering). */
const REPLAY_WINDOW = 64n;

/** A node's presence in the room: who it belongs to and where its chain is. */
export interface Presence {
  readonly learner: string;
  /** The page (browser tab) it runs in: nodes of one page talk over their local transport. */
  readonly page: string;
  readonly height: number;
  /** Its best chain's tip, so every page can show where each node of the room stands. */
  readonly tip: BlockHash;
}

/** Options of a node's room transport. */
export interface RoomTransportOptions {
  readonly room: Room;
  readonly id: NodeId;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly signatures: Signatures;
  readonly bus: RoomBus;
  readonly gate: DeliveryGate;
  /** The page this node runs in (see {@link Presence.page}). */
  readonly page: string;
  /** The page's own transport, for nodes of the same page. */
  readonly local?: Transport;
  /** Wall clock, Unix milliseconds. */
  readonly now?: () => number;
  /**
   * Whether a message could change anything at the node (an inv naming something it lacks).
   * Messages that cannot are dropped before their signature is checked: most announcements in a
   * busy room name blocks every node already has.
   */
  readonly matters?: (message: Message) => boolean;
  /**
   * A node of the room said it is there (every few seconds). Presences from a node come here at
   * most once every PRESENCE_RECHECK_MS: sooner ones are dropped before their signature is checked.
   */
  readonly onPresence?: (from: NodeId, presence: Presence) => void;
  readonly onReject?: (reason: RoomRejection, from: NodeId | null) => void;
  readonly onMuted?: (from: NodeId) => void;
}

/** Anti-replay per sender: the newest counter seen and a window of the 64 before it. */
class ReplayGuard {
  readonly #newest = new Map<NodeId, bigint>();
  readonly #window = new Map<NodeId, bigint>();

  /** Whether `seq` from `from` was seen already or is too old to tell. */
  replayed(from: NodeId, seq: bigint): boolean {
    const newest = this.#newest.get(from);
    if (newest === undefined || seq > newest) return false;
    const back = newest - seq;
    if (back >= REPLAY_WINDOW) return true;
    return ((this.#window.get(from) ?? 0n) >> back) & 1n ? true : false;
  }

  /** Forget a sender's counters (it came back with a new key). */
  forget(from: NodeId): void {
    this.#newest.delete(from);
    this.#window.delete(from);
  }

  /** Record `seq` (call only for envelopes whose signature was checked). */
  mark(from: NodeId, seq: bigint): void {
    const newest = this.#newest.get(from);
    const mask = (1n << REPLAY_WINDOW) - 1n;
    if (newest === undefined || seq > newest) {
      const shift = newest === undefined ? REPLAY_WINDOW : seq - newest;
      const moved = shift >= REPLAY_WINDOW ? 0n : ((this.#window.get(from) ?? 0n) << shift) & mask;
      this.#window.set(from, moved | 1n);
      this.#newest.set(from, seq);
      return;
    }
    this.#window.set(from, (this.#window.get(from) ?? 0n) | (1n << (newest - seq)));
  }
}

const PRESENCE_VERSION = 1;

function encodePresence(p: Presence): Uint8Array {
  const fields = [PRESENCE_VERSION, p.learner, p.page, p.tip];
  const text = new TextEncoder().encode(JSON.stringify(fields));
  const out = new Uint8Array(4 + text.length);
  new DataView(out.buffer).setUint32(0, p.height);
  out.set(text, 4);
  return out;
}

/** A presence from its bytes; null when malformed. */
export function decodePresence(bytes: Uint8Array): Presence | null {
  if (bytes.length < 4 || bytes.length > 512) return null;
  try {
    const parsed: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4)),
    );
    if (!Array.isArray(parsed) || parsed.length !== 4) return null;
    const [version, name, page, tipText] = parsed as unknown[];
    if (version !== PRESENCE_VERSION) return null;
    const learner = parseLearnerName(name);
    const tip = parseBlockHash(tipText);
    if (!learner || !tip || typeof page !== 'string' || !/^[0-9a-z-]{1,64}$/.test(page)) {
      return null;
    }
    const height = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    return { learner, page, height, tip };
  } catch {
    return null;
  }
}

/** A node's transport in a room. Close it when the node stops. */
export class RoomTransport implements Transport {
  readonly #o: RoomTransportOptions;
  readonly #now: () => number;
  readonly #guard = new ReplayGuard();
  /**
   * Each node's key as first heard, and when it last spoke: another key for the same id is an
   * impersonation, until the id has been silent a while (its node left; a learner who rejoins
   * gets new keys under the same names).
   */
  readonly #keys = new Map<NodeId, { key: string; at: number }>();
  /** Which page each node runs in, from its presence. */
  readonly #pages = new Map<NodeId, string>();
  /** When each node's last presence was accepted (its signature checked). */
  readonly #presenceAt = new Map<NodeId, number>();
  readonly #offences = new Map<NodeId, number>();
  readonly #muted = new Set<NodeId>();
  readonly #unsubscribe: (() => void)[] = [];
  /** Messages sent in this turn of the event loop, by message: one announcement to many is one broadcast. */
  #pending = new Map<Message, NodeId[]>();
  /** The node's own newest block, until it is pushed to the room (see {@link observe}). */
  #ownTip: { readonly hash: BlockHash; readonly bytes: Uint8Array } | null = null;
  /** Envelopes are signed one after another, so they leave in the order they were sent. */
  #outgoing: Promise<void> = Promise.resolve();
  #seq: bigint;
  #closed = false;

  constructor(options: RoomTransportOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    // Counting from the clock: a restarted node's envelopes stay newer than its old ones.
    this.#seq = BigInt(this.#now()) * 1000n;
    const { bus, room, id } = options;
    for (const subject of [room.subjects.node(id), room.subjects.gossip, room.subjects.presence]) {
      this.#unsubscribe.push(bus.subscribe(subject, (data) => void this.#hear(data, subject)));
    }
  }

  /** Nodes muted so far. */
  get muted(): readonly NodeId[] {
    return [...this.#muted];
  }

  send(to: NodeId, message: Message): void {
    if (this.#closed) return;
    if (this.#o.local && this.#pages.get(to) === this.#o.page) {
      this.#o.local.send(to, message);
      return;
    }
    const targets = this.#pending.get(message);
    if (targets) {
      targets.push(to);
      return;
    }
    if (this.#pending.size === 0) {
      queueMicrotask(() => {
        this.#flush();
      });
    }
    this.#pending.set(message, [to]);
  }

  /** Tell the room this node is here. */
  announce(presence: Omit<Presence, 'page'>): void {
    if (this.#closed) return;
    const payload = encodePresence({ ...presence, page: this.#o.page });
    this.#enqueue(this.#o.room.subjects.presence, null, payload);
  }

  /**
   * What the node did, told as it happens (before the node announces anything of it):
   * - an invalid block counts against its sender, so a node that keeps sending them is muted
   *   like one sending junk. A block refused only for how it looks from here (a clock ahead, a
   *   branch not yet seen) does not: an honest learner's fork must not get them muted;
   * - a block of its own (mined here) that became its tip is about to be announced to the room:
   *   nobody has it yet, so the block itself goes out instead (see #flush).
   */
  observe(event: NodeEvent): void {
    if (event.kind === 'block-rejected' && event.from && isOffence(event.rejection.reason)) {
      this.offence(event.from);
    }
    if (event.kind === 'tip-changed' && event.from === null) {
      const tip = event.change.newTip;
      this.#ownTip = { hash: tip.hash, bytes: tip.block.bytes };
    }
  }

  /** A sender misbehaved in a way only the node can tell (an invalid block): one offence. */
  offence(from: NodeId): void {
    const n = (this.#offences.get(from) ?? 0) + 1;
    this.#offences.set(from, n);
    if (n >= MUTE_AFTER_OFFENCES && !this.#muted.has(from)) {
      this.#muted.add(from);
      this.#o.onMuted?.(from);
    }
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = new Map();
    const { subjects } = this.#o.room;
    for (const [message, targets] of batch) {
      // An announcement to several nodes: the bus fans it out, signed once.
      if (message.type === 'inv' && targets.length > 1) {
        const own = this.#ownTip;
        const [only] = message.blocks;
        if (own && message.blocks.length === 1 && only === own.hash && message.txs.length === 0) {
          // A block of our own nobody has yet: pushed whole, each node gets it in one hop instead
          // of answering the announcement with a request that this node answers sixty times.
          this.#ownTip = null;
          this.#enqueue(subjects.gossip, null, encodeMessage({ type: 'block', bytes: own.bytes }));
        } else {
          this.#enqueue(subjects.gossip, null, encodeMessage(message));
        }
        continue;
      }
      const payload = encodeMessage(message);
      for (const to of targets) this.#enqueue(subjects.node(to), to, payload);
    }
  }

  #enqueue(subject: string, to: NodeId | null, payload: Uint8Array): void {
    const { room, id, publicKey, secretKey, signatures, bus } = this.#o;
    const seq = ++this.#seq;
    // Signed at once (WebCrypto signs on other threads), published in the order sent: a node
    // answering sixty requests for a block does not wait for each signature in turn.
    const sealing = sealEnvelope(
      { room: room.id, from: id, to, seq, sentAt: this.#now(), publicKey, payload },
      secretKey,
      signatures,
    );
    sealing.catch(() => undefined);
    this.#outgoing = this.#outgoing
      .then(async () => {
        const sealed = await sealing;
        if (!this.#closed) bus.publish(subject, sealed);
      })
      .catch(() => undefined); // a closed connection: the message is lost, as on any network
  }

  #reject(reason: RoomRejection, from: NodeId | null): void {
    this.#o.onReject?.(reason, from);
  }

  /** Why an envelope heard on `subject` must be dropped before its signature is checked. */
  #screen(env: ReadEnvelope, subject: string, key: string): RoomRejection | null {
    const { room, id } = this.#o;
    if (env.room !== room.id) return 'other room';
    const direct = subject === room.subjects.node(id);
    if (direct ? env.to !== id : env.to !== null) return 'not for this node';
    if (this.#muted.has(env.from)) return 'muted';
    if (Math.abs(env.sentAt - this.#now()) > ENVELOPE_FRESH_MS) return 'stale';
    const known = this.#keys.get(env.from);
    if (known && known.key !== key && this.#now() - known.at < ROOM_PEER_SILENCE_MS) {
      return 'impersonation';
    }
    if (this.#guard.replayed(env.from, env.seq)) return 'replayed';
    return null;
  }

  async #hear(data: Uint8Array, subject: string): Promise<void> {
    if (this.#closed) return;
    const read = readEnvelope(data);
    if (!read.ok) {
      this.#reject('unreadable', null);
      return;
    }
    const env = read.value;
    if (env.from === this.#o.id) return; // our own broadcast, echoed by the bus
    const key = toHex(env.publicKey);
    const rejection = this.#screen(env, subject, key);
    if (rejection) {
      this.#reject(rejection, env.from);
      return;
    }
    if (subject === this.#o.room.subjects.presence) {
      // Keyed on the last presence accepted, so a forged one cannot make a real one be skipped.
      const last = this.#presenceAt.get(env.from);
      if (last !== undefined && this.#now() - last < PRESENCE_RECHECK_MS) return;
      const presence = decodePresence(env.payload);
      if (!(await this.#authentic(env, key))) return;
      if (!presence) {
        this.#junk(env.from);
        return;
      }
      this.#presenceAt.set(env.from, this.#now());
      this.#pages.set(env.from, presence.page);
      this.#o.onPresence?.(env.from, presence);
      return;
    }
    const parsed = decodeMessage(env.payload);
    if (parsed.ok && this.#o.matters && !this.#o.matters(parsed.message)) return;
    if (!(await this.#authentic(env, key))) return;
    if (parsed.ok) this.#o.gate.admit(env.from, parsed.message);
    else this.#junk(env.from);
  }

  /** Check the signature; on success remember the key and the counter. */
  async #authentic(env: ReadEnvelope, key: string): Promise<boolean> {
    const valid = await this.#o.signatures.verify(env.publicKey, env.signature, env.signed);
    if (this.#closed) return false;
    if (!valid) {
      this.#reject('forged', env.from);
      return false;
    }
    // Checked again: while we verified, another envelope with this counter may have passed, or
    // the sender may have been muted.
    if (this.#guard.replayed(env.from, env.seq)) {
      this.#reject('replayed', env.from);
      return false;
    }
    if (this.#muted.has(env.from)) {
      this.#reject('muted', env.from);
      return false;
    }
    const known = this.#keys.get(env.from);
    // A new key for a node long silent: it left and came back; its counter starts afresh.
    if (known && known.key !== key) this.#guard.forget(env.from);
    this.#guard.mark(env.from, env.seq);
    this.#keys.set(env.from, { key, at: this.#now() });
    return true;
  }

  #junk(from: NodeId): void {
    this.#reject('junk', from);
    this.offence(from);
  }

  /** Stop listening; envelopes not yet signed are dropped. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }
}
