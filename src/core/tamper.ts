/**
 * The tamper lab: edit one payment of a mined block in a copy of the best chain, and see with the
 * network's own rules what the edit breaks. Nothing here touches a node: the copy is the page's
 * state, and a node it is offered to refuses it (Node.offerBlocks).
 *
 * Editing a payment changes its bytes, so the block's Merkle root, so its header, so its hash: the
 * proof of work no longer meets the target, and the next block's previous hash names a block that
 * no longer exists. Re-mining finds a new proof but moves the break to the next block; and the
 * payment's signature, which only the sender's key can make, stays wrong whatever work is done.
 * Only payments can be edited: a coinbase carries no signature, so a re-mined change to it would be
 * a valid competing block, not a forgery.
 */
import type { Block, BlockHeader } from './block.ts';
import { encodeHeader, headerTarget, makeBlock, transactionsRoot } from './block.ts';
import type { ChainParams } from './params.ts';
import type { PowJob } from './pow-kernel.ts';
import { mineRange, preparePowJob } from './pow-kernel.ts';
import type { Result } from './result.ts';
import { ok } from './result.ts';
import type { Transfer } from './tx.ts';
import { alterTransfer } from './tx.ts';
import type { Address, BlockHash } from './types.ts';
import { parseAddress } from './types.ts';
import type { Rejection } from './validation.ts';
import {
  checkAmount,
  checkFee,
  checkLink,
  checkProofOfWork,
  checkTransfer,
  reject,
} from './validation.ts';

/** Which field of a payment an edit rewrites, and its new value. */
export type PaymentEdit =
  | { readonly field: 'amount'; readonly value: bigint }
  | { readonly field: 'fee'; readonly value: bigint }
  | { readonly field: 'recipient'; readonly value: Address };

/** The fields an edit may rewrite. */
export type EditableField = PaymentEdit['field'];

/** A copy of a stretch of the best chain whose first block had one payment edited. */
export interface TamperedCopy {
  /** The honest block the copy's first block builds on. */
  readonly anchor: BlockHash;
  /** The blocks as they were: the edited one first, then every later block. */
  readonly originals: readonly Block[];
  /** The copy, aligned with `originals`: a block differs once edited or re-mined. */
  readonly blocks: readonly Block[];
  /** Position of the edited payment among the first block's transactions. */
  readonly payment: number;
}

/** What the network's rules say about one block of a copy. */
export interface CopyCheck {
  /** The block in the copy. */
  readonly block: Block;
  /** The block it replaces. */
  readonly original: Block;
  /** Its hash against its target (checkProofOfWork): the target, or `bad-pow`. */
  readonly proof: Result<bigint, Rejection>;
  /** Its previous hash against the block before it in the copy (checkLink). */
  readonly link: Result<null, Rejection>;
  /**
   * Does it follow from the honest chain through the copy: its own link and every link before it
   * hold? A block after a broken link is cut off from the edited block even when its own link
   * holds.
   */
  readonly connected: boolean;
  /**
   * The edited payment against the rules that need no state (checkTransfer): `bad-signature`,
   * since the signature covers the old bytes. Null for blocks whose payments nobody touched.
   */
  readonly payment: Result<null, Rejection> | null;
}

/**
 * Copy `chain` (best-chain blocks, the one to edit first, each linking to the one before) and
 * rewrite one field of payment `payment` of its first block, keeping the signature: the Merkle root
 * and the header hash are recomputed from the canonical bytes, the proof is kept as it was. The
 * new value must pass the rules a node applies (amount at least 1, fee at least 0, an address);
 * a refusal is a typed rejection and builds nothing. Throws RangeError when `chain` is empty or not
 * linked, or when `payment` is not a transfer (programmer errors: the page offers only payments).
 */
export function tamper(
  chain: readonly Block[],
  payment: number,
  edit: PaymentEdit,
): Result<TamperedCopy, Rejection> {
  const [first] = chain;
  if (!first) throw new RangeError('nothing to copy');
  for (let i = 1; i < chain.length; i++) {
    const block = chain[i];
    if (block && !checkLink(block, chain[i - 1]?.hash ?? first.hash).ok) {
      throw new RangeError('the blocks to copy do not form a chain');
    }
  }
  const tx = first.transactions[payment];
  if (tx?.kind !== 'transfer') throw new RangeError('only a payment can be edited');
  const altered = alterPayment(tx, edit);
  if (!altered.ok) return altered;
  const transactions = first.transactions.map((t, i) => (i === payment ? altered.value : t));
  const header: BlockHeader = { ...first.header, merkleRoot: transactionsRoot(transactions) };
  return ok({
    anchor: first.header.previousHash,
    originals: chain,
    blocks: [makeBlock(header, transactions), ...chain.slice(1)],
    payment,
  });
}

