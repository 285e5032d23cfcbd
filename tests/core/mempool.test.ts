import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockTree } from '../../src/core/chain.ts';
import { MAX_NONCE_GAP, Mempool } from '../../src/core/mempool.ts';
import { createTemplate, searchTemplate } from '../../src/core/miner.ts';
import { HEADER_BYTES } from '../../src/core/pow-kernel.ts';
import type { Transfer } from '../../src/core/tx.ts';
import { COINBASE_BYTES, decodeTransfer, signTransfer, TRANSFER_BYTES } from '../../src/core/tx.ts';
import type { Address } from '../../src/core/types.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import {
  addressFromNumber,
  easyParams,
  extendTip,
  LATE_NOW,
  mineOn,
  must,
  seededWallets,
} from './helpers.ts';

const params = easyParams({ chainId: 9, reward: 50n });
const wallets = seededWallets(3, 41);
const alice = must(wallets[0]);
const bob = must(wallets[1]);
const carol = must(wallets[2]);
const MINER = addressFromNumber(0x77);
/** Bytes one payment takes in a block. */
const SLOT = TRANSFER_BYTES + 4;

/** alice has mined 150 coins and bob 50. */
function funded(): BlockTree {
  const tree = new BlockTree(params);
  for (let i = 0; i < 3; i++) extendTip(tree, { miner: alice.address });
  extendTip(tree, { miner: bob.address });
  return tree;
}

function pay(from: Wallet, to: Address, amount: bigint, fee: bigint, nonce: bigint): Transfer {
  return signTransfer(from, { chainId: params.chainId, recipient: to, amount, fee, nonce });
}

function reasonOf(r: { ok: true } | { ok: false; error: { reason: string } }): string {
  return r.ok ? 'ok' : r.error.reason;
}

const ids = (txs: readonly Transfer[]): string[] => txs.map((t) => t.id);

describe('Mempool.add', () => {
  it('orders payments by fee, highest first, then by arrival', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const a0 = pay(alice, carol.address, 1n, 1n, 0n);
    const b0 = pay(bob, carol.address, 1n, 5n, 0n);
    const a1 = pay(alice, carol.address, 1n, 3n, 1n);
    const a2 = pay(alice, carol.address, 1n, 1n, 2n);
    const b1 = pay(bob, carol.address, 1n, 5n, 1n);
    for (const tx of [a0, b0, a1, a2, b1]) expect(reasonOf(pool.add(tx, tree.ledger))).toBe('ok');
    expect(ids(pool.list())).toEqual(ids([b0, b1, a1, a0, a2]));
    expect(pool.size).toBe(5);
    expect(pool.has(a1.id)).toBe(true);
    expect(pool.get(a1.id)).toBe(a1);
  });

  it('queues sequential nonces from one sender against the projected account', () => {
    const tree = funded();
    const pool = new Mempool(params);
    for (const nonce of [0n, 1n, 2n]) {
      expect(reasonOf(pool.add(pay(alice, bob.address, 10n, 2n, nonce), tree.ledger))).toBe('ok');
    }
    expect(pool.projected(alice.address, tree.ledger)).toEqual({ balance: 114n, nonce: 3n });
    expect(pool.projected(carol.address, tree.ledger)).toEqual({ balance: 0n, nonce: 0n });
    // The next one must carry nonce 3 and fit in what is left.
    expect(reasonOf(pool.add(pay(alice, bob.address, 110n, 5n, 3n), tree.ledger))).toBe(
      'insufficient-funds',
    );
    expect(reasonOf(pool.add(pay(alice, bob.address, 110n, 4n, 3n), tree.ledger))).toBe('ok');
    expect(pool.projected(alice.address, tree.ledger)).toEqual({ balance: 0n, nonce: 4n });
  });

  it.each([
    ['the same payment again', 'duplicate', () => pay(alice, bob.address, 10n, 0n, 0n)],
    [
      'another payment with the same nonce',
      'double-spend',
      () => pay(alice, carol.address, 9n, 7n, 0n),
    ],
    ['a nonce already confirmed', 'bad-nonce', () => pay(bob, carol.address, 1n, 0n, 0n)],
    [
      'a nonce beyond the queue’s reach',
      'bad-nonce',
      () => pay(alice, bob.address, 1n, 0n, MAX_NONCE_GAP + 1n),
    ],
    [
      'more than the sender will have',
      'insufficient-funds',
      () => pay(alice, bob.address, 141n, 0n, 1n),
    ],
    ['a sender with too little', 'insufficient-funds', () => pay(carol, bob.address, 1n, 1n, 0n)],
    ['a zero amount', 'bad-amount', () => pay(alice, bob.address, 0n, 1n, 1n)],
    [
      'another chain',
      'wrong-chain',
      () =>
        signTransfer(alice, {
          chainId: 10,
          recipient: bob.address,
          amount: 1n,
          fee: 0n,
          nonce: 1n,
        }),
    ],
    [
      'a forged signature',
      'bad-signature',
      () => {
        const bytes = pay(alice, bob.address, 1n, 0n, 1n).bytes.slice();
        bytes[64] = 2; // the amount's last byte: the signature still covers amount 1
        const forged = decodeTransfer(bytes);
        if (!forged.ok) throw new Error(forged.error);
        return forged.value;
      },
    ],
  ])('refuses %s (%s) and stays unchanged', (_name, reason, make) => {
    const tree = funded();
    // bob's nonce 0 is confirmed on the chain.
    const spent = mineOn(tree, tree.tip, { transfers: [pay(bob, carol.address, 1n, 0n, 0n)] });
    expect(tree.add(spent, LATE_NOW).ok).toBe(true);
    const pool = new Mempool(params);
    expect(reasonOf(pool.add(pay(alice, bob.address, 10n, 0n, 0n), tree.ledger))).toBe('ok');
    const before = { list: ids(pool.list()), alice: pool.projected(alice.address, tree.ledger) };

    expect(reasonOf(pool.add(make(), tree.ledger))).toBe(reason);
    expect({ list: ids(pool.list()), alice: pool.projected(alice.address, tree.ledger) }).toEqual(
      before,
    );
  });

  it('refuses payments beyond its capacity, after checking them', () => {
    const tree = funded();
    const pool = new Mempool(params, 2);
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 0n), tree.ledger))).toBe('ok');
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 1n), tree.ledger))).toBe('ok');
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 70n), tree.ledger))).toBe('bad-nonce');
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 2n), tree.ledger))).toBe(
      'mempool-full',
    );
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 5n), tree.ledger))).toBe(
      'mempool-full',
    );
    expect(pool.size).toBe(2);
    expect(pool.queuedSize).toBe(0);
  });
});

