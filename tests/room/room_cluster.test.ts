/**
 * A room served by two nats-servers clustered on this machine (the path to many classes at
 * once, docs/classroom.md): learners connected to different servers are in one room, their
 * blocks reach each other, and a node on either side catches up after the other mines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomNode } from '../../scripts/classroom-nodes.ts';
import {
  gatherPeers,
  joinRoom,
  leaveRoom,
  sharedTip,
  until,
} from '../../scripts/classroom-nodes.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomCluster } from '../../scripts/nats-server.ts';
import type { NodeId } from '../../src/core/types.ts';

const cluster = describe.skipIf(!NATS_SERVER_INSTALLED);

let servers: RoomServer[] = [];
const nodes: ClassroomNode[] = [];

beforeAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  servers = await startRoomCluster(2);
  // Two learners on each server.
  for (const [i, name] of ['ann', 'bea', 'cid', 'dan'].entries()) {
    const server = servers[i % 2];
    if (!server) throw new Error('no server');
    nodes.push(await joinRoom(server, `${name}-1` as NodeId, name, { seed: i + 1 }));
  }
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await leaveRoom(n);
  for (const s of servers) await s.stop();
});

cluster('a room on two clustered servers', () => {
  it('is one room: every node finds every other, whichever server it is on', async () => {
    await gatherPeers(nodes);
    for (const n of nodes) expect(n.node.peers).toHaveLength(nodes.length - 1);
  });

  it('carries blocks across the servers both ways', async () => {
    const [ann, bea] = nodes;
    if (!ann || !bea) throw new Error('missing nodes');
    const first = await ann.node.mine(); // ann is on the first server
    await until('the first block everywhere', () => sharedTip(nodes) === first.hash);
    const second = await bea.node.mine(); // bea on the second
    await until('the second block everywhere', () => sharedTip(nodes) === second.hash);
    expect(nodes.every((n) => n.rejections.length === 0)).toBe(true);
  });
});
