/**
 * Payments in abandoned blocks: when a reorg disconnects a block, its payments go back to the
 * mempool if they are still valid on the new chain, and are mined again: never lost, never twice.
 * A payment that relied on coins only the abandoned branch had does not come back.
 */
import { describe, expect, it } from 'vitest';
import type { BlockJson } from '../../src/api/json.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  addressOf,
  balanceOn,
  call,
  chainOf,
  createSim,
  joinNetwork,
  mempoolIds,
  mineOn,
  nodeId,
  pay,
  splitNetwork,
  syncBlocks,
  tipOf,
  totalBalance,
} from './framework.ts';

/** How many times a payment appears in a chain. */
function occurrences(chain: readonly BlockJson[], txId: string): number {
  return chain.flatMap((b) => b.transactions).filter((tx) => tx.id === txId).length;
}

/** Coinbases in a chain paid to an address. */
function rewardsOf(chain: readonly BlockJson[], address: string): number {
  return chain.filter((b) => b.transactions[0]?.recipient === address).length;
}

async function expectMempoolsEmpty(sim: Simulation): Promise<void> {
  for (const id of sim.ids) expect(await mempoolIds(sim, id)).toEqual([]);
}

describe('mempool_reorg: payments of abandoned blocks', () => {
  it('a payment in a block on the losing side returns to the mempool and confirms once', async () => {
    const sim = await createSim({ seed: 21, nodes: 3 });
    const n1 = await addressOf(sim, 'n1');
    await mineOn(sim, 'n1', 2);
    await syncBlocks(sim);

    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    const tx = await pay(sim, 'n1', 'n3', 1, 1);
    const [losing] = await mineOn(sim, 'n1');
    expect(losing?.transactions.map((t) => t.id)).toContain(tx.id);
    expect(await mempoolIds(sim, 'n1')).toEqual([]);
    expect(await balanceOn(sim, 'n1', 'n3')).toBe(1);
    const winning = await mineOn(sim, 'n2', 2);
    await sim.runFor(10_000);
    expect(await balanceOn(sim, 'n3', 'n3')).toBe(0);

    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(tipOf(sim, 'n1')).toBe(winning[1]?.hash);
    expect(sim.nodeById(nodeId('n1')).stats.reorgs).toBe(1);

    // The payment is back, waiting; on the winning chain n3 was not paid.
    expect(await mempoolIds(sim, 'n1')).toEqual([tx.id]);
    const afterReorg = await chainOf(sim, 'n1');
    expect(occurrences(afterReorg, tx.id)).toBe(0);
    expect(await balanceOn(sim, 'n1', 'n3')).toBe(0);
    expect(await balanceOn(sim, 'n1', 'n1')).toBe(2);

    // n1 mines it on the winning chain; everyone follows.
    const [confirming] = await mineOn(sim, 'n1');
    expect(confirming?.transactions.map((t) => t.id)).toEqual([
      confirming?.transactions[0]?.id,
      tx.id,
    ]);
    await syncBlocks(sim);
    await expectMempoolsEmpty(sim);
    for (const id of sim.ids) {
      const chain = await chainOf(sim, id);
      expect(chain).toHaveLength(6);
      expect(occurrences(chain, tx.id)).toBe(1);
      // n1 mined blocks 2, 3 and 6 (the fee of 1 came back to it as miner) and paid 1 + 1.
      expect(rewardsOf(chain, n1)).toBe(3);
      expect(await balanceOn(sim, id, 'n1')).toBe(3 + 1 - 2);
      expect(await balanceOn(sim, id, 'n2')).toBe(2);
      expect(await balanceOn(sim, id, 'n3')).toBe(1);
      // Coins exist only as rewards: 5 blocks after genesis, 5 coins.
      expect(totalBalance(sim, id)).toBe(5n);
    }
  });

  it('a payment that spent coins only the abandoned branch minted does not come back', async () => {
    const sim = await createSim({ seed: 22, nodes: 3 });
    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    // n1's only coin comes from its own block on the losing side, and it spends it there.
    await mineOn(sim, 'n1');
    const tx = await pay(sim, 'n1', 'n3', 1);
    await mineOn(sim, 'n1');
    expect(await balanceOn(sim, 'n1', 'n3')).toBe(1);
    await mineOn(sim, 'n2', 3);

    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(sim.nodeById(nodeId('n1')).stats.reorgs).toBe(1);
    // Invalid on the winning chain (n1 owns nothing there), so it is dropped, not resurrected.
    await expectMempoolsEmpty(sim);
    for (const id of sim.ids) {
      expect(occurrences(await chainOf(sim, id), tx.id)).toBe(0);
      expect(await balanceOn(sim, id, 'n1')).toBe(0);
      expect(await balanceOn(sim, id, 'n3')).toBe(0);
      expect(await balanceOn(sim, id, 'n2')).toBe(3);
    }
    // And n1 cannot pay again until it owns something on this chain.
    const res = await sim.request('POST', '/node/n1/transactions/new', {
      recipient: 'n3',
      amount: 1,
    });
    expect(res.status).toBe(400);
  });

  it('a payment the winning side also mined is not returned twice', async () => {
    const sim = await createSim({ seed: 23, nodes: 3 });
    await mineOn(sim, 'n1');
    await syncBlocks(sim);
    // The payment reaches everyone before the split, then both sides mine it.
    const tx = await pay(sim, 'n1', 'n2', 1);
    await sim.runFor(10_000);
    for (const id of sim.ids) expect(await mempoolIds(sim, id)).toEqual([tx.id]);

    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    await mineOn(sim, 'n1');
    await mineOn(sim, 'n3', 2);
    await sim.runFor(10_000);
    for (const id of sim.ids) expect(await mempoolIds(sim, id)).toEqual([]);

    await joinNetwork(sim);
    await syncBlocks(sim);
    await expectMempoolsEmpty(sim);
    for (const id of sim.ids) {
      const chain = await chainOf(sim, id);
      expect(occurrences(chain, tx.id)).toBe(1);
      expect(await balanceOn(sim, id, 'n1')).toBe(0);
      expect(await balanceOn(sim, id, 'n2')).toBe(1);
      expect(await balanceOn(sim, id, 'n3')).toBe(2);
    }
  });

  it('a chain of payments from one sender across two abandoned blocks returns in nonce order', async () => {
    const sim = await createSim({ seed: 24, nodes: 3 });
    // 4 coins before the split: exactly what the three payments below need (1 + 1 + fee 1 + 1).
    await mineOn(sim, 'n1', 4);
    await syncBlocks(sim);
    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    const first = await pay(sim, 'n1', 'n2', 1);
    await mineOn(sim, 'n1');
    const second = await pay(sim, 'n1', 'n3', 1, 1);
    const third = await pay(sim, 'n1', 'n2', 1);
    await mineOn(sim, 'n1');
    expect([first.nonce, second.nonce, third.nonce]).toEqual([0, 1, 2]);
    await mineOn(sim, 'n3', 3);

    await joinNetwork(sim);
    await syncBlocks(sim);
    expect(sim.nodeById(nodeId('n1')).stats.reorgs).toBe(1);
    // The fee-paying one is listed first, but all three wait and none was lost.
    expect(new Set(await mempoolIds(sim, 'n1'))).toEqual(new Set([first.id, second.id, third.id]));
    expect((await call(sim, 'GET', '/node/n1/wallet')) as object).toMatchObject({
      balance: 4,
      nonce: 0,
    });

    // One block takes them all, each sender's payments in nonce order.
    const [block] = await mineOn(sim, 'n1');
    expect(block?.transactions.slice(1).map((t) => t.id)).toEqual([first.id, second.id, third.id]);
    await syncBlocks(sim);
    await expectMempoolsEmpty(sim);
    for (const id of sim.ids) {
      // 4 coins + 1 reward + 1 fee back as miner - 4 spent.
      expect(await balanceOn(sim, id, 'n1')).toBe(2);
      expect(await balanceOn(sim, id, 'n2')).toBe(2);
      expect(await balanceOn(sim, id, 'n3')).toBe(3 + 1);
      expect(totalBalance(sim, id)).toBe(8n);
    }
  });
});
