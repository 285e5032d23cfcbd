/**
 * Headless nodes in a classroom's room, many in one process: each a core `Node` behind its own
 * delivery gate and room transport, on its own NATS connection as the learners' user, as a
 * learner's browser runs one (tests/room/room_nats.test.ts builds them the same way). Shared by
 * the classroom bench (scripts/bench-classroom.ts) and the room's fault tests.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { NodeEvent } from '../src/core/node.ts';
import { Node } from '../src/core/node.ts';
import type { ChainParams } from '../src/core/params.ts';
import { makeParams } from '../src/core/params.ts';
import { createRng } from '../src/core/rng.ts';
import { targetFromZeroBits } from '../src/core/target.ts';
import type { BlockHash, NodeId } from '../src/core/types.ts';
import { walletFromSecret } from '../src/core/wallet.ts';
import { AnnouncementFilter } from '../src/runtime/announcement-filter.ts';
import { DeliveryGate } from '../src/runtime/delivery-gate.ts';
import { natsBus } from '../src/runtime/nats-bus.ts';
import { PresencePacer } from '../src/runtime/presence-pacer.ts';
import {
  PRESENCE_EVERY_MS,
  PRESENCE_MIN_GAP_MS,
  PRESENCE_SETTLE_MS,
} from '../src/runtime/protocol.ts';
import { realScheduler } from '../src/runtime/real-time.ts';
import type { RoomRejection } from '../src/runtime/room-transport.ts';
import { RoomTransport } from '../src/runtime/room-transport.ts';
import { platformSignatures } from '../src/runtime/signatures.ts';
import { MemoryStore } from '../src/sim/memory-store.ts';
import type { RoomServer } from './nats-server.ts';

/**
 * An easy target that never changes: mining costs about 256 hashes, so a run measures the room,
 * not the miner, and of two branches the longer always has more work (no retarget in between).
 */
export const CLASSROOM_PARAMS = makeParams({
  initialTarget: targetFromZeroBits(8),
  retargetInterval: 1_000_000,
});

/** One headless node in the room. */
export interface ClassroomNode {
  readonly id: NodeId;
  /** The learner it belongs to (its presence says so). */
  readonly learner: string;
  readonly node: Node;
  /** The key its envelopes are signed with. */
  readonly publicKey: Uint8Array;
  readonly gate: DeliveryGate;
  readonly transport: RoomTransport;
  readonly nc: NatsConnection;
  /** When each block joined this node's best chain (`performance.now()`). */
  readonly arrivals: Map<BlockHash, number>;
  /** Envelopes the room dropped before they reached the node. */
  readonly rejections: RoomRejection[];
  /** Times the connection came back after losing the server. */
  reconnects: number;
  /** Told whenever the node's tip changes (keepAnnouncing's prompt presence listens). */
  readonly onTipChanged: Set<() => void>;
}

/** What {@link joinRoom} is told. */
export interface JoinOptions {
  /** Seeds the node's wallet and its gate's draws. */
  readonly seed: number;
  /** Its chain's parameters (default {@link CLASSROOM_PARAMS}; a page's are `paramsFor(DEFAULT_RESET)`). */
  readonly params?: ChainParams;
  /** Called whenever a block joins a node's best chain; watchers use it instead of polling. */
  readonly onArrival?: (node: ClassroomNode, hash: BlockHash) => void;
}

/** `learners` learners with `perLearner` nodes each: `l01-1`, `l01-2`, … `l30-2` for 30 × 2. */
export function classNodeIds(
  learners: number,
  perLearner: number,
): { id: NodeId; learner: string }[] {
  const out: { id: NodeId; learner: string }[] = [];
  for (let l = 1; l <= learners; l++) {
    const learner = `l${String(l).padStart(2, '0')}`;
    for (let n = 1; n <= perLearner; n++) out.push({ id: `${learner}-${n}` as NodeId, learner });
  }
  return out;
}

/**
 * Start a node and connect it to the room on `server` as the learners' user. The connection
 * reconnects for ever, every 200 ms, so a restarted server finds its room again.
 */
