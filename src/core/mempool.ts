/**
 * Pending payments, validated against the best tip's ledger plus the sender's earlier waiting
 * payments, so one sender can queue several in nonce order. Conflicts (a second payment with the
 * same sender and nonce) are refused. Blocks take the highest fees first.
 *
 * Two queues, as account-based chains keep them (Ethereum's txpool: "pending" and "queued"):
 * - ready: payments valid in order from the sender's confirmed account; blocks take only these;
 * - queued: payments whose nonce is ahead of the sender's next one (a gap, say after a reorg
 *   dropped an earlier payment). They wait, bounded, and move to ready when the gap fills.
 * A payment that can never be valid again leaves with a typed reason ({@link Dropped}), never
 * silently.
 */
import type { Account, LedgerView } from './ledger.ts';
import type { ChainParams } from './params.ts';
import type { Result } from './result.ts';
import { ok } from './result.ts';
import type { Transfer } from './tx.ts';
import type { Address, TxId } from './types.ts';
import type { Rejection } from './validation.ts';
import { checkAgainstAccount, checkTransfer, reject } from './validation.ts';

/** Default capacity, in payments (ready and queued together). */
export const MEMPOOL_CAPACITY = 5000;
/**
 * Most payments waiting behind a nonce gap, all senders together. Geth's txpool allows 1,024
 * queued transactions (`GlobalQueue`) and 64 per account (`AccountQueue`); we keep both numbers.
 */
export const QUEUED_CAPACITY = 1024;
/** How far ahead of a sender's confirmed nonce a payment may be queued (geth's `AccountQueue`). */
export const MAX_NONCE_GAP = 64n;

/** Why a waiting payment left the pool without being confirmed. */
export type DropReason = 'nonce-used' | 'nonce-conflict' | 'insufficient-funds' | 'mempool-full';

/** A payment that left the pool without being confirmed, and why. */
export interface Dropped {
  readonly tx: Transfer;
  readonly reason: DropReason;
  /** A sentence a learner understands, with this payment's numbers. */
  readonly message: string;
}

/** What adding a payment did besides adding it. */
export interface Added {
  /** Waiting behind a nonce gap rather than ready for a block. */
  readonly queued: boolean;
  /** Queued payments that this one made ready (the gap it filled). */
  readonly promoted: readonly Transfer[];
  /** Later payments of the same sender it left without funds. */
  readonly dropped: readonly Dropped[];
}

/** What re-checking the pool against a new best tip did. */
export interface Reconciled {
  /** Payments that left because a block of the new best chain holds them. */
  readonly confirmed: readonly Transfer[];
  /** Payments that left for good, each with its reason. */
  readonly dropped: readonly Dropped[];
}

interface Entry {
  readonly tx: Transfer;
  readonly seq: number;
  queued: boolean;
}

/** Where the placement rule puts each of a sender's payments. */
type Placement =
  | { readonly entry: Entry; readonly place: 'ready' | 'queued' }
  | { readonly entry: Entry; readonly place: 'dropped'; readonly drop: Omit<Dropped, 'tx'> };

/** A node's pending payments. */
export class Mempool {
  readonly #params: ChainParams;
  readonly #capacity: number;
  readonly #verified: Set<TxId>;
  readonly #queuedCapacity: number;
  readonly #entries = new Map<TxId, Entry>();
  /** Each sender's waiting payments by nonce. */
  readonly #senders = new Map<Address, Map<bigint, Entry>>();
  #queuedCount = 0;
  #seq = 0;

  constructor(
    params: ChainParams,
    capacity = MEMPOOL_CAPACITY,
    verified = new Set<TxId>(),
    queuedCapacity = QUEUED_CAPACITY,
  ) {
    this.#params = params;
    this.#capacity = capacity;
    this.#verified = verified;
    this.#queuedCapacity = queuedCapacity;
  }

  /** How many payments are ready for a block. */
  get size(): number {
    return this.#entries.size - this.#queuedCount;
  }

