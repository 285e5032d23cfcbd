/**
 * A node: the tutorial's blockchain server, done properly. It composes the block tree, the mempool
 * and the miner with a Transport, a ChainStore and a Scheduler it is given, so the same code runs
 * in tests, in the headless simulator and in a browser worker.
 *
 * A node initiates traffic only with the peers it registered, and ignores announcements and data
 * pushed by anyone else; like the tutorial's HTTP server it still answers requests for blocks.
 */
import type { Block } from './block.ts';
import { decodeBlock } from './block.ts';
import type { BlockEntry, TipChange } from './chain.ts';
import { BlockTree } from './chain.ts';
import type { Account } from './ledger.ts';
import type { Added, DropReason, Dropped } from './mempool.ts';
import { Mempool, MEMPOOL_CAPACITY } from './mempool.ts';
import type { BlockTemplate } from './miner.ts';
import { createTemplate, forgeSampledBlock, searchTemplate } from './miner.ts';
import type { ChainParams } from './params.ts';
import type { PowSearch } from './pow-kernel.ts';
import type { ChainStore, NodeSettings, Scheduler, StoreBatch, Transport } from './ports.ts';
import type { BlockListMessage, InvMessage } from './protocol.ts';
import { MAX_IDS, MAX_LOCATOR, parseMessage } from './protocol.ts';
import type { Result } from './result.ts';
import type { Rng } from './rng.ts';
import type { Transfer } from './tx.ts';
import { decodeTransfer, signingBytes, signTransfer } from './tx.ts';
import type { Address, BlockHash, NodeId, TxId } from './types.ts';
import { parseNodeId } from './types.ts';
import type { Rejection } from './validation.ts';
import type { Wallet } from './wallet.ts';
import type { Signatures } from './wire.ts';
import { createWallet, walletFromSecret } from './wallet.ts';

/** Automatic gossip, or the tutorial's manual way: nothing moves until someone calls resolve. */
export type GossipMode = 'auto' | 'manual';

/** Something a node did that a log, a chart or a test may want to know. */
export type NodeEvent =
  | { readonly kind: 'block-mined'; readonly hash: BlockHash; readonly height: number }
  | {
      readonly kind: 'block-rejected';
      readonly hash: BlockHash;
      readonly from: NodeId | null;
      readonly rejection: Rejection;
    }
  | {
      readonly kind: 'tip-changed';
      readonly from: NodeId | null;
      readonly change: TipChange;
    }
  | { readonly kind: 'tx-accepted'; readonly id: TxId; readonly from: NodeId | null }
  | {
      readonly kind: 'tx-rejected';
      readonly id: TxId;
      readonly from: NodeId | null;
      readonly rejection: Rejection;
    }
  | { readonly kind: 'message-dropped'; readonly from: NodeId; readonly reason: string }
  | { readonly kind: 'storage-skipped'; readonly reason: string }
  /** A payment left the mempool without being confirmed, and will not come back by itself. */
  | { readonly kind: 'tx-dropped'; readonly dropped: Dropped }
  /**
   * A branch with as much work as the best chain (or as long, under the longest-chain rule) but
   * another tip: the node keeps the one it saw first until a block breaks the tie.
   */
  | {
      readonly kind: 'tie-seen';
      readonly from: NodeId | null;
      readonly tip: BlockEntry;
      readonly kept: BlockEntry;
    };

/** What this node knows about one payment. */
export type TxStatus =
  | { readonly status: 'confirmed'; readonly tx: Transfer; readonly block: BlockEntry }
  | { readonly status: 'pending'; readonly tx: Transfer; readonly waitingForNonce: bigint | null }
  | {
      readonly status: 'dropped';
      readonly id: TxId;
      readonly reason: DropReason;
      readonly message: string;
    };

/** What a node did with a block it was given: kept, already had, parked, or refused and why. */
export type BlockOutcome =
  | { readonly hash: BlockHash; readonly status: 'accepted' | 'known' | 'orphan' }
  | { readonly hash: BlockHash; readonly status: 'rejected'; readonly rejection: Rejection };

/** What a node did with one block offered to it ({@link Node.offerBlocks}). */
export type OfferOutcome =
  BlockOutcome | { readonly hash: null; readonly status: 'unreadable'; readonly error: string };

/** What `resolveReport` found. */
export interface ResolveReport {
  /** Did our best chain change? */
  readonly replaced: boolean;
  /** Peers whose best tip has exactly our tip's work but is another block. */
  readonly ties: readonly { readonly peer: NodeId; readonly tip: BlockEntry }[];
}

/** What a node is built from. */
export interface NodeOptions {
  readonly id: NodeId;
  readonly params: ChainParams;
  readonly transport: Transport;
  readonly store: ChainStore;
  readonly scheduler: Scheduler;
  /** Draws the wallet key of a new node. */
  readonly rng: Rng;
  readonly gossip?: GossipMode;
  readonly onEvent?: (event: NodeEvent) => void;
  /** Gives the event loop a turn between mining slices of a one-shot `mine()`. */
  readonly pause?: () => Promise<void>;
  /** How long to wait for a peer's answer. */
  readonly requestTimeoutMs?: number;
  /**
   * Payments whose signatures were already verified, shared by nodes of one process (a tx id
   * hashes the signed bytes, so a signature verified once verifies everywhere). Default: this
   * node's own.
   */
  readonly signatureCache?: Set<TxId>;
  /**
   * Blocks and payments already decoded from these very bytes by a node of the same process.
   * Decoding is a pure function of the bytes, so nodes that receive the same message object share
   * the work (and the memory); validation still runs on every node.
   */
  readonly decoded?: DecodeCache;
  /**
   * The proof search the miner runs: the JavaScript kernel unless the platform chose a faster one
   * that finds the same proofs (a WebAssembly SIMD kernel in the browser).
   */
  readonly powSearch?: PowSearch;
  /**
   * Checks payments' signatures ahead of validation, many at once and off the node's turn (WebCrypto
   * in the browser and in Node). It must decide exactly as the strict pure check does
   * (src/runtime/signatures.ts); what it accepts is remembered as verified, what it refuses the
   * pure check refuses again with the same typed reason. Without it each signature is checked
   * synchronously by the pure check.
   */
  readonly signatures?: Pick<Signatures, 'verify'>;
}