export async function joinRoom(
  server: RoomServer,
  id: NodeId,
  learner: string,
  options: JoinOptions,
): Promise<ClassroomNode> {
  const nc = await connect({
    servers: `127.0.0.1:${server.port}`,
    user: server.room.learnerUser,
    pass: server.room.code,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
  const wallet = walletFromSecret(createRng(options.seed).fork('wallet').bytes(32));
  const arrivals = new Map<BlockHash, number>();
  const rejections: RoomRejection[] = [];
  let node: Node | null = null;
  let self: ClassroomNode | null = null;
  const filter = new AnnouncementFilter(() => node);
  const gate = new DeliveryGate({
    id,
    settings: { latencyMs: 0, loss: 0, groups: [] },
    rng: createRng(options.seed).fork('gate'),
    receive: (from, message) => {
      filter.delivered(from, message);
      return node?.receive(from, message) ?? Promise.resolve();
    },
  });
  const transport = new RoomTransport({
    room: server.room,
    id,
    secretKey: wallet.secretKey,
    publicKey: wallet.publicKey,
    signatures: (await platformSignatures()).signatures,
    bus: natsBus(nc),
    gate,
    page: `page-${id}`,
    matters: (m) => filter.matters(m),
    onPresence: (from) => {
      if (node && !node.peers.includes(from)) void node.registerPeers([from]);
    },
    onReject: (reason) => rejections.push(reason),
  });
  const onTipChanged = new Set<() => void>();
  const onEvent = (event: NodeEvent): void => {
    transport.observe(event);
    if (event.kind !== 'tip-changed') return;
    for (const listener of onTipChanged) listener();
    const at = performance.now();
    for (const entry of event.change.connected) {
      if (arrivals.has(entry.hash)) continue;
      arrivals.set(entry.hash, at);
      if (self) options.onArrival?.(self, entry.hash);
    }
  };
  node = await Node.create({
    id,
    params: options.params ?? CLASSROOM_PARAMS,
    transport,
    store: new MemoryStore(),
    scheduler: realScheduler,
    rng: createRng(options.seed),
    onEvent,
  });
  const joined: ClassroomNode = {
    id,
    learner,
    node,
    publicKey: wallet.publicKey,
    gate,
    transport,
    nc,
    arrivals,
    rejections,
    reconnects: 0,
    onTipChanged,
  };
  self = joined;
  void (async () => {
    for await (const status of nc.status()) if (status.type === 'reconnect') joined.reconnects++;
  })();
  return joined;
}

/** Say to the room that `n` is there, with its height. */
export function announcePresence(n: ClassroomNode): void {
  const tip = n.node.tree.tip;
  n.transport.announce({ learner: n.learner, height: tip.height, tip: tip.hash });
}

/**
 * Every node announces its presence as a browser's node does (src/runtime/presence-pacer.ts):
 * every PRESENCE_EVERY_MS, each from its own moment within the period (as browsers that joined
 * at different times would), and promptly when its tip changes, at most one each
 * PRESENCE_MIN_GAP_MS; until the returned function is called.
 */
export function keepAnnouncing(nodes: () => readonly ClassroomNode[]): () => void {
  const timers: ReturnType<typeof setTimeout>[] = [];
  const pacers: { n: ClassroomNode; pacer: PresencePacer; listener: () => void }[] = [];
  let stopped = false;
  const list = nodes();
  list.forEach((n, i) => {
    const first = setTimeout(
      () => {
        if (stopped) return;
        const pacer = new PresencePacer(
          () => {
            announcePresence(n);
          },
          {
            everyMs: PRESENCE_EVERY_MS,
            minGapMs: PRESENCE_MIN_GAP_MS,
            settleMs: PRESENCE_SETTLE_MS,
          },
        );
        const listener = (): void => {
          pacer.tipChanged();
        };
        n.onTipChanged.add(listener);
        pacers.push({ n, pacer, listener });
        pacer.start();
      },
      Math.round((PRESENCE_EVERY_MS * i) / Math.max(1, list.length)),
    );
    timers.push(first);
  });
  return () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    for (const { n, pacer, listener } of pacers) {
      pacer.stop();
      n.onTipChanged.delete(listener);
    }
  };
}

/**
 * Waits woken by block arrivals rather than a timer, so a wait ends at the event that ended it
 * (a timer would add up to its period to every measurement). Pass {@link ArrivalWatch.notify}
 * as {@link JoinOptions.onArrival}.
 */
export class ArrivalWatch {
  readonly #waiting = new Set<() => void>();

  /** Check every wait again: a block just joined some node's best chain. */
  readonly notify = (): void => {
    for (const check of [...this.#waiting]) check();
  };

  /**
   * Resolves with `performance.now()` at the arrival after which `done()` holds (at once if it
   * holds already); rejects, naming `what`, after `ms`.
   */
  when(what: string, done: () => boolean, ms = 30_000): Promise<number> {
    if (done()) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(check);
        reject(new Error(`gave up waiting for ${what} after ${ms} ms`));
      }, ms);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiting.delete(check);
        resolve(performance.now());
      };
      this.#waiting.add(check);
    });
  }
}

/** Wait until `done()` holds, checking every `pollMs`; fails after `ms` naming `what`. */
export async function until(
  what: string,
  done: () => boolean,
  ms = 30_000,
  pollMs = 20,
): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Everyone announces presence every `everyMs` until every node has every other as a peer;
 * resolves with the milliseconds that took.
 */
export async function gatherPeers(
  nodes: readonly ClassroomNode[],
  everyMs = 1_000,
  ms = 60_000,
): Promise<number> {
  const start = performance.now();
  const all = (): boolean => nodes.every((n) => n.node.peers.length >= nodes.length - 1);
  const end = Date.now() + ms;
  while (!all()) {
    if (Date.now() > end) {
      const short = nodes.filter((n) => n.node.peers.length < nodes.length - 1).length;
      throw new Error(`after ${ms} ms, ${short} nodes still lack peers`);
    }
    for (const n of nodes) announcePresence(n);
    await until('a round of presence', all, everyMs, 10).catch(() => undefined);
  }
  return performance.now() - start;
}

/** The tip all of `nodes` share, or null while they differ. */
export function sharedTip(nodes: readonly ClassroomNode[]): BlockHash | null {
  const first = nodes[0]?.node.tree.tip.hash ?? null;
  return nodes.every((n) => n.node.tree.tip.hash === first) ? first : null;
}

/** Stop a node: its transport, its gate, then its connection. */
export async function leaveRoom(n: ClassroomNode): Promise<void> {
  n.transport.close();
  n.gate.close();
  await n.nc.close().catch(() => undefined);
}
