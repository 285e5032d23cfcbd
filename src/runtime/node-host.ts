/**
 * One node and everything around it in a worker (browser or worker_threads): the BroadcastChannel
 * network, IndexedDB storage, real time, and a mining loop that never starves the thread. The page
 * talks to it through Comlink and imports only its type.
 */
import type { NodeBackend, NodeSummary } from '../api/backend.ts';
import { nodeBackend, summarize } from '../api/node-backend.ts';
import type { EventJson } from '../api/json.ts';
import { eventToJson } from '../api/json.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import type { BlockEntry } from '../core/chain.ts';
import type { ChainStore, Transport } from '../core/ports.ts';
import type { NodeEvent, OfferOutcome } from '../core/node.ts';
import { Node } from '../core/node.ts';
import { createRng } from '../core/rng.ts';
import { leadingZeroBits } from '../core/target.ts';
import type { BlockHash, NodeId } from '../core/types.ts';
import { AnnouncementFilter } from './announcement-filter.ts';
import { BroadcastTransport } from './broadcast-transport.ts';
import { DeliveryGate } from './delivery-gate.ts';
import { FallbackStore } from './fallback-store.ts';
import type {
  BlockSummary,
  MessageTrace,
  NodeInit,
  NodeStatus,
  RoomJoin,
  RoomStatus,
} from './protocol.ts';
import {
  PRESENCE_EVERY_MS,
  PRESENCE_MIN_GAP_MS,
  PRESENCE_SETTLE_MS,
  ROOM_PEER_SILENCE_MS,
} from './protocol.ts';
import { PresencePacer } from './presence-pacer.ts';
import type { PowKernelName } from './pow-wasm.ts';
import { adaptivePowSearch } from './pow-wasm.ts';
import { realScheduler, sleep, yieldToEventLoop } from './real-time.ts';
import type { RoomConnection } from './nats-bus.ts';
import type { Room } from './room.ts';
import { roomOf } from './room.ts';
import type { Presence } from './room-transport.ts';
import { RoomTransport } from './room-transport.ts';
import { measureMiner, measureSignatures } from './measure.ts';
import { platformSignatures } from './signatures.ts';

/** How the host opens storage and reaches a classroom's room where it runs. */
export interface HostEnvironment {
  /** A store for a database name; may throw when storage is unavailable. */
  openStore(name: string, onSkip: (reason: string) => void): ChainStore & { close?(): void };
  /**
   * Connect to a room's server as its learners do; rejects with the server's reason. Missing
   * where rooms cannot be reached.
   */
  connectRoom?(join: RoomJoin, room: Room): Promise<RoomConnection>;
}

/** What {@link NodeHost.measure} found, as plain data for the page and for scripts. */
export interface WorkerMeasurement {
  readonly signatures: {
    /** The verifier the node uses: WebCrypto's Ed25519, or the pure fallback. */
    readonly kind: 'webcrypto' | 'javascript';
    readonly verifications: number;
    readonly per_second: number;
  };
  readonly miner: {
    /** The proof-of-work kernel the node mines with (src/runtime/pow-wasm.ts). */
    readonly kernel: PowKernelName;
    readonly hashes: number;
    /** Hashes per second while hashing: about a second of the kernel alone, pauses excluded. */
    readonly per_second: number;
  };
}

/** How often a node re-announces its tip to its peers. */
const ANNOUNCE_EVERY_MS = 3_000;

/** Message traces kept between two calls of `takeTraces`: the page takes them about twice a second. */
const TRACE_LIMIT = 2_000;

/**
 * Hashes per mining slice: about 2 ms of work with the WebAssembly kernel, 4 ms with JavaScript, so
 * calls and gossip wait far less than 50 ms.
 */
export const SLICE_HASHES = 25_000;