  /** Nothing waiting at all, ready or queued. */
  get empty(): boolean {
    return this.#entries.size === 0;
  }

  /** How many payments wait behind a nonce gap. */
  get queuedSize(): number {
    return this.#queuedCount;
  }

  /** Is this payment waiting (ready or queued)? */
  has(id: TxId): boolean {
    return this.#entries.has(id);
  }

  /** Is this payment waiting behind a nonce gap? */
  isQueued(id: TxId): boolean {
    return this.#entries.get(id)?.queued === true;
  }

  /** A waiting payment (ready or queued) by id. */
  get(id: TxId): Transfer | undefined {
    return this.#entries.get(id)?.tx;
  }

  /** Payments ready for a block, highest fee first, then oldest first. */
  list(): Transfer[] {
    return this.#sorted(false);
  }

  /** Payments waiting behind a nonce gap, highest fee first, then oldest first. */
  listQueued(): Transfer[] {
    return this.#sorted(true);
  }

  #sorted(queued: boolean): Transfer[] {
    return [...this.#entries.values()]
      .filter((e) => e.queued === queued)
      .sort((a, b) => (a.tx.fee === b.tx.fee ? a.seq - b.seq : a.tx.fee > b.tx.fee ? -1 : 1))
      .map((e) => e.tx);
  }

  /** The sender's account as it will be once its ready payments confirm. */
  projected(address: Address, ledger: LedgerView): Account {
    let { balance, nonce } = ledger.get(address);
    const mine = this.#senders.get(address);
    for (let e = mine?.get(nonce); e && !e.queued; e = mine?.get(nonce)) {
      balance -= e.tx.amount + e.tx.fee;
      nonce++;
    }
    return { balance, nonce };
  }

  /**
   * The nonce the sender's next payment should carry: the first one none of its waiting payments
   * uses, so a new payment never reuses a queued payment's nonce, and fills a gap when there is
   * one (letting the payments queued behind it through).
   */
  nextNonce(address: Address, ledger: LedgerView): bigint {
    const mine = this.#senders.get(address);
    let { nonce } = ledger.get(address);
    while (mine?.has(nonce) === true) nonce++;
    return nonce;
  }

