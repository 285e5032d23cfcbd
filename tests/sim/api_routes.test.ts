/**
 * Every route of the table answering a good request: status, body shape and effect.
 */
import { describe, expect, it } from 'vitest';
import type { NodeSummary } from '../../src/api/backend.ts';
import type { BlockJson, TxJson } from '../../src/api/json.ts';
import {
  addressOf,
  call,
  chainOf,
  createSim,
  listNodes,
  mempoolIds,
  mineOn,
  nodeId,
  pay,
  syncBlocks,
} from './framework.ts';

describe('api_routes: simulation routes', () => {
  it('GET /sim/nodes lists every node with its address, tip, peers and mining state', async () => {
    const sim = await createSim({ nodes: 2 });
    const nodes = await listNodes(sim);
    expect(nodes).toHaveLength(2);
    const n1 = sim.nodeById(nodeId('n1'));
    expect(nodes[0]).toEqual({
      id: 'n1',
      address: n1.address,
      height: 1,
      tip: n1.tree.tip.hash,
      peers: ['n2'],
      mining: false,
      hashrate: 1,
    });
    // Method names are not case-sensitive; a query string is ignored.
    expect((await sim.request('get', '/sim/nodes?verbose=1')).body).toEqual({ nodes });
  });

  it('POST /sim/reset takes a reward: blocks pay it, and bad rewards are refused', async () => {
    const sim = await createSim({ nodes: 2 });
    await call(sim, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 6, reward: 5 });
    const [block] = await mineOn(sim, 'n1');
    expect(block?.transactions[0]).toMatchObject({ sender: '0', amount: 5 });
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({ balance: 5 });
    for (const reward of [-1, 1.5, '2', 1001]) {
      const r = await sim.request('POST', '/sim/reset', { reward });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/reward/);
    }
    // Refused resets changed nothing.
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({ balance: 5 });
  });

  it('GET /sim/network shows what PUT /sim/network, partition and heal set', async () => {
    const sim = await createSim({ nodes: 3, latencyMs: 100 });
    expect(await call(sim, 'GET', '/sim/network')).toEqual({
      latency_ms: 100,
      loss: 0,
      groups: [],
    });
    await call(sim, 'PUT', '/sim/network', { latency_ms: 25, loss: 0.5 });
    await call(sim, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
    expect(await call(sim, 'GET', '/sim/network')).toEqual({
      latency_ms: 25,
      loss: 0.5,
      groups: [['n1'], ['n2', 'n3']],
    });
    await call(sim, 'POST', '/sim/network/heal');
    expect(await call(sim, 'GET', '/sim/network')).toMatchObject({ groups: [] });
  });

  it('POST /sim/nodes adds a node, named or not; DELETE removes it and peers forget it', async () => {
    const sim = await createSim({ nodes: 2 });
    const unnamed = (await call(sim, 'POST', '/sim/nodes', undefined, 201)) as {
      id: string;
      address: string;
    };
    expect(unnamed.id).toBe('n3');
    expect(unnamed.address).toMatch(/^[0-9a-f]{40}$/);
    const named = (await call(sim, 'POST', '/sim/nodes', { name: 'alice' }, 201)) as {
      id: string;
    };
    expect(named.id).toBe('alice');
    expect((await listNodes(sim)).map((n) => n.id)).toEqual(['n1', 'n2', 'n3', 'alice']);
    // A new node starts with no peers, on genesis.
    expect(sim.nodeById(nodeId('alice')).peers).toEqual([]);

    expect(await call(sim, 'DELETE', '/sim/nodes/n2')).toEqual({ message: 'Node n2 was removed' });
    expect((await listNodes(sim)).map((n) => n.id)).toEqual(['n1', 'n3', 'alice']);
    expect(sim.nodeById(nodeId('n1')).peers).toEqual([]);
    await call(sim, 'GET', '/node/n2/chain', undefined, 404);
  });

  it('POST /sim/reset starts over with the options given', async () => {
    const sim = await createSim({ nodes: 2 });
    await mineOn(sim, 'n1', 2);
    const body = (await call(sim, 'POST', '/sim/reset', {
      nodes: 4,
      difficulty_bits: 9,
      block_time_ms: 2_000,
      fork_choice: 'longest',
      gossip: 'manual',
      peers: 'none',
    })) as { message: string; nodes: NodeSummary[] };
    expect(body.message).toBe('A fresh simulation started');
    expect(body.nodes.map((n) => [n.id, n.height, n.peers.length])).toEqual([
      ['n1', 1, 0],
      ['n2', 1, 0],
      ['n3', 1, 0],
      ['n4', 1, 0],
    ]);
    expect(sim.params.forkChoice).toBe('longest');
    expect(sim.params.blockTimeMs).toBe(2_000);
    expect(sim.nodeById(nodeId('n1')).gossip).toBe('manual');
    const [block] = await mineOn(sim, 'n1');
    expect(block?.difficulty).toBe(9);

    // Without options: the defaults, all peers registered, automatic gossip.
    await call(sim, 'POST', '/sim/reset', { difficulty_bits: 8 });
    const nodes = await listNodes(sim);
    expect(nodes.map((n) => n.peers.length)).toEqual([2, 2, 2]);
    expect(sim.params.forkChoice).toBe('most-work');
    expect(sim.nodeById(nodeId('n1')).gossip).toBe('auto');
  });

  it('POST /sim/network/partition and /heal cut and restore links', async () => {
    const sim = await createSim({ nodes: 3 });
    const body = await call(sim, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2']] });
    expect(body).toEqual({ message: 'The network is partitioned', groups: [['n1'], ['n2']] });
    // Unlisted nodes (n3) form a group of their own.
    expect(sim.network.connected(nodeId('n1'), nodeId('n2'))).toBe(false);
    expect(sim.network.connected(nodeId('n2'), nodeId('n3'))).toBe(false);
    await mineOn(sim, 'n1');
    await sim.runFor(10_000);
    expect(sim.nodeById(nodeId('n2')).tree.tip.height).toBe(1);

    expect(await call(sim, 'POST', '/sim/network/heal')).toEqual({
      message: 'The network is whole again',
    });
    expect(sim.network.connected(nodeId('n1'), nodeId('n3'))).toBe(true);
    await mineOn(sim, 'n1');
    await syncBlocks(sim);
  });

  it('PUT /sim/network changes latency and loss, each optional', async () => {
    const sim = await createSim({ nodes: 2, latencyMs: 50, loss: 0 });
    expect(await call(sim, 'PUT', '/sim/network', { latency_ms: 1_000 })).toEqual({
      message: 'Network settings updated',
    });
    expect(sim.network.conditions).toMatchObject({ latencyMs: 1_000, loss: 0 });
    await call(sim, 'PUT', '/sim/network', { loss: 1 });
    expect(sim.network.conditions).toMatchObject({ latencyMs: 1_000, loss: 1 });
    await call(sim, 'PUT', '/sim/network', {});
    expect(sim.network.conditions).toMatchObject({ latencyMs: 1_000, loss: 1 });
    // Total loss: nothing arrives.
    await mineOn(sim, 'n1');
    await sim.runFor(30_000);
    expect(sim.nodeById(nodeId('n2')).tree.tip.height).toBe(1);
    expect(sim.network.stats.lost).toBeGreaterThan(0);
  });
});

