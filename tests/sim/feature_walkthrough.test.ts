/**
 * The tutorial's walkthrough, through the route table only: list the nodes, make a payment, mine,
 * read the chain, register nodes and resolve. Then the same with manual gossip, which reproduces
 * the tutorial exactly: a node learns nothing until it registers a peer and calls resolve.
 */
import { describe, expect, it } from 'vitest';
import type { NodeSummary } from '../../src/api/backend.ts';
import type { BlockJson } from '../../src/api/json.ts';
import {
  addressOf,
  call,
  chainOf,
  createSim,
  listNodes,
  mempoolIds,
  mineOn,
  register,
  resolve,
  syncBlocks,
} from './framework.ts';

const GENESIS_PREVIOUS_HASH = '0'.repeat(63) + '1';

function expectGenesis(block: BlockJson | undefined): void {
  expect(block).toMatchObject({
    index: 1,
    previous_hash: GENESIS_PREVIOUS_HASH,
    proof: 100,
    transactions: [],
  });
}

/** Each block names its parent by hash and counts up by one. */
function expectLinked(chain: readonly BlockJson[]): void {
  chain.forEach((block, i) => {
    expect(block.index).toBe(i + 1);
    if (i > 0) expect(block.previous_hash).toBe(chain[i - 1]?.hash);
  });
}

