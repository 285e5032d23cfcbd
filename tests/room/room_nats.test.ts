/**
 * Nodes on a real nats-server, configured as `npm run classroom` configures a room: they find
 * each other by presence, a mined block reaches everyone, and nothing a hostile learner sends
 * (junk, forgeries, replays, stale or signed junk, controls) reaches or changes another node.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/core/types.ts';
import { walletFromSecret } from '../../src/core/wallet.ts';
import { decodeMessage, encodeMessage, readEnvelope, sealEnvelope } from '../../src/core/wire.ts';
import { MUTE_AFTER_OFFENCES } from '../../src/runtime/room-transport.ts';
import { platformSignatures } from '../../src/runtime/signatures.ts';
import type { ClassroomNode } from '../../scripts/classroom-nodes.ts';
import { gatherPeers, joinRoom, leaveRoom, until } from '../../scripts/classroom-nodes.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';

let server: RoomServer;
const connections: NatsConnection[] = [];
const nodes: ClassroomNode[] = [];

async function learnerConnection(): Promise<NatsConnection> {
  const nc = await connect({
    servers: `127.0.0.1:${server.port}`,
    user: server.room.learnerUser,
    pass: server.room.code,
  });
  connections.push(nc);
  return nc;
}

async function roomNode(name: string, seed: number): Promise<ClassroomNode> {
  const n = await joinRoom(server, name as NodeId, name, { seed });
  nodes.push(n);
  return n;
}

let a: ClassroomNode;
let b: ClassroomNode;
let c: ClassroomNode;

// Without nats-server (apt-get install -y nats-server) these tests are skipped; CI installs it.
const room = describe.skipIf(!NATS_SERVER_INSTALLED);

beforeAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  server = await startRoomServer();
  [a, b, c] = await Promise.all([
    roomNode('alice-1', 1),
    roomNode('bob-1', 2),
    roomNode('carol-1', 3),
  ]);
  await gatherPeers([a, b, c]);
}, 30_000);

afterAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  for (const n of nodes) await leaveRoom(n);
  await Promise.all(connections.map((nc) => nc.close()));
  await server.stop();
});

room('a room on a real nats-server', () => {
  it('carries a mined block to every node', async () => {
    const block = await a.node.mine();
    await until('the block everywhere', () =>
      [b, c].every((n) => n.node.tree.tip.hash === block.hash),
    );
    const more = await c.node.mine();
    await until('the next one too', () => [a, b].every((n) => n.node.tree.tip.hash === more.hash));
    expect([a, b, c].map((n) => n.rejections)).toEqual([[], [], []]);
  });

  it('drops junk, forgeries, impersonation, replays and stale envelopes, and counts each', async () => {
    const mallory = await learnerConnection();
    const malloryKey = walletFromSecret(new Uint8Array(32).fill(66));
    const { signatures } = await platformSignatures();
    const inbox = server.room.subjects.node(b.id);
    const tipBefore = b.node.tree.tip.hash;
    // Capture one real envelope from alice, to replay it: the block she mined, which she pushes
    // to the whole room.
    const captured: Uint8Array[] = [];
    const spy = mallory.subscribe(server.room.subjects.gossip, {
      callback: (_e, m) => {
        captured.push(m.data);
      },
    });
    await a.node.mine();
    // A new block: it mattered to bob, so bob checked it and will know a copy as a replay.
    const isBlock = (data: Uint8Array): boolean => {
      const read = readEnvelope(data);
      const message = read.ok ? decodeMessage(read.value.payload) : null;
      return message?.ok === true && message.message.type === 'block';
    };
    await until('a captured block', () => captured.some(isBlock));
    spy.unsubscribe();
    const seen = b.rejections.length;

    const payload = encodeMessage({ type: 'inv', blocks: ['ee'.repeat(32) as never], txs: [] });
    const fields = {
      room: server.room.id,
      from: a.id,
      to: b.id,
      seq: 10n ** 18n,
      sentAt: Date.now(),
      publicKey: a.publicKey,
      payload,
    };
    mallory.publish(inbox, new Uint8Array([1, 2, 3])); // junk
    // Alice's key, Mallory's signature: forged.
    mallory.publish(inbox, await sealEnvelope(fields, malloryKey.secretKey, signatures));
    // Alice's name with Mallory's key: impersonation.
    mallory.publish(
      inbox,
      await sealEnvelope(
        { ...fields, publicKey: malloryKey.publicKey },
        malloryKey.secretKey,
        signatures,
      ),
    );
    const replay = captured.find(isBlock);
    if (!replay) throw new Error('nothing captured');
    mallory.publish(server.room.subjects.gossip, replay); // replayed
    const old = { ...fields, publicKey: malloryKey.publicKey, from: 'mallory-1' as NodeId };
    mallory.publish(
      inbox,
      await sealEnvelope(
        { ...old, sentAt: Date.now() - 600_000 },
        malloryKey.secretKey,
        signatures,
      ),
    ); // stale
    await until('five rejections', () => b.rejections.length >= seen + 5);
    expect(b.rejections.slice(seen).sort()).toEqual(
      ['forged', 'impersonation', 'replayed', 'stale', 'unreadable'].sort(),
    );
    expect(b.node.tree.tip.hash).not.toBe(tipBefore); // alice's real block arrived
    expect(b.node.tree.has('ee'.repeat(32) as never)).toBe(false);
  });

  it('mutes a node that keeps sending signed junk', async () => {
    const mallory = await learnerConnection();
    const key = walletFromSecret(new Uint8Array(32).fill(77));
    const { signatures } = await platformSignatures();
    const seen = c.rejections.length;
    for (let i = 0; i <= MUTE_AFTER_OFFENCES; i++) {
      const envelope = await sealEnvelope(
        {
          room: server.room.id,
          from: 'mallory-2' as NodeId,
          to: c.id,
          seq: BigInt(i + 1),
          sentAt: Date.now(),
          publicKey: key.publicKey,
          payload: new Uint8Array([42, i]),
        },
        key.secretKey,
        signatures,
      );
      mallory.publish(server.room.subjects.node(c.id), envelope);
    }
    await until('muted', () => c.rejections.length >= seen + MUTE_AFTER_OFFENCES + 1);
    expect(c.transport.muted).toEqual(['mallory-2']);
    const reasons = c.rejections.slice(seen);
    expect(reasons).toEqual([...Array<string>(MUTE_AFTER_OFFENCES).fill('junk'), 'muted']);
  });

  it('mutes a peer that keeps sending invalid blocks, and its next message is refused', async () => {
    const mallory = await roomNode('mallory-3', 9);
    await gatherPeers([a, b, c, mallory]);
    const [valid] = b.node.bestChainFrom(b.node.tree.tip.hash) ?? [];
    if (!valid) throw new Error('no block to tamper with');
    const seen = b.rejections.length;
    for (let i = 0; i < MUTE_AFTER_OFFENCES; i++) {
      // A byte of its transactions root changed (header bytes 48 to 79): the block no longer
      // matches its transactions, nor, most likely, its proof of work. Refused either way.
      const bad = valid.slice();
      bad[48 + i] = (bad[48 + i] ?? 0) ^ 0xff;
      mallory.transport.send(b.id, { type: 'block', bytes: bad });
    }
    await until('mallory muted', () => b.transport.muted.includes(mallory.id));
    mallory.transport.send(b.id, { type: 'getdata', blocks: [], txs: [] });
    await until('the next message refused', () => b.rejections.slice(seen).includes('muted'));
    expect(b.node.tree.tip.hash).toBe(a.node.tree.tip.hash);
  });

  it('lets only the teacher publish controls', async () => {
    const teacher = await connect({
      servers: `127.0.0.1:${server.port}`,
      user: server.room.teacherUser,
      pass: server.teacherKey,
    });
    connections.push(teacher);
    const heard: string[] = [];
    teacher.subscribe(server.room.subjects.control, {
      callback: (_e, m) => {
        heard.push(new TextDecoder().decode(m.data));
      },
    });
    await teacher.flush();
    const learner = await learnerConnection();
    learner.publish(server.room.subjects.control, 'from a learner');
    await learner.flush().catch(() => undefined);
    teacher.publish(server.room.subjects.control, 'from the teacher');
    await teacher.flush();
    await until('the teacher hears the control', () => heard.length > 0);
    expect(heard).toEqual(['from the teacher']);
    // Wrong code: no connection at all.
    await expect(
      connect({
        servers: `127.0.0.1:${server.port}`,
        user: server.room.learnerUser,
        pass: 'WRONG',
      }),
    ).rejects.toThrow(/Authorization/i);
  });
});
