/**
 * Initial block download: a newcomer catches up with a chain longer than one answer can list
 * (2,000 hashes), by resolve (pull) or by gossip after an announcement (push), in rounds.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IDS } from '../../src/core/protocol.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  call,
  chainOf,
  createSim,
  mineOn,
  nodeId,
  register,
  resolve,
  syncBlocks,
} from './framework.ts';

const LENGTH = MAX_IDS + 100;

/** n1 mines a long chain alone, spacing blocks by the target interval so difficulty holds. */
async function longChain(seed: number): Promise<Simulation> {
  const sim = await createSim({
    seed,
    nodes: 2,
    peers: 'none',
    difficultyBits: 6,
    blockTimeMs: 1_000,
  });
  const n1 = sim.nodeById(nodeId('n1'));
  for (let i = 1; i < LENGTH; i++) {
    await n1.mine();
    await sim.runFor(1_000);
  }
  expect(n1.tree.tip.height).toBe(LENGTH);
  return sim;
}

describe('p2p_ibd: catching up with a long chain', () => {
  it(`resolve fetches all ${LENGTH} blocks, in more than one round`, async () => {
    const sim = await longChain(41);
    await register(sim, 'n2', ['n1']);
    // Count the getblocks requests n1 answers.
    const n1 = sim.nodeById(nodeId('n1'));
    const original = n1.receive.bind(n1);
    let getblocks = 0;
    n1.receive = (from, raw) => {
      if ((raw as { type?: unknown }).type === 'getblocks') getblocks++;
      return original(from, raw);
    };
    const answer = await resolve(sim, 'n2');
    expect(answer.message).toBe('Our chain was replaced');
    expect(answer).toHaveProperty('new_chain.length', LENGTH);
    expect(sim.converged()).toBe(true);
    expect(getblocks).toBe(2);
    expect(await chainOf(sim, 'n2')).toEqual(await chainOf(sim, 'n1'));
  });

  it('an announcement of one new block makes the newcomer fetch everything before it', async () => {
    const sim = await longChain(42);
    await register(sim, 'n1', ['n2']);
    await register(sim, 'n2', ['n1']);
    expect(sim.nodeById(nodeId('n2')).tree.tip.height).toBe(1);
    await mineOn(sim, 'n1');
    await syncBlocks(sim);
    expect(sim.nodeById(nodeId('n2')).tree.tip.height).toBe(LENGTH + 1);
    const wallet = (await call(sim, 'GET', '/node/n2/wallet')) as { balance: number };
    expect(wallet.balance).toBe(0);
  });
});