/** The payment with the edit applied and its old signature kept, if the new value is allowed. */
function alterPayment(tx: Transfer, edit: PaymentEdit): Result<Transfer, Rejection> {
  switch (edit.field) {
    case 'amount': {
      const rule = checkAmount(edit.value);
      return rule.ok ? ok(alterTransfer(tx, { amount: edit.value })) : rule;
    }
    case 'fee': {
      const rule = checkFee(edit.value);
      return rule.ok ? ok(alterTransfer(tx, { fee: edit.value })) : rule;
    }
    case 'recipient':
      return parseAddress(edit.value) === null
        ? reject('malformed', 'The recipient must be an address: 40 hexadecimal digits.')
        : ok(alterTransfer(tx, { recipient: edit.value }));
  }
}

/**
 * Check every block of a copy with the validator's own rules: its proof of work, its link to the
 * block before it (the anchor for the first), and for the edited block the edited payment.
 */
export function checkCopy(copy: TamperedCopy, params: ChainParams): CopyCheck[] {
  let connected = true;
  return copy.blocks.map((block, i) => {
    const original = copy.originals[i] ?? block;
    const previous = i === 0 ? copy.anchor : (copy.blocks[i - 1]?.hash ?? copy.anchor);
    const edited = i === 0 ? block.transactions[copy.payment] : undefined;
    const link = checkLink(block, previous);
    connected &&= link.ok;
    return {
      block,
      original,
      proof: checkProofOfWork(block, params),
      link,
      connected,
      payment: edited?.kind === 'transfer' ? checkTransfer(edited, params) : null,
    };
  });
}

/** Does re-mining fix something in this block: a proof that misses its target, or a broken link? */
export function needsRemining(check: CopyCheck): boolean {
  return !check.proof.ok || !check.link.ok;
}

/** The first block re-mining would fix (see {@link needsRemining}), or null when none needs it. */
export function nextToRemine(checks: readonly CopyCheck[]): number | null {
  const i = checks.findIndex(needsRemining);
  return i < 0 ? null : i;
}

/** A proof search for one block of a copy, relinked to the block before it in the copy. */
export interface Remining {
  /** Which block of the copy. */
  readonly position: number;
  /** Its header, naming the copy's block before it, proof 0. */
  readonly header: BlockHeader;
  /** The target its bits declare: re-mining never makes the work easier. */
  readonly target: bigint;
  readonly job: PowJob;
}

/** Prepare the proof search for block `position` of a copy. */
export function startRemining(copy: TamperedCopy, position: number): Remining {
  const block = copy.blocks[position];
  if (!block) throw new RangeError(`no block at position ${position}`);
  const previousHash = position === 0 ? copy.anchor : copy.blocks[position - 1]?.hash;
  if (previousHash === undefined) throw new RangeError('no block before it');
  const header: BlockHeader = { ...block.header, previousHash, proof: 0 };
  const target = headerTarget(header);
  if (target === null) throw new RangeError('the block declares no valid target');
  return { position, header, target, job: preparePowJob(encodeHeader(header), target) };
}

/**
 * Try proofs `start` to `start + count - 1` with the miners' SHA-256 kernel: the first whose hash
 * meets the target, or null. A caller runs it in slices with a pause in between
 * (CONTRIBUTING.md, Mining never blocks).
 */
export function searchProof(remining: Remining, start: number, count: number): number | null {
  return mineRange(remining.job, start, count)?.proof ?? null;
}

/** The copy with the re-mined block in place (its proof found by {@link searchProof}). */
export function withProof(copy: TamperedCopy, remining: Remining, proof: number): TamperedCopy {
  const old = copy.blocks[remining.position];
  if (!old) throw new RangeError(`no block at position ${remining.position}`);
  const block = makeBlock({ ...remining.header, proof }, old.transactions);
  return { ...copy, blocks: copy.blocks.map((b, i) => (i === remining.position ? block : b)) };
}

/**
 * The tampered branch a node can be offered: the edited block and the blocks after it that link to
 * it through the copy (the re-mined ones). Later blocks still naming the honest chain are the
 * honest blocks themselves, which every node already has.
 */
export function tamperedBranch(copy: TamperedCopy): Block[] {
  const [first, ...rest] = copy.blocks;
  if (!first) return [];
  const branch = [first];
  for (const block of rest) {
    const previous = branch[branch.length - 1];
    if (!previous || !checkLink(block, previous.hash).ok) break;
    branch.push(block);
  }
  return branch;
}
