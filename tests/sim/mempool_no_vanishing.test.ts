/**
 * Accepted payments never vanish silently. After a partition, mining on both sides and a heal,
 * every payment a node answered 201 is pending, confirmed in a block of the best chain, or dropped
 * with a tx-dropped event naming it and its reason, and GET /node/:id/transactions/:txid says
 * which. A payment whose earlier sibling was dropped waits queued behind the nonce gap instead of
 * being dropped too, and the node never signs a second payment with the nonce of one it still
 * holds.
 */
import { describe, expect, it } from 'vitest';
import type { EventJson, TxJson } from '../../src/api/json.ts';
import { eventToJson } from '../../src/api/json.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  call,
  chainOf,
  createSim,
  joinNetwork,
  mempoolIds,
  mineOn,
  pay,
  splitNetwork,
  syncBlocks,
  syncGroup,
} from './framework.ts';

interface Logged {
  readonly node: NodeId;
  readonly event: EventJson;
}

async function storySim(seed: number): Promise<{ sim: Simulation; log: Logged[] }> {
  const log: Logged[] = [];
  const sim = await createSim({
    seed,
    nodes: 3,
    onEvent: (node: NodeId, e: NodeEvent) => log.push({ node, event: eventToJson(e) }),
  });
  // POST /sim/reset, as the reproducer starts.
  await call(sim, 'POST', '/sim/reset', { nodes: 3, difficulty_bits: 8 });
  return { sim, log };
}

interface Status {
  readonly id: string;
  readonly status: 'pending' | 'confirmed' | 'dropped';
  readonly block?: { readonly index: number; readonly hash: string };
  readonly reason?: string;
  readonly message?: string;
}

async function statusOf(sim: Simulation, node: string, id: string): Promise<Status> {
  return (await call(sim, 'GET', `/node/${node}/transactions/${id}`)) as Status;
}

/** Every acknowledged payment is accounted for, and live ones never share a nonce. */
async function expectAccountedFor(
  sim: Simulation,
  node: string,
  paid: readonly TxJson[],
  log: readonly Logged[],
): Promise<Map<string, Status>> {
  const chain = await chainOf(sim, node);
  const mempool = new Set(await mempoolIds(sim, node));
  const statuses = new Map<string, Status>();
  const liveNonces = new Map<number, string>();
  for (const tx of paid) {
    const s = await statusOf(sim, node, tx.id);
    statuses.set(tx.id, s);
    expect(s.id).toBe(tx.id);
    if (s.status === 'confirmed') {
      const block = chain[(s.block?.index ?? 0) - 1];
      expect(block?.hash).toBe(s.block?.hash);
      expect(block?.transactions.map((t) => t.id)).toContain(tx.id);
    } else if (s.status === 'pending') {
      // A queued payment is not listed by /mempool (it cannot go in a block yet); a ready one is.
      expect(mempool.has(tx.id) || s.message !== undefined).toBe(true);
    } else {
      expect(s.reason).toMatch(/^(nonce-used|nonce-conflict|insufficient-funds|mempool-full)$/);
      const told = log.filter(
        (l) => l.node === node && l.event.kind === 'tx-dropped' && l.event.id === tx.id,
      );
      expect(told.length, `no tx-dropped event for ${tx.id}`).toBeGreaterThan(0);
      continue;
    }
    expect(liveNonces.get(tx.nonce), `nonce ${tx.nonce} used twice`).toBeUndefined();
    liveNonces.set(tx.nonce, tx.id);
  }
  return statuses;
}

