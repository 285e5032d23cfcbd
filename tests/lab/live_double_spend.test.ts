/**
 * The live double-spend race, driven only through the route table, on a headless simulation in
 * virtual time: the same script the page plays on its workers.
 */
import { describe, expect, it } from 'vitest';
import type { Narration } from '../../src/lab/live-double-spend.ts';
import { playDoubleSpend } from '../../src/lab/live-double-spend.ts';
import { Cancelled } from '../../src/lab/experiment.ts';
import { Simulation } from '../../src/sim/simulation.ts';

async function play(q: number, z: number, win: 'catch-up' | 'overtake', seed: number) {
  const sim = await Simulation.create({ seed, difficultyBits: 8 });
  const told: Narration[] = [];
  const outcome = await playDoubleSpend(q, z, win, {
    request: (m, p, b) => sim.request(m, p, b),
    wait: (ms) => sim.runFor(ms),
    narrate: (n) => told.push(n),
  });
  return { sim, told, outcome };
}

describe('the live double-spend race', () => {
  it('tells the story in order and ends in a win or a surrender', async () => {
    const { told, outcome } = await play(0.3, 2, 'overtake', 4);
    const kinds = told.map((n) => n.kind);
    expect(kinds.slice(0, 5)).toEqual(['reset', 'funded', 'paid', 'hidden', 'mining']);
    expect(kinds).toContain('released');
    const end = kinds.includes('caught-up') ? 'caught-up' : 'gave-up';
    expect(kinds.indexOf(end)).toBeGreaterThan(kinds.indexOf('released'));
    expect(outcome.reached).toBe(end === 'caught-up');
  }, 60_000);

  it('an attacker that gets ahead releases its branch, and the merchant node decides', async () => {
    // Over several seeds at q = 0.45, z = 0, some attacker gets ahead and reverses the payment:
    // the merchant's node ends with the attacker's payment to itself and drops its own.
    let reversals = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const { sim, told, outcome } = await play(0.45, 0, 'overtake', seed);
      if (!outcome.reached) continue;
      expect(told.at(-1)).toEqual({ kind: outcome.reversed ? 'reversed' : 'kept' });
      if (!outcome.reversed) continue;
      reversals++;
      const paid = told.find((n) => n.kind === 'paid');
      if (paid?.kind !== 'paid') throw new Error('no payment told');
      const status = await sim.request('GET', `/node/n1/transactions/${paid.txid}`);
      expect(status.body).toMatchObject({ status: 'dropped', reason: 'nonce-used' });
    }
    expect(reversals).toBeGreaterThan(0);
  }, 120_000);

  it('a catch-up with nothing mined is a tie: the merchant keeps the payment it saw first', async () => {
    const { told, outcome } = await play(0.1, 0, 'catch-up', 2);
    expect(outcome).toEqual({ reached: true, reversed: false });
    expect(told.at(-1)).toEqual({ kind: 'kept' });
  }, 60_000);

  it('stops when asked, between steps', async () => {
    const sim = await Simulation.create({ seed: 5, difficultyBits: 8 });
    const stop = new AbortController();
    const told: Narration[] = [];
    const race = playDoubleSpend(0.2, 3, 'catch-up', {
      request: (m, p, b) => sim.request(m, p, b),
      wait: (ms) => sim.runFor(ms),
      narrate: (n) => {
        told.push(n);
        if (n.kind === 'mining') stop.abort();
      },
      signal: stop.signal,
    });
    await expect(race).rejects.toBeInstanceOf(Cancelled);
    expect(told.at(-1)?.kind).toBe('mining');
  }, 60_000);
});