describe('api_routes: node routes', () => {
  it('mine, pay, chain, wallet, balance, mempool and blocks agree with each other', async () => {
    const sim = await createSim({ nodes: 2 });
    const n1 = await addressOf(sim, 'n1');
    const n2 = await addressOf(sim, 'n2');
    const [b2] = await mineOn(sim, 'n1', 4);
    expect(await call(sim, 'GET', '/node/n1/wallet')).toEqual({
      address: n1,
      balance: 4,
      nonce: 0,
      next_nonce: 0,
    });

    // Pay by node id and by address; the fee is optional.
    const t1 = await pay(sim, 'n1', 'n2', 1);
    const t2 = await pay(sim, 'n1', n2, 1, 1);
    expect(t1).toMatchObject({ sender: n1, recipient: n2, amount: 1, fee: 0, nonce: 0 });
    expect(t2).toMatchObject({ sender: n1, recipient: n2, amount: 1, fee: 1, nonce: 1 });
    expect(t1.public_key).toMatch(/^[0-9a-f]{64}$/);
    expect(t1.signature).toMatch(/^[0-9a-f]{128}$/);
    // Naming its own address as sender is allowed.
    const own = (await call(
      sim,
      'POST',
      '/node/n1/transactions/new',
      { recipient: 'n2', amount: 1, sender: n1 },
      201,
    )) as { transaction: TxJson };
    // The mempool lists the highest fee first.
    expect(await mempoolIds(sim, 'n1')).toEqual([t2.id, t1.id, own.transaction.id]);
    // Pending payments do not change the confirmed balance or nonce, only the next nonce...
    expect(await call(sim, 'GET', '/node/n1/wallet')).toMatchObject({
      balance: 4,
      nonce: 0,
      next_nonce: 3,
    });
    expect(await call(sim, 'GET', `/node/n1/transactions/${t1.id}`)).toEqual({
      id: t1.id,
      status: 'pending',
    });
    // ...but they do count against what can still be spent (4 coins, 4 promised).
    await call(sim, 'POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 1 }, 400);

    const [b6] = await mineOn(sim, 'n1');
    expect(
      b6?.transactions
        .map((t) => t.id)
        .slice(1)
        .sort(),
    ).toEqual([t1.id, t2.id, own.transaction.id].sort());
    expect(b6?.transactions[0]).toMatchObject({ sender: '0', amount: 2 });
    expect(await mempoolIds(sim, 'n1')).toEqual([]);
    expect(await call(sim, 'GET', `/node/n1/transactions/${t1.id}`)).toEqual({
      id: t1.id,
      status: 'confirmed',
      block: { index: 6, hash: b6?.hash },
    });

    // 5 rewards + 1 fee back to itself - 3 sent - 1 fee = 2.
    expect(await call(sim, 'GET', '/node/n1/wallet')).toEqual({
      address: n1,
      balance: 2,
      nonce: 3,
      next_nonce: 3,
    });
    expect(await call(sim, 'GET', `/node/n1/balance/${n2}`)).toEqual({ address: n2, balance: 3 });
    expect(await call(sim, 'GET', `/node/n1/balance/${'00'.repeat(20)}`)).toEqual({
      address: '00'.repeat(20),
      balance: 0,
    });

    const chain = await chainOf(sim, 'n1');
    expect(chain).toHaveLength(6);
    // The mine answer is the block itself plus the tutorial's message.
    expect({ message: 'New Block Forged', ...chain[1] }).toEqual(b2);
    for (const block of chain) {
      expect(await call(sim, 'GET', `/node/n1/blocks/${block.hash}`)).toEqual(block);
    }
    const json = chain[5] as BlockJson;
    expect(json.merkle_root).toMatch(/^[0-9a-f]{64}$/);
    expect(json.target).toMatch(/^[0-9a-f]{64}$/);
    expect(json.difficulty).toBe(8);
    expect(json.timestamp).toBeGreaterThan(1_700_000_000);
    expect(json.timestamp).toBeLessThan(2_000_000_000);

    // n2 follows and sees the same balances.
    await syncBlocks(sim);
    expect(await call(sim, 'GET', '/node/n2/wallet')).toEqual({
      address: n2,
      balance: 3,
      nonce: 0,
      next_nonce: 0,
    });
  });

  it('POST /node/:id/mining switches continuous mining and sets the hash-rate share', async () => {
    const sim = await createSim({ nodes: 2, difficultyBits: 10, hashesPerSecond: 100 });
    const on = (await call(sim, 'POST', '/node/n1/mining', {
      enabled: true,
      hashrate: 0.5,
    })) as NodeSummary;
    expect(on).toMatchObject({ id: 'n1', mining: true, hashrate: 0.5 });
    await sim.runFor(120_000);
    const height = sim.nodeById(nodeId('n1')).tree.tip.height;
    expect(height).toBeGreaterThan(1);
    // Off keeps the hash rate as it was.
    const off = (await call(sim, 'POST', '/node/n1/mining', { enabled: false })) as NodeSummary;
    expect(off).toMatchObject({ mining: false, hashrate: 0.5 });
    await sim.runFor(120_000);
    expect(sim.nodeById(nodeId('n1')).tree.tip.height).toBe(height);
    // A share of 0 mines nothing even when on.
    await call(sim, 'POST', '/node/n2/mining', { enabled: true, hashrate: 0 });
    await sim.settle();
    const n2 = sim.nodeById(nodeId('n2'));
    expect(
      (await chainOf(sim, 'n2')).every((b) => b.transactions[0]?.recipient !== n2.address),
    ).toBe(true);
  });

  it('POST /node/:id/nodes/register lists its peers once each and never the node itself', async () => {
    const sim = await createSim({ nodes: 3, peers: 'none' });
    expect(await call(sim, 'POST', '/node/n1/nodes/register', { nodes: ['n2'] }, 201)).toEqual({
      message: 'New nodes have been added',
      total_nodes: ['n2'],
    });
    const again = (await call(
      sim,
      'POST',
      '/node/n1/nodes/register',
      { nodes: ['n2', 'n3', 'n1'] },
      201,
    )) as { total_nodes: string[] };
    expect(again.total_nodes).toEqual(['n2', 'n3']);
    expect(sim.nodeById(nodeId('n1')).peers).toEqual(['n2', 'n3']);
  });
});