describe('mempool_no_vanishing: acknowledged payments are accounted for', () => {
  it('the reproducer: a payment paid for by dropped blocks is reported dropped, with the reason', async () => {
    const { sim, log } = await storySim(31);
    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    await mineOn(sim, 'n1', 2);
    const tx = await pay(sim, 'n1', 'n2', 2);
    expect(tx.nonce).toBe(0);
    const [n1Block] = await mineOn(sim, 'n1');
    expect(n1Block?.transactions.map((t) => t.id)).toContain(tx.id);
    expect(await statusOf(sim, 'n1', tx.id)).toEqual({
      id: tx.id,
      status: 'confirmed',
      block: { index: 4, hash: n1Block?.hash },
    });
    await mineOn(sim, 'n2', 4);
    await syncGroup(sim, ['n2', 'n3']);

    await joinNetwork(sim);
    await syncBlocks(sim);
    // n1 followed the heavier branch, where it never mined anything: the 2 coins are gone.
    expect(sim.nodeById('n1' as NodeId).stats.reorgs).toBe(1);
    const status = await statusOf(sim, 'n1', tx.id);
    expect(status).toMatchObject({ id: tx.id, status: 'dropped', reason: 'insufficient-funds' });
    expect(status.message).toMatch(/no longer has the coins/);
    // The event log says which payment and why.
    const dropped = log.filter((l) => l.node === 'n1' && l.event.kind === 'tx-dropped');
    expect(dropped.map((l) => l.event)).toEqual([
      expect.objectContaining({
        id: tx.id,
        sender: tx.sender,
        recipient: tx.recipient,
        amount: 2,
        nonce: 0,
        reason: 'insufficient-funds',
      }),
    ]);
    await expectAccountedFor(sim, 'n1', [tx], log);
    // Nonce 0 is free again only because its payment was dropped, and said so.
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({ nonce: 0, next_nonce: 0 });
    // n2 never saw it: 404, with a sentence.
    const res = await sim.request('GET', `/node/n2/transactions/${tx.id}`);
    expect(res.status).toBe(404);
    expect((res.body as { error: string }).error).toMatch(/no record of payment/);
  });

  it('a payment behind a dropped one waits queued, and goes through once the gap is filled', async () => {
    const { sim, log } = await storySim(32);
    // 3 coins that both sides will keep.
    await mineOn(sim, 'n1', 3);
    await syncBlocks(sim);
    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    // 2 more coins on n1's side only; it spends all 5: 4, then 1.
    await mineOn(sim, 'n1', 2);
    const big = await pay(sim, 'n1', 'n2', 4);
    const small = await pay(sim, 'n1', 'n3', 1);
    expect([big.nonce, small.nonce]).toEqual([0, 1]);
    await mineOn(sim, 'n1');
    await mineOn(sim, 'n2', 4);
    await syncGroup(sim, ['n2', 'n3']);

    await joinNetwork(sim);
    await syncBlocks(sim);
    const paid: TxJson[] = [big, small];
    let statuses = await expectAccountedFor(sim, 'n1', paid, log);
    // big needed the 2 coins that are gone; small fits in the 3 left but waits for nonce 0.
    expect(statuses.get(big.id)).toMatchObject({ status: 'dropped', reason: 'insufficient-funds' });
    expect(statuses.get(small.id)).toMatchObject({ status: 'pending' });
    expect(statuses.get(small.id)?.message).toMatch(/nonce 0 must come first/);
    // Queued payments never go into a block.
    expect(await mempoolIds(sim, 'n1')).toEqual([]);
    const [empty] = await mineOn(sim, 'n1');
    expect(empty?.transactions).toHaveLength(1);
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({ nonce: 0, next_nonce: 0 });

    // The next payment takes nonce 0, the gap, never small's nonce 1; small becomes ready.
    const filler = await pay(sim, 'n1', 'n2', 1);
    expect(filler.nonce).toBe(0);
    paid.push(filler);
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({ next_nonce: 2 });
    expect(new Set(await mempoolIds(sim, 'n1'))).toEqual(new Set([filler.id, small.id]));
    const [confirming] = await mineOn(sim, 'n1');
    expect(confirming?.transactions.slice(1).map((t) => t.id)).toEqual([filler.id, small.id]);
    await syncBlocks(sim);

    statuses = await expectAccountedFor(sim, 'n1', paid, log);
    for (const tx of [filler, small]) {
      expect(statuses.get(tx.id)).toEqual({
        id: tx.id,
        status: 'confirmed',
        block: { index: confirming?.index, hash: confirming?.hash },
      });
      // Every node sees it confirmed in the same block.
      expect((await statusOf(sim, 'n3', tx.id)).block?.hash).toBe(confirming?.hash);
    }
  });
});
