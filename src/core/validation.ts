/**
 * Validation returns a typed reason instead of throwing, and never changes anything (CONTRIBUTING.md, Rejection as data).
 * The node maps each reason to a 4xx answer with a message a learner can understand.
 */
import type { Block } from './block.ts';
import { blockVersion, headerTarget, SAMPLED_BLOCK_VERSION } from './block.ts';
import { bytesToBigInt, sha256 } from './hash.ts';
import { encodeHeader, matchesTransactionsRoot } from './block.ts';
import type { Account, LedgerView } from './ledger.ts';
import { Ledger } from './ledger.ts';
import type { ChainParams } from './params.ts';
import type { Result } from './result.ts';
import { err, ok } from './result.ts';
import type { Transfer } from './tx.ts';
import { MAX_AMOUNT, signingBytes } from './tx.ts';
import type { BlockHash, TxId } from './types.ts';
import { verify } from './wallet.ts';

/** Why a block or transaction was refused. */
export type RejectReason =
  | 'malformed'
  | 'oversize'
  | 'bad-version'
  | 'bad-pow'
  | 'bad-target'
  | 'bad-merkle-root'
  | 'bad-previous-hash'
  | 'bad-index'
  | 'time-too-old'
  | 'time-too-new'
  | 'bad-coinbase'
  | 'bad-reward'
  | 'wrong-chain'
  | 'bad-amount'
  | 'bad-fee'
  | 'bad-signature'
  | 'bad-nonce'
  | 'insufficient-funds'
  | 'double-spend'
  | 'duplicate'
  | 'invalid-parent'
  | 'orphan-too-easy'
  | 'mempool-full';

/**
 * Reasons an honest peer's block can be refused for: it was judged against this node's view (its
 * clock, or a tip far harder than the branch the block's unseen parents are on), not found
 * broken. The rest prove the sender sent something no honest node makes or relays.
 */
const VIEW_DEPENDENT: ReadonlySet<RejectReason> = new Set([
  'time-too-new',
  'orphan-too-easy',
  'duplicate',
  'mempool-full',
]);

/** Whether a block refused for `reason` shows its sender misbehaved (and counts against it). */
export function isOffence(reason: RejectReason): boolean {
  return !VIEW_DEPENDENT.has(reason);
}

/** A refusal: a stable reason for code and a sentence for people. */
export interface Rejection {
  readonly reason: RejectReason;
  readonly message: string;
}

/** Build a rejection. */
export function reject(reason: RejectReason, message: string): { ok: false; error: Rejection } {
  return err({ reason, message });
}

/** What a block's parent tells about it. */
export interface BlockContext {
  readonly params: ChainParams;
  readonly parentIndex: number;
  /** The bits the block must carry (after retargeting). */
  readonly expectedBits: number;
  /** Median timestamp of the last 11 blocks up to the parent (BIP 113). */
  readonly medianTimePastMs: number;
  /** The validating node's clock. */
  readonly nowMs: number;
  /** State after the parent. */
  readonly ledger: LedgerView;
  /** Transfers whose signatures were already verified, like Bitcoin's signature cache. */
  readonly verified?: Set<TxId>;
}

/** What a valid block adds up to: the fees its coinbase may claim besides the reward. */
export interface BlockFees {
  readonly fees: bigint;
}

const PASSED = ok(null);

/** The amount rule: a whole number of coins, at least 1 and at most MAX_AMOUNT. */
export function checkAmount(amount: bigint): Result<null, Rejection> {
  return amount <= 0n || amount > MAX_AMOUNT
    ? reject('bad-amount', 'The amount must be a whole number of coins, at least 1.')
    : PASSED;
}

/** The fee rule: a whole number of coins, 0 or more and at most MAX_AMOUNT. */
export function checkFee(fee: bigint): Result<null, Rejection> {
  return fee < 0n || fee > MAX_AMOUNT
    ? reject('bad-fee', 'The fee must be a whole number of coins, 0 or more.')
    : PASSED;
}

/**
 * Does the block name `previous` as the block before it? A node finds a block's parent by this
 * hash, so a block whose predecessor changed no longer links to it.
 */
export function checkLink(block: Block, previous: BlockHash): Result<null, Rejection> {
  return block.header.previousHash === previous
    ? PASSED
    : reject(
        'bad-previous-hash',
        "The block's previous hash names another block: it does not link to the block before it.",
      );
}

/** Checks that need no state: chain, amount, fee and signature. */
export function checkTransfer(
  tx: Transfer,
  params: ChainParams,
  verified?: Set<TxId>,
): Result<null, Rejection> {
  if (tx.chainId !== params.chainId) {
    return reject('wrong-chain', 'This transaction was signed for another network.');
  }
  const amount = checkAmount(tx.amount);
  if (!amount.ok) return amount;
  const fee = checkFee(tx.fee);
  if (!fee.ok) return fee;
  if (tx.nonce > MAX_AMOUNT) return reject('bad-nonce', 'The nonce is out of range.');
  if (verified?.has(tx.id) !== true) {
    if (!verify(tx.signature, signingBytes(tx), tx.senderKey)) {
      return reject('bad-signature', 'The signature does not match the sender: forged or altered.');
    }
    verified?.add(tx.id);
  }
  return ok(null);
}

