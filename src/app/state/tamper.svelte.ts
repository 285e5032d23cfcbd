/**
 * The tamper lab's state: a copy of part of the best chain with one payment edited, what the
 * network's rules say about each of its blocks (src/core/tamper.ts), re-mining in slices on the
 * page's thread, and what a node said when offered the tampered branch. The copy is UI state
 * (CONTRIBUTING.md, D3 computes, Svelte draws): it never enters a node or its storage, and a node
 * sees it only as blocks offered to it, which it refuses.
 */
import type { Block } from '../../core/block.ts';
import { decodeBlock } from '../../core/block.ts';
import type { OfferOutcome } from '../../core/node.ts';
import type { ChainParams } from '../../core/params.ts';
import type { CopyCheck, PaymentEdit, TamperedCopy } from '../../core/tamper.ts';
import {
  checkCopy,
  nextToRemine,
  searchProof,
  startRemining,
  tamper,
  tamperedBranch,
  withProof,
} from '../../core/tamper.ts';
import type { BlockHash, NodeId } from '../../core/types.ts';
import type { Rejection } from '../../core/validation.ts';

/** What the lab needs from the page: the simulation's calls, the honest chain's height, time. */
export interface TamperAccess {
  /** The consensus rules in force. */
  params(): ChainParams;
  /** A node's encoded best chain from `hash` to its tip; null when the block is not on it. */
  bestChainFrom(id: NodeId, hash: BlockHash): Promise<readonly Uint8Array[] | null>;
  /** Offer a node encoded blocks, as a peer would send them. */
  offerBlocks(id: NodeId, blocks: readonly Uint8Array[]): Promise<readonly OfferOutcome[] | null>;
  /** The height of the best chain any node holds now. */
  honestHeight(): number;
  /** Give the page a turn between re-mining slices. */
  pause(): Promise<void>;
  /** A monotonic clock in milliseconds, to size the slices. */
  now(): number;
}

/** What the last re-mining came to. */
export type LabNews =
  | {
      readonly kind: 'remined';
      readonly index: number;
      readonly hashes: number;
      /** The next block, whose link is still broken; null when it was the last. */
      readonly next: number | null;
    }
  | {
      readonly kind: 'all';
      readonly blocks: number;
      readonly hashes: number;
      /** Blocks the honest chain grew by meanwhile. */
      readonly growth: number;
    }
  | { readonly kind: 'stopped'; readonly hashes: number };

/** What a node said about the offered branch, block by block, or why it could not answer. */
export type OfferReport =
  | {
      readonly node: NodeId;
      readonly outcomes: readonly { readonly index: number; readonly outcome: OfferOutcome }[];
    }
  | { readonly node: NodeId; readonly error: string };

/**
 * One re-mining (of a block, or of all): how it ended early, if it did. `stopped`: the learner
 * asked; `dropped`: the copy it worked on was replaced or discarded, so there is nothing to say.
 */
interface Run {
  ended: 'stopped' | 'dropped' | null;
}

/** Hashes in the first slice; later slices grow or shrink to take about SLICE_MS each. */
const FIRST_SLICE = 4_096;
const MIN_SLICE = 1_024;
const MAX_SLICE = 1 << 22;
/**
 * Time one slice may hold the page's thread: half a 60 Hz frame, so drawing and typing go on
 * between slices (CONTRIBUTING.md, Mining never blocks).
 */
const SLICE_MS = 8;

/** One tamper lab, for the block being inspected. */
export class TamperLab {
  /** The best-chain blocks from the inspected one to the tip, once copied. */
  chain = $state.raw<readonly Block[] | null>(null);
  /** The node the chain was copied from. */
  source = $state.raw<NodeId | null>(null);
  /** Copying is under way. */
  loading = $state(false);
  /** No node holds the block on its best chain: there is nothing to copy. */
  missing = $state(false);
  /** The copy with its edit, once made. */
  copy = $state.raw<TamperedCopy | null>(null);
  /** The block being re-mined and the hashes tried on it so far; null when idle. */
  progress = $state.raw<{ readonly index: number; readonly hashes: number } | null>(null);
  /** What the last re-mining came to. */
  news = $state.raw<LabNews | null>(null);
  /** What the last node offered the branch said. */
  offer = $state.raw<OfferReport | null>(null);
  /** An offer is under way. */
  offering = $state(false);

  readonly #access: TamperAccess;
  /** The re-mining under way, if any. */
  #run: Run | null = null;
  #slice = FIRST_SLICE;

  /** What the rules say about every block of the copy. */
  readonly checks: readonly CopyCheck[];
  /** The first block re-mining would fix, or null. */
  readonly next: number | null;

  constructor(access: TamperAccess) {
    this.#access = access;
    this.checks = $derived(this.copy ? checkCopy(this.copy, access.params()) : []);
    this.next = $derived(nextToRemine(this.checks));
  }

