/**
 * The runtime protocol: what crosses between the page and its node workers (the start message, the
 * live status, the block summaries the tree view draws, the control channel's messages and their
 * parser) and every name the page and its workers give a channel, a database, a lock or a storage
 * key (CONTRIBUTING.md, One place for each fact). Types, parsers and names only: no channels are
 * opened here.
 */
import type { NodeSummary, RoomJoin } from '../api/backend.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import { MAX_LATENCY_MS } from '../core/delivery.ts';
import type { GossipMode } from '../core/node.ts';
import type { ChainParams } from '../core/params.ts';
import type { NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';

export type { RoomJoin };

// ---- Names -------------------------------------------------------------------------------------

/**
 * Every name the page and its workers use. A simulation's run lives in a namespace
 * (`chainlab/<simulation id>/<generation>`): its channels and node databases are named inside it,
 * so two tabs never hear each other and a reset never reopens the previous run's data.
 */
export const names = {
  /** sessionStorage key holding this tab's simulation id. */
  sessionKey: 'chainlab.simulation',
  /** The Web Lock a tab holds on its simulation id for as long as the page lives. */
  sessionLock: (simId: string): string => `chainlab/${simId}`,
  /** Where tabs ask each other who runs a simulation, when Web Locks are missing. */
  tabsChannel: 'chainlab/tabs',
  /** The page's IndexedDB database of simulation records. */
  registryDatabase: 'chainlab',
  /** The namespace of one run of a simulation; every reset bumps the generation. */
  namespace: (simId: string, generation: number): string => `chainlab/${simId}/${generation}`,
  /** A node's inbox channel. */
  inboxChannel: (namespace: string, id: NodeId): string => `${namespace}/node/${id}`,
  /** The channel on which the page publishes control messages to every node of a run. */
  controlChannel: (namespace: string): string => `${namespace}/control`,
  /** A node's IndexedDB database. */
  nodeDatabase: (namespace: string, id: NodeId): string => `${namespace}/${id}`,
} as const;

// ---- Page → worker -----------------------------------------------------------------------------

/** Everything a worker needs to start its node. Structured-cloneable (bigints included). */
export interface NodeInit {
  /** Channel namespace of the simulation: nodes of other simulations are never heard. */
  readonly namespace: string;
  /** IndexedDB database name, or null to keep everything in memory. */
  readonly database: string | null;
  readonly id: NodeId;
  readonly params: ChainParams;
  readonly gossip: GossipMode;
  readonly network: NetworkSettings;
  /** Seeds the wallet key of a new node and the network's jitter. */
  readonly seed: number;
  /** The classroom room the node joins besides its page's own network, if any. */
  readonly room?: RoomJoin | null;
}

/** A node's standing in its room, for the page. */
export interface RoomStatus {
  /** Connected to the room's server now (it reconnects by itself after a drop). */
  readonly connected: boolean;
  /** Nodes of the room heard from in the last {@link ROOM_PEER_SILENCE_MS}. */
  readonly nodes: readonly {
    readonly id: NodeId;
    readonly learner: string;
    readonly height: number;
  }[];
  /** Envelopes dropped so far (unreadable, stale, replayed, forged, impersonating, junk, muted). */
  readonly rejected: number;
  /** Nodes muted for sending junk or invalid blocks. */
  readonly muted: readonly NodeId[];
}

/**
 * How often a node in a room says it is there. Every other node checks each presence's
 * signature, so this sets the room's steady cost: every 4 s is about 15 checks a second per node
 * in a class of sixty.
 */
export const PRESENCE_EVERY_MS = 4_000;

/**
 * A node whose tip changes says so at once, so other browsers' markers follow within about a
 * second, but never sooner than this after its last presence (a burst of blocks, a reorg): at
 * most one presence a second per node, whatever happens, and the heartbeat above otherwise.
 */
export const PRESENCE_MIN_GAP_MS = 1_000;

/**
 * How long after a tip change its presence leaves: the block that changed it is still spreading
 * through the room then (sixty presences at once slowed its fan-out's 95th percentile, measured
 * with `npm run bench -- --only classroom`; at 400 ms it matches the heartbeat alone), and a
 * reorg right after it is told in the same presence. With the page's one-second refresh of the
 * room's nodes, other browsers' markers follow in about a second.
 */
export const PRESENCE_SETTLE_MS = 400;

/**
 * A node checks a peer's presence no sooner than this after the last one it accepted from that
 * peer. Nodes need presences to find peers and to know who is still there, not to follow tips
 * (the page's room client does, and checks every one): without this, a block a second would make
 * every node check every other's presence every second, four times the heartbeat's cost. Shorter
 * than the heartbeat by the gap, so heartbeats are never skipped.
 */
export const PRESENCE_RECHECK_MS = PRESENCE_EVERY_MS - PRESENCE_MIN_GAP_MS;

/** A room node silent this long (three presences missed) is no longer listed: it left, or sleeps. */
export const ROOM_PEER_SILENCE_MS = 3 * PRESENCE_EVERY_MS;

/** New network conditions for every node of a run (latency, loss, partitions). */
export interface NetworkControl {
  readonly type: 'network';
  readonly settings: NetworkSettings;
}

/** What the page publishes on a run's control channel. */
export type ControlMessage = NetworkControl;

// ---- Worker → page -----------------------------------------------------------------------------

/** Live numbers of a node for the page. */
export interface NodeStatus extends NodeSummary {
  readonly hashesPerSecond: number;
  readonly mempoolSize: number;
  readonly balance: number;
  readonly reorgs: number;
  readonly staleBlocks: number;
  readonly droppedMessages: number;
  readonly storageProblem: string | null;
  /** In a classroom: the room as this node sees it; null otherwise. */
  readonly room: RoomStatus | null;
}

/** A block as the tree view needs it: structure and work, never the transactions. */
export interface BlockSummary {
  readonly hash: string;
  readonly parent: string | null;
  readonly height: number;
  /** This node's arrival order. */
  readonly seq: number;
  /** Cumulative work, as a decimal string (bigint-safe across postMessage and JSON). */
  readonly chainWork: string;
  /** Address the coinbase paid. */
  readonly miner: string | null;
  readonly timestamp: number;
  /** Leading zero bits its target asks for: harder blocks count for more work. */
  readonly difficulty: number;
}

/** What a traced wire message was: the four gossip kinds, or the sync exchange (getblocks/blocklist). */
export type TraceKind = 'inv' | 'getdata' | 'block' | 'tx' | 'sync';

/** What became of a traced message at its receiver. */
export type TraceFate = 'delivered' | 'lost' | 'cut';

/**
 * One message between two nodes as its receiver saw it, for the page's network view and timeline:
 * who sent it, what kind it was, when it was heard (about when it was sent: a BroadcastChannel
 * hands it over at once) and when the delivery rule lets it arrive. A lost or cut message never
 * arrives; it is drawn stopping half way.
 */
export interface MessageTrace {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly kind: TraceKind;
  /** Wall-clock milliseconds (Date.now) when the receiver heard it. */
  readonly sentAt: number;
  /**
   * Wall-clock milliseconds when it is delivered; for a lost or cut message, when it would have
   * arrived over a link of the mean latency.
   */
  readonly arriveAt: number;
  readonly fate: TraceFate;
}

// ---- Parsers -----------------------------------------------------------------------------------

/** A control message from anything heard on the control channel; null when malformed. */
export function parseControlMessage(raw: unknown): ControlMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  switch (r.type) {
    case 'network': {
      const settings = parseNetworkSettings(r.settings);
      return settings ? { type: 'network', settings } : null;
    }
    default:
      return null;
  }
}

/** Network settings from anything (a control message, a stored record); null when malformed. */
export function parseNetworkSettings(raw: unknown): NetworkSettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { latencyMs, loss, groups } = r;
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS))
    return null;
  if (typeof loss !== 'number' || !(loss >= 0 && loss <= 1)) return null;
  if (!Array.isArray(groups)) return null;
  const parsed: NodeId[][] = [];
  for (const g of groups) {
    if (!Array.isArray(g)) return null;
    const ids = g.map(parseNodeId);
    if (ids.some((id) => id === null)) return null;
    parsed.push(ids as NodeId[]);
  }
  return { latencyMs, loss, groups: parsed };
}