describe('Mempool.select', () => {
  it('takes the highest fees first without breaking any sender’s nonce order', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const a0 = pay(alice, carol.address, 1n, 1n, 0n);
    const a1 = pay(alice, carol.address, 1n, 10n, 1n);
    const a2 = pay(alice, carol.address, 1n, 20n, 2n);
    const b0 = pay(bob, carol.address, 1n, 5n, 0n);
    for (const tx of [a0, a1, a2, b0]) pool.add(tx, tree.ledger);
    expect(ids(pool.list())).toEqual(ids([a2, a1, b0, a0]));
    const chosen = pool.select(tree.ledger, 10 * SLOT);
    expect(ids(chosen)).toEqual(ids([b0, a0, a1, a2]));
  });

  it('stays within the byte limit, and skips a sender whose next payment does not fit', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const txs = [
      pay(alice, carol.address, 1n, 9n, 0n),
      pay(alice, carol.address, 1n, 8n, 1n),
      pay(bob, carol.address, 1n, 1n, 0n),
    ];
    for (const tx of txs) pool.add(tx, tree.ledger);
    expect(pool.select(tree.ledger, SLOT - 1)).toEqual([]);
    expect(ids(pool.select(tree.ledger, SLOT))).toEqual(ids(txs.slice(0, 1)));
    expect(ids(pool.select(tree.ledger, 2 * SLOT))).toEqual(ids(txs.slice(0, 2)));
    expect(ids(pool.select(tree.ledger, 3 * SLOT))).toEqual(ids(txs));
  });

  it('always yields a payment list that makes a valid block', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const payments = [alice, bob].flatMap((from, i) =>
      [0n, 1n, 2n, 3n].map((nonce) =>
        pay(from, carol.address, 1n + nonce, BigInt(i) + nonce, nonce),
      ),
    );
    for (const tx of payments) expect(pool.add(tx, tree.ledger).ok).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 * SLOT }), (maxBytes) => {
        const chosen = pool.select(tree.ledger, maxBytes);
        expect(chosen.length * SLOT).toBeLessThanOrEqual(maxBytes);
        expect(chosen.length).toBe(Math.min(payments.length, Math.floor(maxBytes / SLOT)));
        for (const who of [alice, bob]) {
          const nonces = chosen.filter((t) => t.sender === who.address).map((t) => t.nonce);
          expect(nonces).toEqual(nonces.map((_, i) => BigInt(i)));
        }
      }),
      { numRuns: 50 },
    );
    // The template built from the pool is a block the tree accepts, paying the fees to the miner.
    const template = createTemplate(tree, pool, MINER, tree.tip.block.header.timestampMs + 1000);
    const block = must(searchTemplate(template, 0, 1 << 24));
    expect(block.transactions).toHaveLength(1 + payments.length);
    expect(tree.add(block, LATE_NOW).ok).toBe(true);
    let fees = 0n;
    for (const tx of payments) fees += tx.fee;
    expect(tree.ledger.get(MINER).balance).toBe(params.reward + fees);
  });

  it('fills a template up to maxBlockBytes and no further', () => {
    const room = HEADER_BYTES + 4 + COINBASE_BYTES + 4 + 3 * SLOT;
    const small = easyParams({ chainId: 9, reward: 50n, maxBlockBytes: room });
    const tree = new BlockTree(small);
    for (let i = 0; i < 3; i++) extendTip(tree, { miner: alice.address });
    const pool = new Mempool(small);
    for (let n = 0n; n < 5n; n++) pool.add(pay(alice, bob.address, 1n, 0n, n), tree.ledger);
    const block = must(
      searchTemplate(createTemplate(tree, pool, MINER, LATE_NOW - 1e11), 0, 1 << 24),
    );
    expect(block.transactions).toHaveLength(4);
    expect(block.bytes.length).toBe(room);
    expect(tree.add(block, LATE_NOW).ok).toBe(true);
  });
});

