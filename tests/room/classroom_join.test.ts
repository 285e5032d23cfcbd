/**
 * `npm run classroom -- --join`: headless learners on a real nats-server. Bad input gets one
 * sentence and exit code 2; the learners are seen in the room under their names, mine blocks an
 * independent node with the page's parameters accepts, and follow the teacher's controls.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESET, paramsFor } from '../../src/api/backend.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import type { NodeStatus } from '../../src/runtime/protocol.ts';
import { roomLinkFragment } from '../../src/runtime/room.ts';
import { RoomClient } from '../../src/runtime/room-client.ts';
import type { HeadlessRoom } from '../../scripts/classroom-join.ts';
import {
  learnerNames,
  natsServerBeside,
  parseNatsServer,
  readJoinTarget,
  startLearners,
} from '../../scripts/classroom-join.ts';
import type { ClassroomNode } from '../../scripts/classroom-nodes.ts';
import { joinRoom, keepAnnouncing, leaveRoom, until } from '../../scripts/classroom-nodes.ts';
import { waitUntil } from '../worker/threads.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { freePort, NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CODE = '7K2M-Q9XD-4HRT-B1ZP';

/** Run `npm run classroom -- args` as a learner would, to its end. */
function classroom(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/classroom.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      resolve({ code, stderr });
    });
  });
}

describe('reading what --join is given', () => {
  it("takes a learners' link or a room code, and names the NATS port beside the link's host", () => {
    const link = `http://192.168.1.20:5173/#${roomLinkFragment({ server: 'ws://192.168.1.20:8443', code: CODE, teacherKey: '' })}`;
    expect(readJoinTarget(link)).toEqual({
      code: CODE,
      linkServer: 'ws://192.168.1.20:8443',
      hadTeacherKey: false,
    });
    expect(readJoinTarget(' 7k2m q9xd 4hrt b1zp ')).toEqual({
      code: CODE,
      linkServer: null,
      hadTeacherKey: false,
    });
    const teacher = `${link}&teacher=R29C-4J8T-3CRZ-SMAD-AKMP-772P-TH7B-GW8V`;
    expect(readJoinTarget(teacher)).toMatchObject({ code: CODE, hadTeacherKey: true });
    expect(natsServerBeside('ws://192.168.1.20:8443')).toBe('nats://192.168.1.20:4222');
    expect(natsServerBeside(null)).toBe('nats://localhost:4222');
  });

  it('says what is wrong with a link or code', () => {
    expect(readJoinTarget('http://h:5173/')).toHaveProperty('problem');
    expect(readJoinTarget('http://h:5173/#server=ws%3A%2F%2Fh&room=SHORT')).toHaveProperty(
      'problem',
    );
    expect(readJoinTarget('7K2M-Q9XD')).toHaveProperty('problem');
  });

  it('takes nats:// addresses only, with port 4222 unless given', () => {
    expect(parseNatsServer('nats://10.0.0.5')).toBe('nats://10.0.0.5:4222');
    expect(parseNatsServer(' nats://room.example.org:4330 ')).toBe('nats://room.example.org:4330');
    for (const bad of ['ws://h:8443', 'h:4222', 'nats://', 'nats://u:p@h:4222', 'nats://h/x']) {
      expect(parseNatsServer(bad)).toBeNull();
    }
  });

  it('numbers the learners when there are several', () => {
    expect(learnerNames('robot', 1)).toEqual(['robot']);
    expect(learnerNames('robot', 3)).toEqual(['robot 1', 'robot 2', 'robot 3']);
  });
});

