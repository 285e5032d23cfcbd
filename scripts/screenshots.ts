/**
 * The page's screenshots for the docs: 1280×720 and 1920×1080, normal and projector mode,
 * English and French, taken in Chromium from the built site while a partitioned network of six
 * nodes mines on both sides (a fork in the tree, cut links and messages in the network view).
 *
 *   npm run screenshots                 writes docs/images/page-<size>-<mode>-<language>.png
 *   npm run screenshots -- --classroom  writes docs/images/classroom-*.png (needs nats-server;
 *                                       scripts/screenshots-classroom.ts)
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { classroomScreenshots } from './screenshots-classroom.ts';
import { call, withBuiltSite } from './site.ts';

const PORT = 4175;
const OUT = fileURLToPath(new URL('../docs/images/', import.meta.url));
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Six nodes (at a difficulty that keeps blocks a few seconds apart, so every node keeps up), a
 * common chain, then a partition with a branch growing on each side.
 */
async function setScene(page: Page): Promise<void> {
  await call(page, 'POST', '/sim/reset', { nodes: 6, difficulty_bits: 18 });
  for (const id of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']) {
    await call(page, 'GET', `/node/${id}/mine`);
    await page.waitForTimeout(300);
  }
  await page.waitForTimeout(1_500);
  await call(page, 'POST', '/sim/network/partition', {
    groups: [
      ['n1', 'n2', 'n3'],
      ['n4', 'n5', 'n6'],
    ],
  });
  for (const id of ['n1', 'n2', 'n4', 'n5', 'n6']) {
    await call(page, 'GET', `/node/${id}/mine`);
    await page.waitForTimeout(300);
  }
  // Slower links and a little mining on each side keep messages in the air.
  await call(page, 'PUT', '/sim/network', { latency_ms: 700 });
  for (const id of ['n2', 'n5']) {
    await call(page, 'POST', `/node/${id}/mining`, { enabled: true, hashrate: 0.3 });
  }
  await page.waitForTimeout(4_000);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  await withBuiltSite(PORT, async (browser, origin) => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    await page.addInitScript(() => {
      localStorage.setItem('chainlab.tour', 'seen');
    });
    await page.goto(origin);
    await page.evaluate(() => window.chainlab.ready);
    await setScene(page);
    for (const language of ['en', 'fr'] as const) {
      await page.locator('.lang select').selectOption(language);
      for (const projector of [false, true]) {
        const pressed = await page.locator('.projector-switch').getAttribute('aria-pressed');
        if ((pressed === 'true') !== projector) await page.locator('.projector-switch').click();
        for (const size of SIZES) {
          await page.setViewportSize(size);
          // The tree follows its newest blocks after a resize; let it settle.
          await page.waitForTimeout(1_500);
          const name = `page-${String(size.width)}x${String(size.height)}-${projector ? 'projector' : 'normal'}-${language}.png`;
          await page.screenshot({ path: `${OUT}${name}` });
          process.stdout.write(`docs/images/${name}\n`);
        }
      }
    }
  });
}

if (process.argv.includes('--classroom')) await classroomScreenshots();
else await main();
