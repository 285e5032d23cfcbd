/**
 * Sampled work on a sparse network: thirty nodes on a small-world graph find blocks at drawn
 * times instead of hashing, race, fork and settle on one chain whose coins add up; the same seed
 * gives the same chain. Payments made through the route table are validated and confirmed. And a
 * slow link makes a block take longer to reach everyone, by at least its transfer time per hop.
 */
import { describe, expect, it } from 'vitest';
import type { BlockJson } from '../../src/api/json.ts';
import { SAMPLED_BLOCK_VERSION } from '../../src/core/block.ts';
import { transferMs } from '../../src/core/delivery.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { Simulation, SimulationOptions } from '../../src/sim/simulation.ts';
import type { Topology } from '../../src/sim/topology.ts';
import {
  balanceOn,
  call,
  chainOf,
  createSim,
  heightOf,
  mempoolIds,
  mineOn,
  nodeId,
  pay,
  SYNC_TIMEOUT_MS,
  syncBlocks,
  tipOf,
  totalBalance,
} from './framework.ts';

const SMALL_WORLD: Topology = { kind: 'small-world', k: 4, p: 0.2 };

/**
 * 30 nodes of 2000 virtual hashes a second at 18 zero bits: about one block per 4.4 s for the
 * whole network, so 50 blocks take a few virtual minutes and some of them race.
 */
const STORY: Partial<SimulationOptions> = {
  nodes: 30,
  pow: 'sampled',
  topology: SMALL_WORLD,
  difficultyBits: 18,
  hashesPerSecond: 2_000,
  latencyMs: 200,
};
const HEIGHT = 50;

async function startMining(sim: Simulation): Promise<void> {
  for (const id of sim.ids) {
    const summary = (await call(sim, 'POST', `/node/${id}/mining`, { enabled: true })) as {
      mining: boolean;
    };
    expect(summary.mining).toBe(true);
  }
}

/**
 * Mine until some node's best chain reaches `height`, then stop mining and settle. Settled nodes
 * may still hold different tips of equal work, each keeping the one it saw first (Bitcoin's rule
 * too); the next block breaks the tie, so then n1 mines one more and everyone syncs to it.
 */
async function mineTo(sim: Simulation, height: number): Promise<void> {
  const best = (): number => Math.max(...sim.ids.map((id) => heightOf(sim, id)));
  expect(await sim.runUntil(() => best() >= height, 30 * 60_000)).toBe(true);
  await sim.settle();
  if (sim.converged()) return;
  const work = new Set(sim.ids.map((id) => sim.nodeById(id).tree.tip.chainWork));
  expect(work.size, 'settled nodes disagree only on tips of equal work').toBe(1);
  await mineOn(sim, 'n1');
  await syncBlocks(sim);
}

/** One run of the story: 30 nodes mine to height 50 and settle. */
async function story(seed: number): Promise<Simulation> {
  const sim = await createSim({ ...STORY, seed });
  await startMining(sim);
  await mineTo(sim, HEIGHT);
  return sim;
}

/** The nodes' distance in hops from `from` over the peer graph, by breadth-first search. */
function hopsFrom(sim: Simulation, from: NodeId): Map<NodeId, number> {
  const hops = new Map([[from, 0]]);
  for (const queue = [from]; queue.length > 0;) {
    const u = queue.shift() as NodeId;
    for (const v of sim.nodeById(u).peers) {
      if (!hops.has(v)) {
        hops.set(v, (hops.get(u) ?? 0) + 1);
        queue.push(v);
      }
    }
  }
  return hops;
}

