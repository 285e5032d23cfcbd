/**
 * `npm run classroom`: set up one class's room. Generates a room code (80 random bits) and a
 * teacher key, writes the nats-server configuration for them (users and permissions limited to
 * the room, size and connection limits, the WebSocket listener), prints the links for the teacher
 * and the learners, and runs Debian's nats-server with it, or says how to start it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_TEACHER_KEY_HOURS,
  MAX_TEACHER_KEY_HOURS,
  newRoomCode,
  newTeacherKey,
  parseRoomCode,
  parseTeacherKey,
  roomOf,
  teacherKeyExpiry,
} from '../src/runtime/room.ts';
import type { ClassroomSettings } from './classroom-config.ts';
import { DEFAULT_MAX_CONNECTIONS, natsConfig, roomLinks } from './classroom-config.ts';
import { fail, parseOptions } from './cli-args.ts';
import { withdrawTeacherKey } from './nats-server.ts';

/** How often a running room checks whether its teacher key has expired. */
const EXPIRY_CHECK_MS = 30_000;

const USAGE = `Usage: npm run classroom -- [--port P] [--ws-port W] [--host H] [--site URL] [--socket WS] [--dir D] [--max-connections C]
                            [--room CODE [--teacher-key KEY]] [--teacher-hours H]
                            [--cluster-port P [--routes R,R] [--server-name N]] [--print-only]
       npm run classroom -- --join LINK|CODE [--server nats://HOST:PORT] [--learner NAME] [--learners N] [--nodes K] [--idle]
  --port             NATS port for headless nodes (default 4222)
  --ws-port          WebSocket port browsers join through (default 8443)
  --host             the address learners' browsers reach this machine at (default localhost)
  --site             where the page is served, for the links (default http://localhost:5173/)
  --socket           the room's address as browsers reach it, when it is not ws://<host>:<ws-port>
                     (behind TLS: wss://room.example.org)
  --dir              where the configuration is written (default .classroom)
  --max-connections  connections the server accepts (default ${DEFAULT_MAX_CONNECTIONS}; a browser opens one per node)
  --room             serve an existing room instead of a new one (after a restart, or on a second
                     server of a cluster); learners keep its code, the teacher gets a new key
  --teacher-key      keep the room's teacher key too (until it expires)
  --teacher-hours    how long a new teacher key lasts (default ${DEFAULT_TEACHER_KEY_HOURS}, at most ${MAX_TEACHER_KEY_HOURS});
                     when it expires the server refuses it and the room runs on without controls
  --cluster-port     join a cluster of servers serving the room, listening for them on this port
  --routes           the other servers, comma-separated (nats-route://host:port)
  --server-name      this server's name in the cluster (default: room-<port>)
  --print-only       write the configuration and print how to start nats-server, without starting it
Headless learners in an existing room (Ctrl-C leaves it):
  --join             the learners' link (or the room code) of the room to join
  --server           the room's NATS port (default nats://<the link's host>:4222, or nats://localhost:4222)
  --learner          the learners' name (default robot; numbered, robot 1, robot 2, when several)
  --learners         how many learners to start, 1 to 10 (default 1)
  --nodes            nodes per learner, 1 to 4 (default 2, as a page)
  --idle             join without mining, until the teacher's "Everyone mines"`;

const text = (check: (s: string) => boolean, what: string) => ({
  default: '',
  parse: (s: string) =>
    check(s) ? { ok: true as const, value: s } : { ok: false as const, error: what },
});