  /**
   * Validate and add a payment: ready when its nonce is the sender's next one, queued when it
   * is ahead (within {@link MAX_NONCE_GAP}). A rejection leaves the pool unchanged
   * (CONTRIBUTING.md, Rejection as data).
   */
  add(tx: Transfer, ledger: LedgerView): Result<Added, Rejection> {
    if (this.#entries.has(tx.id)) {
      return reject('duplicate', 'This payment is already waiting to be mined.');
    }
    const mine = this.#senders.get(tx.sender);
    if (mine?.has(tx.nonce) === true) {
      return reject(
        'double-spend',
        `Another pending payment from this sender already uses nonce ${tx.nonce}.`,
      );
    }
    const rules = checkTransfer(tx, this.#params, this.#verified);
    if (!rules.ok) return rules;
    const account = ledger.get(tx.sender);
    if (tx.nonce < account.nonce) return refusal(tx, account);
    if (tx.nonce - account.nonce > MAX_NONCE_GAP) {
      return reject(
        'bad-nonce',
        `Nonce ${tx.nonce} is too far ahead: the sender's next payment must have nonce ${this.projected(tx.sender, ledger).nonce}, and at most ${MAX_NONCE_GAP} may wait behind a gap.`,
      );
    }
    const entry: Entry = { tx, seq: this.#seq, queued: false };
    const others = [...(mine?.values() ?? [])];
    const plan = place([...others, entry], account);
    const own = plan.find((p) => p.entry === entry);
    if (!own || own.place === 'dropped') {
      // Explain with the sender's account as it stands before this payment.
      return refusal(tx, accountBefore(tx, place(others, account), account));
    }
    if (this.#entries.size >= this.#capacity) {
      return reject(
        'mempool-full',
        'Too many payments are waiting; try again after the next block.',
      );
    }
    const queuedAfter =
      this.#queuedCount +
      plan.filter((p) => p.place === 'queued').length -
      others.filter((e) => e.queued).length;
    if (own.place === 'queued' && queuedAfter > this.#queuedCapacity) {
      return reject(
        'mempool-full',
        'Too many payments are waiting for earlier ones; try again after the next block.',
      );
    }
    this.#seq++;
    this.#insert(entry);
    const promoted: Transfer[] = [];
    const dropped: Dropped[] = [];
    for (const p of plan) {
      if (p.place === 'dropped') {
        this.#remove(p.entry);
        dropped.push({ tx: p.entry.tx, ...p.drop });
        continue;
      }
      const queued = p.place === 'queued';
      if (p.entry !== entry && p.entry.queued && !queued) promoted.push(p.entry.tx);
      this.#setQueued(p.entry, queued);
    }
    return ok({ queued: own.place === 'queued', promoted, dropped });
  }

  /**
   * Re-check everything against a new best tip. Payments in `confirmed` (the blocks that joined
   * the best chain) leave as confirmed; `returning` payments (from blocks that left it) come back
   * when still valid; everything else that can never be valid again leaves with a reason.
   */
  reconcile(
    ledger: LedgerView,
    returning: readonly Transfer[] = [],
    confirmed: ReadonlySet<TxId> = new Set(),
  ): Reconciled {
    const waiting = [...this.#entries.values()];
    this.#entries.clear();
    this.#senders.clear();
    this.#queuedCount = 0;
    const left: Transfer[] = [];
    const dropped: Dropped[] = [];
    // Returning payments first: they were in a block, so they win a nonce conflict.
    const seen = new Set<TxId>();
    const bySender = new Map<Address, Entry[]>();
    const candidates = [
      ...returning.map((tx) => ({ tx, seq: -1, queued: false })),
      ...waiting.map((e) => ({ tx: e.tx, seq: e.seq, queued: false })),
    ];
    for (const e of candidates) {
      if (seen.has(e.tx.id)) continue;
      seen.add(e.tx.id);
      if (confirmed.has(e.tx.id)) {
        if (e.seq >= 0) left.push(e.tx);
        continue;
      }
      const list = bySender.get(e.tx.sender) ?? [];
      const rival = list.find((x) => x.tx.nonce === e.tx.nonce);
      if (rival) {
        dropped.push({
          tx: e.tx,
          reason: 'nonce-conflict',
          message: `Another payment from this sender with nonce ${e.tx.nonce} was kept; only one of them can count.`,
        });
        continue;
      }
      list.push({ tx: e.tx, seq: e.seq < 0 ? this.#seq++ : e.seq, queued: false });
      bySender.set(e.tx.sender, list);
    }
    for (const [sender, list] of bySender) {
      for (const p of place(list, ledger.get(sender))) {
        if (p.place === 'dropped') dropped.push({ tx: p.entry.tx, ...p.drop });
        else {
          p.entry.queued = p.place === 'queued';
          this.#insert(p.entry);
        }
      }
    }
    dropped.push(...this.#evictOverflow());
    return { confirmed: left, dropped };
  }

  /**
   * Payments for a new block: highest fee first, each sender's in nonce order, within `maxBytes`
   * of encoded transactions. Queued payments never go in: they are not valid yet.
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

  #insert(entry: Entry): void {
    this.#entries.set(entry.tx.id, entry);
    const mine = this.#senders.get(entry.tx.sender) ?? new Map<bigint, Entry>();
    mine.set(entry.tx.nonce, entry);
    this.#senders.set(entry.tx.sender, mine);
    if (entry.queued) this.#queuedCount++;
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.tx.id);
    const mine = this.#senders.get(entry.tx.sender);
    mine?.delete(entry.tx.nonce);
    if (mine?.size === 0) this.#senders.delete(entry.tx.sender);
    if (entry.queued) this.#queuedCount--;
  }

  #setQueued(entry: Entry, queued: boolean): void {
    if (entry.queued === queued) return;
    this.#queuedCount += queued ? 1 : -1;
    entry.queued = queued;
  }

  /**
   * After a reorg brought payments back, keep within both bounds: drop the newest arrivals that
   * sit last in their sender's sequence, so no ready payment is left behind a new gap.
   */
  #evictOverflow(): Dropped[] {
    const dropped: Dropped[] = [];
    while (this.#entries.size > this.#capacity || this.#queuedCount > this.#queuedCapacity) {
      const onlyQueued = this.#entries.size <= this.#capacity;
      let victim: Entry | undefined;
      for (const mine of this.#senders.values()) {
        let last: Entry | undefined;
        for (const e of mine.values()) if (!last || e.tx.nonce > last.tx.nonce) last = e;
        if (!last || (onlyQueued && !last.queued)) continue;
        if (!victim || last.seq > victim.seq) victim = last;
      }
      if (!victim) break;
      this.#remove(victim);
      dropped.push({
        tx: victim.tx,
        reason: 'mempool-full',
        message: 'Too many payments were waiting when it came back from an abandoned block.',
      });
    }
    return dropped;
  }
}

/**
 * The placement rule for one sender's payments against its confirmed account, in nonce order:
 * a nonce already used on the best chain can never count again; each payment must be covered by
 * the balance left after the sender's earlier ones (geth's txpool drops "unpayable" transactions
 * the same way); the unbroken run from the account's nonce is ready, the rest waits queued.
 */
function place(entries: readonly Entry[], account: Account): Placement[] {
  const sorted = [...entries].sort((a, b) =>
    a.tx.nonce === b.tx.nonce ? 0 : a.tx.nonce < b.tx.nonce ? -1 : 1,
  );
  let balance = account.balance;
  let next = account.nonce;
  let inOrder = true;
  const out: Placement[] = [];
  for (const entry of sorted) {
    const { tx } = entry;
    const cost = tx.amount + tx.fee;
    if (tx.nonce < account.nonce) {
      out.push({
        entry,
        place: 'dropped',
        drop: {
          reason: 'nonce-used',
          message: `Nonce ${tx.nonce} is already used by another payment from this sender on the best chain, so this one can never count.`,
        },
      });
    } else if (tx.nonce - account.nonce > MAX_NONCE_GAP) {
      out.push({
        entry,
        place: 'dropped',
        drop: {
          reason: 'mempool-full',
          message: `Nonce ${tx.nonce} is more than ${MAX_NONCE_GAP} ahead of the sender's next one (${account.nonce}).`,
        },
      });
    } else if (balance < cost) {
      out.push({
        entry,
        place: 'dropped',
        drop: {
          reason: 'insufficient-funds',
          message: `The sender no longer has the coins: it has ${balance} left after its earlier payments, and this one needs ${cost} (amount plus fee). The coins it counted on may have come from blocks that left the best chain.`,
        },
      });
    } else {
      balance -= cost;
      if (inOrder && tx.nonce === next) {
        out.push({ entry, place: 'ready' });
        next++;
      } else {
        inOrder = false;
        out.push({ entry, place: 'queued' });
      }
    }
  }
  return out;
}

/** The rejection `checkAgainstAccount` gives for a payment the placement rule refused. */
function refusal(tx: Transfer, account: Account): { ok: false; error: Rejection } {
  const r = checkAgainstAccount(tx, account);
  if (r.ok) throw new Error('refusal() called for a payment the account accepts');
  return r;
}

/** The account a refused payment met: confirmed state minus the sender's earlier payments kept. */
function accountBefore(tx: Transfer, plan: readonly Placement[], account: Account): Account {
  let balance = account.balance;
  let next = account.nonce;
  for (const p of plan) {
    if (p.place === 'dropped' || p.entry.tx.nonce > tx.nonce) continue;
    balance -= p.entry.tx.amount + p.entry.tx.fee;
    if (p.place === 'ready') next++;
  }
  // A queued payment is refused only for funds: show its own nonce so the message speaks of coins.
  return { balance, nonce: tx.nonce > next ? tx.nonce : next };
}
