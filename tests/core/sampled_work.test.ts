/**
 * Sampled work: blocks whose discovery time was drawn instead of hashed. They carry their own
 * header version and descend from their own genesis, so real-work chains refuse them and sampled
 * chains refuse real blocks; a sampled chain still checks everything but the hash. And the drawn
 * delay follows the exponential distribution a real search follows, with the mean 2^256 / target
 * hashes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import {
  BLOCK_VERSION,
  blockVersion,
  genesisBlock,
  makeBlock,
  SAMPLED_BLOCK_VERSION,
  transactionsRoot,
} from '../../src/core/block.ts';
import { BlockTree } from '../../src/core/chain.ts';
import { bytesToBigInt, sha256 } from '../../src/core/hash.ts';
import { encodeHeader } from '../../src/core/block.ts';
import { Mempool } from '../../src/core/mempool.ts';
import { forgeSampledBlock } from '../../src/core/miner.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import { createRng } from '../../src/core/rng.ts';
import { compactToTarget, targetFromZeroBits, TWO_256 } from '../../src/core/target.ts';
import { decodeTransfer, makeCoinbase, signTransfer } from '../../src/core/tx.ts';
import type { Height } from '../../src/core/types.ts';
import type { RejectReason } from '../../src/core/validation.ts';
import { checkProofOfWork, checkVersion } from '../../src/core/validation.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import { sampledDelayMs } from '../../src/sim/sampled-work.ts';
import { draws, meanInterval, sampleMean } from './confidence.ts';
import {
  addressFromNumber,
  easyParams,
  extendTip,
  LATE_NOW,
  must,
  seededWallets,
  treeState,
} from './helpers.ts';

/**
 * 32 zero bits: a real miner would need about 4 billion hashes per block, so a sampled block's
 * proof of 0 meets the target with probability 2^-32 (checked below, not assumed).
 */
const SAMPLED: ChainParams = makeParams({
  work: 'sampled',
  initialTarget: targetFromZeroBits(32),
  retargetInterval: 1000,
  reward: 50n,
});
const REAL = easyParams({ reward: 50n });
const MINER = addressFromNumber(0xcafe);

/** Forge a sampled block on the tip, one block interval after it, and add it. */
function forgeOnTip(tree: BlockTree, mempool = new Mempool(tree.params), miner = MINER): Block {
  const block = forgeSampledBlock(
    tree,
    mempool,
    miner,
    tree.tip.block.header.timestampMs + tree.params.blockTimeMs,
  );
  const added = tree.add(block, LATE_NOW);
  if (!added.ok) throw new Error(`sampled block refused: ${added.error.reason}`);
  return block;
}

function headerHashValue(block: Block): bigint {
  return bytesToBigInt(sha256(encodeHeader(block.header)));
}

function expectRefused(
  tree: BlockTree,
  block: Block,
  reason: RejectReason,
  wallets: readonly Wallet[] = [],
): void {
  const addresses = [MINER, ...wallets.map((w) => w.address)];
  const before = treeState(tree, addresses);
  const added = tree.add(block, LATE_NOW);
  expect(added.ok).toBe(false);
  if (!added.ok) expect(added.error.reason).toBe(reason);
  // Rejection as data: nothing changed (CONTRIBUTING.md, Rejection as data).
  expect(treeState(tree, addresses)).toEqual(before);
}

