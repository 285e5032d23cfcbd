/**
 * The page made for the projector: the network view (a partition drawn as cut links, messages in
 * flight, a node picked everywhere), the timeline (seek, step, replay, export, import elsewhere,
 * a foreign file refused), the charts with their tables, and projector mode remembered.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { call, nodes, openApp, screenshot, waitForNodes } from './helpers.ts';

/** A returning visitor: the tour stays closed. */
async function openQuietly(page: Page): Promise<void> {
  await page.addInitScript(() => {
    localStorage.setItem('chainlab.tour', 'seen');
  });
  await openApp(page);
}

const networkView = (page: Page) => page.getByRole('region', { name: 'The network', exact: true });

/** The block labels the tree draws ("#3 00ab12cd"), sorted. */
async function drawnBlocks(page: Page): Promise<string[]> {
  const texts = await page.locator('.tree .block').evaluateAll((gs) =>
    gs.map((g) => {
      const t = [...g.querySelectorAll('text')].map((x) => x.textContent.trim());
      return `${t[0] ?? ''} ${t[1] ?? ''}`;
    }),
  );
  return texts.sort();
}

test.describe('the network view', () => {
  test('draws a partition as two groups with the cut links dashed, and heals', async ({ page }) => {
    await openQuietly(page);
    await call(page, 'POST', '/sim/reset', { nodes: 4 });
    await waitForNodes(page, 'four fresh nodes', (rows) => rows.length === 4);
    const view = networkView(page);
    const links = view.locator('line[data-link]');
    const cut = view.locator('line[data-cut="true"]');
    await expect(links).toHaveCount(6);
    await expect(cut).toHaveCount(0);
    await expect(view.getByText('4 nodes, 6 links. The network is whole.')).toBeVisible();

    // Split by clicking, as a teacher would: n1 and n2 against n3 and n4.
    await page.getByRole('tab', { name: 'Network', exact: true }).click();
    for (const id of ['n3', 'n4']) await page.locator(`input[name="group-${id}"]`).nth(1).check();
    await page.getByRole('button', { name: 'Split into partitions' }).click();
    await expect(cut).toHaveCount(4);
    await expect(view.locator('line[data-cut="false"]')).toHaveCount(2);
    await expect(view.getByText('Split into 2 groups: 4 links cut.')).toBeVisible();
    await expect(view.getByText('Group 1', { exact: true })).toBeVisible();
    await expect(view.getByText('Group 2', { exact: true })).toBeVisible();
    // The cut links are dashed: the picture, not only a class name, shows them cut.
    const dash = await cut.first().evaluate((l) => getComputedStyle(l).strokeDasharray);
    expect(dash).not.toBe('none');
    await screenshot(page, 'network-partition');

    // Its text equivalent says the same.
    await view.getByRole('button', { name: 'Show the network as a table' }).click();
    const table = view.getByRole('table', { name: 'Nodes, their groups and their links' });
    await expect(table.getByRole('row', { name: /^n1 Group 1 n2 n3, n4$/ })).toBeVisible();
    await expect(table.getByRole('row', { name: /^n4 Group 2 n3 n1, n2$/ })).toBeVisible();
    await view.getByRole('button', { name: 'Show the network as a picture' }).click();

    await page.getByRole('button', { name: 'Heal the network' }).click();
    await expect(cut).toHaveCount(0);
    await expect(view.getByText('4 nodes, 6 links. The network is whole.')).toBeVisible();
  });

  test('shows a mined block spreading as messages in flight, and a partition stopping them', async ({
    page,
  }) => {
    await openQuietly(page);
    await call(page, 'POST', '/sim/reset', { nodes: 3 });
    await waitForNodes(page, 'three fresh nodes', (rows) => rows.length === 3);
    // Slow links, so the messages stay in the air long enough to be seen.
    await call(page, 'PUT', '/sim/network', { latency_ms: 2_000 });
    // The messages are drawn on a canvas over the picture, which says what it drew last.
    const drawn = networkView(page).locator('canvas.messages');
    await call(page, 'GET', '/node/n1/mine');
    // n1 announces its block: an inv travels to each peer, then the block itself is sent.
    await expect(drawn).toHaveAttribute('data-kinds', /\binv\b/);
    await expect(drawn).toHaveAttribute('data-kinds', /\bblock\b/, { timeout: 15_000 });
    expect(Number(await drawn.getAttribute('data-drawn'))).toBeGreaterThan(0);
    await waitForNodes(page, 'the block everywhere', (rows) => rows.every((r) => r.height === 2));

    // Cut n1 off and mine again: its announcements die at the cut, drawn with a cross.
    await call(page, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
    await call(page, 'GET', '/node/n1/mine');
    await expect
      .poll(async () => Number(await drawn.getAttribute('data-stopped')), {
        timeout: 15_000,
        intervals: [50],
      })
      .toBeGreaterThan(0);
    expect((await nodes(page)).map((n) => n.height)).toEqual([3, 2, 2]);
  });

  test('picks a node everywhere: the table, the tree and its controls', async ({ page }) => {
    await openQuietly(page);
    await call(page, 'POST', '/sim/reset', { nodes: 3 });
    await waitForNodes(page, 'three fresh nodes', (rows) => rows.length === 3);
    await networkView(page).getByRole('button', { name: 'n3, select this node' }).click();
    await expect(page.getByRole('region', { name: 'Node n3', exact: true })).toBeVisible();
    await expect(page.locator('tr[data-node="n3"]')).toHaveClass(/selected/);
    await expect(page.locator('.tree .marker.picked')).toHaveCount(1);
    await expect(page.locator('.tree .marker.picked text')).toHaveText('n3');
    // By keyboard too, from the node table.
    await page
      .locator('tr[data-node="n2"]')
      .getByRole('button', { name: 'n2', exact: true })
      .focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Node n2', exact: true })).toBeVisible();
    await expect(
      networkView(page).getByRole('button', { name: 'n2, select this node' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });
});

test.describe('the timeline', () => {
  test('seeks, steps and replays the run, exports it, and another browser replays it exactly', async ({
    page,
    browser,
  }, testInfo) => {
    // A fresh page: its recording starts with the three nodes at the genesis block.
    await openQuietly(page);
    await waitForNodes(page, 'three fresh nodes', (rows) => rows.length === 3);
    for (let i = 0; i < 3; i++) {
      await call(page, 'GET', '/node/n1/mine');
      await waitForNodes(page, `block ${i + 2} everywhere`, (rows) =>
        rows.every((r) => r.height === i + 2),
      );
    }
    await expect(page.locator('.tree .block', { hasText: '#4' })).toBeVisible();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const scrubber = timeline.getByRole('slider', { name: 'Moment in the run' });

    // Seek to the start: only the genesis block was known then.
    await scrubber.focus();
    await page.keyboard.press('Home');
    await expect(timeline.getByText(/^Paused in this run — 00:00 of/)).toBeVisible();
    await expect(page.locator('.tree .block')).toHaveCount(1);
    await expect(scrubber).toHaveAttribute('aria-valuetext', /block 1$/);
    // The node table shows that moment too, and its controls are off.
    await page.getByRole('tab', { name: 'Nodes', exact: true }).click();
    await expect(page.locator('tr[data-node="n1"] td').first()).toHaveText('1');
    await expect(page.getByRole('button', { name: 'Add a node' })).toBeDisabled();

    // Step forward, moment by moment, until block 2 appears.
    const step = timeline.getByRole('button', { name: 'Step forward' });
    for (let i = 0; i < 50 && (await page.locator('.tree .block').count()) < 2; i++) {
      await step.click();
    }
    await expect(page.locator('.tree .block', { hasText: '#2' })).toBeVisible();

    // Replay at 16×: the run plays to its end, every block back.
    await timeline.getByLabel('Speed').selectOption('16');
    await timeline.getByRole('button', { name: 'Play' }).click();
    await expect(page.locator('.tree .block', { hasText: '#4' })).toBeVisible({ timeout: 30_000 });
    await expect(timeline.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 30_000 });
    const replayed = await drawnBlocks(page);

    // Back to live: the same blocks, and the controls work again.
    await timeline.getByRole('button', { name: 'Live' }).click();
    await expect(timeline.getByText(/^Live: this run has been recorded for/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add a node' })).toBeEnabled();
    const live = await drawnBlocks(page);
    expect(replayed).toEqual(live);

    // Export the run.
    const downloaded = page.waitForEvent('download');
    await timeline.getByRole('button', { name: 'Export run' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^chainlab-run-[\d-]+\.json$/);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    const run = JSON.parse(await readFile(file, 'utf8')) as {
      format: string;
      seeds: Record<string, number>;
      settings: { nodes: number };
    };
    expect(run.format).toBe('chainlab-run');
    expect(Object.keys(run.seeds).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(run.settings.nodes).toBe(3);

    // Another machine: a fresh browser context with its own simulation imports and replays it.
    const other = await browser.newPage();
    try {
      await openQuietly(other);
      const otherTimeline = other.getByRole('region', { name: 'Timeline' });
      // A foreign file first: one clear sentence, and nothing changes.
      const foreign = testInfo.outputPath('package.json');
      await writeFile(foreign, JSON.stringify({ name: 'not-a-run', version: '1.0.0' }));
      const before = await drawnBlocks(other);
      await other.locator('.timeline input[type="file"]').setInputFiles(foreign);
      await expect(otherTimeline.getByRole('alert')).toHaveText(
        'This JSON file is not a Chainlab run: choose a file made with the Export run button.',
      );
      await expect(otherTimeline.getByText(/^Live:/)).toBeVisible();
      expect(await drawnBlocks(other)).toEqual(before);

      await other.locator('.timeline input[type="file"]').setInputFiles(file);
      await expect(otherTimeline.locator('p.error')).toBeEmpty();
      await expect(otherTimeline.getByText(new RegExp(download.suggestedFilename()))).toBeVisible();
      await other.getByRole('region', { name: 'Timeline' }).getByRole('slider').focus();
      await other.keyboard.press('End');
      await expect(other.locator('.tree .block', { hasText: '#4' })).toBeVisible();
      expect(await drawnBlocks(other)).toEqual(live);
      await screenshot(other, 'timeline-imported');
    } finally {
      await other.close();
    }
  });
});

test('the charts are drawn, with their tables', async ({ page }) => {
  await openQuietly(page);
  await waitForNodes(page, 'three fresh nodes', (rows) => rows.length === 3);
  for (let i = 0; i < 3; i++) {
    await call(page, 'GET', `/node/n${String(i + 1)}/mine`);
    await waitForNodes(page, `block ${String(i + 2)} everywhere`, (rows) =>
      rows.every((r) => r.height === i + 2),
    );
  }
  await page.getByRole('tab', { name: 'Charts' }).click();
  const figures = page.locator('figure');
  await expect(figures).toHaveCount(4);
  for (const title of ['Block interval and difficulty', 'Stale blocks']) {
    await expect(page.locator('figcaption', { hasText: title })).toBeVisible();
  }
  // Drawn: each chart has marks, and the interval chart has its points.
  await expect(page.locator('figure svg[role="img"]')).toHaveCount(4);
  expect(await page.locator('figure svg path, figure svg rect').count()).toBeGreaterThan(8);
  await page.getByRole('button', { name: 'Show as tables' }).click();
  const tables = page.locator('figure table');
  await expect(tables).toHaveCount(4);
  // The interval table lists the best chain's blocks 2 to 4.
  await expect(tables.first().locator('tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: 'Show as charts' }).click();
  await expect(page.locator('figure svg[role="img"]')).toHaveCount(4);
});

test('projector mode: large type, high contrast, the tree and the network only, remembered', async ({
  page,
}) => {
  await openQuietly(page);
  const switchButton = page.getByRole('button', { name: 'Projector mode' });
  await switchButton.click();
  await expect(switchButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveClass(/projector/);
  const size = await page.evaluate(() =>
    parseFloat(getComputedStyle(document.documentElement).fontSize),
  );
  expect(size).toBeGreaterThanOrEqual(20);
  await expect(page.getByRole('application', { name: 'Block tree' })).toBeVisible();
  await expect(networkView(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tools and events' })).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Nodes', exact: true })).toBeHidden();

  await page.reload();
  await page.evaluate(() => window.chainlab.ready);
  await expect(page.locator('html')).toHaveClass(/projector/);
  await expect(page.getByRole('button', { name: 'Projector mode' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByRole('button', { name: 'Projector mode' }).click();
  await expect(page.getByRole('region', { name: 'Tools and events' })).toBeVisible();
});
