/**
 * Account state: a balance and a nonce per address, as of some block. The best chain's ledger is
 * kept in place with undo records; other branches are evaluated on a copy-on-write overlay.
 */
import type { Block } from './block.ts';
import type { Transaction } from './tx.ts';
import type { Address } from './types.ts';

/** One account's state. */
export interface Account {
  readonly balance: bigint;
  /** How many payments this address has sent: the nonce its next payment must carry. */
  readonly nonce: bigint;
}

/** The state of an account nobody has paid yet. */
export const EMPTY_ACCOUNT: Account = { balance: 0n, nonce: 0n };

/** Read access to some ledger. */
export interface LedgerView {
  get(address: Address): Account;
}

/** What undoes one block: each touched account's state before it. */
export type Undo = ReadonlyMap<Address, Account | undefined>;

/**
 * The same record, flat: address, prior state, address, prior state, … A block tree keeps one per
 * block of its best chain on every node, and a Map per record was 40% of a large run's heap
 * (measured), where one short array is a quarter of that.
 */
export type CompactUndo = readonly (Address | Account | undefined)[];

/** A mutable ledger: a map, plus whatever it was layered on. */
export class Ledger implements LedgerView {
  readonly #accounts = new Map<Address, Account | undefined>();
  readonly #base: LedgerView | null;

  /** A ledger on its own, or an overlay whose writes never reach `base`. */
  constructor(base: LedgerView | null = null) {
    this.#base = base;
  }

  get(address: Address): Account {
    // One lookup for the common case; `has` only tells an overlay's "never paid" from "not mine".
    const account = this.#accounts.get(address);
    if (account !== undefined) return account;
    if (this.#base === null || this.#accounts.has(address)) return EMPTY_ACCOUNT;
    return this.#base.get(address);
  }

  /** Set an account (undefined: back to never paid). */
  set(address: Address, account: Account | undefined): void {
    if (this.#base === null && account === undefined) this.#accounts.delete(address);
    else this.#accounts.set(address, account);
  }

  /** Every account this ledger holds itself (not its base), for listings and replays. */
  entries(): IterableIterator<[Address, Account | undefined]> {
    return this.#accounts.entries();
  }

  /**
   * Apply one transaction, recording each touched account's prior state in `undo` if given.
   * Coinbase credits the miner; a transfer moves amount + fee out of the sender, amount to the
   * recipient, and bumps the sender's nonce. Checks belong to validation, not here.
   */
  applyTransaction(tx: Transaction, undo?: Map<Address, Account | undefined>): void {
    this.#applyTransaction(tx, (a, prior) => {
      if (undo && !undo.has(a)) undo.set(a, prior);
    });
  }

  #applyTransaction(
    tx: Transaction,
    record: (address: Address, prior: Account | undefined) => void,
  ): void {
    const touch = (a: Address): Account => {
      const current = this.get(a);
      record(a, current === EMPTY_ACCOUNT ? undefined : current);
      return current;
    };
    if (tx.kind === 'transfer') {
      const from = touch(tx.sender);
      this.set(tx.sender, { balance: from.balance - tx.amount - tx.fee, nonce: from.nonce + 1n });
    }
    const to = touch(tx.recipient);
    this.set(tx.recipient, { balance: to.balance + tx.amount, nonce: to.nonce });
  }

  /** Apply an already-validated block and return its undo record. */
  apply(block: Block): Undo {
    const flat = this.applyCompact(block);
    const undo = new Map<Address, Account | undefined>();
    for (let i = 0; i < flat.length; i += 2) {
      undo.set(flat[i] as Address, flat[i + 1] as Account | undefined);
    }
    return undo;
  }

  /** Roll one block back. */
  revert(undo: Undo): void {
    for (const [address, account] of undo) this.set(address, account);
  }

  /** Apply an already-validated block and return its undo record, flat (see CompactUndo). */
  applyCompact(block: Block): CompactUndo {
    const undo: (Address | Account | undefined)[] = [];
    const touched = (a: Address): boolean => {
      for (let i = 0; i < undo.length; i += 2) if (undo[i] === a) return true;
      return false;
    };
    for (const tx of block.transactions) {
      this.#applyTransaction(tx, (a, prior) => {
        if (!touched(a)) undo.push(a, prior);
      });
    }
    return undo;
  }

  /** Roll one block back from its flat undo record. */
  revertCompact(undo: CompactUndo): void {
    for (let i = 0; i < undo.length; i += 2) {
      this.set(undo[i] as Address, undo[i + 1] as Account | undefined);
    }
  }
}
