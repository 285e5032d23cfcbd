/**
 * Signing a payment without sending it, and handing a node a signed payment (Bitcoin's
 * signrawtransaction and sendrawtransaction), through the route table: the double spend a learner
 * can do by hand, and every refusal with its typed reason, changing nothing.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';

async function funded(): Promise<Simulation> {
  const sim = await Simulation.create({ seed: 21, nodes: 2, difficultyBits: 8 });
  await sim.request('GET', '/node/n2/mine');
  await sim.runFor(5_000);
  return sim;
}

type Signed = { raw: string; transaction: { id: string; nonce: number } };

describe('raw payments', () => {
  it('signing keeps nothing: the node can then spend the same coins again', async () => {
    const sim = await funded();
    const signed = await sim.request('POST', '/node/n2/transactions/sign', {
      recipient: 'n1',
      amount: 1,
    });
    expect(signed.status).toBe(200);
    const { transaction, raw } = signed.body as Signed;
    expect(transaction.nonce).toBe(0);
    expect(raw).toMatch(/^[0-9a-f]+$/);
    expect((await sim.request('GET', '/node/n2/mempool')).body).toEqual({ transactions: [] });
    const again = await sim.request('POST', '/node/n2/transactions/new', {
      recipient: 'n2',
      amount: 1,
    });
    expect(again.status).toBe(201);
    expect((again.body as Signed).transaction.nonce).toBe(0);
  });

  it('a double spend by hand: the payment a block holds wins, the other is dropped with its reason', async () => {
    const sim = await funded();
    const signed = (
      await sim.request('POST', '/node/n2/transactions/sign', { recipient: 'n1', amount: 1 })
    ).body as Signed;
    await sim.request('POST', '/sim/network/partition', { groups: [['n1'], ['n2']] });
    const submitted = await sim.request('POST', '/node/n1/transactions/submit', {
      raw: signed.raw,
    });
    expect(submitted.status).toBe(201);
    const other = (
      await sim.request('POST', '/node/n2/transactions/new', { recipient: 'n2', amount: 1 })
    ).body as Signed;
    // Each side confirms its own payment; n2's side gets one block more.
    await sim.request('GET', '/node/n1/mine');
    await sim.request('GET', '/node/n2/mine');
    await sim.request('GET', '/node/n2/mine');
    await sim.request('POST', '/sim/network/heal');
    await sim.runFor(10_000);
    const lost = await sim.request('GET', `/node/n1/transactions/${signed.transaction.id}`);
    expect(lost.body).toMatchObject({ status: 'dropped', reason: 'nonce-used' });
    const won = await sim.request('GET', `/node/n1/transactions/${other.transaction.id}`);
    expect(won.body).toMatchObject({ status: 'confirmed' });
  });

  it.each([
    [{ raw: 'zz' }, 400, '"raw" must be hex'],
    [{ raw: 'abcd' }, 400, 'These bytes are not a payment'],
    [{}, 400, 'Missing value: "raw"'],
    [{ raw: 12 }, 400, 'Missing value: "raw"'],
  ])('submit refuses %j', async (body, status, message) => {
    const sim = await funded();
    const before = (await sim.request('GET', '/node/n1/mempool')).body;
    const r = await sim.request('POST', '/node/n1/transactions/submit', body);
    expect(r.status).toBe(status);
    expect((r.body as { error: string }).error).toContain(message);
    expect((await sim.request('GET', '/node/n1/mempool')).body).toEqual(before);
  });

  it('sign refuses what could never be accepted, and submit refuses a payment twice', async () => {
    const sim = await funded();
    const poor = await sim.request('POST', '/node/n1/transactions/sign', {
      recipient: 'n2',
      amount: 5,
    });
    expect(poor.status).toBe(400);
    expect(poor.body).toMatchObject({ reason: 'insufficient-funds' });
    const signed = (
      await sim.request('POST', '/node/n2/transactions/sign', { recipient: 'n1', amount: 1 })
    ).body as Signed;
    expect((await sim.request('POST', '/node/n1/transactions/submit', signed)).status).toBe(400);
    const first = await sim.request('POST', '/node/n1/transactions/submit', { raw: signed.raw });
    expect(first.status).toBe(201);
    const twice = await sim.request('POST', '/node/n1/transactions/submit', { raw: signed.raw });
    expect(twice.status).toBeGreaterThanOrEqual(400);
    expect(twice.body).toMatchObject({ reason: 'duplicate' });
  });
});
