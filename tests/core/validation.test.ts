import { describe, expect, it } from 'vitest';
import type { Block, BlockHeader } from '../../src/core/block.ts';
import {
  BLOCK_VERSION,
  encodeHeader,
  GENESIS_PREVIOUS_HASH,
  makeBlock,
  transactionsRoot,
} from '../../src/core/block.ts';
import { BlockTree } from '../../src/core/chain.ts';
import { bytesToBigInt, sha256 } from '../../src/core/hash.ts';
import { Ledger } from '../../src/core/ledger.ts';
import type { Rng } from '../../src/core/rng.ts';
import { createRng } from '../../src/core/rng.ts';
import { compactToTarget, targetFromZeroBits, targetToCompact } from '../../src/core/target.ts';
import type { Transaction, Transfer } from '../../src/core/tx.ts';
import { decodeTransfer, makeCoinbase, MAX_AMOUNT, signTransfer } from '../../src/core/tx.ts';
import type { Address, BlockHash, Height } from '../../src/core/types.ts';
import type { RejectReason } from '../../src/core/validation.ts';
import {
  checkAgainstAccount,
  checkProofOfWork,
  checkTransfer,
  validateBlock,
} from '../../src/core/validation.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import {
  addressFromNumber,
  easyParams,
  extendTip,
  mineHeader,
  must,
  seededWallets,
  treeState,
} from './helpers.ts';

/** Room for the coinbase and seven transfers, not eight. */
const params = easyParams({ chainId: 7, reward: 50n, maxBlockBytes: 1200 });
const MINER = addressFromNumber(0xbeef);

interface Ctx {
  readonly tree: BlockTree;
  readonly alice: Wallet;
  readonly bob: Wallet;
  readonly carol: Wallet;
  /** The validating node's clock: one block interval after the tip. */
  readonly now: number;
  readonly addresses: readonly Address[];
}

/** A chain of 13 blocks (so the 11-block median matters) whose 12 coinbases paid alice 600. */
function setup(): Ctx {
  const tree = new BlockTree(params);
  const [alice, bob, carol] = seededWallets(3, 5);
  if (!alice || !bob || !carol) throw new Error('three wallets');
  for (let i = 0; i < 12; i++) extendTip(tree, { miner: alice.address });
  return {
    tree,
    alice,
    bob,
    carol,
    now: tree.tip.block.header.timestampMs + params.blockTimeMs,
    addresses: [alice.address, bob.address, carol.address, MINER],
  };
}

function pay(
  from: Wallet,
  to: Wallet,
  amount: bigint,
  fee: bigint,
  nonce: bigint,
  chainId = params.chainId,
): Transfer {
  return signTransfer(from, { chainId, recipient: to.address, amount, fee, nonce });
}

/** The payments of the valid block: alice pays bob, then carol. */
function goodTransfers(ctx: Ctx): Transfer[] {
  return [pay(ctx.alice, ctx.bob, 5n, 1n, 0n), pay(ctx.alice, ctx.carol, 3n, 2n, 1n)];
}

interface BuildOptions {
  /** Payments after the coinbase (default: the good ones). */
  readonly transfers?: readonly Transfer[];
  /** Added to the correct coinbase amount. */
  readonly coinbaseDelta?: bigint;
  /** Replaces the whole transaction list. */
  readonly transactions?: readonly Transaction[];
  /** Header fields to override; the Merkle root is recomputed unless given. */
  readonly header?: Partial<BlockHeader>;
  /** Search the proof at this target instead of the one the bits encode. */
  readonly target?: bigint;
}

