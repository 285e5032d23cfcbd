/**
 * Storage faults in Chromium. The origin's quota is cut, through the DevTools protocol, just
 * above what the nodes already stored while they mine: the page says so in one sentence, the
 * nodes mine on in memory, and once space is back a reload restores every node from the chain it
 * had saved, intact. Another tab holding an older version of a database open blocks the page's
 * upgrade; the page does not wait for it: one sentence, the nodes run in memory, and once that
 * tab is closed a reload saves again.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { SCHEMA_VERSION } from '../../src/runtime/dexie-store.ts';
import { STORAGE_MESSAGES } from '../../src/runtime/fallback-store.ts';
import { call, converged, nodes, openApp, screenshot, settle, waitForNodes } from './helpers.ts';

/** A chain as GET /node/:id/chain answers. */
interface ChainAnswer {
  readonly length: number;
  readonly chain: readonly { index: number; hash: string; previous_hash: string }[];
}

/** A node's best chain is linked from genesis, one block per height. */
async function expectLinkedChain(page: Page, id: string): Promise<number> {
  const { length, chain } = (await call(
    page,
    'GET',
    `/node/${id}/chain`,
  )) as unknown as ChainAnswer;
  expect(chain).toHaveLength(length);
  chain.forEach((b, i) => {
    expect(b.index, `${id}: block ${i + 1}`).toBe(i + 1);
    if (i > 0) expect(b.previous_hash, `${id}: block ${i + 1}'s parent`).toBe(chain[i - 1]?.hash);
  });
  return length;
}

/** What the nodes reported about their saved data since the script last asked. */
async function storageSkips(page: Page, ids: readonly string[]): Promise<string[]> {
  const skips: string[] = [];
  for (const id of ids) {
    const events = await page.evaluate((node) => window.chainlab.takeEvents(node), id);
    for (const e of events) if (e.kind === 'storage-skipped') skips.push(`${id}: ${e.reason}`);
  }
  return skips;
}

/** The page's problem banners: each an alert, so a screen reader reads it out. */
function alerts(page: Page) {
  return page.getByRole('alert');
}

/** The IndexedDB version of a node's database: Dexie multiplies the schema version by ten. */
const NODE_DB_VERSION = SCHEMA_VERSION * 10;

/** IndexedDB databases of this origin, by name, with their versions. */
function databases(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () =>
    Object.fromEntries((await indexedDB.databases()).map((d) => [d.name ?? '', d.version ?? 0])),
  );
}

/** Mining at full rate on every node. */
async function mineEverywhere(page: Page): Promise<void> {
  for (const n of await nodes(page)) {
    await call(page, 'POST', `/node/${n.id}/mining`, { enabled: true, hashrate: 1 });
  }
}

/**
 * A tab of an older Chainlab: same origin (a blank page served at the app's path), holding
 * `database` open at IndexedDB version 1, below the versions Dexie gives the app's schemas (ten
 * times theirs). Like a release that never handled `versionchange`, it does not close when a newer
 * tab asks, so that tab's upgrade is blocked until it goes away.
 */
async function olderTab(context: BrowserContext, database: string): Promise<Page> {
  await context.route('**/chainlab/older-tab.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>An older Chainlab</title>',
    }),
  );
  const older = await context.newPage();
  await older.goto('./older-tab.html');
  const version = await older.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open(name, 1);
        req.onupgradeneeded = () => {
          // The older release's table of simulation records (the app's keeps the same key).
          req.result.createObjectStore('simulations', { keyPath: 'simId' });
        };
        req.onsuccess = () => {
          // Kept open, and deaf to requests to close.
          (window as unknown as { held: IDBDatabase }).held = req.result;
          resolve(req.result.version);
        };
        req.onerror = () => {
          reject(new Error(String(req.error)));
        };
      }),
    database,
  );
  expect(version).toBe(1);
  return older;
}

