/**
 * Withholding blocks by hand, as a selfish miner does: a node set to manual gossip keeps what it
 * mines, and `publish` reveals one chosen block to its peers, which take it through their usual
 * checks. Bad input changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';

type Summary = { id: string; height: number; tip: string };

async function heights(sim: Simulation): Promise<Record<string, number>> {
  const r = await sim.request('GET', '/sim/nodes');
  const nodes = (r.body as { nodes: Summary[] }).nodes;
  return Object.fromEntries(nodes.map((n) => [n.id, n.height]));
}

describe('withholding and publishing blocks', () => {
  it('a manual node keeps its blocks until it publishes them, one at a time', async () => {
    const sim = await Simulation.create({ seed: 31, nodes: 3, difficultyBits: 8 });
    const set = await sim.request('POST', '/node/n1/gossip', { mode: 'manual' });
    expect(set).toMatchObject({ status: 200, body: { id: 'n1', gossip: 'manual' } });
    const first = (await sim.request('GET', '/node/n1/mine')).body as { hash: string };
    const second = (await sim.request('GET', '/node/n1/mine')).body as { hash: string };
    await sim.runFor(5_000);
    expect(await heights(sim)).toEqual({ n1: 3, n2: 1, n3: 1 });

    const shown = await sim.request('POST', `/node/n1/blocks/${first.hash}/publish`);
    expect(shown).toMatchObject({ status: 200, body: { published: first.hash, to: ['n2', 'n3'] } });
    await sim.runFor(5_000);
    expect(await heights(sim)).toEqual({ n1: 3, n2: 2, n3: 2 });

    await sim.request('POST', `/node/n1/blocks/${second.hash}/publish`);
    await sim.runFor(5_000);
    expect(await heights(sim)).toEqual({ n1: 3, n2: 3, n3: 3 });

    // Back to automatic gossip: the next block spreads by itself.
    await sim.request('POST', '/node/n1/gossip', { mode: 'auto' });
    await sim.request('GET', '/node/n1/mine');
    await sim.runFor(5_000);
    expect(await heights(sim)).toEqual({ n1: 4, n2: 4, n3: 4 });
  });

  it.each([
    ['POST', '/node/n1/gossip', { mode: 'secret' }, 400, '"mode" must be "auto"'],
    ['POST', '/node/n1/gossip', {}, 400, '"mode" must be "auto"'],
    ['POST', `/node/n1/blocks/${'ab'.repeat(32)}/publish`, undefined, 404, 'does not know block'],
    ['POST', '/node/n1/blocks/xyz/publish', undefined, 400, '64 hex digits'],
    ['POST', '/node/n9/gossip', { mode: 'manual' }, 404, 'n9'],
  ])('%s %s refuses %j', async (method, path, body, status, message) => {
    const sim = await Simulation.create({ seed: 32, nodes: 2, difficultyBits: 8 });
    const before = await heights(sim);
    const r = await sim.request(method, path, body);
    expect(r.status).toBe(status);
    expect((r.body as { error: string }).error).toContain(message);
    expect(await heights(sim)).toEqual(before);
  });
});
