import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import { genesisBlock } from '../../src/core/block.ts';
import type { BlockEntry } from '../../src/core/chain.ts';
import { BlockTree, pathFrom } from '../../src/core/chain.ts';
import { Ledger } from '../../src/core/ledger.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  compactToTarget,
  targetFromZeroBits,
  targetToCompact,
  workForTarget,
} from '../../src/core/target.ts';
import type { Transfer } from '../../src/core/tx.ts';
import { signTransfer } from '../../src/core/tx.ts';
import type { Address } from '../../src/core/types.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import {
  addressFromNumber,
  easyParams,
  extendTip,
  LATE_NOW,
  mineOn,
  must,
  replayBestChain,
  seededWallets,
  snapshot,
} from './helpers.ts';

const params = easyParams();
const A = addressFromNumber(0xa);
const B = addressFromNumber(0xb);

/** Add a block that must be accepted (or parked), returning what add reported. */
function addOk(
  tree: BlockTree,
  block: Block,
): Exclude<ReturnType<BlockTree['add']>, { ok: false }>['value'] {
  const r = tree.add(block, LATE_NOW);
  if (!r.ok) throw new Error(`refused: ${r.error.reason}`);
  return r.value;
}

/** Mine a child of `parent` on `tree`, add it, and return its entry. */
function grow(
  tree: BlockTree,
  parent: BlockEntry,
  opts: { miner?: Address; gapMs?: number; transfers?: readonly Transfer[] } = {},
): BlockEntry {
  const block = mineOn(tree, parent, {
    miner: opts.miner ?? A,
    timestampMs: parent.block.header.timestampMs + (opts.gapMs ?? tree.params.blockTimeMs),
    transfers: opts.transfers ?? [],
  });
  addOk(tree, block);
  return must(tree.get(block.hash), 'entry');
}

/** A branch of `n` blocks on `parent`. */
function branch(
  tree: BlockTree,
  parent: BlockEntry,
  n: number,
  opts: { miner?: Address; gapMs?: number } = {},
): BlockEntry[] {
  const out: BlockEntry[] = [];
  let p = parent;
  for (let i = 0; i < n; i++) {
    p = grow(tree, p, opts);
    out.push(p);
  }
  return out;
}

const hashes = (entries: readonly BlockEntry[]): string[] => entries.map((e) => e.hash);

describe('BlockTree basics', () => {
  it('starts at the genesis block with its work and an empty ledger', () => {
    const tree = new BlockTree(params);
    expect(tree.tip).toBe(tree.genesis);
    expect(tree.genesis.hash).toBe(genesisBlock(params).hash);
    expect(tree.genesis.height).toBe(1);
    expect(tree.genesis.parent).toBeNull();
    expect(tree.genesis.chainWork).toBe(workForTarget(targetFromZeroBits(4)));
    expect(tree.size).toBe(1);
    expect(tree.orphanCount).toBe(0);
    expect(tree.ledger.get(A)).toEqual({ balance: 0n, nonce: 0n });
    expect(tree.atHeight(1)).toBe(tree.genesis);
    expect(tree.atHeight(2)).toBeUndefined();
  });

  it('extends the tip, summing work and paying the miner', () => {
    const tree = new BlockTree(params);
    const block = extendTip(tree, { miner: A });
    const tip = tree.tip;
    expect(tip.hash).toBe(block.hash);
    expect(tip.height).toBe(2);
    expect(tip.parent).toBe(tree.genesis);
    expect(tip.chainWork).toBe(2n * workForTarget(targetFromZeroBits(4)));
    expect(tree.ledger.get(A)).toEqual({ balance: params.reward, nonce: 0n });
    expect(tree.bestChain()).toEqual([tree.genesis, tip]);
  });

  it('reports a plain extension as a tip change with nothing disconnected', () => {
    const tree = new BlockTree(params);
    const block = mineOn(tree, tree.tip);
    const r = addOk(tree, block);
    expect(r.status).toBe('accepted');
    expect(hashes(r.accepted)).toEqual([block.hash]);
    expect(r.tipChange?.oldTip).toBe(tree.genesis);
    expect(r.tipChange?.fork).toBe(tree.genesis);
    expect(r.tipChange?.disconnected).toEqual([]);
    expect(hashes(r.tipChange?.connected ?? [])).toEqual([block.hash]);
  });

  it('answers known for a block it already has', () => {
    const tree = new BlockTree(params);
    const block = extendTip(tree);
    const r = addOk(tree, block);
    expect(r).toEqual({ status: 'known', accepted: [], rejectedOrphans: [], tipChange: null });
    expect(tree.size).toBe(2);
  });

  it('gives equal parameters the same genesis, so trees can share blocks', () => {
    const a = new BlockTree(params);
    const b = new BlockTree(easyParams());
    const block = extendTip(a);
    expect(b.genesis.hash).toBe(a.genesis.hash);
    expect(b.add(block, LATE_NOW).ok).toBe(true);
    expect(b.tip.hash).toBe(block.hash);
  });
});