describe('feature_walkthrough: the tutorial, route by route (auto gossip)', () => {
  it('lists nodes, pays, mines, shows the chain, registers and resolves', async () => {
    const sim = await createSim({ nodes: 3 });

    // GET /sim/nodes: three fresh nodes on the same genesis block, registered with each other.
    const nodes = await listNodes(sim);
    expect(nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    const genesisTip = nodes[0]?.tip;
    for (const n of nodes) {
      expect(n).toMatchObject({ height: 1, tip: genesisTip, mining: false });
      expect(n.address).toMatch(/^[0-9a-f]{40}$/);
      expect(n.peers).toEqual(['n1', 'n2', 'n3'].filter((id) => id !== n.id));
    }
    const n1Address = await addressOf(sim, 'n1');
    const n2Address = await addressOf(sim, 'n2');

    // A payment before mining: n1 owns nothing yet, so unlike the tutorial this is refused.
    const broke = (await call(
      sim,
      'POST',
      '/node/n1/transactions/new',
      { recipient: 'n2', amount: 1 },
      400,
    )) as { error: string; reason: string };
    expect(broke.reason).toBe('insufficient-funds');
    expect(broke.error).toMatch(/Insufficient funds/);
    expect(await mempoolIds(sim, 'n1')).toEqual([]);

    // GET /node/n1/mine: the first mined block has index 2 and pays the miner 1 coin from "0".
    const [first] = await mineOn(sim, 'n1');
    expect(first).toBeDefined();
    if (!first) return;
    expect(first.index).toBe(2);
    expect(first.previous_hash).toBe(genesisTip);
    expect(first.transactions).toHaveLength(1);
    expect(first.transactions[0]).toMatchObject({ sender: '0', recipient: n1Address, amount: 1 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);

    // POST /node/n1/transactions/new: now it can pay, and it is told which block will hold it.
    const created = (await call(
      sim,
      'POST',
      '/node/n1/transactions/new',
      { recipient: 'n2', amount: 1 },
      201,
    )) as { message: string; transaction: { id: string; sender: string; recipient: string } };
    expect(created.message).toBe('Transaction will be added to Block 3');
    expect(created.transaction).toMatchObject({ sender: n1Address, recipient: n2Address });
    expect(await mempoolIds(sim, 'n1')).toEqual([created.transaction.id]);

    // The second block holds the coinbase first, then the payment.
    const [second] = await mineOn(sim, 'n1');
    expect(second?.index).toBe(3);
    expect(second?.transactions.map((t) => t.sender)).toEqual(['0', n1Address]);
    expect(second?.transactions[1]?.id).toBe(created.transaction.id);
    expect(await mempoolIds(sim, 'n1')).toEqual([]);

    // GET /node/n1/chain: genesis first, each block linked to the previous one.
    const chain = await chainOf(sim, 'n1');
    expect(chain).toHaveLength(3);
    expectGenesis(chain[0]);
    expect(chain[0]?.hash).toBe(genesisTip);
    expectLinked(chain);
    expect(chain.map((b) => b.hash)).toEqual([genesisTip, first.hash, second?.hash]);

    // Gossip is automatic: the others follow, and resolving finds nothing better.
    await syncBlocks(sim);
    for (const id of ['n2', 'n3']) {
      expect(await chainOf(sim, id)).toEqual(chain);
      const answer = await resolve(sim, id);
      expect(answer.message).toBe('Our chain is authoritative');
      expect(answer).toHaveProperty('chain', chain);
      expect(answer).not.toHaveProperty('new_chain');
    }
    const wallet = (await call(sim, 'GET', '/node/n2/wallet')) as { balance: number };
    expect(wallet.balance).toBe(1);

    // A newcomer knows only genesis until it registers a node and resolves.
    const added = (await call(sim, 'POST', '/sim/nodes', undefined, 201)) as { id: string };
    expect(added.id).toBe('n4');
    expect(await chainOf(sim, 'n4')).toHaveLength(1);
    const registered = await register(sim, 'n4', ['n1', 'n2']);
    expect(registered).toEqual({
      message: 'New nodes have been added',
      total_nodes: ['n1', 'n2'],
    });
    const replaced = await resolve(sim, 'n4');
    expect(replaced.message).toBe('Our chain was replaced');
    expect(replaced).toHaveProperty('new_chain', chain);
    expect(replaced).not.toHaveProperty('chain');
    expect(await chainOf(sim, 'n4')).toEqual(chain);
    expect((await resolve(sim, 'n4')).message).toBe('Our chain is authoritative');
  });
});

describe('feature_walkthrough: manual gossip reproduces the tutorial exactly', () => {
  it('n2 learns nothing of n1 until it registers n1 and resolves', async () => {
    const sim = await createSim();
    const reset = (await call(sim, 'POST', '/sim/reset', {
      gossip: 'manual',
      peers: 'none',
      nodes: 2,
      difficulty_bits: 8,
    })) as { message: string; nodes: NodeSummary[] };
    expect(reset.message).toBe('A fresh simulation started');
    expect(reset.nodes.map((n) => [n.id, n.peers, n.height])).toEqual([
      ['n1', [], 1],
      ['n2', [], 1],
    ]);

    await mineOn(sim, 'n1', 2);
    await call(sim, 'POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 2 }, 201);
    await mineOn(sim, 'n1');
    const n1Chain = await chainOf(sim, 'n1');
    expect(n1Chain).toHaveLength(4);

    // Time passes; nothing moves by itself.
    await sim.runFor(60_000);
    expect(await chainOf(sim, 'n2')).toHaveLength(1);

    // n2 resolves before registering anyone: nobody to ask, its chain stands.
    const alone = await resolve(sim, 'n2');
    expect(alone.message).toBe('Our chain is authoritative');
    expect(alone).toHaveProperty('chain', [n1Chain[0]]);

    // Registering does not sync either (manual gossip): only resolve does.
    expect(await register(sim, 'n2', ['n1'])).toEqual({
      message: 'New nodes have been added',
      total_nodes: ['n1'],
    });
    await sim.runFor(60_000);
    expect(await chainOf(sim, 'n2')).toHaveLength(1);

    const answer = await resolve(sim, 'n2');
    expect(answer.message).toBe('Our chain was replaced');
    expect(answer).toHaveProperty('new_chain', n1Chain);
    expect(await chainOf(sim, 'n2')).toEqual(n1Chain);
    const n2Wallet = (await call(sim, 'GET', '/node/n2/wallet')) as { balance: number };
    expect(n2Wallet.balance).toBe(2);

    // n1 registers n2 and resolves: the chains are equal, so its chain is authoritative.
    await register(sim, 'n1', ['n2']);
    const n1Answer = await resolve(sim, 'n1');
    expect(n1Answer.message).toBe('Our chain is authoritative');
    expect(n1Answer).toHaveProperty('chain', n1Chain);

    // A block mined now stays with n1 until n2 resolves again.
    await mineOn(sim, 'n1');
    await sim.runFor(60_000);
    expect(await chainOf(sim, 'n2')).toHaveLength(4);
    expect((await resolve(sim, 'n2')).message).toBe('Our chain was replaced');
    expect(await chainOf(sim, 'n2')).toEqual(await chainOf(sim, 'n1'));
  });
});