/** Decoded messages shared by the nodes of one process, keyed by the received bytes. */
export interface DecodeCache {
  readonly blocks: WeakMap<Uint8Array, Block>;
  readonly transfers: WeakMap<Uint8Array, Transfer>;
}

/** What a continuous-mining loop needs from its environment. */
export interface MiningDriver {
  /** Hashes for the next slice: small enough that the thread answers messages in between. */
  sliceHashes(): number;
  /** Give the event loop a turn (in a worker: a MessageChannel round trip, not setTimeout). */
  pause(): Promise<void>;
  /** Keep going? */
  running(): boolean;
}

/** Counters for the simulator's report. */
export interface NodeStats {
  readonly reorgs: number;
  readonly staleBlocks: number;
  readonly droppedMessages: number;
}

/**
 * Most blocks applied and stored together: blocks that arrive while a batch is validated or
 * written wait for the next one, so catching up commits a few hundred per IndexedDB transaction.
 */
export const MAX_BLOCK_BATCH = 500;

/** Hashes per slice of a one-shot mine. */
const ONE_SHOT_SLICE = 20_000;
/** How long a node waits for a peer's answer before asking another. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 3_000;
const MAX_SYNC_ROUNDS = 1_000;
/** Dropped payments remembered for GET /node/:id/transactions/:txid; the oldest go first. */
const DROPPED_RECORD_LIMIT = 10_000;
/** Competing tips already reported, so a tie is told once per tip (cleared when this many). */
const TIES_REMEMBERED = 1_000;
/**
 * Most ids whose announcers are remembered; past that the memory starts afresh (an extra
 * announcement is harmless, a lost one is not). Bitcoin keeps a rolling filter of 50,000 per peer.
 */
const ANNOUNCED_IDS_KEPT = 16_384;

/** Blocks received and waiting for their batch, with the promise the batch settles. */
interface BlockBatch {
  readonly items: { readonly from: NodeId; readonly bytes: Uint8Array }[];
  readonly done: Promise<void>;
}

/**
 * What a batch of added blocks changed, held in memory until one store write commits it all: the
 * blocks accepted, and what to tell once they are stored (CONTRIBUTING.md, Gossip).
 */
interface PendingCommit {
  readonly accepted: BlockEntry[];
  /** Events to emit once stored, in the order the blocks were added. */
  readonly events: NodeEvent[];
  /** Payments back from abandoned blocks, to announce with the new tip. */
  readonly returned: TxId[];
  mempoolChanged: boolean;
  /** The peer whose block last moved the tip, or null: it is not told its own tip. */
  tipFrom: NodeId | null;
  tipMoved: boolean;
}

interface PendingRequest {
  readonly peer: NodeId;
  readonly resolve: (answer: BlockListMessage | null) => void;
}

/** One blockchain node. Create with {@link Node.create}. */
export class Node {
  readonly id: NodeId;
  readonly params: ChainParams;
  readonly #tree: BlockTree;
  readonly #mempool: Mempool;
  readonly #transport: Transport;
  readonly #store: ChainStore;
  readonly #scheduler: Scheduler;
  readonly #onEvent: (event: NodeEvent) => void;
  readonly #pause: () => Promise<void>;
  readonly #timeoutMs: number;
  readonly #decoded: DecodeCache | undefined;
  readonly #powSearch: PowSearch | undefined;
  readonly #signatures: Pick<Signatures, 'verify'> | undefined;
  #blockBatch: BlockBatch | null = null;
  /** Payments whose signatures were verified (shared with the tree and the mempool). */
  readonly #verified: Set<TxId>;
  readonly #peers = new Set<NodeId>();
  readonly #inflight = new Map<BlockHash, number>();
  readonly #requests = new Map<number, PendingRequest>();
  readonly #waiters = new Set<() => void>();
  readonly #syncing = new Set<NodeId>();
  /**
   * For each id, the peers that announced it to us: never announced back to them. Kept per id, not
   * per peer, so announcing to every peer looks the id up once.
   */
  readonly #announcedBy = new Map<string, NodeId[]>();
  #wallet: Wallet;
  #gossip: GossipMode;
  #settings: NodeSettings = { mining: false, hashrate: 1 };
  #queue: Promise<unknown> = Promise.resolve();
  #nextRequestId = 1;
  #reorgs = 0;
  #dropped = 0;
  #template: BlockTemplate | null = null;
  #templateVersion = -1;
  #mempoolVersion = 0;
  #nextProof = 0;
  readonly #droppedTxs = new Map<TxId, Dropped>();
  readonly #tiesSeen = new Set<BlockHash>();

  private constructor(options: NodeOptions, wallet: Wallet) {
    this.id = options.id;
    this.params = options.params;
    // One signature cache for both: a payment is verified once, not again when its block comes.
    const verified = options.signatureCache ?? new Set<TxId>();
    this.#verified = verified;
    this.#tree = new BlockTree(options.params, verified);
    this.#mempool = new Mempool(options.params, MEMPOOL_CAPACITY, verified);
    this.#transport = options.transport;
    this.#store = options.store;
    this.#scheduler = options.scheduler;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#pause = options.pause ?? (() => Promise.resolve());
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#decoded = options.decoded;
    this.#powSearch = options.powSearch;
    this.#signatures = options.signatures;
    this.#gossip = options.gossip ?? 'auto';
    this.#wallet = wallet;
  }

