/**
 * Teacher keys expire: the key carries its expiry (so the page says "expired", not "wrong"),
 * `npm run classroom` refuses to serve an expired key and makes a new one for the same room, and
 * a running server withdraws the key: the teacher's connection is closed and refused from then
 * on, while learners stay in the room.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { AuthorizationError } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsConfig } from '../../scripts/classroom-config.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';
import { RoomClient, RoomJoinError } from '../../src/runtime/room-client.ts';
import {
  MAX_TEACHER_KEY_HOURS,
  newRoomCode,
  newTeacherKey,
  parseTeacherKey,
  roomOf,
  teacherKeyExpiry,
} from '../../src/runtime/room.ts';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const MINUTE = 60_000;
/** 2 December 2026, 10:00 UTC. */
const NOW = Date.UTC(2026, 11, 2, 10);

describe('a teacher key', () => {
  it('is 32 characters in groups of four, and carries the minute it expires', () => {
    const key = newTeacherKey(random, NOW + 12 * 3_600_000);
    expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(teacherKeyExpiry(key)).toBe(NOW + 12 * 3_600_000);
    // Rounded up to the minute: a key never lasts less than asked.
    expect(teacherKeyExpiry(newTeacherKey(random, NOW + 1))).toBe(NOW + MINUTE);
  });

  it('keeps its expiry however it is typed, for any minute a Date can hold', () => {
    const last = 8.64e15 / MINUTE;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: last }), (minute) => {
        const key = newTeacherKey(random, minute * MINUTE);
        const typed = key.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
        const read = parseTeacherKey(typed);
        expect(read).toBe(key);
        expect(teacherKeyExpiry(read ?? '')).toBe(minute * MINUTE);
      }),
    );
    expect(() => newTeacherKey(random, (last + 1) * MINUTE)).toThrow(RangeError);
    expect(() => newTeacherKey(random, -MINUTE)).toThrow(RangeError);
    // Read beyond a Date's range, a key never expires rather than breaking the page's clock.
    expect(teacherKeyExpiry('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ')).toBe(8.64e15);
  });

  it('keeps 120 random bits: two keys with the same expiry differ', () => {
    const keys = new Set(Array.from({ length: 200 }, () => newTeacherKey(random, NOW)));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k.slice(-9)).toBe([...keys][0]?.slice(-9));
  });

  it('is refused by the page once expired, before anything connects', async () => {
    const room = roomOf(newRoomCode(random));
    const key = newTeacherKey(random, NOW);
    const open = RoomClient.open({
      // Nothing listens here: the key is judged before any connection is tried.
      server: 'ws://127.0.0.1:9',
      code: room.code,
      learner: 'Teacher',
      teacherKey: key,
      onControl: () => undefined,
      now: () => NOW,
    });
    await expect(open).rejects.toThrow(RoomJoinError);
    await expect(open).rejects.toMatchObject({ problem: 'expired-teacher-key' });
  });

  it('leaves the server configuration when withdrawn: no teacher user, controls for nobody', () => {
    const room = roomOf(newRoomCode(random));
    const key = newTeacherKey(random, NOW);
    const settings = { room, teacherKey: key, port: 4222, wsPort: 8443, noTls: true };
    const withKey = natsConfig({ ...settings, maxConnections: 200 }, new Date(NOW));
    expect(withKey).toContain(`user: "${room.teacherUser}"`);
    expect(withKey).toContain(`The key expires at ${new Date(NOW).toISOString()}.`);
    const without = natsConfig(
      { ...settings, teacherKey: null, maxConnections: 200 },
      new Date(NOW),
    );
    expect(without).not.toContain(room.teacherUser);
    expect(without).not.toContain(key);
    expect(without).not.toContain(room.subjects.control);
    expect(without).toContain(`user: "${room.learnerUser}"`);
  });
});

describe('npm run classroom and teacher keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainlab-keys-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/classroom.ts', '--print-only', '--dir', dir, ...args],
      { encoding: 'utf8' },
    );

  it('refuses an expired key in one sentence, and writes nothing', () => {
    const code = newRoomCode(random);
    const expired = newTeacherKey(random, Date.now() - 3_600_000);
    const before = readdirSync(dir).length;
    const out = run('--room', code, '--teacher-key', expired);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^That teacher key expired at .+; leave out --teacher-key/);
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it('gives the same room a new key that lasts the hours asked', () => {
    const code = newRoomCode(random);
    const started = Date.now();
    const out = run('--room', code, '--teacher-hours', '3');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`Room code:    ${code}`);
    const key = parseTeacherKey(/Teacher key: +(\S+)/.exec(out.stdout)?.[1]);
    expect(key).not.toBeNull();
    const expiry = teacherKeyExpiry(key ?? '');
    expect(expiry).toBeGreaterThanOrEqual(started + 3 * 3_600_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 3 * 3_600_000 + MINUTE);
    const file = readFileSync(join(dir, `room-${roomOf(code).id}.conf`), 'utf8');
    expect(file).toContain(`password: "${key ?? ''}"`);
  });

  it('refuses a key without its room, and hours out of range', () => {
    const key = newTeacherKey(random, Date.now() + 3_600_000);
    const alone = run('--teacher-key', key);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/^--teacher-key needs --room/);
    const long = run('--teacher-hours', String(MAX_TEACHER_KEY_HOURS + 1));
    expect(long.status).toBe(2);
    expect(long.stderr).toContain('--teacher-hours');
  });
});

describe.skipIf(!NATS_SERVER_INSTALLED)('an expired key on a running server', () => {
  let server: RoomServer;
  const connections: NatsConnection[] = [];
  beforeAll(async () => {
    server = await startRoomServer();
  });
  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    await server.stop();
  });

  const as = async (user: string, pass: string): Promise<NatsConnection> => {
    const nc = await connect({
      servers: `127.0.0.1:${server.port}`,
      user,
      pass,
      reconnectTimeWait: 100,
      maxReconnectAttempts: -1,
    });
    connections.push(nc);
    return nc;
  };

  it('closes the teacher, refuses the key from then on, and keeps learners in the room', async () => {
    const teacher = await as(server.room.teacherUser, server.teacherKey);
    const learner = await as(server.room.learnerUser, server.room.code);
    const heard: string[] = [];
    learner.subscribe(server.room.subjects.presence, {
      callback: (_e, msg) => {
        heard.push(msg.string());
      },
    });
    await learner.flush();

    await server.withdrawTeacherKey();
    // The server drops the teacher's connection; reconnecting with the key is refused.
    const closed = await teacher.closed();
    expect(closed).toBeInstanceOf(AuthorizationError);
    await expect(as(server.room.teacherUser, server.teacherKey)).rejects.toThrow(
      AuthorizationError,
    );

    // The learner never noticed: still connected, still hearing the room.
    expect(learner.isClosed()).toBe(false);
    const other = await as(server.room.learnerUser, server.room.code);
    other.publish(server.room.subjects.presence, 'still here');
    await other.flush();
    await learner.flush();
    expect(heard).toEqual(['still here']);
  });
});
