/**
 * Pending payments, validated against the best tip's ledger plus the sender's earlier pending
 * payments, so one sender can queue several in nonce order. Conflicts (a second payment with the
 * same sender and nonce) are refused. Blocks take the highest fees first.
 */
import type { Account, LedgerView } from './ledger.ts';
import type { ChainParams } from './params.ts';
import type { Result } from './result.ts';
import { ok } from './result.ts';
import type { Transfer } from './tx.ts';
import type { Address, TxId } from './types.ts';
import type { Rejection } from './validation.ts';
import { checkAgainstAccount, checkTransfer, reject } from './validation.ts';

/** Default capacity, in payments. */
export const MEMPOOL_CAPACITY = 5000;

interface Pending {
  readonly tx: Transfer;
  readonly seq: number;
}

/** A node's pending payments. */
export class Mempool {
  readonly #params: ChainParams;
  readonly #capacity: number;
  readonly #verified: Set<TxId>;
  readonly #txs = new Map<TxId, Pending>();
  readonly #spends = new Map<string, TxId>();
  readonly #outgoing = new Map<Address, { count: bigint; spent: bigint }>();
  #seq = 0;

  constructor(params: ChainParams, capacity = MEMPOOL_CAPACITY, verified = new Set<TxId>()) {
    this.#params = params;
    this.#capacity = capacity;
    this.#verified = verified;
  }

  /** How many payments wait. */
  get size(): number {
    return this.#txs.size;
  }

  /** Is this payment waiting? */
  has(id: TxId): boolean {
    return this.#txs.has(id);
  }

  /** A waiting payment by id. */
  get(id: TxId): Transfer | undefined {
    return this.#txs.get(id)?.tx;
  }

  /** Waiting payments, highest fee first, then oldest first. */
  list(): Transfer[] {
    return [...this.#txs.values()]
      .sort((a, b) => (a.tx.fee === b.tx.fee ? a.seq - b.seq : a.tx.fee > b.tx.fee ? -1 : 1))
      .map((p) => p.tx);
  }

  /** The sender's account as it will be once its pending payments confirm. */
  projected(address: Address, ledger: LedgerView): Account {
    const base = ledger.get(address);
    const out = this.#outgoing.get(address);
    return out ? { balance: base.balance - out.spent, nonce: base.nonce + out.count } : base;
  }

  /** Validate and add a payment; a rejection leaves the pool unchanged. */
  add(tx: Transfer, ledger: LedgerView): Result<null, Rejection> {
    if (this.#txs.has(tx.id)) {
      return reject('duplicate', 'This payment is already waiting to be mined.');
    }
    if (this.#spends.has(spendKey(tx))) {
      return reject(
        'double-spend',
        `Another pending payment from this sender already uses nonce ${tx.nonce}.`,
      );
    }
    const rules = checkTransfer(tx, this.#params, this.#verified);
    if (!rules.ok) return rules;
    const funds = checkAgainstAccount(tx, this.projected(tx.sender, ledger));
    if (!funds.ok) return funds;
    if (this.#txs.size >= this.#capacity) {
      return reject(
        'mempool-full',
        'Too many payments are waiting; try again after the next block.',
      );
    }
    this.#txs.set(tx.id, { tx, seq: this.#seq++ });
    this.#spends.set(spendKey(tx), tx.id);
    const out = this.#outgoing.get(tx.sender) ?? { count: 0n, spent: 0n };
    this.#outgoing.set(tx.sender, { count: out.count + 1n, spent: out.spent + tx.amount + tx.fee });
    return ok(null);
  }

  /**
   * Re-check everything against a new best tip: payments now confirmed or no longer valid leave;
   * `returning` payments (from blocks that left the best chain) come back when still valid.
   * Returns the payments that were dropped.
   */
  reconcile(ledger: LedgerView, returning: readonly Transfer[] = []): Transfer[] {
    const candidates = [...returning, ...[...this.#txs.values()].map((p) => p.tx)];
    this.#txs.clear();
    this.#spends.clear();
    this.#outgoing.clear();
    // Ascending nonce keeps each sender's chain of payments in order.
    candidates.sort((a, b) => (a.nonce === b.nonce ? 0 : a.nonce < b.nonce ? -1 : 1));
    const dropped: Transfer[] = [];
    for (const tx of candidates) if (!this.add(tx, ledger).ok) dropped.push(tx);
    return dropped;
  }

  /**
   * Payments for a new block: highest fee first, each sender's in nonce order, within `maxBytes`
   * of encoded transactions.
   */
  select(ledger: LedgerView, maxBytes: number): Transfer[] {
    const nextNonce = new Map<Address, bigint>();
    const chosen: Transfer[] = [];
    let remaining = this.list();
    let bytes = 0;
    for (let progress = true; progress && remaining.length > 0;) {
      progress = false;
      const later: Transfer[] = [];
      for (const tx of remaining) {
        const expected = nextNonce.get(tx.sender) ?? ledger.get(tx.sender).nonce;
        const size = tx.bytes.length + 4;
        if (tx.nonce !== expected || bytes + size > maxBytes) {
          later.push(tx);
          continue;
        }
        chosen.push(tx);
        bytes += size;
        nextNonce.set(tx.sender, expected + 1n);
        progress = true;
      }
      remaining = later;
    }
    return chosen;
  }
}

function spendKey(tx: Transfer): string {
  return `${tx.sender}:${tx.nonce}`;
}