describe('sampled blocks and real-work chains', () => {
  it('a sampled chain has its own genesis, of the sampled version', () => {
    const sampled = genesisBlock(SAMPLED);
    const real = genesisBlock(makeParams({ initialTarget: SAMPLED.initialTarget }));
    expect(sampled.header.version).toBe(SAMPLED_BLOCK_VERSION);
    expect(real.header.version).toBe(BLOCK_VERSION);
    expect(sampled.hash).not.toBe(real.hash);
    expect(new BlockTree(SAMPLED).tip.hash).toBe(sampled.hash);
    expect(blockVersion(SAMPLED)).toBe(SAMPLED_BLOCK_VERSION);
    expect(blockVersion(REAL)).toBe(BLOCK_VERSION);
  });

  it('a sampled tree accepts a forged block whose hash does not meet its target', () => {
    const tree = new BlockTree(SAMPLED);
    const block = forgeOnTip(tree);
    expect(block.header.version).toBe(SAMPLED_BLOCK_VERSION);
    expect(block.header.proof).toBe(0);
    // Not vacuous: a real-work check of this hash would fail.
    expect(headerHashValue(block)).toBeGreaterThanOrEqual(SAMPLED.initialTarget);
    expect(tree.tip.hash).toBe(block.hash);
    expect(tree.tip.height).toBe(2);
    expect(tree.ledger.get(MINER).balance).toBe(50n);
    expect(checkProofOfWork(block, SAMPLED)).toEqual({ ok: true, value: SAMPLED.initialTarget });
  });

  it('a real-work tree refuses a sampled block (bad-version), and nothing changes', () => {
    const sampledTree = new BlockTree(SAMPLED);
    const block = forgeOnTip(sampledTree);
    const real = new BlockTree(REAL);
    extendTip(real, { miner: MINER });
    expectRefused(real, block, 'bad-version');
    expect(real.tip.height).toBe(2);
    expect(real.size).toBe(2);
    const check = checkProofOfWork(block);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error.message).toMatch(/sampled-work simulation/);
  });

  it('a real-work tree refuses a sampled block even when it names the real tip as parent', () => {
    const real = new BlockTree(REAL);
    extendTip(real, { miner: MINER });
    // Forged on a sampled tree, then re-headed onto the real chain: the version still tells.
    const forged = forgeSampledBlock(new BlockTree(SAMPLED), new Mempool(SAMPLED), MINER, 0);
    const coinbase = makeCoinbase(REAL.chainId, 3, MINER, REAL.reward);
    const onRealTip = makeBlock(
      {
        ...forged.header,
        index: 3 as Height,
        previousHash: real.tip.hash,
        timestampMs: real.tip.block.header.timestampMs + REAL.blockTimeMs,
        bits: real.nextBits(real.tip),
        merkleRoot: transactionsRoot([coinbase]),
      },
      [coinbase],
    );
    expectRefused(real, onRealTip, 'bad-version');
  });

  it('a sampled tree refuses a real-work block (bad-version), and nothing changes', () => {
    const real = new BlockTree(REAL);
    const block = extendTip(real, { miner: MINER });
    const sampled = new BlockTree(SAMPLED);
    forgeOnTip(sampled);
    expectRefused(sampled, block, 'bad-version');
    expect(checkVersion(block, SAMPLED).ok).toBe(false);
    expect(checkVersion(block, REAL)).toEqual({ ok: true, value: null });
  });

  it('an unknown version is refused by both kinds of chain', () => {
    const tree = new BlockTree(SAMPLED);
    const forged = forgeSampledBlock(tree, new Mempool(SAMPLED), MINER, LATE_NOW);
    const odd = makeBlock({ ...forged.header, version: 2 }, forged.transactions);
    for (const params of [SAMPLED, REAL]) {
      const check = checkVersion(odd, params);
      expect(check.ok).toBe(false);
      if (!check.ok)
        expect(check.error).toEqual({ reason: 'bad-version', message: 'Unknown block version.' });
    }
    expectRefused(tree, odd, 'bad-version');
  });

  it('forgeSampledBlock throws on a real-work tree: real chains only take mined blocks', () => {
    const real = new BlockTree(REAL);
    expect(() => forgeSampledBlock(real, new Mempool(REAL), MINER, LATE_NOW)).toThrow(
      /only a sampled-work chain forges blocks/,
    );
    expect(real.size).toBe(1);
  });
});