  /** Copy the best chain from block `hash` to the tip, from the first holder that has it there. */
  async load(hash: BlockHash, holders: readonly NodeId[]): Promise<void> {
    this.loading = true;
    this.missing = false;
    try {
      for (const id of holders) {
        this.source = id;
        const bytes = await this.#access.bestChainFrom(id, hash).catch(() => null);
        const chain = bytes ? decodeAll(bytes, this.#access.params()) : null;
        if (chain && chain.length > 0) {
          this.chain = chain;
          return;
        }
      }
      this.missing = true;
    } finally {
      this.loading = false;
    }
  }

  /** Make the copy with payment `payment` of the first block edited; a refusal changes nothing. */
  edit(payment: number, edit: PaymentEdit): Rejection | null {
    if (!this.chain) return null;
    const copy = tamper(this.chain, payment, edit);
    if (!copy.ok) return copy.error;
    this.#end('dropped');
    this.copy = copy.value;
    this.news = null;
    this.offer = null;
    return null;
  }

  /** Is a re-mining running? */
  get busy(): boolean {
    return this.progress !== null;
  }

  /** Re-mine the first block that needs it: its proof comes back, the next link stays broken. */
  async remineNext(): Promise<void> {
    const position = this.next;
    if (position === null || this.busy) return;
    const run = this.#begin();
    const index = this.#indexAt(position);
    const result = await this.#remine(position, run);
    this.#finish(run);
    if (run.ended === 'dropped') return;
    if (result.found) {
      const after = position + 1 < this.checks.length ? this.#indexAt(position + 1) : null;
      this.news = { kind: 'remined', index, hashes: result.tried, next: after };
    } else {
      this.news = { kind: 'stopped', hashes: result.tried };
    }
  }

  /** Re-mine every block that needs it, in turn, and set the work against the honest chain's growth. */
  async remineAll(): Promise<void> {
    if (this.next === null || this.busy) return;
    const run = this.#begin();
    const startHeight = this.#access.honestHeight();
    let blocks = 0;
    let total = 0;
    // Read through a call: each proof found changes what comes next.
    for (let position = this.#next(); position !== null && run.ended === null;) {
      const result = await this.#remine(position, run);
      total += result.tried;
      if (result.found) blocks++;
      position = this.#next();
    }
    this.#finish(run);
    if (run.ended === 'dropped') return;
    if (run.ended === 'stopped') {
      this.news = { kind: 'stopped', hashes: total };
      return;
    }
    const growth = Math.max(0, this.#access.honestHeight() - startHeight);
    this.news = { kind: 'all', blocks, hashes: total, growth };
  }

  /** Stop re-mining after the current slice. */
  stop(): void {
    this.#end('stopped');
  }

  /** Offer the tampered branch to node `id`: it takes the blocks as it would from a peer. */
  async offerTo(id: NodeId): Promise<void> {
    if (!this.copy || this.offering) return;
    const branch = tamperedBranch(this.copy);
    this.offering = true;
    try {
      const outcomes = await this.#access.offerBlocks(
        id,
        branch.map((b) => b.bytes),
      );
      this.offer = outcomes
        ? {
            node: id,
            outcomes: outcomes.map((outcome, i) => ({
              index: branch[i]?.header.index ?? 0,
              outcome,
            })),
          }
        : { node: id, error: `no node ${id}` };
    } catch (error) {
      this.offer = { node: id, error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.offering = false;
    }
  }

  /** Forget the copy (stopping any re-mining); the chain stays copied for a new edit. */
  discard(): void {
    this.#end('dropped');
    this.copy = null;
    this.news = null;
    this.offer = null;
  }

  /** Start a run: what was said about the copy before it no longer holds. */
  #begin(): Run {
    const run: Run = { ended: null };
    this.#run = run;
    this.news = null;
    this.offer = null;
    return run;
  }

  /** End the current run early, for `why`; its slices stop at the next turn. */
  #end(why: 'stopped' | 'dropped'): void {
    if (this.#run) this.#run.ended = why;
    this.#run = null;
    this.progress = null;
  }

  /** A run is over: it no longer owns the progress line. */
  #finish(run: Run): void {
    if (this.#run !== run) return;
    this.#run = null;
    this.progress = null;
  }

  #next(): number | null {
    return this.next;
  }

  #indexAt(position: number): number {
    return this.copy?.blocks[position]?.header.index ?? 0;
  }

  /**
   * Search a proof for block `position` in slices of about SLICE_MS with a pause between them,
   * until found or until `run` ends. Returns whether a proof was found and the hashes tried.
   */
  async #remine(position: number, run: Run): Promise<{ found: boolean; tried: number }> {
    const copy = this.copy;
    if (!copy) return { found: false, tried: 0 };
    const job = startRemining(copy, position);
    const index = this.#indexAt(position);
    let tried = 0;
    for (;;) {
      if (run.ended !== null) return { found: false, tried };
      this.progress = { index, hashes: tried };
      const started = this.#access.now();
      const proof = searchProof(job, tried, this.#slice);
      const spent = this.#access.now() - started;
      if (proof !== null) {
        this.copy = withProof(copy, job, proof);
        return { found: true, tried: proof + 1 };
      }
      tried += this.#slice;
      this.#slice = nextSlice(this.#slice, spent);
      await this.#access.pause();
    }
  }
}

/** Grow or shrink a slice towards SLICE_MS of work. */
function nextSlice(slice: number, spentMs: number): number {
  if (spentMs < SLICE_MS / 2) return Math.min(MAX_SLICE, slice * 2);
  if (spentMs > SLICE_MS * 2) return Math.max(MIN_SLICE, Math.floor(slice / 2));
  return slice;
}

/** Decode a node's encoded blocks; null if any is unreadable. */
function decodeAll(bytes: readonly Uint8Array[], params: ChainParams): Block[] | null {
  const blocks: Block[] = [];
  for (const b of bytes) {
    const decoded = decodeBlock(b, params.maxBlockBytes);
    if (!decoded.ok) return null;
    blocks.push(decoded.value);
  }
  return blocks;
}
