/**
 * The built site runs under the production headers (deploy/headers.json): the page, its workers
 * (the nodes' and the lab's), IndexedDB, the tree and the lab's chart downloads all work with the
 * Content-Security-Policy in force, and nothing the page does is blocked by it.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import headers from '../../deploy/headers.json' with { type: 'json' };
import { E2E_ROOM_ORIGINS, withRoomOrigins } from '../../scripts/csp.ts';
import { call, openApp } from './helpers.ts';

test('the production CSP is served and nothing violates it', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto('./');
  // The production policy, with the test rooms' origin in connect-src (scripts/csp.ts).
  expect(response?.headers()['content-security-policy']).toBe(
    withRoomOrigins(headers.security['Content-Security-Policy'], E2E_ROOM_ORIGINS),
  );
  expect(response?.headers()['cache-control']).toBe(headers.cache.html);
  await openApp(page);
  // COOP with COEP: the page is cross-origin isolated, and its workers still start under it.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('button', { name: 'Skip the tour' }).click();
  await call(page, 'GET', '/node/n1/mine');
  await page.locator('.block', { hasText: '#2' }).click();
  await page.getByRole('tab', { name: 'API console' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: 'Network' }).click();

  // The lab worker runs an experiment, and the chart becomes a PNG through a data: image.
  await page.getByRole('button', { name: 'Experiments' }).click();
  await page.getByRole('textbox', { name: /^z / }).fill('0,1');
  await page.getByRole('textbox', { name: 'Runs per point' }).fill('10');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Done: 2 points measured.');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the chart (PNG)' }).click();
  const png = await readFile(await (await downloading).path());
  // The PNG signature: \x89 P N G.
  expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

  const violations = await page.evaluate(
    () => (window as unknown as { cspViolations: string[] }).cspViolations,
  );
  expect(violations).toEqual([]);
});

test('a mining worker compiles the WebAssembly kernel under the policy and passes its self-test', async ({
  page,
}) => {
  const lines: string[] = [];
  page.on('worker', (worker) => {
    worker.on('console', (m) => {
      if (m.text().startsWith('proof-of-work kernel:')) lines.push(m.text());
    });
  });
  await page.goto('./');
  await openApp(page);
  await call(page, 'POST', '/node/n1/mining', { enabled: true });
  await expect.poll(() => lines.length, { timeout: 30_000 }).toBeGreaterThan(0);
  await call(page, 'POST', '/node/n1/mining', { enabled: false });
  // Either chosen, or compiled and correct but not faster by the margin (speed is never asserted,
  // CONTRIBUTING.md, Tests in layers); never blocked by the policy nor wrong.
  expect(lines[0]).toMatch(
    /^proof-of-work kernel: (WebAssembly SIMD \(|JavaScript \(not [\d.]+x faster: )/,
  );
});
