/**
 * The block tree: every valid block a node has seen, forks included, with cumulative work; blocks
 * whose parent is unknown wait in an orphan pool. The best tip follows the simulation's fork-choice
 * rule, and a tip change rolls the ledger back to the fork point and forward along the new branch.
 */
import type { Block } from './block.ts';
import {
  GENESIS_PREVIOUS_HASH,
  genesisBlock,
  headerTarget,
  matchesTransactionsRoot,
} from './block.ts';
import type { CompactUndo, LedgerView } from './ledger.ts';
import { Ledger } from './ledger.ts';
import type { ChainParams } from './params.ts';
import { MEDIAN_TIME_SPAN } from './params.ts';
import type { Result } from './result.ts';
import { err, ok } from './result.ts';
import { retarget, retargetWindow, targetToCompact, workForTarget } from './target.ts';
import type { BlockHash, Height, TxId } from './types.ts';
import type { Rejection } from './validation.ts';
import { checkProofOfWork, reject, validateBlock } from './validation.ts';

/** A block in the tree, with what the tree derives for it. */
export interface BlockEntry {
  readonly block: Block;
  readonly hash: BlockHash;
  readonly parent: BlockEntry | null;
  readonly height: Height;
  readonly target: bigint;
  /** Sum of the work of this block and all its ancestors. */
  readonly chainWork: bigint;
  /** Arrival order on this node: on equal work the first seen stays best. */
  readonly seq: number;
  /** Fees the block's transfers paid. */
  readonly fees: bigint;
}

/** How the best tip moved. A plain extension has nothing disconnected. */
export interface TipChange {
  readonly oldTip: BlockEntry;
  readonly newTip: BlockEntry;
  readonly fork: BlockEntry;
  /** Blocks that left the best chain, newest first. */
  readonly disconnected: readonly BlockEntry[];
  /** Blocks that joined the best chain, oldest first. */
  readonly connected: readonly BlockEntry[];
}

/** What adding a block did. */
export interface AddResult {
  /** `known`: already in the tree; `orphan`: parked until its parent arrives. */
  readonly status: 'accepted' | 'known' | 'orphan';
  /** This block and any orphans it freed, in the order they were accepted. */
  readonly accepted: readonly BlockEntry[];
  /** Orphans freed by this block that turned out invalid. */
  readonly rejectedOrphans: readonly { readonly hash: BlockHash; readonly rejection: Rejection }[];
  /** Set when the best tip moved. */
  readonly tipChange: TipChange | null;
}

const MAX_ORPHANS = 1000;
/** How much easier than the tip an orphan's target may be: two retarget steps of 4x. */
const ORPHAN_TARGET_SLACK = 16n;
const INVALID_PARENT: Rejection = {
  reason: 'invalid-parent',
  message: 'This block builds on a block that was rejected.',
};
const MAX_INVALID = 10_000;
const MAX_VERIFIED = 100_000;
/**
 * Median time past ending at each block, memoised per decoded block: it depends only on the block
 * and its ancestors, which its hash commits to, and the nodes of one process share decoded blocks
 * (NodeOptions.decoded), so a thousand nodes walk a block's ancestors once, not a thousand times.
 */
const medianTimes = new WeakMap<Block, number>();

/** A node's view of the chain. */
export class BlockTree {
  readonly params: ChainParams;
  readonly genesis: BlockEntry;
  readonly #entries = new Map<BlockHash, BlockEntry>();
  /** Best chain, genesis first: `#main[h - 1]` is the block at height h. */
  readonly #main: BlockEntry[] = [];
  /** What undoes each best-chain block, aligned with `#main` (one list, no keying by hash). */
  readonly #undo: CompactUndo[] = [];
  readonly #ledger = new Ledger();
  readonly #orphans = new Map<BlockHash, Block>();
  readonly #invalid = new Map<BlockHash, Rejection>();
  readonly #verified: Set<TxId>;
  /** State after a side-branch block, kept while the tip stays put: branches grow one by one. */
  #sideLedger: { readonly hash: BlockHash; readonly ledger: Ledger } | null = null;
  #seq = 0;

