/**
 * A live simulation (what `npm run serve` runs): virtual time follows an injected clock, so
 * gossip and continuous mining happen between requests, not only while one is being answered,
 * and blocks carry the clock's time. The clock here is a number the test moves by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/core/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';

const START = 1_800_000_000_000;

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function live(): Promise<{ sim: Simulation; tick: (ms: number) => void }> {
  let now = START;
  const sim = await Simulation.create({ nodes: 3, seed: 7, difficultyBits: 8, startTimeMs: START });
  stop = sim.runLive(() => now);
  return {
    sim,
    tick: (ms) => {
      now += ms;
    },
  };
}

const height = (sim: Simulation, id: string): number => sim.nodeById(id as NodeId).tree.tip.height;
const tipHash = (sim: Simulation, id: string): string => sim.nodeById(id as NodeId).tree.tip.hash;

const heights = async (sim: Simulation): Promise<number[]> => {
  const answer = await sim.request('GET', '/sim/nodes');
  return (answer.body as { nodes: { height: number }[] }).nodes.map((n) => n.height);
};

describe('a live simulation', () => {
  it('delivers a mined block to the peers as the clock moves, with no request', async () => {
    const { sim, tick } = await live();
    tick(5_000);
    const mined = await sim.request('GET', '/node/n1/mine');
    expect(mined.status).toBe(200);
    // Blocks carry the clock's time (Unix seconds in the API).
    expect((mined.body as { timestamp: number }).timestamp).toBe((START + 5_000) / 1000);
    // The block is in flight (100 ms of latency) and the clock has not moved.
    await new Promise((r) => setTimeout(r, 60));
    expect(height(sim, 'n2')).toBe(1);
    tick(1_000); // inv, getdata and block: three trips of about 100 ms
    await expect.poll(() => height(sim, 'n2')).toBe(2);
    await expect.poll(() => height(sim, 'n3')).toBe(2);
  });

  it('mines continuously as the clock moves, and stops mining when asked', async () => {
    const { sim, tick } = await live();
    const on = await sim.request('POST', '/node/n2/mining', { enabled: true });
    expect(on.status).toBe(200);
    for (let i = 0; i < 40 && Math.min(...(await heights(sim))) < 3; i++) {
      tick(1_000);
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(Math.min(...(await heights(sim)))).toBeGreaterThanOrEqual(3);

    await sim.request('POST', '/node/n2/mining', { enabled: false });
    await new Promise((r) => setTimeout(r, 60));
    const before = tipHash(sim, 'n2');
    tick(60_000);
    await new Promise((r) => setTimeout(r, 60));
    expect(tipHash(sim, 'n2')).toBe(before);
  });

  it('answers other calls while one waits on the network', async () => {
    const { sim, tick } = await live();
    await sim.request('POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
    // n1's peers cannot hear it: resolve waits for their answers until it times out, and the
    // clock stands still meanwhile.
    let resolved = false;
    const resolve = sim.request('GET', '/node/n1/nodes/resolve').then((answer) => {
      resolved = true;
      return answer;
    });
    const nodes = await sim.request('GET', '/sim/nodes');
    expect(nodes.status).toBe(200);
    const mined = await sim.request('GET', '/node/n2/mine');
    expect(mined.status).toBe(200);
    expect(resolved).toBe(false);
    // Past the peers' timeout, resolve answers: nobody replied, so n1 keeps its chain.
    tick(60_000);
    const answer = await resolve;
    expect(answer.status).toBe(200);
    expect((answer.body as { message: string }).message).toBe('Our chain is authoritative');
  });

  it('a reset starts the new network at the clock time', async () => {
    const { sim, tick } = await live();
    tick(42_000);
    const reset = await sim.request('POST', '/sim/reset', { nodes: 2, difficulty_bits: 8 });
    expect(reset.status).toBe(200);
    expect(sim.now).toBe(START + 42_000);
    const mined = await sim.request('GET', '/node/n1/mine');
    expect((mined.body as { timestamp: number }).timestamp).toBe((START + 42_000) / 1000);
  });

  it('stops cleanly and refuses to run live twice', async () => {
    const { sim } = await live();
    expect(() => sim.runLive(() => START)).toThrow(/already runs live/);
    await stop?.();
    stop = undefined;
    // Stopped, requests drive virtual time themselves again.
    const mined = await sim.request('GET', '/node/n1/mine');
    expect(mined.status).toBe(200);
  });
});
