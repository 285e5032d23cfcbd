/**
 * Real worker threads, each hosting one node (src/worker/node-thread.ts) on Node's
 * BroadcastChannel: they converge while mining, split and heal with the network settings the page
 * publishes, answer while mining, and drop garbage posted on their inbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulationBackend } from '../../src/api/backend.ts';
import { handleRequest } from '../../src/api/routes.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { NetworkSettings } from '../../src/core/delivery.ts';
import { publishNetworkSettings } from '../../src/runtime/broadcast-transport.ts';
import type { NodeStatus } from '../../src/runtime/protocol.ts';
import { names } from '../../src/runtime/protocol.ts';
import { addressFromNumber, must } from '../core/helpers.ts';
import type { ThreadNode } from './threads.ts';
import {
  QUICK_NETWORK,
  describeTips,
  sameTip,
  spawnCluster,
  statuses,
  stopAll,
  waitUntil,
} from './threads.ts';

const opened: BroadcastChannel[] = [];

afterEach(async () => {
  for (const channel of opened.splice(0)) channel.close();
  await stopAll();
});

/** Apply network settings on every node now, and publish them as the page does. */
async function applyNetwork(
  namespace: string,
  nodes: readonly ThreadNode[],
  settings: NetworkSettings,
): Promise<void> {
  await Promise.all(nodes.map((n) => n.api.setNetwork(settings)));
  publishNetworkSettings(namespace, settings);
}

/** Mine `count` blocks on one node, one after another; returns the last status. */
async function mineBlocks(node: ThreadNode, count: number): Promise<NodeStatus> {
  for (let i = 0; i < count; i++) await node.api.mine();
  return node.api.status();
}

/** A status with the fields a test expects to change set to those of `base`. */
function apartFromDrops(s: NodeStatus, base: NodeStatus): NodeStatus {
  return { ...s, droppedMessages: base.droppedMessages, hashesPerSecond: base.hashesPerSecond };
}

