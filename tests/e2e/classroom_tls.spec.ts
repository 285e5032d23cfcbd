/**
 * A room behind TLS, set up as docs/classroom.md says: Debian's nginx, with the docs' own server
 * block (only its port, certificate paths and upstream port changed), terminates TLS and passes
 * the WebSocket to nats-server's plain listener. A page joins over wss:// and the room works both
 * ways with a node on the server's plain NATS port.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { NodeId } from '../../src/core/types.ts';
import { roomLinkFragment } from '../../src/runtime/room.ts';
import type { ClassroomNode } from '../../scripts/classroom-nodes.ts';
import { announcePresence, joinRoom, leaveRoom } from '../../scripts/classroom-nodes.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { freePort, NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';
import { seriousViolations } from './helpers.ts';
import { nginxMainConfig } from './nginx.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const OPENSSL_INSTALLED = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const ROOT = resolve(import.meta.dirname, '../..');

/** The nginx block docs/classroom.md gives for terminating TLS in front of the room. */
function docsServerBlock(): string {
  const docs = readFileSync(join(ROOT, 'docs/classroom.md'), 'utf8');
  const block = /With nginx:\s*```nginx\n([\s\S]*?)```/.exec(docs)?.[1];
  if (!block) throw new Error('docs/classroom.md has no nginx block after "With nginx:"');
  const indent = /^ */.exec(block)?.[0].length ?? 0;
  return block
    .split('\n')
    .map((line) => line.slice(Math.min(indent, /^ */.exec(line)?.[0].length ?? 0)))
    .join('\n');
}

/** Replace exactly one occurrence, so the test fails if the docs' block drifts. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from), `the docs' nginx block should contain "${from}" once`).toHaveLength(2);
  return text.replace(from, to);
}

test.describe('a room behind TLS', () => {
  test.skip(
    !existsSync(NGINX) || !OPENSSL_INSTALLED || !NATS_SERVER_INSTALLED,
    'needs nginx, openssl and nats-server (apt-get install -y nginx openssl nats-server)',
  );

  let server: RoomServer;
  let nginx: ChildProcess | undefined;
  let dir = '';
  let tlsPort = 0;
  const contexts: BrowserContext[] = [];
  const nodes: ClassroomNode[] = [];

  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chainlab-tls-'));
    const cert = join(dir, 'fullchain.pem');
    const key = join(dir, 'privkey.pem');
    const made = spawnSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    server = await startRoomServer();
    tlsPort = await freePort();
    let block = docsServerBlock();
    block = replaceOnce(block, 'listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`);
    block = replaceOnce(block, '/etc/ssl/room.example.org/fullchain.pem', cert);
    block = replaceOnce(block, '/etc/ssl/room.example.org/privkey.pem', key);
    block = replaceOnce(block, 'http://127.0.0.1:8443', `http://127.0.0.1:${server.wsPort}`);
    const config = join(dir, 'nginx.conf');
    writeFileSync(config, nginxMainConfig(dir, block));
    const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', config];
    const syntax = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    nginx = spawn(NGINX, args, { stdio: 'ignore' });
    // nginx answers over TLS once it is up (the upgrade itself is the browser's part).
    const handshake = (): number | null =>
      spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${tlsPort}`, '-brief'], {
        input: '',
        timeout: 5_000,
      }).status;
    await expect.poll(handshake, { timeout: 10_000 }).toBe(0);
  });

  test.afterAll(async () => {
    for (const n of nodes.splice(0)) await leaveRoom(n);
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    nginx?.kill('SIGQUIT');
    await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a page joins over wss:// and hears, and is heard by, a node on the plain port', async ({
    browser,
  }) => {
    // The certificate is this test's own: the browser is told to accept it, as it would accept
    // one from a public authority.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.addInitScript(() => {
      localStorage.setItem('chainlab.tour', 'seen');
    });
    const socket = `wss://127.0.0.1:${tlsPort}`;
    await page.goto(
      `./#${roomLinkFragment({ server: socket, code: server.room.code, teacherKey: '' })}`,
    );
    await page.evaluate(() => window.chainlab.ready);
    await page.getByRole('textbox', { name: 'Your name' }).fill('Ada');
    await page.getByRole('button', { name: 'Join the room' }).click();
    await expect(page.getByText('as Ada.')).toBeVisible();
    await expect(page.getByText('Connected.')).toBeVisible();

    const plain = await joinRoom(server, 'plain-1' as NodeId, 'Plain', { seed: 7 });
    nodes.push(plain);
    // The page lists the plain node from its presence, carried through nginx to the browser…
    await expect
      .poll(
        async () => {
          announcePresence(plain);
          return page.getByRole('cell', { name: 'Plain', exact: true }).count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    // …and the plain node hears the page's nodes, sent from the browser through nginx.
    await expect
      .poll(() => plain.node.peers.filter((p) => p.startsWith('ada-')).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
