/**
 * A real nats-server (Debian's package) for the room tests and the classroom bench, started with
 * the configuration `npm run classroom` writes for a fresh room, on free ports, and stopped
 * afterwards. It can be killed and started again on the same ports, as a crashed server is
 * brought back, to see the room's clients reconnect. `npm run classroom` withdraws an expired
 * teacher key from its server the same way the tests do ({@link withdrawTeacherKey}).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Room } from '../src/runtime/room.ts';
import {
  DEFAULT_TEACHER_KEY_HOURS,
  newRoomCode,
  newTeacherKey,
  roomOf,
} from '../src/runtime/room.ts';
import type { ClassroomSettings } from './classroom-config.ts';
import { natsConfig } from './classroom-config.ts';

/** The server binary: NATS_SERVER_PATH, else nats-server on the PATH (Debian's package). */
const NATS_SERVER = process.env.NATS_SERVER_PATH ?? 'nats-server';

/** Whether nats-server is installed; the room tests are skipped, and say so, without it. */
export const NATS_SERVER_INSTALLED =
  spawnSync(NATS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;

/** A running server for one room. */
export interface RoomServer {
  readonly room: Room;
  readonly teacherKey: string;
  readonly port: number;
  readonly wsPort: number;
  /**
   * Kill the server as a crash would (SIGKILL: no goodbye to its clients), keeping its
   * configuration and ports for {@link RoomServer.restart}.
   */
  kill(): Promise<void>;
  /** Start it again with the same configuration on the same ports, killing it first if it runs. */
  restart(): Promise<void>;
  /** Take the teacher's user away, as when the key expires; resolves once the server reloaded. */
  withdrawTeacherKey(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on this machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
  });
}

/** Run nats-server with the configuration in `file`; resolves once it accepts connections. */
async function launch(file: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(NATS_SERVER, ['-c', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('error', (e) => {
      reject(
        new Error(`nats-server could not start (apt-get install -y nats-server): ${e.message}`),
      );
    });
    const started = Date.now();
    const poll = setInterval(() => {
      if (log.includes('Server is ready')) {
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null || Date.now() - started > 10_000) {
        clearInterval(poll);
        reject(new Error(`nats-server did not start:\n${log}`));
      }
    }, 20);
  });
  return child;
}

/**
 * Rewrite a running server's configuration without the teacher's user and have it reload
 * (SIGHUP): the teacher's connections are closed and the key is refused from then on, while
 * learners stay connected.
 */
export function withdrawTeacherKey(
  server: ChildProcess,
  file: string,
  settings: ClassroomSettings,
): void {
  writeFileSync(file, natsConfig({ ...settings, teacherKey: null }, new Date()), { mode: 0o600 });
  server.kill('SIGHUP');
}

/** A fresh teacher key, lasting a school day. */
function freshTeacherKey(random: (n: number) => Uint8Array): string {
  return newTeacherKey(random, Date.now() + DEFAULT_TEACHER_KEY_HOURS * 3_600_000);
}

/** Send `signal` to a running server and wait until it has exited. */
function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill(signal);
  });
}

/** Start nats-server for a new room; fails clearly when the package is missing. */
export async function startRoomServer(maxConnections = 200): Promise<RoomServer> {
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const room = roomOf(newRoomCode(random));
  return startServer(room, freshTeacherKey(random), maxConnections, null);
}

/**
 * Start `size` servers clustered on this machine, all serving one new room: a learner on any of
 * them is in the same room as learners on the others.
 */
export async function startRoomCluster(size: number): Promise<RoomServer[]> {
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const room = roomOf(newRoomCode(random));
  const key = freshTeacherKey(random);
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) routePorts.push(await freePort());
  const servers: RoomServer[] = [];
  for (let i = 0; i < size; i++) {
    const routes = routePorts
      .filter((_, j) => j !== i)
      .map((p) => `nats-route://127.0.0.1:${String(p)}`);
    const port = routePorts[i] ?? 0;
    servers.push(
      await startServer(room, key, 200, {
        serverName: `room-${String(i + 1)}`,
        port,
        routes,
      }),
    );
  }
  return servers;
}

async function startServer(
  room: Room,
  teacherKey: string,
  maxConnections: number,
  cluster: ClassroomSettings['cluster'] | null,
): Promise<RoomServer> {
  const port = await freePort();
  const wsPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chainlab-room-'));
  const file = join(dir, 'room.conf');
  const base = { room, teacherKey, port, wsPort, noTls: true, maxConnections };
  const settings = cluster ? { ...base, cluster } : base;
  writeFileSync(file, natsConfig(settings, new Date()));
  let child: ChildProcess | null = await launch(file);
  return {
    room,
    teacherKey,
    port,
    wsPort,
    async kill() {
      if (child) await end(child, 'SIGKILL');
      child = null;
    },
    async restart() {
      if (child) await end(child, 'SIGKILL');
      child = null;
      child = await launch(file);
    },
    async withdrawTeacherKey() {
      const running = child;
      if (!running) throw new Error('the server is not running');
      await new Promise<void>((resolve) => {
        const listen = (d: Buffer): void => {
          if (!d.toString().includes('Reloaded server configuration')) return;
          running.stderr?.off('data', listen);
          resolve();
        };
        running.stderr?.on('data', listen);
        withdrawTeacherKey(running, file, settings);
      });
    },
    async stop() {
      if (child) await end(child, 'SIGTERM');
      child = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
