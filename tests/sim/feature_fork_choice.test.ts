/**
 * Longest chain versus most work: a scenario where one branch is longer but carries less
 * cumulative work, so the two fork-choice rules pick different winners.
 *
 * Construction (retargeting every 10 blocks; the first retarget is at height 21 and looks at the
 * timestamps of blocks 11..20, expecting 9 block intervals of `block_time_ms` = 5 s, i.e. 45 s;
 * the adjustment is clamped to a factor of 4 either way):
 *
 * - n1 and n2 start alone on genesis (peers "none"), at 8 zero bits: work 2^8 = 256 per block.
 * - Branch A (n1) mines 21 blocks back to back, heights 2..22. Its timestamps barely move (the
 *   clock does not run during one-shot mining), so blocks 11..20 took far less than 45 s / 4, and
 *   from height 21 its target is 4 times harder: work 1024 per block.
 * - Branch B (n2) mines 29 blocks, heights 2..30, waiting 25 s of virtual time before each. Blocks
 *   11..20 took 225 s, more than 4 x 45 s, so from height 21 its target is 4 times easier:
 *   work 64 per block.
 * - Work: A = 20 x 256 + 2 x 1024 = 7168, B = 20 x 256 + 10 x 64 = 5760. B is longer (30 > 22),
 *   A has more work.
 *
 * Then each registers the other and resolves. Under "most-work" both end on A; under "longest"
 * both end on B.
 */
import { describe, expect, it } from 'vitest';
import type { ForkChoice } from '../../src/core/params.ts';
import { leadingZeroBits } from '../../src/core/target.ts';
import type { BlockHash } from '../../src/core/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import { call, chainOf, createSim, mineOn, nodeId, register, resolve, tipOf } from './framework.ts';

const BITS = 8;

interface Branches {
  readonly sim: Simulation;
  readonly tipA: string;
  readonly tipB: string;
}

async function buildBranches(forkChoice: ForkChoice): Promise<Branches> {
  const sim = await createSim({
    seed: 3,
    nodes: 2,
    peers: 'none',
    difficultyBits: BITS,
    blockTimeMs: 5_000,
    forkChoice,
  });
  expect(sim.params.retargetInterval).toBe(10);

  const a = await mineOn(sim, 'n1', 21);
  const b: Awaited<ReturnType<typeof mineOn>> = [];
  for (let i = 0; i < 29; i++) {
    await sim.runFor(25_000);
    b.push(...(await mineOn(sim, 'n2')));
  }

  // The difficulty people see moved in opposite directions at the first retarget.
  expect(a.map((blk) => blk.difficulty)).toEqual([...Array<number>(19).fill(BITS), 10, 10]);
  expect(b.slice(0, 19).every((blk) => blk.difficulty === BITS)).toBe(true);
  expect(b.slice(19).every((blk) => blk.difficulty === BITS - 2)).toBe(true);

  const n1 = sim.nodeById(nodeId('n1')).tree.tip;
  const n2 = sim.nodeById(nodeId('n2')).tree.tip;
  expect(n1.height).toBe(22);
  expect(n2.height).toBe(30);
  expect(leadingZeroBits(n1.target)).toBe(BITS + 2);
  expect(n1.chainWork).toBe(20n * 256n + 2n * 1024n);
  expect(n2.chainWork).toBe(20n * 256n + 10n * 64n);
  return { sim, tipA: n1.hash, tipB: n2.hash };
}

async function exchange(sim: Simulation): Promise<{ n1: string; n2: string }> {
  await register(sim, 'n1', ['n2']);
  await register(sim, 'n2', ['n1']);
  const n1 = (await resolve(sim, 'n1')).message;
  const n2 = (await resolve(sim, 'n2')).message;
  return { n1, n2 };
}

describe('feature_fork_choice: longest chain versus most work', () => {
  it('most-work: the shorter, harder branch wins', async () => {
    const { sim, tipA, tipB } = await buildBranches('most-work');
    expect(await exchange(sim)).toEqual({
      n1: 'Our chain is authoritative',
      n2: 'Our chain was replaced',
    });
    expect(tipOf(sim, 'n1')).toBe(tipA);
    expect(tipOf(sim, 'n2')).toBe(tipA);
    expect(await chainOf(sim, 'n2')).toHaveLength(22);
    // Both branches are known to both nodes; only the choice differs.
    for (const id of ['n1', 'n2']) {
      const tree = sim.nodeById(nodeId(id)).tree;
      expect(tree.get(tipB as BlockHash)?.height).toBe(30);
    }
    expect(sim.nodeById(nodeId('n2')).stats.reorgs).toBe(1);
  });

  it('longest: the longer, easier branch wins', async () => {
    const { sim, tipA, tipB } = await buildBranches('longest');
    expect(await exchange(sim)).toEqual({
      n1: 'Our chain was replaced',
      n2: 'Our chain is authoritative',
    });
    expect(tipOf(sim, 'n1')).toBe(tipB);
    expect(tipOf(sim, 'n2')).toBe(tipB);
    expect(await chainOf(sim, 'n1')).toHaveLength(30);
    expect(sim.nodeById(nodeId('n1')).tree.get(tipA as BlockHash)?.height).toBe(22);
    expect(sim.nodeById(nodeId('n1')).stats.reorgs).toBe(1);
  });

  it('the rule is chosen per simulation through POST /sim/reset', async () => {
    const sim = await createSim({ nodes: 1 });
    expect(sim.params.forkChoice).toBe('most-work');
    await call(sim, 'POST', '/sim/reset', { fork_choice: 'longest', nodes: 1, difficulty_bits: 8 });
    expect(sim.params.forkChoice).toBe('longest');
    await call(sim, 'POST', '/sim/reset', { nodes: 1, difficulty_bits: 8 });
    expect(sim.params.forkChoice).toBe('most-work');
  });
});