describe('a sampled chain checks everything but the hash', () => {
  /** A sampled chain where alice mined two blocks, and a block in which alice pays bob. */
  function setup() {
    const [alice, bob, carol] = seededWallets(3, 9);
    if (!alice || !bob || !carol) throw new Error('three wallets');
    const tree = new BlockTree(SAMPLED);
    forgeOnTip(tree, undefined, alice.address);
    forgeOnTip(tree, undefined, alice.address);
    const payment = signTransfer(alice, {
      chainId: SAMPLED.chainId,
      recipient: bob.address,
      amount: 30n,
      fee: 2n,
      nonce: 0n,
    });
    const mempool = new Mempool(SAMPLED);
    expect(mempool.add(payment, tree.ledger).ok).toBe(true);
    const block = forgeSampledBlock(
      tree,
      mempool,
      MINER,
      tree.tip.block.header.timestampMs + SAMPLED.blockTimeMs,
    );
    expect(block.transactions).toHaveLength(2);
    return { tree, block, alice, bob, carol, wallets: [alice, bob, carol] };
  }

  it('a block with an edited payment fails bad-merkle-root; the genuine one is still taken', () => {
    const { tree, block, alice, carol, wallets } = setup();
    // Another valid payment in place of alice's to bob, under the same header.
    const other = signTransfer(alice, {
      chainId: SAMPLED.chainId,
      recipient: carol.address,
      amount: 30n,
      fee: 2n,
      nonce: 0n,
    });
    const edited = makeBlock(block.header, [must(block.transactions[0]), other]);
    expect(edited.hash).toBe(block.hash);
    expectRefused(tree, edited, 'bad-merkle-root', wallets);
    // The edited copy condemned only itself, not the hash it shares with the genuine block.
    const added = tree.add(block, LATE_NOW);
    expect(added.ok).toBe(true);
    expect(tree.tip.hash).toBe(block.hash);
  });

  it.each([
    ['bad-reward', (b: Block) => withCoinbaseAmount(b, 99n)],
    [
      'bad-target',
      (b: Block) => makeBlock({ ...b.header, bits: b.header.bits - 1 }, b.transactions),
    ],
    ['bad-index', (b: Block) => makeBlock({ ...b.header, index: 9 as Height }, b.transactions)],
    ['time-too-old', (b: Block) => makeBlock({ ...b.header, timestampMs: 0 }, b.transactions)],
    ['bad-signature', (b: Block) => withPaymentByte(b)],
  ] as const)('refuses %s, and nothing changes', (reason, spoil) => {
    const { tree, block, wallets } = setup();
    expectRefused(tree, spoil(block), reason, wallets);
  });

  /** The block with its coinbase paying `amount`, and a Merkle root that matches. */
  function withCoinbaseAmount(block: Block, amount: bigint): Block {
    const coinbase = makeCoinbase(SAMPLED.chainId, block.header.index, MINER, amount);
    const transactions = [coinbase, ...block.transactions.slice(1)];
    return makeBlock({ ...block.header, merkleRoot: transactionsRoot(transactions) }, transactions);
  }

  /** The block with a bit of the payment's signature flipped, and a Merkle root that matches. */
  function withPaymentByte(block: Block): Block {
    const bytes = must(block.transactions[1]).bytes.slice();
    // The signature takes bytes 81 to 144 of a transfer's encoding.
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    const decoded = decodeTransfer(bytes);
    if (!decoded.ok) throw new Error(decoded.error);
    const spoiled = decoded.value;
    const transactions = [must(block.transactions[0]), spoiled];
    return makeBlock({ ...block.header, merkleRoot: transactionsRoot(transactions) }, transactions);
  }
});

describe('sampledDelayMs', () => {
  const target = targetFromZeroBits(20);

  it('is null when the miner never finds a block: no hash rate, or no target', () => {
    const rng = createRng(1);
    expect(sampledDelayMs(0, target, rng)).toBeNull();
    expect(sampledDelayMs(-5, target, rng)).toBeNull();
    expect(sampledDelayMs(NaN, target, rng)).toBeNull();
    expect(sampledDelayMs(1000, 0n, rng)).toBeNull();
    // A null answer draws nothing.
    expect(rng.u32()).toBe(createRng(1).u32());
  });

  it('is positive and finite, and scales as 1 / (hash rate × target)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 200 }),
        (seed, hashes, zeroBits) => {
          const t = targetFromZeroBits(zeroBits);
          const once = must(sampledDelayMs(hashes, t, createRng(seed)));
          expect(once).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(once)).toBe(true);
          // The same draw at twice the hash rate, or at twice the target, comes twice as soon
          // (up to a few roundings of the doubles).
          const half = (x: number): number => Math.abs(2 * x - once) / once;
          const faster = must(sampledDelayMs(2 * hashes, t, createRng(seed)));
          if (once > 0) expect(half(faster)).toBeLessThan(8 * Number.EPSILON);
          if (zeroBits > 1) {
            const easier = must(
              sampledDelayMs(hashes, targetFromZeroBits(zeroBits - 1), createRng(seed)),
            );
            if (once > 0) expect(half(easier)).toBeLessThan(8 * Number.EPSILON);
          }
        },
      ),
    );
  });

  // The wait for the first of many independent tries, each succeeding with p = target / 2^256, at
  // H tries a second: exponential with mean 2^256 / target / H seconds, and sd equal to the mean.
  const n = 20_000;
  it.each([
    ['2^236, 1000 H/s', target, 1_000],
    ['compact 0x1d6db6db (not a power of two), 2500 H/s', must(compactToTarget(0x1d6db6db)), 2_500],
  ] as const)('%s: the mean of 20,000 draws lies in its 99.9%% interval', (_, t, hashes) => {
    // 2^256 / target / H seconds, in exact integers as far as the division goes.
    const scale = 1_000_000n;
    const meanMs = Number((TWO_256 * 1000n * scale) / (t * BigInt(hashes))) / Number(scale);
    const rng = createRng(77);
    const mean = sampleMean(draws(n, () => must(sampledDelayMs(hashes, t, rng))));
    const { low, high } = meanInterval(meanMs, meanMs ** 2, n);
    expect(mean).toBeGreaterThan(low);
    expect(mean).toBeLessThan(high);
    // Not vacuous: the same draws by a miner 5% faster fall below the interval.
    const faster = createRng(77);
    const fasterMean = sampleMean(draws(n, () => must(sampledDelayMs(hashes * 1.05, t, faster))));
    expect(fasterMean).toBeLessThan(low);
  });
});
