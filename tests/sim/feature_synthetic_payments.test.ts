/**
 * Large sampled runs hand each payment to every node instead of gossiping it: every node still
 * validates it for real, so a forged or unaffordable payment is refused everywhere and changes
 * nothing, and a good one is confirmed on the one chain.
 */
import { describe, expect, it } from 'vitest';
import { signTransfer } from '../../src/core/tx.ts';
import { createWallet } from '../../src/core/wallet.ts';
import { createRng } from '../../src/core/rng.ts';
import { runSimulation } from '../../scripts/sim.ts';
import { createSim, mineOn, nodeId, syncBlocks } from './framework.ts';

describe('feature_synthetic_payments: payments that reach every node without gossip', () => {
  it('a payment is in every mempool at once, with no payment message sent, then confirmed', async () => {
    const sim = await createSim({ nodes: 4, pow: 'sampled' });
    await mineOn(sim, 'n1', 2);
    await syncBlocks(sim);
    const sent = sim.network.stats.sent;
    const n2 = sim.nodeById(nodeId('n2'));
    const paid = await sim.payEverywhere(nodeId('n1'), n2.address, 1n, 0n);
    if (!paid.ok) throw new Error(paid.error.message);
    expect(sim.network.stats.sent).toBe(sent);
    for (const id of sim.ids) expect(sim.nodeById(id).mempool.has(paid.value.id)).toBe(true);

    await mineOn(sim, 'n3');
    await syncBlocks(sim);
    for (const id of sim.ids) {
      const node = sim.nodeById(id);
      expect(node.mempool.has(paid.value.id)).toBe(false);
      expect(node.account(n2.address).balance).toBe(1n);
    }
  });

  it('every node validates what it is handed: a forged payment is refused and changes nothing', async () => {
    const sim = await createSim({ nodes: 3, pow: 'sampled' });
    const thief = createWallet(createRng(9));
    const n1 = sim.nodeById(nodeId('n1'));
    // Signed by a wallet with no coins: valid signature, no funds.
    const broke = signTransfer(thief, {
      chainId: n1.params.chainId,
      recipient: n1.address,
      amount: 1n,
      fee: 0n,
      nonce: 0n,
    });
    for (const id of sim.ids) {
      const node = sim.nodeById(id);
      const before = node.mempool.size;
      const r = await node.acceptPayment(broke);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.reason).toBe('insufficient-funds');
      expect(node.mempool.size).toBe(before);
    }
  });

  it('npm run sim --payments 0 sends none; sampled runs count the ones made', async () => {
    const base = { nodes: 5, blocks: 15, seed: 2, latency: 100, pow: 'sampled' } as const;
    const none = await runSimulation({ ...base, payments: 0 });
    expect(none.payments).toBe(0);
    expect(none.converged).toBe(true);
    const some = await runSimulation({ ...base, payments: 120 });
    expect(some.converged).toBe(true);
    expect(some.payments).toBeGreaterThan(0);
  });
});