describe('Mempool.reconcile', () => {
  it('drops payments a new block confirmed, keeping the rest', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const confirmed = pay(alice, bob.address, 5n, 1n, 0n);
    const waiting = pay(alice, bob.address, 5n, 1n, 1n);
    expect(pool.add(confirmed, tree.ledger).ok).toBe(true);
    expect(pool.add(waiting, tree.ledger).ok).toBe(true);
    const block = mineOn(tree, tree.tip, { transfers: [confirmed] });
    expect(tree.add(block, LATE_NOW).ok).toBe(true);
    const r = pool.reconcile(tree.ledger, [], new Set([confirmed.id]));
    expect(ids(r.confirmed)).toEqual([confirmed.id]);
    expect(r.dropped).toEqual([]);
    expect(ids(pool.list())).toEqual([waiting.id]);
    expect(pool.projected(alice.address, tree.ledger).nonce).toBe(2n);
  });

  it('takes back payments of abandoned blocks that are still valid, in nonce order', () => {
    const tree = funded();
    const fork = tree.tip;
    const pool = new Mempool(params);
    const first = pay(alice, bob.address, 5n, 1n, 0n);
    const second = pay(alice, carol.address, 7n, 0n, 1n);
    // `first` is mined; `second` waits on it.
    const x1 = mineOn(tree, fork, { transfers: [first] });
    expect(tree.add(x1, LATE_NOW).ok).toBe(true);
    expect(pool.add(second, tree.ledger).ok).toBe(true);
    // A longer branch without `first` takes over.
    const y1 = mineOn(tree, fork, { miner: MINER });
    expect(tree.add(y1, LATE_NOW).ok).toBe(true);
    const y2 = mineOn(tree, must(tree.get(y1.hash)), { miner: MINER });
    const r = tree.add(y2, LATE_NOW);
    const change = must(r.ok ? r.value.tipChange : null, 'reorg');
    expect(change.disconnected.map((e) => e.hash)).toEqual([x1.hash]);

    const returning = change.disconnected.flatMap((e) =>
      e.block.transactions.filter((t): t is Transfer => t.kind === 'transfer'),
    );
    expect(pool.reconcile(tree.ledger, returning)).toEqual({ confirmed: [], dropped: [] });
    expect(new Set(ids(pool.list()))).toEqual(new Set([first.id, second.id]));
    // Both are minable again, in order.
    expect(ids(pool.select(tree.ledger, 10 * SLOT))).toEqual([first.id, second.id]);
  });

  it('takes back a sender’s chain of payments from several abandoned blocks, newest block first', () => {
    const tree = funded();
    const fork = tree.tip;
    const pool = new Mempool(params);
    const txs = [0n, 1n, 2n].map((nonce) => pay(alice, bob.address, 1n, 1n, nonce));
    let parent = fork;
    for (const tx of txs) {
      const block = mineOn(tree, parent, { transfers: [tx] });
      expect(tree.add(block, LATE_NOW).ok).toBe(true);
      parent = must(tree.get(block.hash));
    }
    let side = fork;
    let change = null;
    for (let i = 0; i < 4; i++) {
      const block = mineOn(tree, side, { miner: MINER });
      const r = tree.add(block, LATE_NOW);
      if (r.ok && r.value.tipChange) change = r.value.tipChange;
      side = must(tree.get(block.hash));
    }
    const reorg = must(change, 'reorg');
    // Disconnected blocks come newest first, so their payments arrive in descending nonce order.
    const returning = reorg.disconnected.flatMap((e) =>
      e.block.transactions.filter((t): t is Transfer => t.kind === 'transfer'),
    );
    expect(returning.map((t) => t.nonce)).toEqual([2n, 1n, 0n]);
    expect(pool.reconcile(tree.ledger, returning)).toEqual({ confirmed: [], dropped: [] });
    expect(ids(pool.select(tree.ledger, 10 * SLOT))).toEqual(ids(txs));
  });

  it('drops abandoned payments the new best chain spent differently, and what depended on them', () => {
    const tree = funded();
    const fork = tree.tip;
    const pool = new Mempool(params);
    const toBob = pay(alice, bob.address, 60n, 0n, 0n);
    const toCarol = pay(alice, carol.address, 60n, 0n, 0n); // conflicts with toBob
    const bobSpends = pay(bob, carol.address, 100n, 0n, 0n); // needs toBob's 60 coins
    const x1 = mineOn(tree, fork, { transfers: [toBob] });
    expect(tree.add(x1, LATE_NOW).ok).toBe(true);
    expect(pool.add(bobSpends, tree.ledger).ok).toBe(true);

    const y1 = mineOn(tree, fork, { miner: MINER, transfers: [toCarol] });
    expect(tree.add(y1, LATE_NOW).ok).toBe(true);
    const y2 = mineOn(tree, must(tree.get(y1.hash)), { miner: MINER });
    expect(tree.add(y2, LATE_NOW).ok).toBe(true);
    expect(tree.tip.hash).toBe(y2.hash);

    const { dropped } = pool.reconcile(tree.ledger, [toBob], new Set([toCarol.id]));
    // Each leaves with its reason: toBob's nonce went to toCarol, and bob never got the 60 coins.
    expect(dropped.map((d) => [d.tx.id, d.reason])).toEqual([
      [toBob.id, 'nonce-used'],
      [bobSpends.id, 'insufficient-funds'],
    ]);
    expect(pool.size).toBe(0);
    expect(tree.ledger.get(alice.address)).toEqual({ balance: 90n, nonce: 1n });
  });
});