describe('forks and fork choice', () => {
  it('keeps a fork, and the first seen stays best on equal work', () => {
    for (const firstIsA of [true, false]) {
      const tree = new BlockTree(params);
      const builder = new BlockTree(params);
      const a = mineOn(builder, builder.genesis, { miner: A });
      const b = mineOn(builder, builder.genesis, { miner: B });
      const [first, second] = firstIsA ? [a, b] : [b, a];
      addOk(tree, first);
      const r = addOk(tree, second);
      expect(r.status).toBe('accepted');
      expect(r.tipChange).toBeNull();
      expect(tree.size).toBe(3);
      expect(tree.tip.hash).toBe(first.hash);
      const side = must(tree.get(second.hash));
      expect(tree.isOnBestChain(side)).toBe(false);
      expect(side.chainWork).toBe(tree.tip.chainWork);
      expect(tree.ledger.get(firstIsA ? A : B).balance).toBe(params.reward);
      expect(tree.ledger.get(firstIsA ? B : A).balance).toBe(0n);
    }
  });

  it('reorganises to a heavier branch, listing what left and joined the best chain', () => {
    const tree = new BlockTree(params);
    const common = branch(tree, tree.genesis, 2, { miner: A });
    const fork = must(common[1]);
    const oldBranch = branch(tree, fork, 2, { miner: A });
    const newBranch = branch(tree, fork, 2, { miner: B });
    expect(tree.tip).toBe(oldBranch[1]);
    expect(tree.ledger.get(A).balance).toBe(4n * params.reward);

    const last = mineOn(tree, must(newBranch[1]), { miner: B });
    const r = addOk(tree, last);
    const change = must(r.tipChange, 'tip change');
    expect(change.oldTip).toBe(oldBranch[1]);
    expect(change.fork).toBe(fork);
    expect(hashes(change.disconnected)).toEqual(hashes([...oldBranch].reverse())); // newest first
    expect(hashes(change.connected)).toEqual([...hashes(newBranch), last.hash]); // oldest first
    expect(change.newTip.hash).toBe(last.hash);
    expect(tree.tip.hash).toBe(last.hash);
    expect(tree.ledger.get(A).balance).toBe(2n * params.reward);
    expect(tree.ledger.get(B).balance).toBe(3n * params.reward);
    for (const e of oldBranch) expect(tree.isOnBestChain(e)).toBe(false);
    for (const e of newBranch) expect(tree.isOnBestChain(e)).toBe(true);
    expect(hashes(pathFrom(fork, tree.tip))).toEqual(hashes(change.connected));
  });

  it('reorganises back and forth, the ledger always matching a replay', () => {
    const tree = new BlockTree(params);
    const tips = { left: tree.genesis, right: tree.genesis };
    let reorgs = 0;
    for (let round = 0; round < 8; round++) {
      const [grown, other] =
        round % 2 === 0 ? (['right', 'left'] as const) : (['left', 'right'] as const);
      // Grow one branch until it is longer (every block has the same work): it must become the tip.
      while (tips[grown].height <= tips[other].height) {
        const block = mineOn(tree, tips[grown], { miner: grown === 'left' ? A : B });
        const change = addOk(tree, block).tipChange;
        if (change && change.disconnected.length > 0) {
          reorgs++;
          expect(hashes(change.disconnected)).toEqual(
            hashes(pathFrom(change.fork, tips[other])).reverse(),
          );
        }
        tips[grown] = must(tree.get(block.hash));
      }
      expect(tree.tip).toBe(tips[grown]);
      expect(snapshot(tree.ledger, [A, B])).toEqual(snapshot(replayBestChain(tree), [A, B]));
      expect(tree.ledger.get(grown === 'left' ? A : B).balance).toBe(
        params.reward * BigInt(tree.tip.height - 1),
      );
    }
    expect(reorgs).toBe(7);
  });

  it('picks different tips under most-work and longest on a crafted tree', () => {
    // Retarget every 2 blocks, from height 5: a branch whose blocks 3 and 4 came 1 ms apart
    // gets a block 5 four times harder, so 2 blocks beat 3 ordinary ones on work but not length.
    const base = makeParams({
      initialTarget: targetFromZeroBits(4),
      retargetInterval: 2,
      blockTimeMs: 1000,
    });
    const builder = new BlockTree(base);
    const [b2, b3] = branch(builder, builder.genesis, 2);
    const common = [must(b2).block, must(b3).block];
    const h4 = grow(builder, must(b3), { gapMs: 1 });
    const h5 = grow(builder, h4);
    const [l4, l5, l6] = branch(builder, must(b3), 3);
    if (!l4 || !l5 || !l6) throw new Error('three blocks');

    const easy = targetFromZeroBits(4);
    expect(h5.target).toBe(easy / 4n);
    expect(l5.target).toBe(easy);
    expect(l6.height).toBeGreaterThan(h5.height);
    expect(h5.chainWork).toBeGreaterThan(l6.chainWork);
    expect(h5.chainWork - l6.chainWork).toBe(2n * workForTarget(easy)); // 1 + 4 vs 3 blocks' work

    const harder = [h4, h5].map((e) => e.block);
    const longer = [l4, l5, l6].map((e) => e.block);
    for (const order of [
      [...common, ...harder, ...longer],
      [...common, ...longer, ...harder],
      [...harder, ...longer, ...common], // as orphans first
    ]) {
      const mostWork = new BlockTree({ ...base, forkChoice: 'most-work' });
      const longest = new BlockTree({ ...base, forkChoice: 'longest' });
      for (const block of order) {
        addOk(mostWork, block);
        addOk(longest, block);
      }
      expect(mostWork.tip.hash).toBe(h5.hash);
      expect(longest.tip.hash).toBe(l6.hash);
      expect(mostWork.size).toBe(longest.size);
    }

    // Arriving last, the harder branch takes over a most-work node in a reorg of three blocks.
    const node = new BlockTree(base);
    for (const block of [...common, ...longer]) addOk(node, block);
    expect(node.tip.hash).toBe(l6.hash);
    addOk(node, h4.block);
    const change = must(addOk(node, h5.block).tipChange, 'reorg');
    expect(hashes(change.disconnected)).toEqual(hashes([l6, l5, l4]));
    expect(hashes(change.connected)).toEqual(hashes([h4, h5]));
    expect(change.fork.hash).toBe(must(b3).hash);
  });

  it('retargets only at window boundaries after the first window', () => {
    const p = makeParams({ initialTarget: targetFromZeroBits(4), retargetInterval: 5 });
    const tree = new BlockTree(p);
    const initialBits = targetToCompact(targetFromZeroBits(4));
    // Blocks 1 ms apart: as fast as the median rule allows.
    // Windows of 5 blocks; the first one (heights 1-5, with the old genesis time) is skipped.
    const zeroBits = (h: number): number => (h < 11 ? 4 : h < 16 ? 6 : 8);
    for (let h = 2; h <= 20; h++) {
      const bits = tree.nextBits(tree.tip);
      expect(bits, `height ${h}`).toBe(targetToCompact(targetFromZeroBits(zeroBits(h))));
      extendTip(tree, { nowMs: tree.tip.block.header.timestampMs + 1 });
      expect(tree.tip.block.header.bits).toBe(bits);
    }
    expect(initialBits).toBe(tree.genesis.block.header.bits);
    expect(compactToTarget(tree.nextBits(tree.tip))).toBe(targetFromZeroBits(10));
  });

  it('takes the median of the last 11 timestamps', () => {
    const tree = new BlockTree(params);
    expect(tree.medianTimePast(tree.genesis)).toBe(params.genesisTimestampMs);
    const gaps = [5, 1, 9, 2, 7, 3, 8, 4, 6, 10, 11, 12, 13];
    for (const gap of gaps) grow(tree, tree.tip, { gapMs: gap * 1000 });
    const times = tree.bestChain().map((e) => e.block.header.timestampMs);
    const last11 = times.slice(-11).sort((a, b) => a - b);
    expect(tree.medianTimePast(tree.tip)).toBe(last11[5]);
    const firstThree = times.slice(0, 3).sort((a, b) => a - b);
    expect(tree.medianTimePast(must(tree.atHeight(3)))).toBe(firstThree[1]);
  });
});