/** Checks against the sender's account: the next nonce, and enough coins for amount and fee. */
export function checkAgainstAccount(tx: Transfer, account: Account): Result<null, Rejection> {
  if (tx.nonce < account.nonce) {
    return reject(
      'bad-nonce',
      `Nonce ${tx.nonce} was already used by this sender: this payment looks like a replay.`,
    );
  }
  if (tx.nonce > account.nonce) {
    return reject(
      'bad-nonce',
      `The sender's next payment must have nonce ${account.nonce}, not ${tx.nonce}.`,
    );
  }
  if (account.balance < tx.amount + tx.fee) {
    return reject(
      'insufficient-funds',
      `Insufficient funds: the sender has ${account.balance} coins but this payment needs ${tx.amount + tx.fee} (amount plus fee).`,
    );
  }
  return ok(null);
}

const REAL_WORK = { work: 'real' } as const;

/** Is the header's version the one this chain's blocks carry? */
export function checkVersion(
  block: Block,
  params: Pick<ChainParams, 'work'>,
): Result<null, Rejection> {
  const version = block.header.version;
  if (version === blockVersion(params)) return ok(null);
  if (version === SAMPLED_BLOCK_VERSION) {
    return reject(
      'bad-version',
      'This block was made by a sampled-work simulation: it has no real proof of work, so no real node accepts it.',
    );
  }
  return reject('bad-version', 'Unknown block version.');
}

/**
 * Does the header's hash meet the target it declares? In a sampled-work chain the block carries no
 * proof: its discovery time was drawn from the distribution a real search follows (see
 * SAMPLED_BLOCK_VERSION), so only the version and the declared target are checked.
 */
export function checkProofOfWork(
  block: Block,
  params: Pick<ChainParams, 'work'> = REAL_WORK,
): Result<bigint, Rejection> {
  const version = checkVersion(block, params);
  return version.ok ? checkProof(block, params) : version;
}

/** The proof check alone, for callers that checked the version already. */
function checkProof(block: Block, params: Pick<ChainParams, 'work'>): Result<bigint, Rejection> {
  const target = headerTarget(block.header);
  if (target === null) return reject('bad-target', 'The block declares an invalid difficulty.');
  if (params.work === 'sampled') return ok(target);
  const hash = bytesToBigInt(sha256(encodeHeader(block.header)));
  if (hash >= target) {
    return reject(
      'bad-pow',
      "The block's hash does not meet its difficulty target: no valid proof of work.",
    );
  }
  return ok(target);
}

/**
 * Full validation of a block on top of its parent. Cheap header checks run first; transactions are
 * replayed on a throw-away overlay, so nothing changes whatever the outcome.
 */
export function validateBlock(block: Block, ctx: BlockContext): Result<BlockFees, Rejection> {
  const { header } = block;
  const { params } = ctx;
  if (block.bytes.length > params.maxBlockBytes) {
    return reject('oversize', `The block is larger than ${params.maxBlockBytes} bytes.`);
  }
  const version = checkVersion(block, params);
  if (!version.ok) return version;
  if (header.index !== ctx.parentIndex + 1) {
    return reject(
      'bad-index',
      `The block says index ${header.index} but comes after block ${ctx.parentIndex}.`,
    );
  }
  if (header.bits !== ctx.expectedBits) {
    return reject('bad-target', 'The block does not use the difficulty the chain requires.');
  }
  const pow = checkProof(block, params);
  if (!pow.ok) return pow;
  if (header.timestampMs <= ctx.medianTimePastMs) {
    return reject('time-too-old', 'The timestamp is not after the median of the last 11 blocks.');
  }
  if (header.timestampMs > ctx.nowMs + params.maxFutureMs) {
    return reject('time-too-new', 'The timestamp is too far in the future.');
  }
  if (!matchesTransactionsRoot(header.merkleRoot, block.transactions)) {
    return reject('bad-merkle-root', "The Merkle root does not match the block's transactions.");
  }

  const [coinbase, ...rest] = block.transactions;
  if (coinbase?.kind !== 'coinbase') {
    return reject('bad-coinbase', 'The first transaction must pay the miner (the coinbase).');
  }
  if (coinbase.chainId !== params.chainId || coinbase.height !== header.index) {
    return reject('bad-coinbase', 'The coinbase does not belong to this block.');
  }

  let fees = 0n;
  // A coinbase-only block (most of a large run) needs no overlay or duplicate tracking.
  if (rest.length > 0) {
    const seenIds = new Set<TxId>();
    const seenSpends = new Set<string>();
    const overlay = new Ledger(ctx.ledger);
    for (const tx of rest) {
      if (tx.kind !== 'transfer') {
        return reject('bad-coinbase', 'Only the first transaction of a block may mint coins.');
      }
      if (seenIds.has(tx.id))
        return reject('duplicate', 'The block contains the same payment twice.');
      seenIds.add(tx.id);
      const spend = `${tx.sender}:${tx.nonce}`;
      if (seenSpends.has(spend)) {
        return reject('double-spend', 'The block contains two payments spending the same nonce.');
      }
      seenSpends.add(spend);
      const rules = checkTransfer(tx, params, ctx.verified);
      if (!rules.ok) return rules;
      const from = overlay.get(tx.sender);
      const funds = checkAgainstAccount(tx, from);
      if (!funds.ok) return funds;
      overlay.applyTransaction(tx);
      fees += tx.fee;
    }
  }
  if (coinbase.amount !== params.reward + fees) {
    return reject(
      'bad-reward',
      `The miner paid itself ${coinbase.amount} coins; the reward plus fees is ${params.reward + fees}.`,
    );
  }
  return ok({ fees });
}
