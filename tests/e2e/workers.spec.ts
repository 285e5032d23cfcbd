import { expect, test } from '@playwright/test';
import {
  call,
  converged,
  nodes,
  openApp,
  request,
  screenshot,
  settle,
  tips,
  waitForNodes,
} from './helpers.ts';

test.describe('worker nodes in Chromium', () => {
  test("the tutorial's walkthrough through window.chainlab.request", async ({ page }) => {
    await openApp(page);
    // The tutorial exactly: no gossip, no peers; consensus only when resolve is called.
    await call(page, 'POST', '/sim/reset', {
      gossip: 'manual',
      peers: 'none',
      difficulty_bits: 10,
    });
    const list = await nodes(page);
    expect(list.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);

    const tx = await call(
      page,
      'POST',
      '/node/n1/transactions/new',
      { recipient: 'n2', amount: 1 },
      400,
    );
    expect(String(tx.error)).toMatch(/insufficient funds/i);

    const block = await call(page, 'GET', '/node/n1/mine');
    expect(block.message).toBe('New Block Forged');
    expect(block.index).toBe(2);
    const [coinbase] = block.transactions as { sender: string; amount: number }[];
    expect(coinbase).toMatchObject({ sender: '0', amount: 1 });

    const paid = await call(
      page,
      'POST',
      '/node/n1/transactions/new',
      { recipient: 'n2', amount: 1 },
      201,
    );
    expect(paid.message).toBe('Transaction will be added to Block 3');
    await call(page, 'GET', '/node/n1/mine');
    const chain = await call(page, 'GET', '/node/n1/chain');
    expect(chain.length).toBe(3);
    expect((chain.chain as { index: number }[]).map((b) => b.index)).toEqual([1, 2, 3]);

    // n2 knows nothing until it registers n1 and resolves.
    expect((await call(page, 'GET', '/node/n2/chain')).length).toBe(1);
    const reg = await call(page, 'POST', '/node/n2/nodes/register', { nodes: ['n1'] }, 201);
    expect(reg).toMatchObject({ message: 'New nodes have been added', total_nodes: ['n1'] });
    const resolved = await call(page, 'GET', '/node/n2/nodes/resolve');
    expect(resolved.message).toBe('Our chain was replaced');
    expect((resolved.new_chain as unknown[]).length).toBe(3);
    const again = await call(page, 'GET', '/node/n2/nodes/resolve');
    expect(again.message).toBe('Our chain is authoritative');
    const wallet = await call(page, 'GET', '/node/n2/wallet');
    expect(wallet.balance).toBe(1);

    // Bad input is refused with a clear message and changes nothing.
    const before = await tips(page);
    const bad = await request(page, 'POST', '/node/n1/transactions/new', {
      recipient: 'n2',
      amount: '5',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/number/);
    expect((await request(page, 'GET', '/node/n9/chain')).status).toBe(404);
    expect((await request(page, 'POST', '/node/n1/mine')).status).toBe(405);
    expect(await tips(page)).toEqual(before);
    await screenshot(page, 'walkthrough');
  });

  test('three mining workers fork under a partition and converge after healing', async ({
    page,
  }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { difficulty_bits: 15, block_time_ms: 2000 });
    await call(page, 'PUT', '/sim/network', { latency_ms: 30 });
    for (const id of ['n1', 'n2', 'n3']) {
      await call(page, 'POST', `/node/${id}/mining`, { enabled: true, hashrate: 1 });
    }
    await waitForNodes(page, 'every node has mined past block 3', (rows) =>
      rows.every((r) => r.height >= 3),
    );
    await call(page, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
    const start = Math.max(...(await nodes(page)).map((r) => r.height));
    const split = await waitForNodes(page, 'both sides grow their own branch', (rows) => {
      const [a, b, c] = rows;
      return (
        !!a &&
        !!b &&
        !!c &&
        a.height >= start + 2 &&
        b.height >= start + 2 &&
        a.tip !== b.tip &&
        a.tip !== c.tip
      );
    });
    expect(split[0]?.tip).not.toBe(split[1]?.tip);
    await screenshot(page, 'partitioned');

    await call(page, 'POST', '/sim/network/heal');
    const healed = await settle(page);
    expect(healed.every((r) => r.height >= start + 2)).toBe(true);
    await screenshot(page, 'healed');
  });

  test('a reload restores every node, its chain, wallet, peers and network settings', async ({
    page,
  }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { nodes: 3, difficulty_bits: 10 });
    await call(page, 'PUT', '/sim/network', { latency_ms: 40 });
    await call(page, 'GET', '/node/n1/mine');
    await waitForNodes(page, 'block 2 reaches everyone', (rows) =>
      rows.every((r) => r.height === 2),
    );
    await call(page, 'GET', '/node/n2/mine');
    await call(page, 'POST', '/node/n3/transactions/new', { recipient: 'n1', amount: 1 }, 400);
    await waitForNodes(
      page,
      'blocks reach everyone',
      (rows) => converged(rows) && rows[0]?.height === 3,
    );
    await call(page, 'POST', '/node/n3/mining', { enabled: true, hashrate: 0.25 });
    await call(page, 'POST', '/sim/network/partition', { groups: [['n1', 'n2'], ['n3']] });
    const before = await nodes(page);
    const walletBefore = await call(page, 'GET', '/node/n1/wallet');
    const networkBefore = await call(page, 'GET', '/sim/network');
    expect(networkBefore).toEqual({ latency_ms: 40, loss: 0, groups: [['n1', 'n2'], ['n3']] });

    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    const after = await nodes(page);
    // Same nodes, peers and mining state; n3 mines on alone, so only the others must stand still.
    expect(after.map(({ id, address, peers, mining }) => ({ id, address, peers, mining }))).toEqual(
      before.map(({ id, address, peers, mining }) => ({ id, address, peers, mining })),
    );
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect((after[2]?.height ?? 0) >= (before[2]?.height ?? 0)).toBe(true);
    expect(await call(page, 'GET', '/node/n1/wallet')).toEqual(walletBefore);
    expect(await call(page, 'GET', '/sim/network')).toEqual(networkBefore);
    // The restored network still carries blocks once it is whole again.
    await call(page, 'POST', '/node/n3/mining', { enabled: false });
    await call(page, 'POST', '/sim/network/heal');
    await settle(page, 'n3');
    await call(page, 'GET', '/node/n3/mine');
    await waitForNodes(page, 'the new block reaches everyone', converged);
  });

  test('a worker terminated while mining and writing restarts consistent', async ({ page }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 11, block_time_ms: 1000 });
    const acknowledged = await call(page, 'GET', '/node/n1/mine');
    await call(page, 'POST', '/node/n1/mining', { enabled: true });
    await waitForNodes(page, 'n1 keeps mining', (rows) => (rows[0]?.height ?? 0) >= 6);

    // Kill the worker mid-flight: no goodbye, whatever transaction was open is cut off.
    expect(await page.evaluate(() => window.chainlab.restartNode('n1', { abrupt: true }))).toBe(
      true,
    );
    const chain = (await call(page, 'GET', '/node/n1/chain')).chain as {
      index: number;
      hash: string;
      previous_hash: string;
    }[];
    // Consistent: a linked chain from genesis, and the block it acknowledged is still there.
    chain.forEach((b, i) => {
      expect(b.index).toBe(i + 1);
      if (i > 0) expect(b.previous_hash).toBe(chain[i - 1]?.hash);
    });
    expect(chain.map((b) => b.hash)).toContain(acknowledged.hash);
    // It restarts mining as it was, and the network carries on.
    const restarted = (await nodes(page)).find((n) => n.id === 'n1');
    expect(restarted?.mining).toBe(true);
    await settle(page);
  });

  test('a call in flight when its worker is terminated fails with 503, and never hangs', async ({
    page,
  }) => {
    await openApp(page);
    // 30 bits: about 2^30 hashes, minutes of work, so the mine call is still running.
    await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 30 });
    await page.evaluate(() => {
      const w = window as unknown as { pendingMine: Promise<unknown> };
      w.pendingMine = window.chainlab.request('GET', '/node/n1/mine');
    });
    expect(await page.evaluate(() => window.chainlab.restartNode('n1', { abrupt: true }))).toBe(
      true,
    );
    const answer = await page.evaluate(async () => {
      const w = window as unknown as { pendingMine: Promise<{ status: number; body: unknown }> };
      const r = await w.pendingMine;
      return { status: r.status, body: r.body as { error: string } };
    });
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe(
      'n1 stopped before it answered (it was removed or restarted): send the request again.',
    );
    // The restarted node answers again.
    expect((await call(page, 'GET', '/node/n1/chain')).length).toBe(1);
  });

  test('a request holding its node from before an abrupt restart answers 503, never throws', async ({
    page,
  }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 8 });
    await call(page, 'GET', '/node/n1/mine');
    const answer = await page.evaluate(async () => {
      const c = window.chainlab;
      // The engine swaps n1 for its new worker only once that has started, so the payment route
      // takes the old one, then waits for the restart to resolve the recipient, then pays.
      const restarting = c.restartNode('n1', { abrupt: true });
      const paying = c.request('POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 1 });
      try {
        const r = await paying;
        await restarting;
        return { status: r.status, body: r.body };
      } catch (e) {
        return { threw: String(e) };
      }
    });
    expect(answer).toEqual({
      status: 503,
      body: {
        error:
          'n1 stopped before it answered (it was removed or restarted): send the request again.',
      },
    });
    // The restarted node takes the same payment.
    await call(page, 'POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 1 }, 201);
  });

  test('two tabs run two separate simulations that never cross-talk', async ({ context }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await openApp(a);
    await openApp(b);
    await call(a, 'POST', '/sim/reset', { difficulty_bits: 8 });
    await call(b, 'POST', '/sim/reset', { difficulty_bits: 8 });
    for (let i = 0; i < 3; i++) await call(a, 'GET', '/node/n1/mine');
    await waitForNodes(a, 'tab A converges on its own blocks', (rows) =>
      rows.every((r) => r.height === 4),
    );
    // Same node ids, same channel names within each simulation, yet tab B heard nothing.
    const inB = await nodes(b);
    expect(inB.map((n) => n.height)).toEqual([1, 1, 1]);
    const addressesA = (await nodes(a)).map((n) => n.address);
    expect(inB.map((n) => n.address)).not.toEqual(addressesA);
  });

  test('adding and removing nodes starts and stops their workers', async ({ page }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 8 });
    const added = await call(page, 'POST', '/sim/nodes', { name: 'dora' }, 201);
    expect(added.id).toBe('dora');
    expect(String(added.address)).toMatch(/^[0-9a-f]{40}$/);
    await call(page, 'POST', '/node/dora/nodes/register', { nodes: ['n1', 'n2'] }, 201);
    await call(page, 'POST', '/node/n1/nodes/register', { nodes: ['dora'] }, 201);
    await call(page, 'GET', '/node/dora/mine');
    // n2 never registered dora, yet gets the block: n1 relays it.
    await waitForNodes(page, "dora's block reaches everyone", (rows) =>
      rows.every((r) => r.height === 2),
    );
    expect((await request(page, 'POST', '/sim/nodes', { name: 'dora' })).status).toBe(409);

    await call(page, 'DELETE', '/sim/nodes/dora');
    const left = await nodes(page);
    expect(left.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(left.every((n) => !n.peers.includes('dora'))).toBe(true);
    expect((await request(page, 'GET', '/node/dora/chain')).status).toBe(404);
    expect((await request(page, 'DELETE', '/sim/nodes/dora')).status).toBe(404);
    // The rest of the network carries on.
    await call(page, 'GET', '/node/n2/mine');
    await waitForNodes(page, 'n2 and n1 agree', converged);
  });
});