describe('worker threads: nodes in real threads over BroadcastChannel', () => {
  it('three mining nodes converge on one tip once they stop', async () => {
    const cluster = await spawnCluster('converge', 3, { persist: true });
    const { nodes } = cluster;
    for (const s of await statuses(nodes)) {
      expect(s.peers).toHaveLength(2);
      expect(s.storageProblem).toBeNull();
    }

    await Promise.all(nodes.map((n) => n.api.setMining(true, 1)));
    await waitUntil(
      'every node has height 8 or more',
      () => statuses(nodes),
      (list) => list.every((s) => s.height >= 8 && s.mining),
      { describe: describeTips },
    );
    const stopped = await Promise.all(nodes.map((n) => n.api.setMining(false, 1)));
    expect(stopped.map((s) => s.mining)).toEqual([false, false, false]);

    // Gossip settles every node on the most work. Two tips of equal work can both stay, since the
    // first seen is kept; as in Bitcoin, the next block breaks such a tie, so when the tips stop
    // moving without agreeing, n1 mines one more block.
    const n1 = cluster.byId('n1');
    let lastSeen = '';
    let stableSince = Date.now();
    const converged = await waitUntil(
      'all tips are equal after mining stopped',
      () => statuses(nodes),
      sameTip,
      {
        describe: describeTips,
        onPoll: async (list) => {
          const seen = describeTips(list);
          if (seen !== lastSeen) {
            lastSeen = seen;
            stableSince = Date.now();
          } else if (Date.now() - stableSince > 2_000) {
            await n1.api.mine();
            stableSince = Date.now();
          }
        },
      },
    );
    expect(converged.every((s) => s.height >= 8 && !s.mining)).toBe(true);
    const tip = must(converged[0]).tip;
    for (const n of nodes) expect((await n.api.block(tip))?.index).toBe(must(converged[0]).height);
  });

  it('splits into two chains under a partition and heals onto the heavier side', async () => {
    const cluster = await spawnCluster('partition', 3);
    const { namespace, nodes } = cluster;
    const [n1, n2, n3] = [cluster.byId('n1'), cluster.byId('n2'), cluster.byId('n3')];
    const start = await n1.api.status();

    await applyNetwork(namespace, nodes, {
      ...QUICK_NETWORK,
      groups: [[n1.id], [n2.id, n3.id]],
    });
    const [side1, side2] = await Promise.all([mineBlocks(n1, 2), mineBlocks(n2, 4)]);
    expect(side1.height).toBe(start.height + 2);
    expect(side2.height).toBe(start.height + 4);
    // n3 hears its own side only.
    await waitUntil(
      'n3 follows n2',
      () => n3.api.status(),
      (s) => s.tip === side2.tip,
    );
    const split = await statuses(nodes);
    expect(split.map((s) => s.tip)).toEqual([side1.tip, side2.tip, side2.tip]);
    expect(side1.tip).not.toBe(side2.tip);
    // Nothing crossed the partition: n1 never saw n2's blocks, nor n2 and n3 n1's.
    expect(await n1.api.block(side2.tip)).toBeNull();
    expect(await n2.api.block(side1.tip)).toBeNull();
    expect(await n3.api.block(side1.tip)).toBeNull();

    // Heal the way the page does: publish on the control channel, then re-announce tips.
    publishNetworkSettings(namespace, QUICK_NETWORK);
    const healed = await waitUntil(
      'all three share the tip of the heavier side',
      async () => {
        await Promise.all(nodes.map((n) => n.api.announceTip()));
        return statuses(nodes);
      },
      (list) => list.every((s) => s.tip === side2.tip),
      { describe: describeTips, intervalMs: 250 },
    );
    expect(healed.map((s) => s.height)).toEqual([side2.height, side2.height, side2.height]);
    // n1 gave up its own branch once, and keeps its two blocks as a side branch.
    expect(healed[0]?.reorgs).toBe(1);
    expect(healed[0]?.staleBlocks).toBe(2);
    expect(await n1.api.block(side1.tip)).not.toBeNull();
    expect(healed[1]?.reorgs).toBe(0);
  });

  it('answers a status call while it mines at full rate', async () => {
    const cluster = await spawnCluster('busy', 1);
    const node = cluster.byId('n1');
    await node.api.setMining(true, 1);
    const first = await waitUntil(
      'the miner has found blocks and measured its rate',
      () => node.api.status(),
      (s) => s.height >= 3 && s.hashesPerSecond > 0,
    );
    expect(first.mining).toBe(true);
    // More calls while the loop runs: each comes back, and mining is still on.
    const later = await waitUntil(
      'the node answers again with a higher tip',
      () => node.api.status(),
      (s) => s.height > first.height,
    );
    expect(later.mining).toBe(true);
    expect(later.hashesPerSecond).toBeGreaterThan(0);
    const chain = await node.api.chain();
    expect(chain.length).toBeGreaterThan(first.height);
    const off = await node.api.setMining(false, 1);
    expect(off.mining).toBe(false);
  });

  it("looks a payment up through the route table, as the page's runtime does", async () => {
    const cluster = await spawnCluster('payment', 1);
    const node = cluster.byId('n1');
    // The route needs only `node` from the simulation; the page hands it the same Comlink proxy.
    const backend = {
      node: (id: NodeId) => (id === node.id ? node.api : null),
    } as unknown as SimulationBackend;
    await node.api.mine();
    const paid = await node.api.pay(addressFromNumber(7), 1n, 0n);
    if (!paid.ok) throw new Error(paid.error.message);
    const path = `/node/n1/transactions/${paid.value.transaction.id}`;
    expect(await handleRequest(backend, 'GET', path)).toEqual({
      status: 200,
      body: { id: paid.value.transaction.id, status: 'pending' },
    });
    const block = await node.api.mine();
    expect(await handleRequest(backend, 'GET', path)).toEqual({
      status: 200,
      body: {
        id: paid.value.transaction.id,
        status: 'confirmed',
        block: { index: block.index, hash: block.hash },
      },
    });
  });

  it('drops and counts garbage posted on its inbox, and changes nothing else', async () => {
    const cluster = await spawnCluster('garbage', 1);
    const node = cluster.byId('n1');
    await node.api.register(['n2' as NodeId]);
    await node.api.mine();
    const before = await node.api.status();
    expect(before.droppedMessages).toBe(0);
    await node.api.takeEvents();

    const inbox = new BroadcastChannel(names.inboxChannel(cluster.namespace, node.id));
    opened.push(inbox);
    // Envelopes the transport cannot read.
    const badEnvelopes: unknown[] = [
      'garbage',
      42,
      null,
      [1, 2, 3],
      { from: 'n2' },
      { from: 'Not A Node!', to: 'n1', message: { type: 'inv', blocks: [], txs: [] } },
      { from: 'n2', to: 'n9', message: { type: 'inv', blocks: [], txs: [] } },
      new Uint8Array([1, 2, 3]),
    ];
    // Well-formed envelopes whose messages the node rejects.
    const badMessages: unknown[] = [
      { type: 'nonsense' },
      { type: 'block', bytes: 'not bytes' },
      { type: 'getblocks', requestId: -1, locator: [] },
      'just text',
    ];
    for (const data of badEnvelopes) inbox.postMessage(data);
    for (const message of badMessages) inbox.postMessage({ from: 'n2', to: 'n1', message });
    const expected = badEnvelopes.length + badMessages.length;

    const after = await waitUntil(
      `${expected} messages are counted as dropped`,
      () => node.api.status(),
      (s) => s.droppedMessages >= expected,
      { limitMs: 20_000 },
    );
    expect(after.droppedMessages).toBe(expected);
    expect(apartFromDrops(after, before)).toEqual(before);
    const events = (await node.api.takeEvents()).filter((e) => e.kind === 'message-dropped');
    expect(events).toHaveLength(badMessages.length);
    expect(events.every((e) => e.from === 'n2')).toBe(true);
    expect((await node.api.chain()).length).toBe(before.height);
    expect(await node.api.mempool()).toEqual([]);
  });
});