describe('Mempool queue for nonce gaps', () => {
  it('queues a payment ahead of the sender’s next nonce, keeps it out of blocks, and promotes it when the gap fills', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const second = pay(alice, bob.address, 5n, 0n, 1n);
    const third = pay(alice, bob.address, 5n, 0n, 2n);
    const r2 = pool.add(second, tree.ledger);
    const r3 = pool.add(third, tree.ledger);
    expect(r2.ok && r2.value.queued).toBe(true);
    expect(r3.ok && r3.value.queued).toBe(true);
    expect(pool.size).toBe(0);
    expect(pool.queuedSize).toBe(2);
    expect(pool.isQueued(second.id)).toBe(true);
    expect(pool.select(tree.ledger, 10 * SLOT)).toEqual([]);
    // The next payment alice signs fills the gap instead of reusing a queued nonce.
    expect(pool.nextNonce(alice.address, tree.ledger)).toBe(0n);
    expect(pool.projected(alice.address, tree.ledger)).toEqual({ balance: 150n, nonce: 0n });

    const first = pay(alice, bob.address, 5n, 0n, 0n);
    const r1 = pool.add(first, tree.ledger);
    expect(r1.ok && r1.value).toEqual({
      queued: false,
      promoted: [second, third],
      dropped: [],
    });
    expect(pool.queuedSize).toBe(0);
    expect(ids(pool.select(tree.ledger, 10 * SLOT))).toEqual(ids([first, second, third]));
    expect(pool.nextNonce(alice.address, tree.ledger)).toBe(3n);
  });

  it('the next nonce skips every nonce a waiting payment uses', () => {
    const tree = funded();
    const pool = new Mempool(params);
    for (const nonce of [0n, 1n, 3n]) {
      expect(pool.add(pay(alice, bob.address, 1n, 0n, nonce), tree.ledger).ok).toBe(true);
    }
    expect(pool.nextNonce(alice.address, tree.ledger)).toBe(2n);
    expect(pool.projected(alice.address, tree.ledger).nonce).toBe(2n);
    expect(pool.nextNonce(carol.address, tree.ledger)).toBe(0n);
  });

  it('refuses a queued payment the sender cannot cover after its earlier ones, changing nothing', () => {
    const tree = funded();
    const pool = new Mempool(params);
    expect(pool.add(pay(alice, bob.address, 100n, 0n, 1n), tree.ledger).ok).toBe(true);
    const before = { ready: ids(pool.list()), queued: ids(pool.listQueued()) };
    const r = pool.add(pay(alice, bob.address, 51n, 0n, 2n), tree.ledger);
    expect(reasonOf(r)).toBe('insufficient-funds');
    expect({ ready: ids(pool.list()), queued: ids(pool.listQueued()) }).toEqual(before);
  });

  it('a gap-filling payment that leaves later ones unfunded drops them, with the reason', () => {
    const tree = funded();
    const pool = new Mempool(params);
    const later = pay(alice, bob.address, 140n, 0n, 1n);
    expect(pool.add(later, tree.ledger).ok).toBe(true);
    const r = pool.add(pay(alice, bob.address, 20n, 0n, 0n), tree.ledger);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.promoted).toEqual([]);
    expect(r.value.dropped.map((d) => [d.tx.id, d.reason])).toEqual([
      [later.id, 'insufficient-funds'],
    ]);
    expect(r.value.dropped[0]?.message).toMatch(/has 130 left .* needs 140/);
    expect(pool.has(later.id)).toBe(false);
  });

  it('bounds the queue, and refuses beyond it with mempool-full, changing nothing', () => {
    const tree = funded();
    const pool = new Mempool(params, 100, new Set(), 2);
    expect(pool.add(pay(alice, bob.address, 1n, 0n, 1n), tree.ledger).ok).toBe(true);
    expect(pool.add(pay(bob, alice.address, 1n, 0n, 3n), tree.ledger).ok).toBe(true);
    const before = ids(pool.listQueued());
    expect(reasonOf(pool.add(pay(alice, bob.address, 1n, 0n, 2n), tree.ledger))).toBe(
      'mempool-full',
    );
    expect(ids(pool.listQueued())).toEqual(before);
    // A ready payment still gets in, and fills alice's gap: her queued one becomes ready.
    expect(pool.add(pay(alice, bob.address, 1n, 0n, 0n), tree.ledger).ok).toBe(true);
    expect(pool.queuedSize).toBe(1);
    expect(pool.size).toBe(2);
  });

  it('after a reorg, keeps the later payments of a sender whose earlier one lost its coins, queued', () => {
    const tree = funded();
    const fork = tree.tip;
    const pool = new Mempool(params);
    // carol is paid 60 on a branch that will lose; she spends 50 (nonce 0), then alice's 150
    // coins fund nothing of hers. Then carol's nonce 1 (5 coins) waits in the same branch.
    const toCarol = pay(alice, carol.address, 60n, 0n, 0n);
    const x1 = mineOn(tree, fork, { transfers: [toCarol] });
    expect(tree.add(x1, LATE_NOW).ok).toBe(true);
    const big = pay(carol, bob.address, 50n, 0n, 0n);
    const small = pay(carol, bob.address, 5n, 0n, 1n);
    const x2 = mineOn(tree, must(tree.get(x1.hash)), { transfers: [big, small] });
    expect(tree.add(x2, LATE_NOW).ok).toBe(true);
    // On the winning branch carol gets only 10 coins, from a miner's payment of its own.
    const gift = pay(bob, carol.address, 10n, 0n, 0n);
    let side = fork;
    let change = null;
    for (let i = 0; i < 3; i++) {
      const block = mineOn(tree, side, { miner: MINER, transfers: i === 0 ? [gift] : [] });
      const r = tree.add(block, LATE_NOW);
      if (r.ok && r.value.tipChange) change = r.value.tipChange;
      side = must(tree.get(block.hash));
    }
    const reorg = must(change, 'reorg');
    const returning = reorg.disconnected.flatMap((e) =>
      e.block.transactions.filter((t): t is Transfer => t.kind === 'transfer'),
    );
    const confirmed = new Set(
      reorg.connected.flatMap((e) => e.block.transactions.map((t) => t.id)),
    );
    const { dropped } = pool.reconcile(tree.ledger, returning, confirmed);
    // big cannot be paid from 10 coins; small can, but waits behind the gap big left.
    expect(dropped.map((d) => [d.tx.id, d.reason])).toEqual([[big.id, 'insufficient-funds']]);
    expect(ids(pool.listQueued())).toEqual([small.id]);
    expect(ids(pool.list())).toEqual([toCarol.id]);
    expect(pool.select(tree.ledger, 10 * SLOT).map((t) => t.id)).toEqual([toCarol.id]);
    // carol's next payment takes nonce 0, the gap, and lets small through.
    expect(pool.nextNonce(carol.address, tree.ledger)).toBe(0n);
  });
});
