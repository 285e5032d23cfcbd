/**
 * The Experiments view, as a learner uses it: open it, run the double-spend race over three
 * values of z, watch the chart and the table fill in, download the result, see a wrong field
 * refused, and cancel a long run without anything half-drawn left behind.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers.ts';

test.use({ viewport: { width: 1440, height: 900 } });

async function openExperiments(page: Page): Promise<void> {
  await openApp(page);
  const skip = page.getByRole('button', { name: 'Skip the tour' });
  if (await skip.isVisible().catch(() => false)) await skip.click();
  await page.getByRole('button', { name: 'Experiments' }).click();
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
}

const field = (page: Page, name: RegExp | string) => page.getByRole('textbox', { name });

test('run the double-spend race, read it, download it, refuse a wrong field, cancel', async ({
  page,
}) => {
  await openExperiments(page);
  await expect(page.getByLabel('Experiment', { exact: true })).toHaveValue('double-spend');
  await expect(page.getByText('How often an attacker with hash share q')).toBeVisible();

  // z as on the command line: --z 0,1,2 --runs 100.
  await field(page, /^z /).fill('0,1,2');
  await field(page, 'Runs per point').fill('100');
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  await expect(page.getByRole('progressbar', { name: 'Progress' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Done: 3 points measured.');
  await expect(page.getByText('300 of 300 runs')).toBeVisible();

  const chart = page.locator('svg.chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('g.marker')).toHaveCount(3);
  await expect(chart.locator('path.theory')).toHaveCount(2);
  await expect(chart.locator('path.theory[data-theory="exact"]')).toHaveCount(1);
  await expect(chart.locator('path.theory[data-theory="nakamoto"]')).toHaveCount(1);
  await expect(chart).toContainText('Exact probability (Rosenfeld)');
  await expect(chart).toContainText("Nakamoto's approximation (Poisson)");
  await expect(chart).toContainText('z: confirmations the merchant waits for');
  await expect(page.getByText("Nakamoto's formula draws the attacker's progress")).toBeVisible();

  const table = page.getByRole('table', { name: 'The measured points, as numbers' });
  await expect(table.locator('tbody tr')).toHaveCount(3);
  // z = 0: the attacker has already caught up, every time.
  await expect(table.locator('tbody tr').first().locator('td').nth(3)).toHaveText('1');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download JSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('chainlab-double-spend-seed-1.json');
  const path = await download.path();
  const saved = JSON.parse(await readFile(path, 'utf8')) as {
    experiment: string;
    runs: number;
    points: { z: number; measured: number }[];
  };
  expect(saved.experiment).toBe('double-spend');
  expect(saved.runs).toBe(100);
  expect(saved.points.map((p) => p.z)).toEqual([0, 1, 2]);

  await page.screenshot({ path: 'test-results/experiments.png' });

  // q = 0.7 is refused with the parser's sentence, and Run starts nothing.
  const q = field(page, /^q /);
  await q.fill('0.7');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const problem = 'q must be above 0 and below 0.5 (at 0.5 or more the attacker always wins)';
  await expect(page.getByText(problem)).toBeVisible();
  await expect(q).toHaveAttribute('aria-invalid', 'true');
  await expect(q).toBeFocused();
  const describedBy = (await q.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error')) ?? '';
  await expect(page.locator(`[id="${errorId}"]`)).toContainText(problem);
  await expect(page.getByRole('status')).toHaveText(
    'Nothing was started: correct the fields marked with ⚠ first.',
  );
  await expect(page.getByText('300 of 300 runs')).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(3);

  // A long run, cancelled once it has drawn a point: nothing of it stays.
  await q.fill('0.1');
  await expect(q).not.toHaveAttribute('aria-invalid', 'true');
  await field(page, /^z /).fill('0,1,2,3,4,5');
  await field(page, 'Runs per point').fill('20000');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Running double-spend…');
  await expect(chart.locator('g.marker')).toHaveCount(1, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toHaveText('Cancelled: nothing was kept.');
  await expect(page.locator('svg.chart')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'The measured points, as numbers' })).toHaveCount(0);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download JSON' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});

test('an experiment that traces a curve is drawn against it: retarget by block height', async ({
  page,
}) => {
  await openExperiments(page);
  await page.getByLabel('Experiment', { exact: true }).selectOption('retarget');
  await field(page, 'Runs per point').fill('5');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Done: \d+ points measured\.$/);
  await expect(page.locator('svg.chart')).toContainText('height: block height');
  await expect(page.locator('svg.chart')).toContainText('Mean block interval, seconds');
  // One row per height, from the first mined block to the last.
  const rows = page.getByRole('table').getByRole('row');
  expect(await rows.count()).toBeGreaterThan(150);
});