  /**
   * A tree holding only the genesis block. `verified` remembers transfers whose signatures were
   * checked; share it with the mempool so a payment is verified once, not again in its block.
   */
  constructor(params: ChainParams, verified = new Set<TxId>()) {
    this.params = params;
    this.#verified = verified;
    const block = genesisBlock(params);
    const target = headerTarget(block.header);
    if (target === null) throw new RangeError('initial target is not a valid compact target');
    this.genesis = {
      block,
      hash: block.hash,
      parent: null,
      height: 1 as Height,
      target,
      chainWork: workForTarget(target),
      seq: this.#seq++,
      fees: 0n,
    };
    this.#entries.set(this.genesis.hash, this.genesis);
    this.#main.push(this.genesis);
    this.#undo.push([]);
  }

  /** The best tip. */
  get tip(): BlockEntry {
    const tip = this.#main[this.#main.length - 1];
    if (!tip) throw new Error('the best chain is never empty');
    return tip;
  }

  /** Balances and nonces as of the best tip. */
  get ledger(): LedgerView {
    return this.#ledger;
  }

  /** Every block in the tree, forks included (not orphans). */
  get size(): number {
    return this.#entries.size;
  }

  /** Every entry, in arrival order. */
  entries(): IterableIterator<BlockEntry> {
    return this.#entries.values();
  }

  /** Number of orphans waiting for a parent. */
  get orphanCount(): number {
    return this.#orphans.size;
  }

  /** Look a block up by hash. */
  get(hash: BlockHash): BlockEntry | undefined {
    return this.#entries.get(hash);
  }

  /** Is this hash known, as a block or an orphan? */
  has(hash: BlockHash): boolean {
    return this.#entries.has(hash) || this.#orphans.has(hash);
  }

  /** Is this block waiting in the orphan pool for its parent? */
  isOrphan(hash: BlockHash): boolean {
    return this.#orphans.has(hash);
  }

  /** The rejection recorded for a known-invalid block. */
  invalidReason(hash: BlockHash): Rejection | undefined {
    return this.#invalid.get(hash);
  }

  /** The best chain's block at a height. */
  atHeight(height: number): BlockEntry | undefined {
    return this.#main[height - 1];
  }

  /** Is the entry on the best chain? */
  isOnBestChain(entry: BlockEntry): boolean {
    return this.#main[entry.height - 1] === entry;
  }

  /** The best chain, genesis first. */
  bestChain(): readonly BlockEntry[] {
    return this.#main.slice();
  }

  /** Does `a` beat `b` under the fork-choice rule? Ties keep `b`: the first seen stays. */
  beats(a: BlockEntry, b: BlockEntry): boolean {
    return this.params.forkChoice === 'longest' ? a.height > b.height : a.chainWork > b.chainWork;
  }

  /**
   * Hashes describing the best chain for a peer (Bitcoin's block locator): the last ten blocks,
   * then exponentially sparser, always ending at genesis.
   */
  locator(): BlockHash[] {
    const out: BlockHash[] = [];
    let step = 1;
    for (let h = this.#main.length; h >= 1; h -= step) {
      const e = this.#main[h - 1];
      if (e) out.push(e.hash);
      if (out.length >= 10) step *= 2;
    }
    if (out[out.length - 1] !== this.genesis.hash) out.push(this.genesis.hash);
    return out;
  }

  /** Best-chain hashes after the first locator entry we share, at most `limit` of them. */
  hashesAfter(locator: readonly BlockHash[], limit: number): BlockHash[] {
    let start = 1;
    for (const hash of locator) {
      const e = this.#entries.get(hash);
      if (e && this.isOnBestChain(e)) {
        start = e.height;
        break;
      }
    }
    return this.#main.slice(start, start + limit).map((e) => e.hash);
  }

  /** The bits a child of `parent` must carry: retarget every interval (see target.ts). */
  nextBits(parent: BlockEntry): number {
    const { retargetInterval: n, blockTimeMs } = this.params;
    const window = retargetWindow(parent.height + 1, n);
    if (!window) return parent.block.header.bits;
    let first = parent;
    while (first.height > window.first && first.parent) first = first.parent;
    const actual = parent.block.header.timestampMs - first.block.header.timestampMs;
    return targetToCompact(
      retarget(parent.target, actual, (window.last - window.first) * blockTimeMs),
    );
  }