/** Mine a block on the tip: valid by default, with exactly the requested defects otherwise. */
function build(ctx: Ctx, o: BuildOptions = {}): Block {
  const parent = ctx.tree.tip;
  const height = (parent.height + 1) as Height;
  const transfers = o.transfers ?? goodTransfers(ctx);
  let fees = 0n;
  for (const tx of transfers) fees += tx.fee;
  const transactions = o.transactions ?? [
    makeCoinbase(params.chainId, height, MINER, params.reward + fees + (o.coinbaseDelta ?? 0n)),
    ...transfers,
  ];
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    index: height,
    timestampMs: ctx.now,
    previousHash: parent.hash,
    merkleRoot: transactionsRoot(transactions),
    bits: ctx.tree.nextBits(parent),
    proof: 0,
    ...o.header,
  };
  return mineHeader(header, transactions, o.target);
}

/** Does this header hash miss its target? */
function missesTarget(h: BlockHeader): boolean {
  return bytesToBigInt(sha256(encodeHeader(h))) >= must(compactToTarget(h.bits));
}

/** A copy of a transfer with one byte of its encoding changed (the signature is left as is). */
function tamper(tx: Transfer, offset: number, xor: number): Transfer {
  const bytes = tx.bytes.slice();
  bytes[offset] = (bytes[offset] ?? 0) ^ xor;
  const r = decodeTransfer(bytes);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const AMOUNT_LOW_BYTE = 64; // last byte of the u64 amount at offsets 57..64
const SIGNATURE_BYTE = 100; // inside the signature at offsets 81..144

interface Case {
  readonly name: string;
  readonly reason: RejectReason;
  readonly make: (ctx: Ctx, valid: Block) => Block;
}

const cases: readonly Case[] = [
  {
    name: 'a proof that misses the target',
    reason: 'bad-pow',
    make: (_ctx, valid) => {
      let proof = valid.header.proof + 1;
      while (!missesTarget({ ...valid.header, proof })) proof++;
      return makeBlock({ ...valid.header, proof }, valid.transactions);
    },
  },
  {
    name: 'an amount edited after mining, header kept',
    reason: 'bad-merkle-root',
    make: (_ctx, valid) => {
      const [coinbase, first, ...rest] = valid.transactions;
      if (coinbase?.kind !== 'coinbase' || first?.kind !== 'transfer') throw new Error('shape');
      const edited = tamper(first, AMOUNT_LOW_BYTE, 0x01);
      expect(edited.amount).not.toBe(first.amount);
      const block = makeBlock(valid.header, [coinbase, edited, ...rest]);
      expect(block.hash).toBe(valid.hash); // the header, and so the hash, did not change
      return block;
    },
  },
  {
    name: 'an amount edited after mining, Merkle root recomputed but not re-mined',
    reason: 'bad-pow',
    make: (_ctx, valid) => {
      const [coinbase, first, ...rest] = valid.transactions;
      if (coinbase?.kind !== 'coinbase' || first?.kind !== 'transfer') throw new Error('shape');
      // At 4 zero bits one header in 16 passes by luck: take the first edit that does not.
      for (let xor = 1; xor < 64; xor++) {
        const txs = [coinbase, tamper(first, AMOUNT_LOW_BYTE, xor), ...rest];
        const header = { ...valid.header, merkleRoot: transactionsRoot(txs) };
        if (missesTarget(header)) {
          const block = makeBlock(header, txs);
          expect(block.hash).not.toBe(valid.hash); // PoW covers the whole header
          return block;
        }
      }
      throw new Error('every edit met the target by luck');
    },
  },
  {
    name: 'payments appended after mining until the block is too big, header kept',
    reason: 'oversize',
    make: (ctx, valid) => {
      const extra = Array.from({ length: 7 }, (_, i) =>
        pay(ctx.alice, ctx.bob, 1n, 0n, BigInt(i + 2)),
      );
      const block = makeBlock(valid.header, [...valid.transactions, ...extra]);
      expect(block.hash).toBe(valid.hash);
      return block;
    },
  },
  {
    name: 'an index that skips a height',
    reason: 'bad-index',
    make: (ctx, valid) => build(ctx, { header: { index: (valid.header.index + 1) as Height } }),
  },
  {
    name: 'the parent’s index',
    reason: 'bad-index',
    make: (ctx, valid) => build(ctx, { header: { index: (valid.header.index - 1) as Height } }),
  },
  {
    name: 'easier bits than the chain requires',
    reason: 'bad-target',
    make: (ctx) => build(ctx, { header: { bits: targetToCompact(targetFromZeroBits(3)) } }),
  },
  {
    name: 'harder bits than the chain requires',
    reason: 'bad-target',
    make: (ctx) => build(ctx, { header: { bits: targetToCompact(targetFromZeroBits(5)) } }),
  },
  {
    name: 'non-canonical bits for the required target',
    reason: 'bad-target',
    make: (ctx, valid) => {
      // 2^252 is 0x20100000 canonically; 0x21001000 spells the same number with a zero byte.
      expect(valid.header.bits).toBe(0x20100000);
      return build(ctx, { header: { bits: 0x21001000 }, target: targetFromZeroBits(4) });
    },
  },
  {
    name: 'a timestamp equal to the median of the last 11 blocks',
    reason: 'time-too-old',
    make: (ctx) => build(ctx, { header: { timestampMs: ctx.tree.medianTimePast(ctx.tree.tip) } }),
  },
  {
    name: 'a timestamp before the median of the last 11 blocks',
    reason: 'time-too-old',
    make: (ctx) =>
      build(ctx, { header: { timestampMs: ctx.tree.medianTimePast(ctx.tree.tip) - 1 } }),
  },
  {
    name: 'a timestamp just past the allowed future',
    reason: 'time-too-new',
    make: (ctx) => build(ctx, { header: { timestampMs: ctx.now + params.maxFutureMs + 1 } }),
  },
  {
    name: 'a coinbase paying one coin too many',
    reason: 'bad-reward',
    make: (ctx) => build(ctx, { coinbaseDelta: 1n }),
  },
  {
    name: 'a coinbase paying one coin too few',
    reason: 'bad-reward',
    make: (ctx) => build(ctx, { coinbaseDelta: -1n }),
  },
  {
    name: 'a coinbase that forgot the fees',
    reason: 'bad-reward',
    make: (ctx) => build(ctx, { coinbaseDelta: -3n }),
  },
  {
    name: 'a damaged signature',
    reason: 'bad-signature',
    make: (ctx) => {
      const [a, b] = goodTransfers(ctx);
      return build(ctx, { transfers: [must(a), tamper(must(b), SIGNATURE_BYTE, 0x04)] });
    },
  },
  {
    name: 'a payment signed by someone else',
    reason: 'bad-signature',
    make: (ctx) => {
      const real = pay(ctx.alice, ctx.bob, 5n, 0n, 0n);
      const forged = pay(ctx.bob, ctx.bob, 5n, 0n, 0n);
      const bytes = real.bytes.slice();
      bytes.set(forged.signature, 81);
      const tx = decodeTransfer(bytes);
      if (!tx.ok) throw new Error(tx.error);
      return build(ctx, { transfers: [tx.value] });
    },
  },
  {
    name: 'a nonce that skips one',
    reason: 'bad-nonce',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 5n, 0n, 1n)] }),
  },
  {
    name: 'nonces out of order',
    reason: 'bad-nonce',
    make: (ctx) => {
      const [a, b] = goodTransfers(ctx);
      return build(ctx, { transfers: [must(b), must(a)] });
    },
  },
  {
    name: 'a nonce above MAX_AMOUNT',
    reason: 'bad-nonce',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 5n, 0n, MAX_AMOUNT + 1n)] }),
  },
  {
    name: 'a sender with no coins',
    reason: 'insufficient-funds',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.bob, ctx.carol, 1n, 0n, 0n)] }),
  },
  {
    name: 'amount plus fee one coin above the balance',
    reason: 'insufficient-funds',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 591n, 10n, 0n)] }),
  },
  {
    name: 'spending coins before receiving them in the same block',
    reason: 'insufficient-funds',
    make: (ctx) =>
      build(ctx, {
        transfers: [pay(ctx.bob, ctx.carol, 2n, 0n, 0n), pay(ctx.alice, ctx.bob, 5n, 0n, 0n)],
      }),
  },
  {
    name: 'two payments with the same sender and nonce',
    reason: 'double-spend',
    make: (ctx) =>
      build(ctx, {
        transfers: [pay(ctx.alice, ctx.bob, 5n, 0n, 0n), pay(ctx.alice, ctx.carol, 5n, 0n, 0n)],
      }),
  },
  {
    name: 'the same payment twice',
    reason: 'duplicate',
    make: (ctx) => {
      const tx = pay(ctx.alice, ctx.bob, 5n, 0n, 0n);
      return build(ctx, { transfers: [tx, tx] });
    },
  },
  {
    name: 'more bytes than maxBlockBytes',
    reason: 'oversize',
    make: (ctx) =>
      build(ctx, {
        transfers: Array.from({ length: 8 }, (_, i) => pay(ctx.alice, ctx.bob, 1n, 0n, BigInt(i))),
      }),
  },
  {
    name: 'a payment signed for another chain',
    reason: 'wrong-chain',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 5n, 0n, 0n, 8)] }),
  },
  {
    name: 'a zero amount',
    reason: 'bad-amount',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 0n, 1n, 0n)] }),
  },
  {
    name: 'an amount above MAX_AMOUNT',
    reason: 'bad-amount',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, MAX_AMOUNT + 1n, 0n, 0n)] }),
  },
  {
    name: 'a fee above MAX_AMOUNT',
    reason: 'bad-fee',
    make: (ctx) => build(ctx, { transfers: [pay(ctx.alice, ctx.bob, 1n, MAX_AMOUNT + 1n, 0n)] }),
  },
  {
    name: 'an unknown version',
    reason: 'bad-version',
    make: (ctx) => build(ctx, { header: { version: 2 } }),
  },
  {
    name: 'no coinbase',
    reason: 'bad-coinbase',
    make: (ctx) => build(ctx, { transactions: goodTransfers(ctx) }),
  },
  {
    name: 'no transactions at all',
    reason: 'bad-coinbase',
    make: (ctx) => build(ctx, { transactions: [] }),
  },
  {
    name: 'a coinbase for another height',
    reason: 'bad-coinbase',
    make: (ctx, valid) =>
      build(ctx, {
        transactions: [makeCoinbase(params.chainId, valid.header.index + 1, MINER, params.reward)],
      }),
  },
  {
    name: 'a coinbase for another chain',
    reason: 'bad-coinbase',
    make: (ctx, valid) =>
      build(ctx, {
        transactions: [makeCoinbase(8, valid.header.index, MINER, params.reward)],
      }),
  },
  {
    name: 'a second coinbase',
    reason: 'bad-coinbase',
    make: (ctx, valid) => {
      const cb = makeCoinbase(params.chainId, valid.header.index, MINER, params.reward);
      const other = makeCoinbase(params.chainId, valid.header.index, ctx.bob.address, 1n);
      return build(ctx, { transactions: [cb, other] });
    },
  },
  {
    name: 'a parent that claims to be a genesis block',
    reason: 'bad-previous-hash',
    make: (ctx) =>
      build(ctx, {
        header: { previousHash: GENESIS_PREVIOUS_HASH, index: 2 as Height },
      }),
  },
];