describe('orphans', () => {
  it('parks blocks whose parent is unknown and connects them when it arrives', () => {
    const builder = new BlockTree(params);
    const chain = branch(builder, builder.genesis, 4).map((e) => e.block);
    const tree = new BlockTree(params);
    for (const block of chain.slice(1).reverse()) {
      const r = addOk(tree, block);
      expect(r.status).toBe('orphan');
      expect(r.tipChange).toBeNull();
    }
    expect(tree.orphanCount).toBe(3);
    expect(tree.size).toBe(1);
    expect(tree.has(must(chain[3]).hash)).toBe(true);
    expect(tree.get(must(chain[3]).hash)).toBeUndefined();
    expect(addOk(tree, must(chain[3])).status).toBe('known');

    const r = addOk(tree, must(chain[0]));
    expect(r.status).toBe('accepted');
    expect(r.accepted.map((e) => e.hash)).toEqual(chain.map((b) => b.hash));
    expect(tree.orphanCount).toBe(0);
    expect(tree.size).toBe(5);
    expect(tree.tip.hash).toBe(must(chain[3]).hash);
    expect(hashes(must(r.tipChange).connected)).toEqual(chain.map((b) => b.hash));
  });

  it('connects orphans of several branches at once and reports invalid ones', () => {
    const builder = new BlockTree(params);
    const root = grow(builder, builder.genesis);
    const left = branch(builder, root, 2, { miner: A });
    const right = branch(builder, root, 3, { miner: B });
    const tree = new BlockTree(params);
    for (const e of [...left, ...right]) expect(addOk(tree, e.block).status).toBe('orphan');
    const r = addOk(tree, root.block);
    expect(r.accepted).toHaveLength(6);
    expect(r.rejectedOrphans).toEqual([]);
    expect(tree.tip.hash).toBe(must(right[2]).hash);
    expect(tree.orphanCount).toBe(0);
  });

  it('refuses an orphan far easier than its tip without condemning it: its branch is fetched instead', () => {
    // A branch mined at 2 zero bits, offered to a tree whose blocks need 8: 64 times easier.
    const easy = new BlockTree(easyParams({ initialTarget: targetFromZeroBits(2) }));
    const far = branch(easy, easy.genesis, 2);
    const tree = new BlockTree(easyParams({ initialTarget: targetFromZeroBits(8) }));
    const block = must(far[1]).block;
    const r = tree.add(block, LATE_NOW);
    expect(r.ok ? r.value.status : r.error.reason).toBe('orphan-too-easy');
    expect(tree.invalidReason(block.hash)).toBeUndefined();
    expect(tree.orphanCount).toBe(0);
  });

  it('refuses an orphan that claims to be a genesis block of another chain', () => {
    const other = new BlockTree(easyParams({ initialTarget: targetFromZeroBits(5) }));
    const tree = new BlockTree(params);
    const r = tree.add(other.genesis.block, LATE_NOW);
    expect(r.ok ? r.value.status : r.error.reason).toBe('bad-previous-hash');
    expect(tree.orphanCount).toBe(0);
  });
});

