/**
 * A network split in two: each side mines its own chain, the sides disagree, and when the network
 * heals every node ends on the chain with the most work, the losing side counting a reorg.
 */
import { describe, expect, it } from 'vitest';
import type { BlockHash } from '../../src/core/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  createSim,
  joinNetwork,
  mineOn,
  nodeId,
  splitNetwork,
  syncBlocks,
  syncGroup,
  tipOf,
  tipsOf,
} from './framework.ts';

const LEFT = ['n1', 'n2'];
const RIGHT = ['n3', 'n4'];

function reorgs(sim: Simulation): Record<string, number> {
  return Object.fromEntries(sim.ids.map((id) => [id, sim.nodeById(id).stats.reorgs]));
}

function chainWork(sim: Simulation, id: string): bigint {
  return sim.nodeById(nodeId(id)).tree.tip.chainWork;
}

/** A shared start, then a split where the left mines 2 blocks and the right 4. */
async function splitAndMine(seed: number): Promise<Simulation> {
  const sim = await createSim({ seed, nodes: 4 });
  await mineOn(sim, 'n1', 2);
  await syncBlocks(sim);
  const common = tipOf(sim, 'n4');

  await splitNetwork(sim, [LEFT, RIGHT]);
  await mineOn(sim, 'n1', 2);
  await syncGroup(sim, LEFT);
  // Wait between miners of one side, or they fork each other at equal work and both stay put.
  await mineOn(sim, 'n3', 2);
  await syncGroup(sim, RIGHT);
  await mineOn(sim, 'n4', 2);
  await syncGroup(sim, RIGHT);
  await sim.runFor(30_000);

  // Two sides, two tips, both past the common block.
  expect(tipOf(sim, 'n1')).toBe(tipOf(sim, 'n2'));
  expect(tipOf(sim, 'n3')).toBe(tipOf(sim, 'n4'));
  expect(tipOf(sim, 'n1')).not.toBe(tipOf(sim, 'n3'));
  expect(sim.nodeById(nodeId('n2')).tree.tip.height).toBe(5);
  expect(sim.nodeById(nodeId('n4')).tree.tip.height).toBe(7);
  for (const id of sim.ids) expect(tipOf(sim, id)).not.toBe(common);
  // Nothing crossed the cut: the left never saw the right's blocks and vice versa.
  const rightTip = tipOf(sim, 'n3');
  expect(sim.nodeById(nodeId('n1')).tree.has(rightTip as BlockHash)).toBe(false);
  expect(sim.network.stats.cut).toBeGreaterThan(0);
  return sim;
}

describe('p2p_partition: split, mine on both sides, heal', () => {
  it('converges on the most-work side after heal and resolve; the losers reorg', async () => {
    const sim = await splitAndMine(11);
    const before = reorgs(sim);
    const winner = tipOf(sim, 'n3');
    expect(chainWork(sim, 'n3')).toBeGreaterThan(chainWork(sim, 'n1'));

    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(Object.values(tipsOf(sim))).toEqual([winner, winner, winner, winner]);

    const after = reorgs(sim);
    for (const id of LEFT) expect(after[id]).toBeGreaterThan(before[id] ?? 0);
    for (const id of RIGHT) expect(after[id]).toBe(before[id]);
    // The abandoned blocks are still known, as stale blocks off the best chain.
    for (const id of LEFT) expect(sim.nodeById(nodeId(id)).stats.staleBlocks).toBe(2);
  });

  it('converges through gossip alone after the heal: reconnected peers exchange tips', async () => {
    const sim = await splitAndMine(12);
    const before = reorgs(sim);
    const heavy = tipOf(sim, 'n3');
    expect(tipOf(sim, 'n1')).not.toBe(heavy);

    const { status } = await sim.request('POST', '/sim/network/heal');
    expect(status).toBe(200);
    // Nobody mines or calls resolve: the tips announced on heal are enough.
    await syncBlocks(sim);
    expect(Object.values(tipsOf(sim))).toEqual(Array(4).fill(heavy));
    for (const id of LEFT) expect(reorgs(sim)[id]).toBeGreaterThan(before[id] ?? 0);

    // And the next block reaches everyone as usual.
    const [block] = await mineOn(sim, 'n4');
    await syncBlocks(sim);
    expect(Object.values(tipsOf(sim))).toEqual(Array(4).fill(block?.hash));
  });

  it('a lighter side that mines after the heal does not win', async () => {
    const sim = await splitAndMine(13);
    const heavy = tipOf(sim, 'n3');
    const { status } = await sim.request('POST', '/sim/network/heal');
    expect(status).toBe(200);
    // The left (5 blocks) mines one more: 6 < 7, so the right keeps its chain.
    await mineOn(sim, 'n2');
    await sim.runFor(30_000);
    expect(tipOf(sim, 'n3')).toBe(heavy);
    expect(tipOf(sim, 'n4')).toBe(heavy);
    expect(reorgs(sim).n3).toBe(0);
    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(tipOf(sim, 'n1')).toBe(heavy);
  });

  it('a three-way split heals onto the single heaviest side', async () => {
    const sim = await createSim({ seed: 14, nodes: 5 });
    await mineOn(sim, 'n5');
    await syncBlocks(sim);
    await splitNetwork(sim, [['n1'], ['n2', 'n3'], ['n4', 'n5']]);
    await mineOn(sim, 'n1', 1);
    await mineOn(sim, 'n2', 3);
    await mineOn(sim, 'n5', 2);
    await sim.runFor(30_000);
    const winner = tipOf(sim, 'n2');
    expect(tipOf(sim, 'n3')).toBe(winner);
    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(new Set(Object.values(tipsOf(sim)))).toEqual(new Set([winner]));
    // n1 may pass through the 2-block side on its way: at least one reorg each.
    expect(sim.nodeById(nodeId('n1')).stats.reorgs).toBeGreaterThanOrEqual(1);
    expect(sim.nodeById(nodeId('n4')).stats.reorgs).toBeGreaterThanOrEqual(1);
    expect(sim.nodeById(nodeId('n3')).stats.reorgs).toBe(0);
  });
});