describe('npm run classroom -- --join refuses bad input', () => {
  it('with one sentence and exit code 2, starting nothing', async () => {
    for (const [args, sentence] of [
      [['--join', 'nonsense'], /A room code has 16 letters and digits/],
      [['--join', 'http://h:5173/#nothing=here'], /That link names no room/],
      [['--join', CODE, '--server', 'ws://h:8443'], /--server must be a nats:\/\/ address/],
      [['--join', CODE, '--learners', '11'], /--learners needs a whole number from 1 to 10/],
      [['--join', CODE, '--nodes', '5'], /--nodes needs a whole number from 1 to 4/],
      [['--join', CODE, '--learner', 'x'.repeat(33)], /--learner must be 1 to 32/],
    ] as const) {
      const run = await classroom(args);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(sentence);
    }
  });

  it('says when no server answers', async () => {
    const port = await freePort();
    const run = await classroom(['--join', CODE, '--server', `nats://127.0.0.1:${String(port)}`]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^The room's server does not answer at nats:\/\/127\.0\.0\.1/,
    );
  });
});

// Without nats-server (apt-get install -y nats-server) these tests are skipped; CI installs it.
const room = describe.skipIf(!NATS_SERVER_INSTALLED);

let server: RoomServer;
let robots: HeadlessRoom | null = null;
let teacherNc: NatsConnection | null = null;
let teacher: RoomClient;
let tess: ClassroomNode | null = null;
let stopAnnouncing = (): void => undefined;
const controlsSeen: string[] = [];

beforeAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  server = await startRoomServer();
  const address = `nats://127.0.0.1:${String(server.port)}`;
  teacherNc = await connect({
    servers: address,
    user: server.room.teacherUser,
    pass: server.teacherKey,
  });
  teacher = RoomClient.over(teacherNc, {
    server: address,
    code: server.room.code,
    learner: 'Teacher',
    teacherKey: server.teacherKey,
    onControl: () => undefined,
  });
  robots = await startLearners(
    {
      server: address,
      code: server.room.code,
      learners: learnerNames('Robo', 2),
      nodes: 2,
      idle: false,
    },
    { onControl: (c) => controlsSeen.push(c.type) },
  );
  // A node of the room that is no headless learner, on the page's chain parameters.
  tess = await joinRoom(server, 'tess-1' as NodeId, 'Tess', {
    seed: 7,
    params: paramsFor(DEFAULT_RESET),
  });
  const observer = tess;
  stopAnnouncing = keepAnnouncing(() => [observer]);
}, 60_000);

afterAll(async () => {
  if (!NATS_SERVER_INSTALLED) return;
  stopAnnouncing();
  if (tess) await leaveRoom(tess);
  await robots?.close();
  await teacherNc?.close();
  await server.stop();
});

/** Every headless node's status, by id. */
async function statuses(): Promise<Map<NodeId, NodeStatus>> {
  const all = await Promise.all((robots?.learners ?? []).map((l) => l.sim.statuses()));
  return new Map(all.flat().map((s) => [s.id, s]));
}

