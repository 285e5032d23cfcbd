/**
 * A node restarted from its store (as when its browser worker is terminated) comes back with the
 * same chain, wallet, peers, pending payments and mining settings, and rejoins the network.
 */
import { describe, expect, it } from 'vitest';
import {
  addressOf,
  call,
  chainOf,
  createSim,
  mempoolIds,
  mineOn,
  nodeId,
  pay,
  register,
  snapshot,
  syncBlocks,
  tipOf,
} from './framework.ts';

describe('feature_restart: a node restarts from what it stored', () => {
  it('restores tip, chain, wallet address, peers, mempool and settings', async () => {
    const sim = await createSim({ seed: 31, nodes: 3 });
    await mineOn(sim, 'n1', 3);
    await mineOn(sim, 'n2', 1);
    await syncBlocks(sim);
    const tx = await pay(sim, 'n1', 'n3', 2);
    await call(sim, 'POST', '/node/n2/mining', { enabled: false, hashrate: 0.25 });
    await sim.settle();

    const before = snapshot(sim);
    const chain = await chainOf(sim, 'n2');
    const address = await addressOf(sim, 'n2');
    const wallet = await call(sim, 'GET', '/node/n2/wallet');
    expect(await mempoolIds(sim, 'n2')).toEqual([tx.id]);

    const old = sim.nodeById(nodeId('n2'));
    const restarted = await sim.restartNode(nodeId('n2'));
    expect(restarted).not.toBe(old);
    expect(sim.nodeById(nodeId('n2'))).toBe(restarted);

    expect(snapshot(sim)).toEqual(before);
    expect(await chainOf(sim, 'n2')).toEqual(chain);
    expect(await addressOf(sim, 'n2')).toBe(address);
    expect(await call(sim, 'GET', '/node/n2/wallet')).toEqual(wallet);
    expect(restarted.peers).toEqual(['n1', 'n3']);
    expect(restarted.settings).toEqual({ mining: false, hashrate: 0.25 });
    expect(await mempoolIds(sim, 'n2')).toEqual([tx.id]);
    expect(restarted.stats.droppedMessages).toBe(0);
  });

  it('keeps side branches it had seen, and its peers as registered after the start', async () => {
    const sim = await createSim({ seed: 32, nodes: 3, peers: 'none' });
    await mineOn(sim, 'n1', 2);
    await mineOn(sim, 'n3', 3);
    await register(sim, 'n1', ['n3']);
    // n1 adopts n3's longer chain and keeps its own two blocks as a side branch.
    expect((await call(sim, 'GET', '/node/n1/nodes/resolve')) as { message: string }).toMatchObject(
      { message: 'Our chain was replaced' },
    );
    const before = snapshot(sim).nodes.n1;
    expect(before?.blocksKnown).toBe(6);
    expect(before?.peers).toEqual(['n3']);

    const restarted = await sim.restartNode(nodeId('n1'));
    expect(snapshot(sim).nodes.n1).toEqual(before);
    expect(restarted.tree.tip.hash).toBe(tipOf(sim, 'n3'));
    expect(restarted.stats.staleBlocks).toBe(2);
  });

  it('a restarted node rejoins: it follows new blocks and its own are followed', async () => {
    const sim = await createSim({ seed: 33, nodes: 3 });
    await mineOn(sim, 'n1', 2);
    await syncBlocks(sim);
    await sim.restartNode(nodeId('n3'));
    await mineOn(sim, 'n2');
    await syncBlocks(sim);
    const [own] = await mineOn(sim, 'n3');
    await syncBlocks(sim);
    expect(tipOf(sim, 'n1')).toBe(own?.hash);
    expect(await chainOf(sim, 'n1')).toHaveLength(5);
  });

  it('a node restarted while mining keeps mining', async () => {
    const sim = await createSim({ seed: 34, nodes: 2, difficultyBits: 10, hashesPerSecond: 100 });
    await call(sim, 'POST', '/node/n1/mining', { enabled: true, hashrate: 1 });
    await sim.runFor(60_000);
    const height = sim.nodeById(nodeId('n1')).tree.tip.height;
    expect(height).toBeGreaterThan(1);
    const restarted = await sim.restartNode(nodeId('n1'));
    expect(restarted.settings.mining).toBe(true);
    expect(restarted.tree.tip.height).toBe(height);
    await sim.runFor(120_000);
    expect(restarted.tree.tip.height).toBeGreaterThan(height);
    await sim.settle();
    await syncBlocks(sim);
  });
});