describe('block validation in a BlockTree', () => {
  it('accepts the valid block the mutations start from', () => {
    const ctx = setup();
    const valid = build(ctx);
    const r = ctx.tree.add(valid, ctx.now);
    expect(r.ok && r.value.status).toBe('accepted');
    expect(ctx.tree.tip.hash).toBe(valid.hash);
    expect(ctx.tree.ledger.get(ctx.alice.address)).toEqual({ balance: 600n - 11n, nonce: 2n });
    expect(ctx.tree.ledger.get(ctx.bob.address)).toEqual({ balance: 5n, nonce: 0n });
    expect(ctx.tree.ledger.get(ctx.carol.address)).toEqual({ balance: 3n, nonce: 0n });
    expect(ctx.tree.ledger.get(MINER)).toEqual({ balance: 53n, nonce: 0n });
  });

  it.each(cases)('refuses $name with $reason and changes nothing', ({ reason, make }) => {
    const ctx = setup();
    const valid = build(ctx);
    const bad = make(ctx, valid);
    expect(bad.bytes).not.toEqual(valid.bytes);
    const before = treeState(ctx.tree, ctx.addresses);

    const r = ctx.tree.add(bad, ctx.now);
    expect(r.ok ? 'accepted' : r.error.reason).toBe(reason);
    expect(r.ok || r.error.message.length > 0).toBe(true);
    expect(treeState(ctx.tree, ctx.addresses)).toEqual(before);
    // Asking again gives the same answer.
    const again = ctx.tree.add(bad, ctx.now);
    expect(again.ok ? 'accepted' : again.error.reason).toBe(reason);
    expect(treeState(ctx.tree, ctx.addresses)).toEqual(before);

    // The bad block poisoned nothing: the genuine block is still accepted afterwards.
    const good = ctx.tree.add(valid, ctx.now);
    expect(good.ok ? good.value.status : good.error.reason).toBe('accepted');
    expect(ctx.tree.tip.hash).toBe(valid.hash);
  });

  it('accepts the boundaries next to the refusals', () => {
    const atFuture = setup();
    const late = build(atFuture, { header: { timestampMs: atFuture.now + params.maxFutureMs } });
    expect(atFuture.tree.add(late, atFuture.now).ok).toBe(true);

    const atMedian = setup();
    const mtp = atMedian.tree.medianTimePast(atMedian.tree.tip);
    const early = build(atMedian, { header: { timestampMs: mtp + 1 } });
    expect(atMedian.tree.add(early, atMedian.now).ok).toBe(true);

    const allIn = setup();
    const exact = build(allIn, { transfers: [pay(allIn.alice, allIn.bob, 590n, 10n, 0n)] });
    expect(allIn.tree.add(exact, allIn.now).ok).toBe(true);
    expect(allIn.tree.ledger.get(allIn.alice.address)).toEqual({ balance: 0n, nonce: 1n });

    const full = setup();
    const seven = Array.from({ length: 7 }, (_, i) => pay(full.alice, full.bob, 1n, 0n, BigInt(i)));
    const big = build(full, { transfers: seven });
    expect(big.bytes.length).toBeLessThanOrEqual(params.maxBlockBytes);
    expect(full.tree.add(big, full.now).ok).toBe(true);
  });

  it('lets a payment spend coins received earlier in the same block', () => {
    const ctx = setup();
    const block = build(ctx, {
      transfers: [pay(ctx.alice, ctx.bob, 5n, 0n, 0n), pay(ctx.bob, ctx.carol, 2n, 1n, 0n)],
    });
    expect(ctx.tree.add(block, ctx.now).ok).toBe(true);
    expect(ctx.tree.ledger.get(ctx.bob.address)).toEqual({ balance: 2n, nonce: 1n });
    expect(ctx.tree.ledger.get(ctx.carol.address)).toEqual({ balance: 2n, nonce: 0n });
  });

  it('lets a sender pay itself, costing only the fee', () => {
    const ctx = setup();
    const block = build(ctx, { transfers: [pay(ctx.alice, ctx.alice, 100n, 4n, 0n)] });
    expect(ctx.tree.add(block, ctx.now).ok).toBe(true);
    expect(ctx.tree.ledger.get(ctx.alice.address)).toEqual({ balance: 596n, nonce: 1n });
  });

  it('refuses a replayed payment that an earlier block confirmed', () => {
    const ctx = setup();
    const tx = pay(ctx.alice, ctx.bob, 5n, 0n, 0n);
    expect(ctx.tree.add(build(ctx, { transfers: [tx] }), ctx.now).ok).toBe(true);
    const next = { ...ctx, now: ctx.now + params.blockTimeMs };
    const before = treeState(next.tree, next.addresses);
    const replay = ctx.tree.add(build(next, { transfers: [tx] }), next.now);
    expect(replay.ok ? 'accepted' : replay.error.reason).toBe('bad-nonce');
    expect(treeState(next.tree, next.addresses)).toEqual(before);
  });

  it('does not remember a too-new block as invalid: it is accepted once its time comes', () => {
    const ctx = setup();
    const early = build(ctx, { header: { timestampMs: ctx.now + params.maxFutureMs + 1 } });
    const r = ctx.tree.add(early, ctx.now);
    expect(r.ok ? 'accepted' : r.error.reason).toBe('time-too-new');
    expect(ctx.tree.invalidReason(early.hash)).toBeUndefined();
    expect(ctx.tree.add(early, ctx.now + 1).ok).toBe(true);
    expect(ctx.tree.tip.hash).toBe(early.hash);
  });

  it('remembers other invalid blocks, and refuses their children as invalid-parent', () => {
    const ctx = setup();
    const bad = build(ctx, { coinbaseDelta: 1n });
    expect(ctx.tree.add(bad, ctx.now).ok).toBe(false);
    expect(ctx.tree.invalidReason(bad.hash)?.reason).toBe('bad-reward');
    const child = mineHeader(
      {
        version: BLOCK_VERSION,
        index: (bad.header.index + 1) as Height,
        timestampMs: ctx.now + 1,
        previousHash: bad.hash,
        merkleRoot: transactionsRoot([]),
        bits: bad.header.bits,
        proof: 0,
      },
      [],
    );
    const before = treeState(ctx.tree, ctx.addresses);
    const r = ctx.tree.add(child, ctx.now);
    expect(r.ok ? 'accepted' : r.error.reason).toBe('invalid-parent');
    expect(treeState(ctx.tree, ctx.addresses)).toEqual(before);
    expect(ctx.tree.invalidReason(child.hash)?.reason).toBe('invalid-parent');
  });

  it('keeps no edited orphan under the hash of the genuine block', () => {
    const ctx = setup();
    const parent = build(ctx, { transfers: [] });
    const child = mineHeader(
      {
        version: BLOCK_VERSION,
        index: (parent.header.index + 1) as Height,
        timestampMs: ctx.now + 1,
        previousHash: parent.hash,
        merkleRoot: transactionsRoot([
          makeCoinbase(params.chainId, parent.header.index + 1, MINER, params.reward),
        ]),
        bits: parent.header.bits,
        proof: 0,
      },
      [makeCoinbase(params.chainId, parent.header.index + 1, MINER, params.reward)],
    );
    const edited = makeBlock(child.header, [
      makeCoinbase(params.chainId, parent.header.index + 1, MINER, params.reward + 1000n),
    ]);
    expect(edited.hash).toBe(child.hash);

    const r = ctx.tree.add(edited, ctx.now);
    expect(r.ok ? r.value.status : r.error.reason).toBe('bad-merkle-root');
    expect(ctx.tree.orphanCount).toBe(0);
    const genuine = ctx.tree.add(child, ctx.now);
    expect(genuine.ok ? genuine.value.status : genuine.error.reason).toBe('orphan');
    const connect = ctx.tree.add(parent, ctx.now);
    expect(connect.ok && connect.value.accepted.map((e) => e.hash)).toEqual([
      parent.hash,
      child.hash,
    ]);
    expect(ctx.tree.tip.hash).toBe(child.hash);
  });

  it('checks the proof of work of an orphan before keeping it', () => {
    const ctx = setup();
    const header: BlockHeader = {
      version: BLOCK_VERSION,
      index: 40 as Height,
      timestampMs: ctx.now,
      previousHash: 'ab'.repeat(32) as BlockHash,
      merkleRoot: transactionsRoot([]),
      bits: ctx.tree.tip.block.header.bits,
      proof: 0,
    };
    let proof = 0;
    while (!missesTarget({ ...header, proof })) proof++;
    const r = ctx.tree.add(makeBlock({ ...header, proof }, []), ctx.now);
    expect(r.ok ? 'kept' : r.error.reason).toBe('bad-pow');
    expect(ctx.tree.orphanCount).toBe(0);
  });
});