describe('ledgers of side branches', () => {
  it('reads any entry’s state as a replay of its own path', () => {
    const tree = new BlockTree(params);
    const root = grow(tree, tree.genesis, { miner: A });
    const main = branch(tree, root, 3, { miner: A });
    const side = branch(tree, root, 2, { miner: B });
    for (const e of [root, ...main, ...side]) {
      const replay = new Ledger();
      for (const step of [tree.genesis, ...pathFrom(tree.genesis, e)]) replay.apply(step.block);
      expect(snapshot(tree.ledgerAt(e), [A, B])).toEqual(snapshot(replay, [A, B]));
    }
    expect(tree.ledgerAt(must(side[1])).get(B).balance).toBe(2n * params.reward);
    expect(tree.ledger.get(B).balance).toBe(0n);
  });
});

describe('block locators', () => {
  it('lists the last ten blocks, then exponentially sparser ones, ending at genesis', () => {
    const tree = new BlockTree(params);
    branch(tree, tree.genesis, 29);
    const heights = tree.locator().map((h) => must(tree.get(h)).height);
    expect(heights).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 19, 15, 7, 1]);
    expect(new BlockTree(params).locator()).toEqual([tree.genesis.hash]);
  });

  it('tells a peer which best-chain blocks come after what it has', () => {
    const tree = new BlockTree(params);
    const blocks = branch(tree, tree.genesis, 12);
    const peer = new BlockTree(params);
    for (const e of blocks.slice(0, 4)) addOk(peer, e.block);
    expect(tree.hashesAfter(peer.locator(), 100)).toEqual(hashes(blocks.slice(4)));
    expect(tree.hashesAfter(peer.locator(), 3)).toEqual(hashes(blocks.slice(4, 7)));
    expect(tree.hashesAfter([], 100)).toEqual(hashes(blocks));
    expect(tree.hashesAfter(tree.locator(), 100)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Random trees: blocks mined on random existing parents, with random payments and difficulty
// that moves (retarget every 2 blocks, random block gaps).

const randomParams: ChainParams = makeParams({
  chainId: 3,
  initialTarget: targetFromZeroBits(2),
  retargetInterval: 2,
  blockTimeMs: 1000,
  reward: 10n,
});
const WALLETS = seededWallets(4, 21);

interface Step {
  /** Which entry to build on, in arrival order; negative counts from the newest. */
  readonly parent: number;
  readonly miner: number;
  readonly gapMs: number;
  readonly payments: readonly {
    readonly from: number;
    readonly to: number;
    readonly amount: number;
    readonly fee: number;
  }[];
}

const arbStep: fc.Arbitrary<Step> = fc.record({
  // Mostly one of the newest three entries (deep trees, so retargets happen), else any entry.
  parent: fc.oneof(
    { arbitrary: fc.integer({ min: -3, max: -1 }), weight: 3 },
    { arbitrary: fc.nat(), weight: 1 },
  ),
  miner: fc.nat(WALLETS.length - 1),
  gapMs: fc.constantFrom(1, 250, 600, 1000, 2500, 5000),
  payments: fc.array(
    fc.record({
      from: fc.nat(WALLETS.length - 1),
      to: fc.nat(WALLETS.length - 1),
      amount: fc.nat(),
      fee: fc.nat(),
    }),
    { maxLength: 2 },
  ),
});

const wallet = (i: number): Wallet => must(WALLETS[i % WALLETS.length]);
const addresses = WALLETS.map((w) => w.address);

/** Payments that are valid on top of `parent`, funded from what each wallet has there. */
function payments(tree: BlockTree, parent: BlockEntry, step: Step): Transfer[] {
  const view = new Ledger(tree.ledgerAt(parent));
  const out: Transfer[] = [];
  for (const p of step.payments) {
    const from = wallet(p.from);
    const account = view.get(from.address);
    if (account.balance < 1n) continue;
    const amount = 1n + (BigInt(p.amount) % account.balance);
    const fee = BigInt(p.fee) % (account.balance - amount + 1n);
    const tx = signTransfer(from, {
      chainId: randomParams.chainId,
      recipient: wallet(p.to).address,
      amount,
      fee,
      nonce: account.nonce,
    });
    view.applyTransaction(tx);
    out.push(tx);
  }
  return out;
}

/** Invariants of any tree: fork choice, and a best-chain ledger that matches a replay. */
function checkTree(tree: BlockTree): void {
  const entries = [...tree.entries()];
  let best = tree.genesis;
  for (const e of entries) {
    if (e.chainWork > best.chainWork || (e.chainWork === best.chainWork && e.seq < best.seq)) {
      best = e;
    }
  }
  // Most work wins; among equals, the first this tree accepted.
  expect(tree.tip.hash).toBe(best.hash);
  expect(snapshot(tree.ledger, addresses)).toEqual(snapshot(replayBestChain(tree), addresses));
  let sum = 0n;
  for (const a of addresses) sum += tree.ledger.get(a).balance;
  expect(sum).toBe(randomParams.reward * BigInt(tree.tip.height - 1));
  for (const a of addresses) expect(tree.ledger.get(a).balance >= 0n).toBe(true);
}

/** Build a tree from steps, checking the invariants after every block. Returns it and its blocks. */
function buildRandomTree(steps: readonly Step[]): { tree: BlockTree; blocks: Block[] } {
  const tree = new BlockTree(randomParams);
  const blocks: Block[] = [];
  for (const step of steps) {
    const entries = [...tree.entries()];
    const parent = must(
      entries[(entries.length + (step.parent % entries.length)) % entries.length],
    );
    const block = mineOn(tree, parent, {
      miner: wallet(step.miner).address,
      timestampMs: parent.block.header.timestampMs + step.gapMs,
      transfers: payments(tree, parent, step),
    });
    const r = tree.add(block, LATE_NOW);
    if (!r.ok) throw new Error(`refused: ${r.error.reason} ${r.error.message}`);
    if (r.value.status === 'accepted') blocks.push(block);
    if (r.value.tipChange) {
      const { fork, disconnected, connected, newTip } = r.value.tipChange;
      expect(hashes(connected)).toEqual(hashes(pathFrom(fork, newTip)));
      for (const e of disconnected) expect(tree.isOnBestChain(e)).toBe(false);
    }
    checkTree(tree);
  }
  return { tree, blocks };
}

describe('random block trees', () => {
  it('keep the best-chain ledger equal to a replay from genesis after any blocks and reorgs', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 14 }), (steps) => {
        const { tree, blocks } = buildRandomTree(steps);
        expect(tree.size).toBe(blocks.length + 1);
        for (const e of tree.entries()) {
          const replay = new Ledger();
          for (const step of [tree.genesis, ...pathFrom(tree.genesis, e)]) {
            replay.apply(step.block);
          }
          expect(snapshot(tree.ledgerAt(e), addresses)).toEqual(snapshot(replay, addresses));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reach a tip of the same maximal work whatever order the blocks arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(arbStep, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (steps, seed) => {
          const { tree, blocks } = buildRandomTree(steps);
          // Shuffle (Fisher-Yates, seeded): parents need not come before children.
          const rng = createRng(seed);
          const order = blocks.slice();
          for (let i = order.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [order[i], order[j]] = [must(order[j]), must(order[i])];
          }
          const fresh = new BlockTree(randomParams);
          for (const block of order) {
            const r = fresh.add(block, LATE_NOW);
            expect(r.ok ? r.value.status : r.error.reason).not.toBe('known');
            expect(r.ok && r.value.rejectedOrphans).toEqual([]);
          }
          expect(fresh.orphanCount).toBe(0);
          expect(fresh.size).toBe(tree.size);
          const maxWork = [...tree.entries()].reduce(
            (m, e) => (e.chainWork > m ? e.chainWork : m),
            0n,
          );
          expect(fresh.tip.chainWork).toBe(maxWork);
          expect(tree.tip.chainWork).toBe(maxWork);
          const heaviest = [...tree.entries()].filter((e) => e.chainWork === maxWork);
          if (heaviest.length === 1) expect(fresh.tip.hash).toBe(tree.tip.hash);
          else expect(hashes(heaviest)).toContain(fresh.tip.hash);
          checkTree(fresh);
        },
      ),
      { numRuns: 40 },
    );
  });
});