describe('feature_sampled_work: thirty nodes on a small world, no hashing', () => {
  it('mine to height 50, settle, and agree on one chain whose coins add up', async () => {
    const sim = await story(1);
    expect(sim.converged()).toBe(true);
    const height = heightOf(sim, 'n1');
    expect(height).toBeGreaterThanOrEqual(HEIGHT);

    // Each node has the peers the topology drew: at least K/2 = 2, fewer than everyone.
    const degrees = sim.ids.map((id) => sim.nodeById(id).peers.length);
    expect(Math.min(...degrees)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...degrees)).toBeLessThan(29);
    // N·K/2 links, each counted at both ends.
    expect(degrees.reduce((a, b) => a + b, 0)).toBe(30 * 4);

    const chain = await chainOf(sim, 'n1');
    expect(chain).toHaveLength(height);
    for (const id of ['n7', 'n15', 'n30']) expect(await chainOf(sim, id)).toEqual(chain);
    // Blocks of the sampled version on top of the sampled genesis, every one.
    for (const entry of sim.nodeById(nodeId('n1')).tree.bestChain()) {
      expect(entry.block.header.version).toBe(SAMPLED_BLOCK_VERSION);
    }
    // Coins come only from block rewards of 1: they add up to the blocks after genesis.
    for (const id of sim.ids) expect(totalBalance(sim, id)).toBe(BigInt(height - 1));
    // Many miners won blocks; some blocks lost races (sampled discovery is still a race).
    const miners = new Set(chain.slice(1).map((b) => b.transactions[0]?.recipient));
    expect(miners.size).toBeGreaterThan(5);
    expect(sim.stats.blocksMined).toBeGreaterThan(height - 1);
    expect(sim.ids.some((id) => sim.nodeById(id).stats.reorgs > 0)).toBe(true);

    // Every message was delivered: no loss, no partition, nothing left in flight.
    const stats = sim.network.stats;
    expect(stats.delivered).toBeGreaterThan(0);
    expect(stats.lost).toBe(0);
    expect(stats.cut).toBe(0);
    expect(stats.delivered).toBe(stats.sent);
  });

  it('the same seed gives the same chain; another seed another', async () => {
    const a = await story(1);
    const b = await story(1);
    const c = await story(2);
    const tips = (sim: Simulation) => sim.ids.map((id) => tipOf(sim, id));
    expect(tips(b)).toEqual(tips(a));
    expect(b.stats).toEqual(a.stats);
    expect(b.network.stats).toEqual(a.network.stats);
    expect(b.now).toBe(a.now);
    expect(c.converged()).toBe(true);
    expect(tipOf(c, 'n1')).not.toBe(tipOf(a, 'n1'));
  });

  it('payments made through the route table are validated, relayed and confirmed', async () => {
    const sim = await createSim({ ...STORY, seed: 3 });
    await startMining(sim);
    await mineTo(sim, 25);
    const start = heightOf(sim, 'n1');
    // The two richest miners pay two nodes that are neither.
    const byBalance = [...sim.ids].sort((x, y) => Number(owned(sim, y) - owned(sim, x)));
    const [alice, bob] = byBalance as [NodeId, NodeId];
    const [carol, dave] = byBalance.slice(-2) as [NodeId, NodeId];
    expect(owned(sim, bob)).toBeGreaterThanOrEqual(3n);
    const before = new Map<string, number>();
    for (const id of [alice, bob, carol, dave]) before.set(id, await balanceOn(sim, 'n30', id));

    const first = await pay(sim, alice, carol, 2, 1);
    const second = await pay(sim, bob, dave, 1);
    // With mining off, every node hears of both payments and keeps them waiting.
    await sim.runFor(10_000);
    for (const id of sim.ids) {
      expect((await mempoolIds(sim, id)).sort()).toEqual([first.id, second.id].sort());
    }

    await startMining(sim);
    await mineTo(sim, start + 5);
    for (const id of sim.ids) expect(await mempoolIds(sim, id)).toEqual([]);
    const confirmed = (await chainOf(sim, 'n17')).flatMap((block: BlockJson) =>
      block.transactions.map((tx) => tx.id),
    );
    expect(confirmed).toContain(first.id);
    expect(confirmed).toContain(second.id);

    // Payers lost amount and fee, payees gained the amount, besides what each mined since.
    const now = async (id: string): Promise<number> =>
      (await balanceOn(sim, 'n30', id)) - Number(minedSince(sim, id, start));
    expect(await now(alice)).toBe((before.get(alice) ?? NaN) - 3);
    expect(await now(bob)).toBe((before.get(bob) ?? NaN) - 1);
    expect(await now(carol)).toBe((before.get(carol) ?? NaN) + 2);
    expect(await now(dave)).toBe((before.get(dave) ?? NaN) + 1);
    for (const id of sim.ids) expect(totalBalance(sim, id)).toBe(BigInt(heightOf(sim, id) - 1));
  });

  it('on 8 kbit/s links a block reaches everyone later, by at least its transfer time per hop', async () => {
    // Fixed latency, so the two runs differ only in transfer times.
    const base: Partial<SimulationOptions> = {
      ...STORY,
      nodes: 12,
      topology: { kind: 'regular', k: 3 },
      latency: { kind: 'fixed', ms: 50 },
      seed: 4,
    };
    const bandwidthBps = 8_000;
    const spread = async (options: Partial<SimulationOptions>) => {
      const sim = await createSim(options);
      const [mined] = await mineOn(sim, 'n1');
      const { block, hash } = sim.nodeById(nodeId('n1')).tree.tip;
      expect(hash).toBe(mined?.hash);
      const sent = sim.now;
      const everywhere = (): boolean => sim.ids.every((id) => sim.nodeById(id).tree.has(hash));
      expect(await sim.runUntil(everywhere, SYNC_TIMEOUT_MS)).toBe(true);
      const bytes = block.bytes.length;
      const hops = Math.max(...hopsFrom(sim, nodeId('n1')).values());
      return { sim, ms: sim.now - sent, bytes, hops, hash };
    };
    const fast = await spread(base);
    const slow = await spread({ ...base, bandwidthBps });
    // The same block (same seed, same keys, same clock) in both runs.
    expect(slow.hash).toBe(fast.hash);
    expect(slow.hops).toBe(fast.hops);
    expect(fast.hops).toBeGreaterThan(1);
    expect(fast.bytes).toBeGreaterThan(0);
    // Announce, request, block: three messages of 50 ms per hop at least.
    expect(fast.ms).toBeGreaterThanOrEqual(fast.hops * 3 * 50);
    // Every hop also pushes the whole block through an 8 kbit/s link.
    const perHop = transferMs(fast.bytes, bandwidthBps);
    expect(perHop).toBe((fast.bytes * 8 * 1000) / bandwidthBps);
    expect(slow.ms - fast.ms).toBeGreaterThanOrEqual(slow.hops * perHop);
  });
});

/** A node's balance as its own best chain sees it. */
function owned(sim: Simulation, id: string): bigint {
  const node = sim.nodeById(nodeId(id));
  return node.account(node.address).balance;
}

/** Rewards a node collected on n1's best chain above `height` (fees included). */
function minedSince(sim: Simulation, id: string, height: number): bigint {
  const address = sim.nodeById(nodeId(id)).address;
  let total = 0n;
  for (const e of sim.nodeById(nodeId('n1')).tree.bestChain()) {
    const coinbase = e.block.transactions[0];
    if (e.height > height && coinbase?.kind === 'coinbase' && coinbase.recipient === address) {
      total += coinbase.amount;
    }
  }
  return total;
}