  /** Start a node: restore what its store holds (validated again, since storage is untrusted). */
  static async create(options: NodeOptions): Promise<Node> {
    const stored = await options.store.load();
    const secret = stored?.secretKey;
    const wallet =
      secret?.length === 32 ? walletFromSecret(secret) : createWallet(options.rng.fork('wallet'));
    const node = new Node(options, wallet);
    if (stored) node.#restore(stored);
    if (secret?.length !== 32) {
      // A new node, or one whose stored key was unreadable: keep the wallet it now has.
      await node.#store.write({
        secretKey: wallet.secretKey,
        peers: node.peers,
        settings: node.#settings,
      });
    }
    return node;
  }

  #restore(stored: Awaited<ReturnType<ChainStore['load']>> & object): void {
    const skip = (reason: string): void => {
      this.#onEvent({ kind: 'storage-skipped', reason });
    };
    if (stored.secretKey?.length !== 32)
      skip('wallet key missing or corrupt: a new wallet was made');
    for (const raw of stored.peers) {
      const id = parseNodeId(raw);
      if (id && id !== this.id) this.#peers.add(id);
      else skip(`peer record ${raw} is not a node id`);
    }
    const now = this.#scheduler.now();
    for (const bytes of stored.blocks) {
      // Nodes started from one saved network share its bytes, so they decode once.
      let block = this.#decoded?.blocks.get(bytes);
      if (!block) {
        const decoded = decodeBlock(bytes, this.params.maxBlockBytes);
        if (!decoded.ok) {
          skip(`a stored block could not be read (${decoded.error})`);
          continue;
        }
        block = decoded.value;
        this.#decoded?.blocks.set(bytes, block);
      }
      const added = this.#tree.add(block, now);
      if (!added.ok) skip(`stored block ${block.hash} is invalid: ${added.error.message}`);
    }
    for (const bytes of stored.mempool) {
      const tx = decodeTransfer(bytes);
      if (!tx.ok) {
        skip(`a stored payment could not be read (${tx.error})`);
        continue;
      }
      const added = this.#mempool.add(tx.value, this.#tree.ledger);
      if (added.ok) this.#reportDropped(added.value.dropped);
      else skip(`a stored payment is no longer valid: ${added.error.message}`);
    }
    const s = stored.settings;
    if (isSettings(s)) this.#settings = s;
    else if (s !== undefined && s !== null) skip('stored settings are corrupt: defaults used');
  }

  /** Run mutations one at a time: messages, mining and API calls interleave at await points. */
  #exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The node's Ed25519 key pair (copies): in a classroom it also signs the node's messages. */
  get keys(): { readonly secretKey: Uint8Array; readonly publicKey: Uint8Array } {
    return { secretKey: this.#wallet.secretKey.slice(), publicKey: this.#wallet.publicKey.slice() };
  }

  /** This node's wallet address. */
  get address(): Address {
    return this.#wallet.address;
  }

  /** The block tree (read it; change it only through the node). */
  get tree(): BlockTree {
    return this.#tree;
  }

  /** The pending payments. */
  get mempool(): Mempool {
    return this.#mempool;
  }

  /** Registered peers, in registration order. */
  get peers(): readonly NodeId[] {
    return [...this.#peers];
  }

  /** Mining on or off and the hash-rate share, as last set. */
  get settings(): NodeSettings {
    return this.#settings;
  }

  /** Gossip mode. */
  get gossip(): GossipMode {
    return this.#gossip;
  }

  set gossip(mode: GossipMode) {
    this.#gossip = mode;
  }

  /** Counters for reports. */
  get stats(): NodeStats {
    return {
      reorgs: this.#reorgs,
      staleBlocks: this.#tree.size - this.#tree.tip.height,
      droppedMessages: this.#dropped,
    };
  }

  /** An account as this node's best chain sees it. */
  account(address: Address): Account {
    return this.#tree.ledger.get(address);
  }

  /**
   * The nonce this node's next payment will carry: never one a waiting payment uses, queued ones
   * included, since reusing it would make one of the two vanish.
   */
  get nextNonce(): bigint {
    return this.#mempool.nextNonce(this.address, this.#tree.ledger);
  }

  /** Switch continuous mining on or off; the runtime's driver reads this. */
  async setMining(settings: NodeSettings): Promise<void> {
    await this.#exclusive(async () => {
      this.#settings = settings;
      await this.#store.write({ settings });
    });
  }

  /** Register peers (the tutorial's /nodes/register). Returns the total. */
  async registerPeers(ids: readonly NodeId[]): Promise<number> {
    return this.#exclusive(async () => {
      for (const id of ids) if (id !== this.id) this.#peers.add(id);
      await this.#store.write({ peers: [...this.#peers] });
      return this.#peers.size;
    });
  }

  /** Forget a peer (e.g. it left the simulation). */
  async forgetPeer(id: NodeId): Promise<void> {
    await this.#exclusive(async () => {
      if (this.#peers.delete(id)) await this.#store.write({ peers: [...this.#peers] });
    });
  }

  /** Sign a payment from this node's wallet and queue it (the tutorial's /transactions/new). */
  async pay(
    recipient: Address,
    amount: bigint,
    fee: bigint,
    announce = true,
  ): Promise<Result<Transfer, Rejection>> {
    return this.#exclusive(async () => {
      const nonce = this.nextNonce;
      const tx = signTransfer(this.#wallet, {
        chainId: this.params.chainId,
        recipient,
        amount,
        fee,
        nonce,
      });
      const added = this.#mempool.add(tx, this.#tree.ledger);
      if (!added.ok) return added;
      return this.#kept(tx, added.value, announce);
    });
  }

  /**
   * A payment handed over from outside instead of by a peer: validated exactly as one from the
   * network (signature, nonce, funds) and kept in the mempool; announced to peers only when asked
   * (Bitcoin's sendrawtransaction). Large sampled runs deliver their synthetic payments to every
   * node this way, unannounced (Simulation.payEverywhere).
   */
  async acceptPayment(tx: Transfer, announce = false): Promise<Result<Transfer, Rejection>> {
    return this.#exclusive(async () => {
      const added = this.#mempool.add(tx, this.#tree.ledger);
      if (!added.ok) {
        this.#onEvent({ kind: 'tx-rejected', id: tx.id, from: null, rejection: added.error });
        return added;
      }
      return this.#kept(tx, added.value, announce);
    });
  }

  /** A payment of our own or from outside just entered the mempool (lock held). */
  async #kept(tx: Transfer, added: Added, announce: boolean): Promise<Result<Transfer, Rejection>> {
    await this.#mempoolChanged();
    this.#onEvent({ kind: 'tx-accepted', id: tx.id, from: null });
    this.#reportDropped(added.dropped);
    if (announce) this.#announce({ type: 'inv', blocks: [], txs: readyIds(tx, added) }, null);
    return { ok: true as const, value: tx };
  }

  /**
   * Sign a payment from this node's wallet with its next nonce, and keep it nowhere: the caller
   * hands it to whom it likes (Bitcoin's signrawtransaction). It is checked as `pay` checks one,
   * against this node's chain, so a payment that could never be accepted is refused here; the
   * node's own mempool is left alone, so its next payment may spend the same coins (a double
   * spend, as the lab's attacker does).
   */
  async signPayment(
    recipient: Address,
    amount: bigint,
    fee: bigint,
  ): Promise<Result<Transfer, Rejection>> {
    return this.#exclusive(() => {
      const tx = signTransfer(this.#wallet, {
        chainId: this.params.chainId,
        recipient,
        amount,
        fee,
        nonce: this.nextNonce,
      });
      // A scratch pool holding this node's pending payments and this one: the same checks as
      // `pay`, and nothing kept.
      const scratch = new Mempool(this.params, MEMPOOL_CAPACITY, this.#verified);
      for (const pending of this.#mempool.list()) scratch.add(pending, this.#tree.ledger);
      const checked = scratch.add(tx, this.#tree.ledger);
      return Promise.resolve(checked.ok ? { ok: true as const, value: tx } : checked);
    });
  }

  /**
   * Blocks handed over by the runtime instead of a peer (the tamper lab's "offer it to a peer"):
   * each is decoded from its bytes and goes through the one acceptance path of blocks from the
   * network (BlockTree.add, a typed rejection and a block-rejected event when refused), in order.
   * Nothing refused is stored (CONTRIBUTING.md, Rejection as data); nothing is announced unless a
   * block is kept, as for a block from a peer.
   */
  async offerBlocks(blocks: readonly Uint8Array[]): Promise<OfferOutcome[]> {
    return this.#exclusive(async () => {
      const decoded = blocks.map((bytes) => decodeBlock(bytes, this.params.maxBlockBytes));
      await this.#preverify(decoded.flatMap((d) => (d.ok ? this.#newTransfers(d.value) : [])));
      const pending = newCommit();
      const outcomes = decoded.map((d): OfferOutcome =>
        d.ok
          ? this.#apply(d.value, null, pending)
          : { hash: null, status: 'unreadable', error: d.error },
      );
      await this.#commit(pending);
      return outcomes;
    });
  }

  /**
   * The canonical bytes of this node's best chain from block `hash` to the tip, oldest first; null
   * when the block is not on its best chain.
   */
  bestChainFrom(hash: BlockHash): Uint8Array[] | null {
    const entry = this.#tree.get(hash);
    if (!entry || !this.#tree.isOnBestChain(entry)) return null;
    const out: Uint8Array[] = [];
    for (let h = entry.height; h <= this.#tree.tip.height; h++) {
      const e = this.#tree.atHeight(h);
      if (e) out.push(e.block.bytes);
    }
    return out;
  }

  /**
   * Try `hashes` more proofs on the current template, rebuilding it when the tip or the mempool
   * changed. Returns the block when one was found (already added and announced).
   */
  async mineSlice(hashes: number): Promise<Block | null> {
    return this.#exclusive(async () => {
      const tip = this.#tree.tip;
      if (this.#template?.parent !== tip || this.#templateVersion !== this.#mempoolVersion) {
        this.#template = createTemplate(
          this.#tree,
          this.#mempool,
          this.address,
          this.#scheduler.now(),
        );
        this.#templateVersion = this.#mempoolVersion;
        this.#nextProof = 0;
      }
      const block = searchTemplate(this.#template, this.#nextProof, hashes, this.#powSearch);
      this.#nextProof += hashes;
      if (!block) return null;
      this.#template = null;
      if (!kept(await this.#addBlock(block, null))) return null;
      this.#onEvent({ kind: 'block-mined', hash: block.hash, height: block.header.index });
      return block;
    });
  }

  /**
   * Sampled work: the runtime drew the moment this node finds a block (see Simulation's sampled
   * miner), so forge it on the current tip without hashing, then add and announce it as a mined
   * block. Only on a chain whose parameters say `work: 'sampled'`.
   */
  async forgeSampled(): Promise<Block | null> {
    return this.#exclusive(async () => {
      const block = forgeSampledBlock(
        this.#tree,
        this.#mempool,
        this.address,
        this.#scheduler.now(),
      );
      this.#template = null;
      if (!kept(await this.#addBlock(block, null))) return null;
      this.#onEvent({ kind: 'block-mined', hash: block.hash, height: block.header.index });
      return block;
    });
  }

  /** Mine one block now (the tutorial's /mine), yielding between slices. */
  async mine(): Promise<Block> {
    for (;;) {
      // Sampled work has no proof to search for: asked to mine, the node finds its block at once.
      const block =
        this.params.work === 'sampled'
          ? await this.forgeSampled()
          : await this.mineSlice(ONE_SHOT_SLICE);
      if (block) return block;
      await this.#pause();
    }
  }

  /**
   * The cooperative mining driver (CONTRIBUTING.md, Mining never blocks): slice after slice while `driver.running()`,
   * pausing in between so messages and API calls get through. A slice that finds the tip moved
   * starts a fresh template, so work on a stale parent stops within one slice.
   */
  async mineContinuously(driver: MiningDriver): Promise<number> {
    let found = 0;
    while (driver.running()) {
      if (await this.mineSlice(driver.sliceHashes())) found++;
      await driver.pause();
    }
    return found;
  }

  /**
   * The tutorial's consensus call: ask every peer which blocks it has beyond ours, fetch those we
   * lack, validate each in full, and let the fork-choice rule decide. Peers that do not answer in
   * time are skipped. Returns whether our best chain changed.
   */
  async resolve(): Promise<boolean> {
    return (await this.resolveReport()).replaced;
  }

  /**
   * {@link resolve}, also naming the peers whose best chain ties with ours: same work (or length,
   * under the longest-chain rule) but another tip. Neither side switches; the first seen stays
   * best until the next block on either branch breaks the tie.
   */
  async resolveReport(): Promise<ResolveReport> {
    const before = this.#tree.tip;
    const peers = [...this.#peers];
    const tips = await Promise.all(peers.map((peer) => this.#syncWith(peer)));
    const tied: { peer: NodeId; tip: BlockEntry }[] = [];
    peers.forEach((peer, i) => {
      const hash = tips[i];
      const entry = hash === null || hash === undefined ? undefined : this.#tree.get(hash);
      if (entry && ties(this.#tree, entry, this.#tree.tip)) tied.push({ peer, tip: entry });
    });
    return { replaced: this.#tree.tip !== before, ties: tied };
  }

  /**
   * What this node knows about a payment: confirmed (found on the best chain, so it follows
   * reorgs), pending (ready, or queued behind a nonce gap), dropped (with the reason), or
   * nothing (null).
   */
  transactionStatus(id: TxId): TxStatus | null {
    for (let h = this.#tree.tip.height; h >= 1; h--) {
      const entry = this.#tree.atHeight(h);
      const tx = entry?.block.transactions.find((t) => t.id === id);
      if (entry && tx?.kind === 'transfer') return { status: 'confirmed', tx, block: entry };
    }
    const waiting = this.#mempool.get(id);
    if (waiting) {
      const queued = this.#mempool.isQueued(id);
      return {
        status: 'pending',
        tx: waiting,
        waitingForNonce: queued
          ? this.#mempool.projected(waiting.sender, this.#tree.ledger).nonce
          : null,
      };
    }
    const dropped = this.#droppedTxs.get(id);
    if (dropped) {
      return { status: 'dropped', id, reason: dropped.reason, message: dropped.message };
    }
    return null;
  }

  /**
   * Tell every peer our tip, e.g. when links come back after a partition: a peer that lacks it
   * fetches what is missing, as Bitcoin peers do when they reconnect.
   */
  announceTip(): void {
    this.#announce({ type: 'inv', blocks: [this.#tree.tip.hash], txs: [] }, null);
  }

  /**
   * Send one of our blocks straight to every peer, unasked and whatever the gossip mode, as
   * Bitcoin's high-bandwidth compact-block relay pushes new blocks: how a miner that withholds
   * blocks reveals the ones it chooses (Eyal & Sirer 2014). False when this node does not have it.
   */
  publish(hash: BlockHash): boolean {
    const entry = this.#tree.get(hash);
    if (!entry) return false;
    for (const peer of this.#peers) {
      this.#transport.send(peer, { type: 'block', bytes: entry.block.bytes });
    }
    return true;
  }

  /** Handle anything another node sent. Malformed messages are dropped and counted. */
  receive(from: NodeId, raw: unknown): Promise<void> | undefined {
    const parsed = parseMessage(raw);
    if (!parsed.ok) {
      this.#drop(from, parsed.error);
      return undefined;
    }
    const msg = parsed.message;
    // Answering requests is open to anyone, like the tutorial's HTTP server.
    if (msg.type === 'getblocks') {
      const hashes = this.#tree.hashesAfter(msg.locator, MAX_IDS);
      const tip = this.#tree.tip.hash;
      const more = hashes.length === MAX_IDS && hashes[hashes.length - 1] !== tip;
      this.#transport.send(from, {
        type: 'blocklist',
        requestId: msg.requestId,
        hashes,
        tip,
        more,
      });
      return undefined;
    }
    if (msg.type === 'getdata') {
      for (const hash of msg.blocks) {
        const entry = this.#tree.get(hash);
        if (entry) this.#transport.send(from, { type: 'block', bytes: entry.block.bytes });
      }
      for (const id of msg.txs) {
        const tx = this.#mempool.get(id);
        if (tx) this.#transport.send(from, { type: 'tx', bytes: tx.bytes });
      }
      return undefined;
    }
    if (!this.#peers.has(from)) {
      this.#drop(from, `${msg.type} from a node that is not a registered peer`);
      return undefined;
    }
    switch (msg.type) {
      case 'inv': {
        // Only what we lack matters (an orphan too: the tree's entries hold only connected
        // blocks): what we have, we announced already. Most announcements in a busy network name
        // a block every peer already has: nothing to do then.
        const blocks = msg.blocks.filter((h) => !this.#tree.get(h));
        const txs = msg.txs.filter((id) => !this.#mempool.has(id));
        if (blocks.length === 0 && txs.length === 0) return undefined;
        this.#learn(from, blocks);
        this.#learn(from, txs);
        this.#onInv(from, blocks, txs);
        return undefined;
      }
      case 'block':
        return this.#queueBlock(from, msg.bytes);
      case 'tx':
        return this.#exclusive(() => this.#onTx(from, msg.bytes));
      case 'blocklist': {
        const pending = this.#requests.get(msg.requestId);
        if (pending?.peer !== from) {
          this.#drop(from, 'an answer nobody asked for');
          return undefined;
        }
        this.#requests.delete(msg.requestId);
        pending.resolve(msg);
        return undefined;
      }
    }
  }

  #drop(from: NodeId, reason: string): void {
    this.#dropped++;
    this.#onEvent({ kind: 'message-dropped', from, reason });
  }

  #onInv(from: NodeId, blocks: readonly BlockHash[], txs: readonly TxId[]): void {
    this.#fetchBlocks(from, blocks);
    // A tip we hold only as an orphan means an earlier catch-up stalled (say, the peer restarted
    // mid-way): ask again for what leads to it.
    if (blocks.some((h) => this.#tree.isOrphan(h))) this.#startSync(from);
    // `receive` passes only payments the mempool lacks.
    if (txs.length > 0) this.#transport.send(from, { type: 'getdata', blocks: [], txs });
  }

  /** Ask a peer for blocks we lack and have not already asked someone for recently. */
  #fetchBlocks(from: NodeId, hashes: readonly BlockHash[]): void {
    const now = this.#scheduler.now();
    const wanted = hashes.filter((h) => {
      if (this.#tree.has(h) || this.#tree.invalidReason(h)) return false;
      const until = this.#inflight.get(h);
      return until === undefined || until <= now;
    });
    for (const h of wanted) this.#inflight.set(h, now + this.#timeoutMs);
    for (let i = 0; i < wanted.length; i += MAX_IDS) {
      const blocks = wanted.slice(i, i + MAX_IDS);
      this.#transport.send(from, { type: 'getdata', blocks, txs: [] });
    }
  }

  /**
   * Queue a received block for the next batch (CONTRIBUTING.md, Mining never blocks): a batch
   * starts on the node's next turn and takes every block that arrived until then, up to
   * {@link MAX_BLOCK_BATCH}. Resolves once the block is handled.
   */
  #queueBlock(from: NodeId, bytes: Uint8Array): Promise<void> {
    let batch = this.#blockBatch;
    if (!batch || batch.items.length >= MAX_BLOCK_BATCH) {
      const items: BlockBatch['items'] = [];
      const done = this.#exclusive(() => {
        if (this.#blockBatch?.items === items) this.#blockBatch = null;
        return this.#onBlocks(items);
      });
      batch = { items, done };
      this.#blockBatch = batch;
    }
    batch.items.push({ from, bytes });
    return batch.done;
  }

  /**
   * A batch of received blocks (lock held): decoded, their payments' signatures checked together,
   * each block validated in order through the one acceptance path, and everything accepted stored
   * in one atomic write, so a crash leaves the node at the last whole batch.
   */
  async #onBlocks(items: BlockBatch['items']): Promise<void> {
    const blocks: { readonly block: Block; readonly from: NodeId }[] = [];
    for (const { from, bytes } of items) {
      const block = this.#decode(from, bytes, this.#decoded?.blocks, 'block', (b) =>
        decodeBlock(b, this.params.maxBlockBytes),
      );
      if (block) blocks.push({ block, from });
    }
    await this.#preverify(blocks.flatMap(({ block }) => this.#newTransfers(block)));
    const pending = newCommit();
    for (const { block, from } of blocks) this.#apply(block, from, pending);
    await this.#commit(pending);
  }

  /** The payments of a block this node does not have yet (a known block needs no checking). */
  #newTransfers(block: Block): Transfer[] {
    if (this.#tree.has(block.hash)) return [];
    return block.transactions.filter((tx): tx is Transfer => tx.kind === 'transfer');
  }

  /**
   * Check signatures not yet verified through the injected {@link NodeOptions.signatures}, all at
   * once (CONTRIBUTING.md, Fast paths), and remember those that pass; validation then finds them
   * verified. Those that fail are checked again by the pure path, which refuses them with its
   * typed reason.
   */
  async #preverify(txs: readonly Transfer[]): Promise<void> {
    const signatures = this.#signatures;
    if (!signatures) return;
    const todo = txs.filter((tx) => !this.#verified.has(tx.id));
    if (todo.length === 0) return;
    const valid = await Promise.all(
      todo.map((tx) =>
        signatures.verify(tx.senderKey, tx.signature, signingBytes(tx)).catch(() => false),
      ),
    );
    todo.forEach((tx, i) => {
      if (valid[i] === true) this.#verified.add(tx.id);
    });
  }

  /**
   * Decode a received block or payment, through the process's shared cache when there is one;
   * unreadable bytes are dropped and counted (null).
   */
  #decode<T extends { readonly bytes: Uint8Array }>(
    from: NodeId,
    bytes: Uint8Array,
    cache: WeakMap<Uint8Array, T> | undefined,
    what: 'block' | 'payment',
    decode: (bytes: Uint8Array) => Result<T, string>,
  ): T | null {
    const known = cache?.get(bytes);
    if (known) return known;
    const decoded = decode(bytes);
    if (!decoded.ok) {
      this.#drop(from, `unreadable ${what}: ${decoded.error}`);
      return null;
    }
    // Under both keys: the bytes it came in, and its own copy that this node will relay.
    cache?.set(bytes, decoded.value).set(decoded.value.bytes, decoded.value);
    return decoded.value;
  }

  async #onTx(from: NodeId, bytes: Uint8Array): Promise<void> {
    const tx = this.#decode(from, bytes, this.#decoded?.transfers, 'payment', decodeTransfer);
    if (!tx) return;
    await this.#preverify([tx]);
    const added = this.#mempool.add(tx, this.#tree.ledger);
    if (!added.ok) {
      this.#onEvent({ kind: 'tx-rejected', id: tx.id, from, rejection: added.error });
      return;
    }
    await this.#mempoolChanged();
    this.#onEvent({ kind: 'tx-accepted', id: tx.id, from });
    this.#reportDropped(added.value.dropped);
    this.#announce({ type: 'inv', blocks: [], txs: readyIds(tx, added.value) }, from);
  }

  /** Add one block and store it (lock held): our own mined blocks, one at a time. */
  async #addBlock(block: Block, from: NodeId | null): Promise<BlockOutcome> {
    const pending = newCommit();
    const outcome = this.#apply(block, from, pending);
    await this.#commit(pending);
    return outcome;
  }

  /**
   * Add a block to the tree (lock held): the one acceptance path for blocks from peers, from our
   * own miner and from the runtime. What it changed waits in `pending` for {@link #commit}; only
   * accepted blocks are stored, and a refusal is reported as an event.
   */
  #apply(block: Block, from: NodeId | null, pending: PendingCommit): BlockOutcome {
    this.#inflight.delete(block.hash);
    const result = this.#tree.add(block, this.#scheduler.now());
    if (!result.ok) {
      pending.events.push({
        kind: 'block-rejected',
        hash: block.hash,
        from,
        rejection: result.error,
      });
      // Its parents are on a branch this node cannot judge the block without: fetch them in order.
      if (result.error.reason === 'orphan-too-easy' && from !== null) this.#startSync(from);
      return { hash: block.hash, status: 'rejected', rejection: result.error };
    }
    const { status, accepted, rejectedOrphans, tipChange } = result.value;
    if (status === 'orphan' && from !== null) this.#startSync(from);
    for (const r of rejectedOrphans) {
      pending.events.push({ kind: 'block-rejected', hash: r.hash, from, rejection: r.rejection });
    }
    for (const e of accepted) this.#noticeTie(e, from, pending.events);
    pending.accepted.push(...accepted);
    if (tipChange) {
      const { returned, changed, dropped } = this.#reconcileMempool(tipChange);
      if (changed) pending.mempoolChanged = true;
      if (tipChange.disconnected.length > 0) this.#reorgs++;
      pending.events.push({ kind: 'tip-changed', from, change: tipChange });
      this.#reportDropped(dropped, pending.events);
      pending.returned.push(...returned);
      pending.tipFrom = from;
      pending.tipMoved = true;
    }
    return { hash: block.hash, status };
  }

  /**
   * Store what a batch of blocks changed in one atomic write, then tell: events in order, and the
   * new tip (with payments back from abandoned blocks) to peers, once for the whole batch.
   */
  async #commit(pending: PendingCommit): Promise<void> {
    if (pending.accepted.length > 0) {
      const batch: StoreBatch = {
        blocks: pending.accepted.map((e) => ({ hash: e.hash, bytes: e.block.bytes })),
        tip: this.#tree.tip.hash,
      };
      await this.#store.write(
        pending.mempoolChanged ? { ...batch, mempool: this.#mempoolBytes() } : batch,
      );
    }
    for (const e of pending.events) this.#onEvent(e);
    if (pending.tipMoved) {
      // A payment back from one abandoned block may be confirmed again by a later one.
      const returned = pending.returned.filter(
        (id) => this.#mempool.has(id) && !this.#mempool.isQueued(id),
      );
      // Payments that came back from abandoned blocks are news to peers on the other branch.
      this.#announce(
        { type: 'inv', blocks: [this.#tree.tip.hash], txs: returned },
        pending.tipFrom,
      );
    }
    this.#notify();
  }

  /**
   * Payments of abandoned blocks return when still valid; confirmed ones leave; the rest that
   * can never count again are dropped with a reason (lock held). Returns the ids of the payments
   * that came back ready for a block, the dropped ones, and whether the mempool may have changed.
   */
  #reconcileMempool(change: TipChange): {
    returned: TxId[];
    dropped: readonly Dropped[];
    changed: boolean;
  } {
    const returning: Transfer[] = [];
    for (const e of change.disconnected) {
      for (const tx of e.block.transactions) if (tx.kind === 'transfer') returning.push(tx);
    }
    this.#mempoolVersion++;
    // Nothing waiting and nothing coming back: nothing to reconcile (most tip changes of a large
    // network without payments).
    if (returning.length === 0 && this.#mempool.empty) {
      return { returned: [], dropped: [], changed: false };
    }
    const confirmed = new Set<TxId>();
    for (const e of change.connected) for (const tx of e.block.transactions) confirmed.add(tx.id);
    const { dropped } = this.#mempool.reconcile(this.#tree.ledger, returning, confirmed);
    const returned = returning
      .filter((tx) => this.#mempool.has(tx.id) && !this.#mempool.isQueued(tx.id))
      .map((tx) => tx.id);
    return { returned, dropped, changed: true };
  }

  /**
   * Tell about payments that left without confirming, and remember why (bounded); `events`
   * collects the events instead when they wait for a store write.
   */
  #reportDropped(dropped: readonly Dropped[], events?: NodeEvent[]): void {
    for (const d of dropped) {
      this.#droppedTxs.delete(d.tx.id);
      this.#droppedTxs.set(d.tx.id, d);
      if (this.#droppedTxs.size > DROPPED_RECORD_LIMIT) {
        const oldest = this.#droppedTxs.keys().next();
        if (!oldest.done) this.#droppedTxs.delete(oldest.value);
      }
      const event: NodeEvent = { kind: 'tx-dropped', dropped: d };
      if (events) events.push(event);
      else this.#onEvent(event);
    }
  }

  /** Report a block whose branch ties with the best chain, once per competing tip. */
  #noticeTie(entry: BlockEntry, from: NodeId | null, events: NodeEvent[]): void {
    const tip = this.#tree.tip;
    if (!ties(this.#tree, entry, tip) || this.#tiesSeen.has(entry.hash)) return;
    if (this.#tiesSeen.size >= TIES_REMEMBERED) this.#tiesSeen.clear();
    this.#tiesSeen.add(entry.hash);
    events.push({ kind: 'tie-seen', from, tip: entry, kept: tip });
  }

  async #mempoolChanged(): Promise<void> {
    this.#mempoolVersion++;
    await this.#store.write({ mempool: this.#mempoolBytes() });
  }

  /** Ready and queued payments: both were acknowledged, so both survive a restart. */
  #mempoolBytes(): Uint8Array[] {
    return [...this.#mempool.list(), ...this.#mempool.listQueued()].map((tx) => tx.bytes);
  }

  /** Tell peers (but not the one it came from) about something new, unless gossip is manual. */
  #announce(message: InvMessage, except: NodeId | null): void {
    if (this.#gossip === 'manual') return;
    // Like Bitcoin's per-peer inventory filter: a peer that announced an id to us has it.
    const blocksBy = message.blocks.map((h) => this.#announcedBy.get(h));
    const txsBy = message.txs.map((id) => this.#announcedBy.get(id));
    const filtered = blocksBy.some((by) => by) || txsBy.some((by) => by);
    for (const peer of this.#peers) {
      if (peer === except) continue;
      if (!filtered) {
        this.#transport.send(peer, message);
        continue;
      }
      const blocks = message.blocks.filter((_, i) => !blocksBy[i]?.includes(peer));
      const txs = message.txs.filter((_, i) => !txsBy[i]?.includes(peer));
      if (blocks.length === 0 && txs.length === 0) continue;
      const inv =
        blocks.length === message.blocks.length && txs.length === message.txs.length
          ? message
          : { type: 'inv' as const, blocks, txs };
      this.#transport.send(peer, inv);
    }
  }

  /** Remember which peers told us they have these ids, so we never announce them back (bounded). */
  #learn(peer: NodeId, ids: readonly string[]): void {
    for (const id of ids) {
      const by = this.#announcedBy.get(id);
      if (by) {
        if (!by.includes(peer)) by.push(peer);
        continue;
      }
      if (this.#announcedBy.size >= ANNOUNCED_IDS_KEPT) this.#announcedBy.clear();
      this.#announcedBy.set(id, [peer]);
    }
  }

  #notify(): void {
    if (this.#waiters.size === 0) return;
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Catch up with a peer in the background after it showed us a block we cannot connect. */
  #startSync(peer: NodeId): void {
    if (this.#syncing.has(peer)) return;
    this.#syncing.add(peer);
    void this.#syncWith(peer).finally(() => this.#syncing.delete(peer));
  }

  /**
   * Fetch, in rounds of up to 2,000, the blocks of a peer's best chain that we lack. The next
   * round's list is asked for while this round's blocks arrive and are checked (the peer finds the
   * last block it listed, which we may not hold yet), so transfer and validation overlap; at most
   * two rounds are in flight. Returns the tip the peer last reported, or null when it did not
   * answer.
   */
  async #syncWith(peer: NodeId): Promise<BlockHash | null> {
    let locator = this.#tree.locator();
    let tip: BlockHash | null = null;
    let previous: readonly BlockHash[] | null = null;
    for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
      const list = await this.#askBlockList(peer, locator);
      if (!list) break;
      tip = list.tip;
      const missing = list.hashes.filter((h) => !this.#tree.has(h) && !this.#tree.invalidReason(h));
      this.#fetchBlocks(peer, missing);
      if (previous && !(await this.#arrived(peer, previous))) return tip;
      previous = missing;
      const last = list.hashes[list.hashes.length - 1];
      if (!list.more || last === undefined) break;
      locator = [last, ...this.#tree.locator()].slice(0, MAX_LOCATOR);
    }
    if (previous) await this.#arrived(peer, previous);
    return tip;
  }

  /**
   * Wait until every one of `hashes` is in the tree or known invalid; false when some never came.
   * Blocks asked of someone before (and so not asked again) may never come: that request or its
   * answer was lost. After one timeout they are asked of `peer`, which listed them, once more.
   */
  async #arrived(peer: NodeId, hashes: readonly BlockHash[]): Promise<boolean> {
    const done = (): boolean =>
      hashes.every((h) => this.#tree.has(h) || this.#tree.invalidReason(h) !== undefined);
    if (await this.#waitFor(done)) return true;
    const still = hashes.filter((h) => !this.#tree.has(h) && !this.#tree.invalidReason(h));
    for (const h of still) this.#inflight.delete(h);
    this.#fetchBlocks(peer, still);
    return this.#waitFor(done);
  }

  #askBlockList(peer: NodeId, locator: readonly BlockHash[]): Promise<BlockListMessage | null> {
    const requestId = this.#nextRequestId++;
    return new Promise((resolve) => {
      const cancel = this.#scheduler.after(this.#timeoutMs, () => {
        this.#requests.delete(requestId);
        resolve(null);
      });
      this.#requests.set(requestId, {
        peer,
        resolve: (answer) => {
          cancel();
          resolve(answer);
        },
      });
      this.#transport.send(peer, { type: 'getblocks', requestId, locator });
    });
  }

  /** Resolve true once `done()` holds, false after the request timeout. */
  #waitFor(done: () => boolean): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        if (!done()) return;
        finish(true);
      };
      const cancel = this.#scheduler.after(this.#timeoutMs, () => {
        finish(false);
      });
      const finish = (value: boolean): void => {
        this.#waiters.delete(waiter);
        cancel();
        resolve(value);
      };
      this.#waiters.add(waiter);
    });
  }
}

/** An empty {@link PendingCommit}. */
function newCommit(): PendingCommit {
  return {
    accepted: [],
    events: [],
    returned: [],
    mempoolChanged: false,
    tipFrom: null,
    tipMoved: false,
  };
}

/** Is the block in the tree after adding it (accepted now, or already there)? */
function kept(outcome: BlockOutcome): boolean {
  return outcome.status === 'accepted' || outcome.status === 'known';
}

/** The ids to announce after adding `tx`: itself unless queued, and what it made ready. */
function readyIds(tx: Transfer, added: { queued: boolean; promoted: readonly Transfer[] }): TxId[] {
  return [...(added.queued ? [] : [tx.id]), ...added.promoted.map((t) => t.id)];
}

/** Two different tips neither of which beats the other under the fork-choice rule. */
function ties(tree: BlockTree, a: BlockEntry, b: BlockEntry): boolean {
  return a !== b && !tree.beats(a, b) && !tree.beats(b, a);
}

function isSettings(v: unknown): v is NodeSettings {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.mining === 'boolean' &&
    typeof s.hashrate === 'number' &&
    s.hashrate >= 0 &&
    s.hashrate <= 1
  );
}
