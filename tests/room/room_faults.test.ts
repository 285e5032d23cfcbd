/**
 * A room through faults, on a real nats-server: the server killed and started again on the same
 * ports while nodes mine (no block a miner acknowledged is lost, and the room agrees on one tip
 * again), and a node that joins late catching up through presence and announced tips. The
 * classroom bench (scripts/bench-classroom.ts) times the same stories with 60 nodes; speed is
 * measured there, never here (CONTRIBUTING.md, Tests in layers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import type { ClassroomNode } from '../../scripts/classroom-nodes.ts';
import {
  ArrivalWatch,
  classNodeIds,
  gatherPeers,
  joinRoom,
  leaveRoom,
  sharedTip,
  until,
} from '../../scripts/classroom-nodes.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';

/** Generous: these waits end on events, the limit only stops a broken run. */
const WAIT_MS = 30_000;

let server: RoomServer;
const watch = new ArrivalWatch();
/** Three learners with two nodes each. */
const nodes: ClassroomNode[] = [];
/** Every block a miner's `mine()` returned. */
const mined: BlockHash[] = [];

function node(i: number): ClassroomNode {
  const n = nodes[i];
  if (!n) throw new Error(`no node ${i}`);
  return n;
}

/** Mine on `miner` and wait until every node of the room has the block. */
async function mineAndSpread(miner: ClassroomNode): Promise<Block> {
  const block = await miner.node.mine();
  mined.push(block.hash);
  await watch.when(
    `block ${block.header.index} everywhere`,
    () => nodes.every((n) => n.node.tree.has(block.hash)),
    WAIT_MS,
  );
  return block;
}

// Without nats-server (apt-get install -y nats-server) these tests are skipped; CI installs it.
const room = describe.skipIf(!NATS_SERVER_INSTALLED);

beforeAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  server = await startRoomServer();
  const ids = classNodeIds(3, 2);
  nodes.push(
    ...(await Promise.all(
      ids.map(({ id, learner }, i) =>
        joinRoom(server, id, learner, { seed: i + 1, onArrival: watch.notify }),
      ),
    )),
  );
  await gatherPeers(nodes, 500, WAIT_MS);
}, 60_000);

afterAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  await Promise.all(nodes.map(leaveRoom));
  await server.stop();
});

room('a room through faults', () => {
  it('loses no acknowledged block when the server restarts, and agrees on one tip again', async () => {
    for (let i = 0; i < 3; i++) await mineAndSpread(node(i * 2));
    // A block acknowledged by its miner, and the server killed at once: its announcement may
    // die with the server.
    const miner = node(1);
    const last = await miner.node.mine();
    mined.push(last.hash);
    const acknowledged = [...mined];
    const reconnects = nodes.map((n) => n.reconnects);
    await server.kill();

    // While the server is down, blocks stay with their miners: two on the last block's miner
    // (the longest branch), one on a node of another learner.
    const downBlocks = [await miner.node.mine(), await miner.node.mine()];
    const other = node(4);
    const aside = await other.node.mine();
    for (const n of nodes) {
      if (n !== miner) expect(downBlocks.some((b) => n.node.tree.has(b.hash))).toBe(false);
      if (n !== other) expect(n.node.tree.has(aside.hash)).toBe(false);
    }

    await server.restart();
    await until(
      'every connection back',
      () => nodes.every((n, i) => n.reconnects > (reconnects[i] ?? 0)),
      WAIT_MS,
    );
    for (const n of nodes) n.node.announceTip();
    const tip = miner.node.tree.tip.hash;
    expect(tip).toBe(downBlocks[1]?.hash);
    await watch.when('one tip after the restart', () => sharedTip(nodes) === tip, WAIT_MS);

    const lost = acknowledged.filter((h) => nodes.some((n) => !n.node.tree.has(h)));
    expect(lost).toEqual([]);
    for (const n of nodes) {
      expect(n.node.tree.tip.height).toBe(last.header.index + 2);
      expect(n.rejections).toEqual([]);
    }
    // The room works as before: a new block reaches everyone.
    await mineAndSpread(other);
    expect(sharedTip(nodes)).toBe(other.node.tree.tip.hash);
  });

  it('lets a node that joins after five blocks catch up through presence and announced tips', async () => {
    const before = node(0).node.tree.tip.height;
    for (let i = 0; i < 5; i++) await mineAndSpread(node((i * 3) % nodes.length));
    const chain = node(0).node.tree.tip;
    expect(chain.height).toBe(before + 5);

    const late = await joinRoom(server, 'l04-1' as NodeId, 'l04', {
      seed: 99,
      onArrival: watch.notify,
    });
    nodes.push(late);
    expect(late.node.tree.tip).toBe(late.node.tree.genesis);
    await gatherPeers(nodes, 500, WAIT_MS);
    expect(late.node.peers).toHaveLength(nodes.length - 1);

    for (const n of nodes) if (n !== late) n.node.announceTip();
    await watch.when(
      'the late node on the room tip',
      () => sharedTip(nodes) === chain.hash,
      WAIT_MS,
    );
    // Every block of the room's best chain, the five it missed included.
    const best = (n: ClassroomNode): (BlockHash | undefined)[] =>
      Array.from({ length: chain.height }, (_, h) => n.node.tree.atHeight(h + 1)?.hash);
    expect(best(late)).toEqual(best(node(0)));
    expect(late.node.tree.tip.hash).toBe(chain.hash);

    // And it takes part: its block reaches everyone.
    const own = await mineAndSpread(late);
    expect(nodes.every((n) => n.node.tree.tip.hash === own.hash)).toBe(true);
    expect(late.rejections).toEqual([]);
  });
});