/** Hosts one node. Create it empty, then `start`. */
export class NodeHost implements NodeBackend {
  readonly #env: HostEnvironment;
  #node: Node | null = null;
  #backend: Required<NodeBackend> | null = null;
  #transport: BroadcastTransport | null = null;
  #gate: DeliveryGate | null = null;
  /** In a classroom: the room, its connection, who was heard when, and what was dropped. */
  #room: {
    readonly transport: RoomTransport;
    readonly connection: RoomConnection;
    readonly presence: PresencePacer;
    readonly heard: Map<NodeId, Presence & { at: number }>;
    readonly filter: AnnouncementFilter;
    rejected: number;
  } | null = null;
  #closeStore: (() => void) | null = null;
  #store: FallbackStore | null = null;
  #mining: Promise<number> | null = null;
  #stopped = false;
  /** Envelopes the transport dropped as malformed; the node counts the messages it drops. */
  #malformedEnvelopes = 0;
  #events: EventJson[] = [];
  #traces: MessageTrace[] = [];
  #hashWindow: { at: number; hashes: number }[] = [];
  #announcer: ReturnType<typeof setInterval> | null = null;
  #cpuShare = 1;
  readonly #pow = adaptivePowSearch(
    (line) => {
      console.info(line);
    },
    { pause: yieldToEventLoop },
  );

  constructor(env: HostEnvironment) {
    this.#env = env;
  }

  /** Start the node: restore it from storage (or make it new) and join the network. */
  async start(init: NodeInit): Promise<NodeSummary> {
    if (this.#node) throw new Error('this worker already runs a node');
    const primary: (ChainStore & { close?(): void }) | null = init.database
      ? this.#open(init.database)
      : new NoStore();
    this.#closeStore = primary?.close ? () => primary.close?.() : null;
    this.#store = new FallbackStore(primary, () => undefined);
    const rng = createRng(init.seed);
    const gate = new DeliveryGate({
      id: init.id,
      settings: init.network,
      rng: rng.fork('network'),
      receive: (from, message) => {
        this.#room?.filter.delivered(from, message);
        return this.#node?.receive(from, message) ?? Promise.resolve();
      },
      onDrop: (reason) => {
        if (reason === 'malformed envelope') this.#malformedEnvelopes++;
      },
      onTrace: (trace) => {
        this.#traces.push(trace);
        // Nobody is reading (a script drives the page, or the tab is hidden): keep the newest.
        if (this.#traces.length > TRACE_LIMIT * 2) this.#traces.splice(0, TRACE_LIMIT);
      },
    });
    this.#gate = gate;
    const local = new BroadcastTransport({ namespace: init.namespace, id: init.id, gate });
    this.#transport = local;
    // The room transport needs the node's key, which the node loads: until it joins, local only.
    const transport: Transport = {
      send: (to, message) => {
        (this.#room?.transport ?? local).send(to, message);
      },
    };
    const node = await Node.create({
      id: init.id,
      params: init.params,
      transport,
      store: this.#store,
      scheduler: realScheduler,
      rng,
      gossip: init.gossip,
      pause: yieldToEventLoop,
      // WebCrypto's Ed25519 where the platform has it: payments verified in batches, off-turn.
      signatures: (await platformSignatures()).signatures,
      // Chosen when the worker first mines: WebAssembly SIMD where it is correct and faster.
      powSearch: this.#pow.search,
      onEvent: (e) => {
        this.#record(e);
      },
    });
    this.#node = node;
    if (init.room) await this.#joinRoom(init.room, node, gate, local);
    this.#backend = nodeBackend(node, () => {
      this.#syncMining();
    });
    this.#syncMining();
    // Tell peers where we are: a restarted node catches up, and peers learn of blocks it kept.
    // Repeated now and then, so a lossy network still converges once an announcement gets through.
    node.announceTip();
    this.#announcer = setInterval(() => {
      node.announceTip();
    }, ANNOUNCE_EVERY_MS);
    return summarize(node);
  }

  /** Join a classroom's room: connect, speak signed, and say where we are every few seconds. */
  async #joinRoom(
    join: RoomJoin,
    node: Node,
    gate: DeliveryGate,
    local: BroadcastTransport,
  ): Promise<void> {
    if (!this.#env.connectRoom) throw new Error('this host cannot reach a classroom room');
    const room = roomOf(join.code);
    const connection = await this.#env.connectRoom(join, room);
    const heard = new Map<NodeId, Presence & { at: number }>();
    const filter = new AnnouncementFilter(() => node);
    const { secretKey, publicKey } = node.keys;
    const transport = new RoomTransport({
      room,
      id: node.id,
      secretKey,
      publicKey,
      signatures: (await platformSignatures()).signatures,
      bus: connection.bus,
      gate,
      page: join.page,
      local,
      matters: (m) => filter.matters(m),
      onPresence: (from, presence) => {
        const known = heard.has(from);
        heard.set(from, { ...presence, at: Date.now() });
        // A node heard for the first time: a peer from now on, and told where we are.
        if (!known && !node.peers.includes(from)) {
          void node.registerPeers([from]).then(() => {
            node.announceTip();
          });
        }
      },
      onReject: (reason, from) => {
        if (this.#room) this.#room.rejected++;
        // An envelope nobody can be blamed for (unreadable) is logged as coming from the room.
        this.#record({
          kind: 'message-dropped',
          from: from ?? ('room' as NodeId),
          reason: `room: ${reason}`,
        });
      },
      onMuted: (from) => {
        this.#record({ kind: 'message-dropped', from, reason: 'room: muted' });
      },
    });
    const announce = (): void => {
      const tip = node.tree.tip;
      transport.announce({ learner: join.learner, height: tip.block.header.index, tip: tip.hash });
    };
    // Every few seconds, and promptly when the tip changes (#record), so other browsers' markers
    // follow within about a second.
    const presence = new PresencePacer(announce, {
      everyMs: PRESENCE_EVERY_MS,
      minGapMs: PRESENCE_MIN_GAP_MS,
      settleMs: PRESENCE_SETTLE_MS,
    });
    presence.start();
    // Back after a drop (server restart, sleep, Wi-Fi): tell everyone where we are, so whatever
    // either side missed is fetched (only the missing blocks).
    connection.onReconnect(() => {
      presence.sendNow();
      node.announceTip();
    });
    this.#room = { transport, connection, presence, heard, filter, rejected: 0 };
  }

  #roomStatus(): RoomStatus | null {
    const room = this.#room;
    if (!room) return null;
    const since = Date.now() - ROOM_PEER_SILENCE_MS;
    const nodes = [...room.heard]
      .filter(([, p]) => p.at >= since)
      .map(([id, p]) => ({ id, learner: p.learner, height: p.height }));
    return {
      connected: room.connection.connected(),
      nodes,
      rejected: room.rejected,
      muted: room.transport.muted,
    };
  }

  /** Open storage; null when the browser refuses (the FallbackStore then explains). */
  #open(name: string): (ChainStore & { close?(): void }) | null {
    try {
      return this.#env.openStore(name, (reason) => {
        this.#record({ kind: 'storage-skipped', reason });
      });
    } catch {
      return null;
    }
  }

  get #ready(): { node: Node; backend: Required<NodeBackend> } {
    if (!this.#node || !this.#backend) throw new Error('the node has not started');
    return { node: this.#node, backend: this.#backend };
  }

  #record(e: NodeEvent): void {
    this.#room?.transport.observe(e);
    if (e.kind === 'tip-changed') this.#room?.presence.tipChanged();
    // Plain data only: a tip change holds whole blocks, which must not cross to the page.
    this.#events.push(eventToJson(e));
    if (this.#events.length > 500) this.#events.splice(0, this.#events.length - 500);
  }

  /** Start or stop the mining loop to match the node's settings. */
  #syncMining(): void {
    const node = this.#node;
    if (!node || this.#mining || this.#stopped) return;
    const wanted = (): boolean =>
      !this.#stopped && node.settings.mining && node.settings.hashrate > 0;
    if (!wanted()) return;
    let sliceStart = performance.now();
    this.#mining = node
      .mineContinuously({
        sliceHashes: () => SLICE_HASHES,
        pause: async () => {
          const busy = performance.now() - sliceStart;
          this.#countHashes(SLICE_HASHES);
          await yieldToEventLoop();
          // A share below 1 idles in proportion, so "60% of the hash power" means just that. The
          // CPU share scales every node alike, leaving the page a core to draw with.
          const share = node.settings.hashrate * this.#cpuShare;
          if (share < 1 && share > 0) await sleep((busy * (1 - share)) / share);
          sliceStart = performance.now();
        },
        running: wanted,
      })
      .finally(() => {
        this.#mining = null;
        if (wanted()) this.#syncMining();
      });
  }

  #countHashes(n: number): void {
    const now = performance.now();
    this.#hashWindow.push({ at: now, hashes: n });
    while (this.#hashWindow.length > 0 && (this.#hashWindow[0]?.at ?? now) < now - 2000) {
      this.#hashWindow.shift();
    }
  }

  #hashRate(): number {
    const node = this.#node;
    if (!node?.settings.mining || this.#hashWindow.length < 2) return 0;
    const first = this.#hashWindow[0];
    const last = this.#hashWindow[this.#hashWindow.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    let total = 0;
    for (const w of this.#hashWindow.slice(1)) total += w.hashes;
    return Math.round((total * 1000) / (last.at - first.at));
  }

  /** The node as GET /sim/nodes lists it. */
  summary(): NodeSummary {
    return summarize(this.#ready.node);
  }

  /** Summary plus live numbers. */
  status(): NodeStatus {
    const { node } = this.#ready;
    const stats = node.stats;
    return {
      ...this.summary(),
      hashesPerSecond: this.#hashRate(),
      mempoolSize: node.mempool.size,
      balance: Number(node.account(node.address).balance),
      reorgs: stats.reorgs,
      staleBlocks: stats.staleBlocks,
      droppedMessages: stats.droppedMessages + this.#malformedEnvelopes,
      storageProblem: this.#store?.problem ?? null,
      room: this.#roomStatus(),
    };
  }

  /**
   * Blocks this node accepted after arrival number `after` (at most `limit`), as summaries for
   * drawing the block tree: the page merges every node's answer into one tree.
   */
  blocksSince(after: number, limit = 2_000): BlockSummary[] {
    const out: BlockSummary[] = [];
    for (const e of this.#ready.node.tree.entries()) {
      if (e.seq <= after) continue;
      out.push(blockSummary(e));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Events since the last call (and forget them). */
  takeEvents(): EventJson[] {
    const out = this.#events;
    this.#events = [];
    return out;
  }

  /** Messages this node heard since the last call, oldest first (and forget them). */
  takeTraces(): MessageTrace[] {
    const out = this.#traces;
    this.#traces = [];
    return out;
  }

  /**
   * The fraction of a core this worker may spend hashing at a 100% hash-rate share. The page
   * sets it so that all miners together leave one core free; relative shares are unchanged.
   */
  setCpuShare(share: number): void {
    if (Number.isFinite(share)) this.#cpuShare = Math.min(1, Math.max(0.01, share));
  }

  /** New network conditions (the page also publishes them on the control channel). */
  setNetwork(settings: NetworkSettings): void {
    if (this.#gate) this.#gate.settings = settings;
  }

  /** Forget a peer that left the simulation. */
  async forgetPeer(id: NodeId): Promise<void> {
    await this.#ready.node.forgetPeer(id);
  }

  /** Re-announce the tip, e.g. after a partition heals. */
  announceTip(): void {
    this.#ready.node.announceTip();
  }

  /** Hand the node encoded blocks as a peer would send them; see RuntimeNode.offerBlocks. */
  offerBlocks(blocks: readonly Uint8Array[]): Promise<OfferOutcome[]> {
    return this.#ready.node.offerBlocks(blocks);
  }

  /** The encoded blocks of the best chain from `hash` to the tip; null when not on it. */
  bestChainFrom(hash: BlockHash): Uint8Array[] | null {
    return this.#ready.node.bestChainFrom(hash);
  }

  /**
   * How fast this worker checks signatures, as its node does (WebCrypto or the pure fallback, in
   * batches: `count` verifications of distinct payments), and hashes with the kernel its node
   * mines with (about a second). The node keeps running meanwhile.
   */
  async measure(count = 10_000): Promise<WorkerMeasurement> {
    const { signatures, kind } = await platformSignatures();
    const rate = await measureSignatures(signatures, count);
    const pow = await this.#pow.chosen();
    const mining = await measureMiner(pow.search, yieldToEventLoop);
    return {
      signatures: {
        kind,
        verifications: rate.verifications,
        per_second: Math.round(rate.perSecond),
      },
      miner: {
        kernel: pow.kernel,
        hashes: mining.hashes,
        per_second: Math.round(mining.perSecond),
      },
    };
  }

  /** Stop mining, close channels and storage. The worker can then be terminated. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#announcer) clearInterval(this.#announcer);
    await this.#mining;
    if (this.#room) {
      this.#room.presence.stop();
      this.#room.transport.close();
      await this.#room.connection.close().catch(() => undefined);
    }
    this.#transport?.close();
    this.#gate?.close();
    this.#closeStore?.();
  }

  // ---- NodeBackend ---------------------------------------------------------------------------
  mine: NodeBackend['mine'] = () => this.#ready.backend.mine();
  pay: NodeBackend['pay'] = (recipient, amount, fee) =>
    this.#ready.backend.pay(recipient, amount, fee);
  chain: NodeBackend['chain'] = () => this.#ready.backend.chain();
  register: NodeBackend['register'] = (ids) => this.#ready.backend.register(ids);
  resolve: NodeBackend['resolve'] = () => this.#ready.backend.resolve();
  setMining: NodeBackend['setMining'] = (enabled, hashrate) =>
    this.#ready.backend.setMining(enabled, hashrate);
  wallet: NodeBackend['wallet'] = () => this.#ready.backend.wallet();
  balance: NodeBackend['balance'] = (address) => this.#ready.backend.balance(address);
  mempool: NodeBackend['mempool'] = () => this.#ready.backend.mempool();
  block: NodeBackend['block'] = (hash) => this.#ready.backend.block(hash);
  transaction: Required<NodeBackend>['transaction'] = (id) => this.#ready.backend.transaction(id);
  signPayment: NodeBackend['signPayment'] = (recipient, amount, fee) =>
    this.#ready.backend.signPayment(recipient, amount, fee);
  submitPayment: NodeBackend['submitPayment'] = (raw) => this.#ready.backend.submitPayment(raw);
  setGossip: NodeBackend['setGossip'] = (mode) => this.#ready.backend.setGossip(mode);
  publish: NodeBackend['publish'] = (hash) => this.#ready.backend.publish(hash);
}

/** A block of a node's tree as the page's tree view draws it (structure and work only). */
export function blockSummary(e: BlockEntry): BlockSummary {
  const coinbase = e.block.transactions[0];
  return {
    hash: e.hash,
    parent: e.parent?.hash ?? null,
    height: e.height,
    seq: e.seq,
    chainWork: e.chainWork.toString(),
    miner: coinbase?.kind === 'coinbase' ? coinbase.recipient : null,
    timestamp: e.block.header.timestampMs,
    difficulty: leadingZeroBits(e.target),
  };
}

/** Memory-only nodes persist nothing. */
class NoStore implements ChainStore {
  load(): Promise<null> {
    return Promise.resolve(null);
  }
  write(): Promise<void> {
    return Promise.resolve();
  }
}