room('headless learners in a room', () => {
  it('are refused with a wrong room code: one sentence, exit code 2', async () => {
    const wrong = server.room.code === CODE ? 'SXYN-TB11-9XBX-KDEG' : CODE;
    const run = await classroom([
      '--join',
      wrong,
      '--server',
      `nats://127.0.0.1:${String(server.port)}`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^The server at nats:\/\/127\.0\.0\.1:\d+ refused that room code/,
    );
  });

  it('join under distinct names that the room sees', async () => {
    const learners = robots?.learners ?? [];
    expect(learners.map((l) => [l.name, [...l.sim.ids]])).toEqual([
      ['Robo 1', ['robo-1-1', 'robo-1-2']],
      ['Robo 2', ['robo-2-1', 'robo-2-2']],
    ]);
    await until('the teacher sees every headless node', () =>
      ['robo-1-1', 'robo-1-2', 'robo-2-1', 'robo-2-2'].every((id) =>
        teacher.members().some((m) => m.id === id),
      ),
    );
    const names = new Map(teacher.members().map((m) => [m.id, m.learner]));
    expect(names.get('robo-1-2' as NodeId)).toBe('Robo 1');
    expect(names.get('robo-2-1' as NodeId)).toBe('Robo 2');
  });

  it("mine blocks that an independent node on the page's parameters accepts", async () => {
    const addresses = new Set<string>();
    for (const l of robots?.learners ?? []) {
      for (const id of l.sim.ids) {
        const wallet = await l.sim.node(id)?.wallet();
        if (wallet) addresses.add(wallet.address);
      }
    }
    const observer = tess;
    if (!observer) throw new Error('no independent node');
    await until(
      'the independent node holds three blocks',
      () => observer.node.tree.tip.height >= 3,
      90_000,
    );
    // Every block of its best chain past genesis was mined by a headless learner.
    let entry = observer.node.tree.tip;
    const miners: string[] = [];
    while (entry.parent) {
      const coinbase = entry.block.transactions[0];
      miners.push(coinbase?.kind === 'coinbase' ? coinbase.recipient : 'none');
      entry = entry.parent;
    }
    expect(miners.length).toBeGreaterThanOrEqual(3);
    expect(miners.every((m) => addresses.has(m))).toBe(true);
  });

  it('split by the teacher, they mine apart; healed, they agree; stopped, they mine no more', async () => {
    const [one, two] = robots?.learners ?? [];
    if (!one || !two) throw new Error('two learners expected');
    const [a, b] = one.sim.ids as [NodeId, NodeId];
    // Each side holds half of the room's hash power, so both mine on soon.
    const groups = [
      [a, two.sim.ids[0]],
      [b, two.sim.ids[1]],
    ] as NodeId[][];
    await teacher.send({ type: 'network', latencyMs: 0, loss: 0, groups });
    for (const l of [one, two]) {
      await waitUntil(
        `${l.name} applied the split`,
        () => l.sim.networkSettings(),
        (n) => JSON.stringify(n.groups) === JSON.stringify(groups),
      );
    }
    const split = await statuses();
    const start = Math.max(split.get(a)?.height ?? 0, split.get(b)?.height ?? 0);
    // Apart, each side mines its own blocks on top of where they were. The learners apply the
    // split moments apart, and a block mined in between may reach both sides: wait until each
    // side's tip is one the other side lacks (never, if the split did not hold).
    const { statuses: apart } = await waitUntil(
      'both sides mined past the split, each a block the other lacks',
      async () => {
        const s = await statuses();
        const [ta, tb] = [s.get(a)?.tip, s.get(b)?.tip];
        const lacks = async (id: NodeId, tip: BlockHash | undefined) =>
          tip !== undefined && (await one.sim.node(id)?.block(tip)) === null;
        return { statuses: s, apart: (await lacks(b, ta)) && (await lacks(a, tb)) };
      },
      ({ statuses: s, apart: lacking }) =>
        (s.get(a)?.height ?? 0) > start && (s.get(b)?.height ?? 0) > start && lacking,
      { limitMs: 110_000, intervalMs: 250 },
    );
    const tipA = apart.get(a)?.tip;
    const tipB = apart.get(b)?.tip;
    if (!tipA || !tipB) throw new Error('no tips');
    expect(tipA).not.toBe(tipB);
    expect(await one.sim.node(b)?.block(tipA)).toBeNull();
    expect(await one.sim.node(a)?.block(tipB)).toBeNull();

    await teacher.send({ type: 'network', latencyMs: 0, loss: 0, groups: [] });
    await waitUntil('the healed sides agree', statuses, (s) => s.get(a)?.tip === s.get(b)?.tip, {
      limitMs: 110_000,
      intervalMs: 250,
    });
    expect((await one.sim.networkSettings()).groups).toEqual([]);

    await teacher.send({ type: 'mining', enabled: false });
    await waitUntil('nobody mines', statuses, (s) => [...s.values()].every((n) => !n.mining));
    // Blocks already on their way land (everyone on one tip); then nothing changes for a few
    // announcement rounds.
    const stopped = await waitUntil('the room agrees once nobody mines', statuses, (st) =>
      [...st.values()].every((n) => n.tip === st.get(a)?.tip),
    );
    await new Promise((r) => setTimeout(r, 4_000));
    const later = await statuses();
    for (const [id, s] of later) expect(s.tip, id).toBe(stopped.get(id)?.tip);
    expect(controlsSeen).toEqual(['network', 'network', 'mining']);
  }, 240_000);
});
