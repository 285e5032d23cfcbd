/**
 * The container's web server, for real: Debian's nginx serves the built dist/ through
 * deploy/nginx.conf (the file the Dockerfile copies into the image) and the header include, with
 * only the paths changed. The page, its workers and IndexedDB then run in Chromium from it.
 * Skipped, with a note, where nginx is not installed (`apt-get install -y nginx`); CI installs it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import headers from '../../deploy/headers.json' with { type: 'json' };
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.ts';
import { call, nodes, screenshot, waitForNodes } from './helpers.ts';
import { nginxMainConfig } from './nginx.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') done(address.port);
        else fail(new Error('no port'));
      });
    });
  });
}

/** Replace exactly one occurrence, so the test fails if the deployed config drifts. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from), `deploy/nginx.conf should contain "${from}" once`).toHaveLength(2);
  return text.replace(from, to);
}

/**
 * deploy/nginx.conf's server block inside a minimal main config: listen on a loopback port, serve
 * dist/, include the header file from deploy/, keep pid, logs and temp files in `dir`.
 */
function wrapperConfig(dir: string, port: number): string {
  const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  let server = replaceOnce(conf, 'listen 8080;', `listen 127.0.0.1:${port};`);
  server = replaceOnce(server, 'root /usr/share/nginx/html;', `root ${DIST};`);
  server = server.replaceAll(
    'include /etc/nginx/conf.d/chainlab-headers.inc;',
    `include ${join(ROOT, 'deploy/chainlab-headers.inc')};`,
  );
  return nginxMainConfig(dir, server);
}

let nginx: ChildProcess | undefined;
let dir = '';
let origin = '';

test.describe('the container image: nginx serving dist/', () => {
  test.skip(!existsSync(NGINX), `nginx is not installed at ${NGINX} (apt-get install -y nginx)`);

  test.beforeAll(async () => {
    // The Playwright web server has just built dist/ (npm run build).
    expect(existsSync(join(DIST, 'index.html')), 'dist/ is built').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'chainlab-nginx-'));
    const port = await freePort();
    const config = join(dir, 'nginx.conf');
    writeFileSync(config, wrapperConfig(dir, port));
    const syntax = spawnSync(NGINX, ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', config], {
      encoding: 'utf8',
    });
    expect(syntax.status, syntax.stderr).toBe(0);
    nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', config], {
      stdio: 'ignore',
    });
    origin = `http://127.0.0.1:${port}`;
    await expect
      .poll(
        () =>
          fetch(`${origin}/`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 10_000 },
      )
      .toBe(200);
  });

  test.afterAll(() => {
    nginx?.kill('SIGQUIT');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every answer carries the production headers; assets are cached, the page is not', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe(headers.cache.html);
    for (const [name, value] of Object.entries(headers.security)) {
      expect(page.headers.get(name), name).toBe(value);
    }

    const assets = readdirSync(join(DIST, 'assets'));
    const script = assets.find((f) => f.startsWith('index-') && f.endsWith('.js'));
    const worker = assets.find((f) => f.startsWith('node.worker-') && f.endsWith('.js'));
    expect(script && worker, assets.join(', ')).toBeTruthy();
    for (const file of [script, worker]) {
      const asset = await fetch(`${origin}/assets/${file}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe(headers.cache.hashedAssets);
      expect(asset.headers.get('content-security-policy')).toBe(
        headers.security['Content-Security-Policy'],
      );
      expect(await asset.text()).toBe(readFileSync(join(DIST, 'assets', file ?? ''), 'utf8'));
    }
  });

  test('unknown pages fall back to the app; a missing asset is a 404, never the page', async () => {
    for (const path of ['/unknown', '/a/nested/path', '/index.html']) {
      const answer = await fetch(`${origin}${path}`);
      expect(answer.status, path).toBe(200);
      expect(await answer.text(), path).toContain('<title>Chainlab</title>');
      expect(answer.headers.get('cache-control'), path).toBe(headers.cache.html);
    }
    for (const path of ['/assets/missing-0000.js', '/a/nested/assets/missing-0000.js']) {
      const missing = await fetch(`${origin}${path}`);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  test('the app runs from nginx under its CSP, also from a nested fallback path', async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        violations.push(m.text());
      }
    });
    for (const path of ['/', '/class/2b/']) {
      await page.goto(`${origin}${path}`);
      await page.evaluate(() => window.chainlab.ready);
      await call(page, 'POST', '/sim/reset', { nodes: 3 });
      const mined = await call(page, 'GET', '/node/n1/mine');
      expect(mined.message).toBe('New Block Forged');
      await waitForNodes(page, 'block 2 on every node', (rows) =>
        rows.every((r) => r.height === 2),
      );
      await expect(page.locator('.block', { hasText: '#2' })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Skip the tour' }).click();
    await screenshot(page, 'nginx-container');
    expect(violations).toEqual([]);
  });

  test('over plain HTTP from another machine (no secure context) the app runs, and a duplicated tab gets its own simulation', async () => {
    // A name that is not localhost makes the page an insecure context, as a container reached
    // by plain HTTP would be: no Web Locks, no crypto.randomUUID.
    const port = new URL(origin).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP chainlab.test 127.0.0.1'],
    });
    try {
      const context = await browser.newContext();
      const first = await context.newPage();
      await first.goto(`http://chainlab.test:${port}/`);
      expect(await first.evaluate(() => window.isSecureContext)).toBe(false);
      await first.evaluate(() => window.chainlab.ready);
      await call(first, 'POST', '/sim/reset', { nodes: 2 });
      await call(first, 'GET', '/node/n1/mine');
      await waitForNodes(first, 'block 2 on both nodes', (rows) =>
        rows.every((r) => r.height === 2),
      );
      const id = await first.evaluate(() => sessionStorage.getItem('chainlab.simulation'));
      expect(id).toMatch(/^[0-9a-f]{8}$/);

      // A reload keeps the simulation.
      await first.reload();
      await first.evaluate(() => window.chainlab.ready);
      expect(await first.evaluate(() => sessionStorage.getItem('chainlab.simulation'))).toBe(id);
      expect((await nodes(first)).map((n) => n.height)).toEqual([2, 2]);

      // A duplicated tab copies sessionStorage: it must start a simulation of its own.
      const copy = await context.newPage();
      await copy.addInitScript((simId) => {
        if (simId) sessionStorage.setItem('chainlab.simulation', simId);
      }, id);
      await copy.goto(`http://chainlab.test:${port}/`);
      await copy.evaluate(() => window.chainlab.ready);
      const copyId = await copy.evaluate(() => sessionStorage.getItem('chainlab.simulation'));
      expect(copyId).toMatch(/^[0-9a-f]{8}$/);
      expect(copyId).not.toBe(id);
      expect((await nodes(copy)).every((n) => n.height === 1)).toBe(true);
      expect((await nodes(first)).map((n) => n.height)).toEqual([2, 2]);
    } finally {
      await browser.close();
    }
  });
});