describe('validateBlock on its own', () => {
  it('reports the fees and never touches the ledger it reads', () => {
    const ctx = setup();
    const block = build(ctx);
    const ledger = new Ledger(ctx.tree.ledger);
    const context = {
      params,
      parentIndex: ctx.tree.tip.height,
      expectedBits: ctx.tree.nextBits(ctx.tree.tip),
      medianTimePastMs: ctx.tree.medianTimePast(ctx.tree.tip),
      nowMs: ctx.now,
      ledger,
    };
    expect(validateBlock(block, context)).toEqual({ ok: true, value: { fees: 3n } });
    expect([...ledger.entries()]).toEqual([]);
    const bad = validateBlock(build(ctx, { coinbaseDelta: 1n }), context);
    expect(bad.ok ? 'ok' : bad.error.reason).toBe('bad-reward');
    expect([...ledger.entries()]).toEqual([]);
  });

  it('caches verified signatures, and only for transfers that verified', () => {
    const ctx = setup();
    const verified = new Set<Transfer['id']>();
    const good = pay(ctx.alice, ctx.bob, 5n, 0n, 0n);
    const forged = tamper(good, SIGNATURE_BYTE, 0x01);
    expect(checkTransfer(forged, params, verified).ok).toBe(false);
    expect(verified.size).toBe(0);
    expect(checkTransfer(good, params, verified).ok).toBe(true);
    expect(verified.has(good.id)).toBe(true);
  });

  it('checks nonces and funds against an account', () => {
    const ctx = setup();
    const tx = pay(ctx.alice, ctx.bob, 5n, 2n, 3n);
    const reason = (balance: bigint, nonce: bigint): string => {
      const r = checkAgainstAccount(tx, { balance, nonce });
      return r.ok ? 'ok' : r.error.reason;
    };
    expect(reason(7n, 3n)).toBe('ok');
    expect(reason(6n, 3n)).toBe('insufficient-funds');
    expect(reason(100n, 2n)).toBe('bad-nonce');
    expect(reason(100n, 4n)).toBe('bad-nonce');
  });

  it('checks a proof of work against the target the header declares', () => {
    const ctx = setup();
    const block = build(ctx);
    expect(checkProofOfWork(block)).toEqual({ ok: true, value: targetFromZeroBits(4) });
    const bad = checkProofOfWork(makeBlock({ ...block.header, bits: 0x01123456 }, []));
    expect(bad.ok ? 'ok' : bad.error.reason).toBe('bad-target');
  });

  it('treats seeded random forgeries as bad signatures', () => {
    const ctx = setup();
    const rng: Rng = createRng(99);
    const tx = pay(ctx.alice, ctx.bob, 5n, 0n, 0n);
    for (let i = 0; i < 20; i++) {
      // Any single-bit change inside the signed bytes or the signature breaks the signature.
      const offset = 5 + rng.int(140); // skip kind and chain id, whose edits fail differently
      const edited = tamper(tx, offset, 1 << rng.int(8));
      const r = checkTransfer(edited, params);
      const reasons: readonly string[] = ['bad-signature', 'bad-amount', 'bad-fee', 'bad-nonce'];
      expect(reasons).toContain(r.ok ? 'ok' : r.error.reason);
    }
  });
});