  /** Median timestamp of the last 11 blocks ending at `entry` (BIP 113). */
  medianTimePast(entry: BlockEntry): number {
    const known = medianTimes.get(entry.block);
    if (known !== undefined) return known;
    const times: number[] = [];
    for (let e: BlockEntry | null = entry; e && times.length < MEDIAN_TIME_SPAN; e = e.parent) {
      times.push(e.block.header.timestampMs);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    medianTimes.set(entry.block, median);
    return median;
  }

  /** Balances and nonces as of any block in the tree (a read-only overlay off the best tip). */
  ledgerAt(entry: BlockEntry): LedgerView {
    return this.#ledgerAt(entry);
  }

  #ledgerAt(entry: BlockEntry): Ledger {
    if (entry === this.tip) return this.#ledger;
    if (this.#sideLedger?.hash === entry.hash) return this.#sideLedger.ledger;
    const overlay = new Ledger(this.#ledger);
    const fork = this.#forkPoint(entry);
    for (let e = this.tip; e !== fork && e.parent; e = e.parent) {
      const undo = this.#undo[e.height - 1];
      if (undo) overlay.revertCompact(undo);
    }
    for (const e of pathFrom(fork, entry)) overlay.applyCompact(e.block);
    return overlay;
  }

  /** The last best-chain ancestor of an entry. */
  #forkPoint(entry: BlockEntry): BlockEntry {
    let e = entry;
    while (!this.isOnBestChain(e) && e.parent) e = e.parent;
    return e;
  }

  /**
   * Add a block from anywhere (a peer, storage, our own miner). Invalid blocks change nothing and
   * come back as a typed rejection; valid ones are kept even off the best chain.
   */
  add(block: Block, nowMs: number): Result<AddResult, Rejection> {
    const known = this.#invalid.get(block.hash);
    if (known) return err(known);
    if (this.has(block.hash)) {
      return ok({ status: 'known', accepted: [], rejectedOrphans: [], tipChange: null });
    }
    const parent = this.#entries.get(block.header.previousHash);
    if (!parent) return this.#addOrphan(block);

    const first = this.#accept(block, parent, nowMs);
    if (!first.ok) {
      if (this.#invalid.has(block.hash)) this.#dropOrphansOf(block.hash);
      return first;
    }
    const accepted = [first.value];
    const rejectedOrphans: { hash: BlockHash; rejection: Rejection }[] = [];
    // Orphans waiting on anything just accepted can now be validated, breadth first.
    for (let i = 0; i < accepted.length; i++) {
      const parentEntry = accepted[i];
      if (!parentEntry) break;
      for (const [hash, orphan] of this.#orphans) {
        if (orphan.header.previousHash !== parentEntry.hash) continue;
        this.#orphans.delete(hash);
        const r = this.#accept(orphan, parentEntry, nowMs);
        if (r.ok) accepted.push(r.value);
        else {
          rejectedOrphans.push({ hash, rejection: r.error });
          if (this.#invalid.has(hash)) rejectedOrphans.push(...this.#dropOrphansOf(hash));
        }
      }
    }

    let best = this.tip;
    for (const e of accepted) if (this.beats(e, best)) best = e;
    const tipChange = best === this.tip ? null : this.#setTip(best);
    return ok({ status: 'accepted', accepted, rejectedOrphans, tipChange });
  }

  #addOrphan(block: Block): Result<AddResult, Rejection> {
    if (block.header.previousHash === GENESIS_PREVIOUS_HASH) {
      return reject(
        'bad-previous-hash',
        'This block claims to be a genesis block of another chain.',
      );
    }
    if (this.#invalid.has(block.header.previousHash)) {
      this.#dropOrphansOf(block.hash);
      return this.#markInvalid(block.hash, INVALID_PARENT);
    }
    // Cheap checks before keeping anything from an unknown source: the proof of work it claims,
    // at a difficulty no easier than the best chain's could fall to within a few retargets
    // (each step moves by 4x at most). Not remembered as invalid: only parked orphans are refused.
    const pow = checkProofOfWork(block, this.params);
    if (!pow.ok) return pow;
    if (pow.value > this.tip.target * ORPHAN_TARGET_SLACK) {
      // An honest branch can be this easy (a fresh chain's difficulty climbs fast): the node
      // fetches the sender's chain in order instead, and judges each block with its parent.
      return reject(
        'orphan-too-easy',
        "This block's parent is unknown here and it is far easier than this chain's blocks: its chain is fetched from the start of the fork instead.",
      );
    }
    // An edited body kept under the genuine header's hash would make the genuine block "known".
    if (!matchesTransactionsRoot(block.header.merkleRoot, block.transactions)) {
      return reject('bad-merkle-root', "The Merkle root does not match the block's transactions.");
    }
    if (this.#orphans.size >= MAX_ORPHANS) {
      const oldest = this.#orphans.keys().next();
      if (!oldest.done) this.#orphans.delete(oldest.value);
    }
    this.#orphans.set(block.hash, block);
    return ok({ status: 'orphan', accepted: [], rejectedOrphans: [], tipChange: null });
  }

  #accept(block: Block, parent: BlockEntry, nowMs: number): Result<BlockEntry, Rejection> {
    const ledger = this.#ledgerAt(parent);
    const valid = validateBlock(block, {
      params: this.params,
      parentIndex: parent.height,
      expectedBits: this.nextBits(parent),
      medianTimePastMs: this.medianTimePast(parent),
      nowMs,
      ledger,
      verified: this.#verified,
    });
    if (this.#verified.size > MAX_VERIFIED) this.#verified.clear();
    if (!valid.ok) {
      // Not remembered as invalid: a block too far in the future may become valid later, and a
      // body that may not be the one its header commits to (bad Merkle root, or too big, which is
      // checked first) condemns only that copy, not the genuine block with the same hash.
      const { reason } = valid.error;
      return reason === 'time-too-new' || reason === 'bad-merkle-root' || reason === 'oversize'
        ? valid
        : this.#markInvalid(block.hash, valid.error);
    }
    const target = headerTarget(block.header);
    if (target === null) throw new Error('a validated block always has a target');
    const entry: BlockEntry = {
      block,
      hash: block.hash,
      parent,
      height: block.header.index,
      target,
      chainWork: parent.chainWork + workForTarget(target),
      seq: this.#seq++,
      fees: valid.value.fees,
    };
    this.#entries.set(entry.hash, entry);
    if (ledger !== this.#ledger) {
      // Move the side-branch state forward so the branch's next block validates in O(1).
      ledger.applyCompact(block);
      this.#sideLedger = { hash: entry.hash, ledger };
    }
    return ok(entry);
  }

  /** Orphans descending from an invalid block are invalid too: drop and remember them. */
  #dropOrphansOf(invalid: BlockHash): { hash: BlockHash; rejection: Rejection }[] {
    const dropped: { hash: BlockHash; rejection: Rejection }[] = [];
    const rejection = INVALID_PARENT;
    for (let queue = [invalid]; queue.length > 0;) {
      const parent = queue.pop();
      for (const [hash, orphan] of this.#orphans) {
        if (orphan.header.previousHash !== parent) continue;
        this.#orphans.delete(hash);
        this.#markInvalid(hash, rejection);
        dropped.push({ hash, rejection });
        queue.push(hash);
      }
    }
    return dropped;
  }

  #markInvalid(hash: BlockHash, rejection: Rejection): { ok: false; error: Rejection } {
    if (this.#invalid.size >= MAX_INVALID) this.#invalid.clear();
    this.#invalid.set(hash, rejection);
    return err(rejection);
  }

  #setTip(newTip: BlockEntry): TipChange {
    const oldTip = this.tip;
    const fork = this.#forkPoint(newTip);
    const disconnected: BlockEntry[] = [];
    while (this.tip !== fork) {
      const e = this.#main.pop();
      if (!e) break;
      const undo = this.#undo.pop();
      if (undo) this.#ledger.revertCompact(undo);
      disconnected.push(e);
    }
    const connected = pathFrom(fork, newTip);
    for (const e of connected) {
      this.#undo.push(this.#ledger.applyCompact(e.block));
      this.#main.push(e);
    }
    this.#sideLedger = null;
    return { oldTip, newTip, fork, disconnected, connected };
  }
}

/** The entries after `from` up to and including `to`, oldest first (`from` must be an ancestor). */
export function pathFrom(from: BlockEntry, to: BlockEntry): BlockEntry[] {
  const path: BlockEntry[] = [];
  for (let e: BlockEntry | null = to; e && e !== from; e = e.parent) path.push(e);
  return path.reverse();
}
