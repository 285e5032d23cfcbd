/**
 * Selfish mining played live through the route table, on a headless simulation in virtual time:
 * the pool withholds, reveals by the paper's algorithm, and the count at the end is the final
 * best chain's.
 */
import { describe, expect, it } from 'vitest';
import type { SelfishNarration } from '../../src/lab/live-selfish.ts';
import { playSelfish } from '../../src/lab/live-selfish.ts';
import { Simulation } from '../../src/sim/simulation.ts';

describe('selfish mining, live', () => {
  it('withholds, reveals, and counts the pool’s blocks on the final best chain', async () => {
    const sim = await Simulation.create({ seed: 8, difficultyBits: 8, latencyMs: 20 });
    const told: SelfishNarration[] = [];
    const outcome = await playSelfish(0.4, 30, {
      request: (m, p, b) => sim.request(m, p, b),
      wait: (ms) => sim.runFor(ms),
      narrate: (n) => told.push(n),
      pollMs: 50,
    });
    const kinds = new Set(told.map((n) => n.kind));
    expect(told[0]).toEqual({ kind: 'pool-reset' });
    expect(kinds.has('withheld')).toBe(true);
    expect(kinds.has('adopted') || kinds.has('tie') || kinds.has('revealed-all')).toBe(true);
    expect(told.at(-1)).toEqual({
      kind: 'share',
      pool: outcome.poolBlocks,
      total: outcome.total,
      alpha: 0.4,
    });
    expect(outcome.total).toBeGreaterThanOrEqual(30);
    // The count is the honest nodes' own chain: recount it from the route table.
    const chain = (await sim.request('GET', '/node/n2/chain')).body as {
      chain: { transactions: { recipient: string }[] }[];
    };
    const pool = ((await sim.request('GET', '/node/n1/wallet')).body as { address: string })
      .address;
    const counted = chain.chain
      .slice(1)
      .filter((b) => b.transactions[0]?.recipient === pool).length;
    expect(outcome.poolBlocks).toBe(counted);
  }, 60_000);
});