/** Run the command with `argv` (without node and the script). */
export function main(argv: readonly string[]): void {
  if (argv.includes('--join')) {
    void import('./classroom-join.ts').then((join) => join.joinMain(argv, USAGE));
    return;
  }
  const { values, flags, texts } = parseOptions<
    'port' | 'ws-port' | 'max-connections' | 'cluster-port' | 'teacher-hours',
    'print-only',
    {
      host: string;
      site: string;
      dir: string;
      socket: string;
      room: string;
      'teacher-key': string;
      routes: string;
      'server-name': string;
    }
  >(
    argv,
    USAGE,
    {
      port: { default: 4222, min: 1, max: 65_535 },
      'ws-port': { default: 8443, min: 1, max: 65_535 },
      'max-connections': { default: DEFAULT_MAX_CONNECTIONS, min: 2, max: 100_000 },
      'cluster-port': { default: 0, min: 0, max: 65_535 },
      'teacher-hours': { default: DEFAULT_TEACHER_KEY_HOURS, min: 1, max: MAX_TEACHER_KEY_HOURS },
    },
    ['print-only'],
    {
      host: text((s) => /^[A-Za-z0-9.:[\]-]{1,253}$/.test(s), 'a host name or an IP address'),
      site: text((s) => /^https?:\/\/\S+$/.test(s), 'an http:// or https:// address'),
      dir: text((s) => s.length > 0, 'a folder'),
      socket: text((s) => /^wss?:\/\/[A-Za-z0-9.:[\]-]+$/.test(s), 'a ws:// or wss:// address'),
      room: text((s) => parseRoomCode(s) !== null, 'a room code of 16 letters and digits'),
      'teacher-key': text(
        (s) => parseTeacherKey(s) !== null,
        'a teacher key of 32 letters and digits',
      ),
      routes: text(
        (s) => s.split(',').every((r) => /^nats-route:\/\/[A-Za-z0-9.:[\]@_-]+$/.test(r)),
        'nats-route://host:port addresses, comma-separated',
      ),
      'server-name': text((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s), 'letters, digits, - and _'),
    },
  );
  if (texts['teacher-key'] !== '' && texts.room === '') {
    fail(USAGE, '--teacher-key needs --room: a teacher key belongs to one room.');
  }
  const kept = parseTeacherKey(texts['teacher-key']);
  if (kept && teacherKeyExpiry(kept) <= Date.now()) {
    fail(
      USAGE,
      `That teacher key expired at ${new Date(teacherKeyExpiry(kept)).toLocaleString()}; leave out --teacher-key for a new one for the same room.`,
    );
  }
  const clusterPort = values['cluster-port'];
  if (clusterPort === 0 && (texts.routes || texts['server-name'])) {
    fail(USAGE, '--routes and --server-name need --cluster-port.');
  }
  if (values.port === values['ws-port']) fail(USAGE, '--port and --ws-port must differ.');
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const room = roomOf(texts.room || newRoomCode(random));
  const teacherKey =
    kept ?? newTeacherKey(random, Date.now() + values['teacher-hours'] * 3_600_000);
  const expiresAt = teacherKeyExpiry(teacherKey);
  const host = texts.host || 'localhost';
  const site = texts.site || 'http://localhost:5173/';
  const dir = resolve(texts.dir || '.classroom');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `room-${room.id}.conf`);
  const settings: ClassroomSettings = {
    room,
    teacherKey,
    port: values.port,
    wsPort: values['ws-port'],
    noTls: true,
    maxConnections: values['max-connections'],
    ...(clusterPort > 0
      ? {
          cluster: {
            serverName: texts['server-name'] || `room-${String(values.port)}`,
            port: clusterPort,
            routes: texts.routes ? texts.routes.split(',') : [],
          },
        }
      : {}),
  };
  writeFileSync(file, natsConfig(settings, new Date()), { mode: 0o600 });
  const socket = texts.socket || `ws://${host}:${values['ws-port']}`;
  const links = roomLinks(site, socket, room, teacherKey);
  process.stdout.write(`Room code:    ${room.code}
Teacher key:  ${teacherKey}   (yours alone: it partitions, resets and stops the room)
              valid until ${new Date(expiresAt).toLocaleString()}
Server:       ${socket} (browsers), nats://${host}:${values.port} (headless nodes)
Learners:     ${links.learner}
Teacher:      ${links.teacher}
Configuration: ${file}
`);
  const installed = spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (flags.has('print-only') || !installed) {
    if (!installed)
      process.stdout.write('\nnats-server is not installed: sudo apt-get install -y nats-server\n');
    process.stdout.write(`Start it with:  nats-server -c ${file}
Pages refuse the teacher key once it expires; a server started this way still accepts it until
it is given a configuration without it (npm run classroom, left running, does that itself).
`);
    return;
  }
  process.stdout.write('\nStarting nats-server; Ctrl-C stops the room.\n');
  const server = spawn('nats-server', ['-c', file], { stdio: 'inherit' });
  const watch = setInterval(() => {
    if (Date.now() < expiresAt) return;
    clearInterval(watch);
    withdrawTeacherKey(server, file, settings);
    process.stdout.write(
      `\nThe teacher key has expired: the room runs on without controls. For a new key, stop this and run npm run classroom -- --room ${room.code} (learners reconnect by themselves).\n`,
    );
  }, EXPIRY_CHECK_MS);
  const stop = (): void => {
    clearInterval(watch);
    server.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.on('exit', (code) => {
    process.exitCode = code ?? 0;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