test.describe('storage faults in Chromium', () => {
  test('storage fills up while nodes mine: one sentence, mining goes on in memory, and a reload restores what was saved', async ({
    page,
  }) => {
    await openApp(page);
    await call(page, 'POST', '/sim/reset', { nodes: 3, difficulty_bits: 12, block_time_ms: 500 });
    await mineEverywhere(page);
    await waitForNodes(page, 'every node has saved a few blocks', (rows) =>
      rows.every((r) => r.height >= 4),
    );
    const ids = (await nodes(page)).map((n) => n.id);
    // Every block a node holds now is committed (a write follows each block within milliseconds).
    await page.waitForTimeout(500);
    const saved = Object.fromEntries((await nodes(page)).map((n) => [n.id, n.height]));
    expect(await alerts(page).count()).toBe(0);

    // A quota just above what the origin uses: a write or two may fit, then none does.
    const origin = new URL(page.url()).origin;
    const cdp = await page.context().newCDPSession(page);
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 2_000 });

    // One sentence, once, however many nodes hit the full disk. Chromium's IndexedDB lets a
    // bucket spend the space it was last granted for up to 30 s before asking the quota again
    // (BucketContext::kBucketSpaceCacheTimeLimit): the first refusal comes some 30 s after the cut
    // (measured: 28-29 s, whether the quota leaves 2 KB or nothing).
    const banner = alerts(page).filter({ hasText: STORAGE_MESSAGES.full });
    await expect(banner).toBeVisible({ timeout: 75_000 });
    await expect(alerts(page)).toHaveCount(1);
    // The page's own record cannot be saved either: the same sentence covers it.
    const networkBefore = await call(page, 'GET', '/sim/network');
    await call(page, 'PUT', '/sim/network', { latency_ms: 25 });
    await page.waitForTimeout(1_000);
    await expect(alerts(page)).toHaveCount(1);
    await page.screenshot({ path: '/tmp/storage-full.png' });
    await screenshot(page, 'storage-full');

    // The nodes mine on, in memory.
    const atFull = await nodes(page);
    const top = Math.max(...atFull.map((n) => n.height));
    await waitForNodes(page, 'every node mines on past the full disk', (rows) =>
      rows.every((r) => r.height >= top + 3),
    );
    await expect(alerts(page)).toHaveCount(1);
    // Dismissed, it stays away, though every poll brings the nodes' report again.
    await banner.getByRole('button', { name: 'Dismiss this message' }).click();
    await expect(alerts(page)).toHaveCount(0);
    await page.waitForTimeout(1_500);
    await expect(alerts(page)).toHaveCount(0);

    // Space is back (the override removed); the reload finds every node's saved chain intact.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    const restored = await nodes(page);
    expect(restored.map((n) => n.id)).toEqual(ids);
    for (const n of restored) {
      expect(n.height, `${n.id} restored at least to what it had saved`).toBeGreaterThanOrEqual(
        saved[n.id] ?? Infinity,
      );
      await expectLinkedChain(page, n.id);
    }
    expect(await storageSkips(page, ids)).toEqual([]);
    // The network change came after the disk was full: not saved, as the sentence said.
    expect(await call(page, 'GET', '/sim/network')).toEqual(networkBefore);
    // The nodes reconcile and save again: no sentence after a few polls.
    const agreed = await settle(page);
    await call(page, 'GET', '/node/n1/mine');
    await waitForNodes(page, 'the new block reaches everyone', (rows) =>
      rows.every((r) => r.height === (agreed[0]?.height ?? 0) + 1),
    );
    await expect(alerts(page)).toHaveCount(0);
    const final = await nodes(page);
    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    expect((await nodes(page)).map((n) => n.height)).toEqual(final.map((n) => n.height));
  });

  test("another tab holding an older version of the page's database open: one sentence, the page runs in memory, and saves again once that tab is closed", async ({
    context,
  }) => {
    const older = await olderTab(context, 'chainlab');
    const page = await context.newPage();
    // The page does not wait for the other tab: it starts within seconds, in memory.
    await page.goto('./');
    await page.evaluate(() => window.chainlab.ready);
    await expect(alerts(page).filter({ hasText: STORAGE_MESSAGES.blocked })).toBeVisible();
    await expect(alerts(page)).toHaveCount(1);
    await screenshot(page, 'storage-blocked');

    await call(page, 'POST', '/sim/reset', { nodes: 3, difficulty_bits: 12, block_time_ms: 500 });
    await mineEverywhere(page);
    await waitForNodes(page, 'the nodes mine in memory', (rows) =>
      rows.every((r) => r.height >= 4),
    );
    // Nothing was written: no node database, and the older tab's database as it left it.
    expect(await databases(page)).toEqual({ chainlab: 1 });
    await expect(alerts(page)).toHaveCount(1);

    // The older tab goes; a reload opens storage again (upgrading the database) and saves.
    await older.close();
    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    expect((await nodes(page)).map((n) => n.height)).toEqual([1, 1, 1]);
    await call(page, 'GET', '/node/n1/mine');
    await call(page, 'GET', '/node/n1/mine');
    await waitForNodes(page, 'the blocks reach everyone', (rows) =>
      rows.every((r) => r.height === 3),
    );
    expect((await databases(page)).chainlab).toBe(10);
    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    expect((await nodes(page)).map((n) => n.height)).toEqual([3, 3, 3]);
    await expect(alerts(page)).toHaveCount(0);
  });

  test("another tab holding an older version of one node's database open: that node runs in memory, the others save", async ({
    context,
  }) => {
    const simId = 'feedc0de';
    // This tab's simulation id (src/app/sim/session.ts), so the older tab knows the node's database.
    await context.addInitScript((id) => {
      sessionStorage.setItem('chainlab.simulation', id);
    }, simId);
    const older = await olderTab(context, `chainlab/${simId}/0/n2`);
    const page = await context.newPage();
    await page.goto('./');
    await page.evaluate(() => window.chainlab.ready);
    await expect(alerts(page).filter({ hasText: STORAGE_MESSAGES.blocked })).toBeVisible();
    await expect(alerts(page)).toHaveCount(1);

    await call(page, 'GET', '/node/n2/mine');
    await waitForNodes(page, "n2's block reaches everyone", (rows) =>
      rows.every((r) => r.height === 2),
    );
    await call(page, 'GET', '/node/n1/mine');
    const before = await waitForNodes(page, 'the blocks reach everyone', (rows) =>
      rows.every((r) => r.height === 3),
    );
    expect(converged(before)).toBe(true);
    const stored = await databases(page);
    expect(stored[`chainlab/${simId}/0/n1`]).toBe(NODE_DB_VERSION);
    expect(stored[`chainlab/${simId}/0/n2`]).toBe(1);
    await expect(alerts(page)).toHaveCount(1);

    // Once the older tab is gone, a reload restores n1 and n3; n2 kept nothing, as the sentence
    // said, not even its peers: registered again, it takes the longest chain from them.
    await older.close();
    await page.reload();
    await page.evaluate(() => window.chainlab.ready);
    const restored = await nodes(page);
    expect(restored.map((n) => [n.id, n.height, n.peers.length])).toEqual([
      ['n1', 3, 2],
      ['n2', 1, 0],
      ['n3', 3, 2],
    ]);
    await call(page, 'POST', '/node/n2/nodes/register', { nodes: ['n1', 'n3'] }, 201);
    await call(page, 'GET', '/node/n2/nodes/resolve');
    await waitForNodes(page, 'n2 has caught up', (rows) => rows.every((r) => r.height === 3));
    expect(converged(await nodes(page))).toBe(true);
    await expect(alerts(page)).toHaveCount(0);
    expect((await databases(page))[`chainlab/${simId}/0/n2`]).toBe(NODE_DB_VERSION);
  });
});
