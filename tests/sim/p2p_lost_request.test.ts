/**
 * A request that is lost must not block a later resolve: a node that asked one peer for a block
 * (and so does not ask again for a while) still gets it when the tutorial's resolve asks another
 * peer, or the same one, which lists it.
 */
import { describe, expect, it } from 'vitest';
import { createSim, mineOn, nodeId, resolve, splitNetwork, tipOf } from './framework.ts';

describe('p2p_lost_request: a lost getdata does not stop resolve', () => {
  it('n2 asked n1 for a block, the request was cut; resolve right after the heal fetches it', async () => {
    const sim = await createSim({ nodes: 2, latencyMs: 50 });
    const delivered = sim.network.stats.delivered;
    const [block] = await mineOn(sim, 'n1');
    if (!block) throw new Error('mine answered no block');
    // The announcement reaches n2, which asks n1 for the block at once...
    const announced = await sim.runUntil(() => sim.network.stats.delivered > delivered, 10_000);
    expect(announced).toBe(true);
    // ...and the partition cuts that request in flight.
    await splitNetwork(sim, [['n1'], ['n2']]);
    const cutBefore = sim.network.stats.cut;
    await sim.runFor(1_000);
    expect(sim.network.stats.cut).toBeGreaterThan(cutBefore);
    expect(sim.nodeById(nodeId('n2')).tree.has(block.hash as never)).toBe(false);

    await sim.request('POST', '/sim/network/heal');
    const answer = await resolve(sim, 'n2');
    expect(answer.message).toBe('Our chain was replaced');
    expect(tipOf(sim, 'n2')).toBe(block.hash);
  });
});
