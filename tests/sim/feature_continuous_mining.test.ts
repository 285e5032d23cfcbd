/**
 * Every node mining for virtual minutes over a network with latency: blocks race, forks happen
 * and resolve, and once mining stops and the network settles, all nodes agree on one chain whose
 * coins add up.
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  call,
  chainOf,
  createSim,
  heightOf,
  joinNetwork,
  listNodes,
  mineOn,
  nodeId,
  pay,
  syncBlocks,
  tipOf,
  totalBalance,
} from './framework.ts';

/** 10 zero bits at 100 virtual hashes a second: about one block per node per 10 s. */
const RACE = { difficultyBits: 10, hashesPerSecond: 100 } as const;

async function startMining(sim: Simulation, hashrates?: readonly number[]): Promise<void> {
  for (const [i, id] of sim.ids.entries()) {
    const hashrate = hashrates?.[i];
    const summary = (await call(
      sim,
      'POST',
      `/node/${id}/mining`,
      hashrate === undefined ? { enabled: true } : { enabled: true, hashrate },
    )) as { mining: boolean; hashrate: number };
    expect(summary.mining).toBe(true);
    if (hashrate !== undefined) expect(summary.hashrate).toBe(hashrate);
  }
}

/** All nodes agree, and the agreed chain is internally consistent. */
async function expectOneConsistentChain(sim: Simulation): Promise<void> {
  expect(sim.converged()).toBe(true);
  const reference = await chainOf(sim, 'n1');
  for (const id of sim.ids) expect(await chainOf(sim, id)).toEqual(reference);
  for (const id of sim.ids) {
    // Coins come only from block rewards of 1 (fees move coins, they do not create them).
    expect(totalBalance(sim, id)).toBe(BigInt(reference.length - 1));
  }
  for (const n of await listNodes(sim)) expect(n.mining).toBe(false);
}

describe('feature_continuous_mining: everyone mines, then the network settles', () => {
  it.each([1, 2, 3])('seed %i: 5 nodes, 300 ms latency, 5 minutes → one chain', async (seed) => {
    const sim = await createSim({ seed, nodes: 5, latencyMs: 300, ...RACE });
    await startMining(sim);
    await sim.runFor(5 * 60_000);
    const heightsWhileMining = sim.ids.map((id) => heightOf(sim, id));
    expect(Math.min(...heightsWhileMining)).toBeGreaterThan(20);

    await sim.settle();
    await expectOneConsistentChain(sim);
    expect(heightOf(sim, 'n1')).toBeGreaterThanOrEqual(Math.max(...heightsWhileMining));
    // Several nodes found blocks on the final chain.
    const chain = await chainOf(sim, 'n1');
    const miners = new Set(chain.slice(1).map((b) => b.transactions[0]?.recipient));
    expect(miners.size).toBeGreaterThan(1);
  });

  it('unequal hash rates and payments along the way still end on one chain', async () => {
    const sim = await createSim({ seed: 4, nodes: 4, latencyMs: 500, ...RACE });
    await startMining(sim, [1, 0.5, 0.25, 0]);
    await sim.runFor(60_000);
    await pay(sim, 'n1', 'n4', 2, 1);
    await sim.runFor(60_000);
    await pay(sim, 'n1', 'n3', 1);
    await sim.runFor(120_000);
    await sim.settle();
    await expectOneConsistentChain(sim);
    // n4 never mined: whatever it holds was paid to it, once.
    const n4 = sim.nodeById(nodeId('n4'));
    expect(n4.account(n4.address).balance).toBe(2n);
    const chain = await chainOf(sim, 'n4');
    expect(chain.every((b) => b.transactions[0]?.recipient !== n4.address)).toBe(true);
    for (const id of sim.ids) expect(sim.nodeById(nodeId(id)).mempool.size).toBe(0);
  });

  it('mining through a partition and a heal ends on one chain', async () => {
    const sim = await createSim({ seed: 5, nodes: 4, latencyMs: 200, ...RACE });
    await startMining(sim);
    await sim.runFor(60_000);
    await call(sim, 'POST', '/sim/network/partition', {
      groups: [
        ['n1', 'n2'],
        ['n3', 'n4'],
      ],
    });
    await sim.runFor(120_000);
    expect(tipOf(sim, 'n1')).not.toBe(tipOf(sim, 'n3'));
    await call(sim, 'POST', '/sim/network/heal');
    // While both sides keep mining, the next block announced after the heal reunites them.
    await sim.runFor(120_000);
    await sim.settle();
    await expectOneConsistentChain(sim);
    const losers = sim.ids.filter((id) => sim.nodeById(id).stats.reorgs > 0);
    expect(losers.length).toBeGreaterThan(0);
  });

  it('a lossy network may leave nodes apart; once loss stops, resolve brings them together', async () => {
    const sim = await createSim({ seed: 1, nodes: 5, latencyMs: 300, loss: 0.2, ...RACE });
    await startMining(sim);
    await sim.runFor(5 * 60_000);
    await sim.settle();
    // Lost announcements are not repeated, so the nodes may end apart here; resolving repairs it,
    // except for tips of equal work, which each node keeps as first seen until the next block.
    await call(sim, 'PUT', '/sim/network', { loss: 0 });
    await joinNetwork(sim);
    if (!sim.converged()) await mineOn(sim, 'n1');
    await syncBlocks(sim);
    await expectOneConsistentChain(sim);
  });
});
