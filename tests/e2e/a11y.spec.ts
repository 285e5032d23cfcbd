/**
 * Accessibility: axe-core finds no serious or critical violations in the main views, with the
 * first-visit tour open and closed, in English and French.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { call, openApp, seriousViolations } from './helpers.ts';

async function landmarkViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withRules([
      'landmark-unique',
      'landmark-one-main',
      'landmark-no-duplicate-main',
      'landmark-no-duplicate-banner',
      'landmark-no-duplicate-contentinfo',
    ])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`,
  );
}

test('no serious or critical axe violations across the main views', async ({ page }) => {
  await openApp(page);
  await call(page, 'GET', '/node/n1/mine');
  // First visit: the tour is open.
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Skip the tour' }).click();
  for (const tab of ['Wallet', 'Network', 'Simulation settings']) {
    await page.getByRole('tab', { name: tab }).click();
    expect(await seriousViolations(page), tab).toEqual([]);
  }
  await page.getByRole('tab', { name: 'API console' }).click();
  expect(await seriousViolations(page), 'API console').toEqual([]);
  await page.getByRole('button', { name: 'Show as a table' }).click();
  expect(await seriousViolations(page), 'table view').toEqual([]);
  await page.getByRole('button', { name: 'Show as a picture' }).click();
  await page.locator('.block', { hasText: '#2' }).click();
  expect(await seriousViolations(page), 'block inspector').toEqual([]);

  await page.getByLabel('Language').selectOption('fr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  expect(await seriousViolations(page), 'in French').toEqual([]);
});

test('no serious or critical axe violations in the network view, charts, timeline and projector mode', async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Skip the tour' }).click();
  await call(page, 'GET', '/node/n1/mine');
  await call(page, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
  await call(page, 'GET', '/node/n2/mine');
  const network = page.getByRole('region', { name: 'The network', exact: true });
  await expect(network.getByText(/Split into 2 groups/)).toBeVisible();
  expect(await seriousViolations(page), 'network view, split').toEqual([]);
  await network.getByRole('button', { name: 'Show the network as a table' }).click();
  expect(await seriousViolations(page), 'network view as tables').toEqual([]);

  await page.getByRole('tab', { name: 'Charts' }).click();
  await expect(page.locator('figure')).toHaveCount(4);
  expect(await seriousViolations(page), 'charts').toEqual([]);
  await page.getByRole('button', { name: 'Show as tables' }).click();
  expect(await seriousViolations(page), 'charts as tables').toEqual([]);

  const scrubber = page.getByRole('slider', { name: 'Moment in the run' });
  await scrubber.focus();
  await page.keyboard.press('Home');
  await expect(page.getByText(/^Paused in this run/)).toBeVisible();
  expect(await seriousViolations(page), 'timeline, replaying').toEqual([]);
  await page.getByRole('button', { name: 'Live', exact: true }).click();

  await page.getByRole('button', { name: 'Projector mode' }).click();
  await expect(page.locator('html')).toHaveClass(/projector/);
  expect(await seriousViolations(page), 'projector mode').toEqual([]);
  await page.getByLabel('Language').selectOption('fr');
  expect(await seriousViolations(page), 'projector mode, in French').toEqual([]);
  // Every landmark is unique (axe's best-practice landmark rules, any impact), in both modes.
  expect(await landmarkViolations(page), 'landmarks, projector mode').toEqual([]);
  await page.getByRole('button', { name: 'Mode projecteur' }).click();
  expect(await landmarkViolations(page), 'landmarks').toEqual([]);
});

test('no serious or critical axe violations in the Experiments view', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Skip the tour' }).click();
  await page.getByRole('button', { name: 'Experiments' }).click();
  await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();
  expect(await seriousViolations(page), 'experiments, before a run').toEqual([]);

  await page.getByRole('textbox', { name: /^z / }).fill('0,1');
  await page.getByRole('textbox', { name: 'Runs per point' }).fill('20');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Done: 2 points measured.');
  expect(await seriousViolations(page), 'experiments, with a result').toEqual([]);

  await page.getByRole('textbox', { name: /^q / }).fill('0.7');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('textbox', { name: /^q / })).toHaveAttribute('aria-invalid', 'true');
  expect(await seriousViolations(page), 'experiments, a field refused').toEqual([]);

  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { name: 'Expériences' })).toBeVisible();
  expect(await seriousViolations(page), 'experiments, in French').toEqual([]);

  await page.getByLabel('Expérience', { exact: true }).selectOption('selfish-mining');
  expect(await seriousViolations(page), 'selfish mining, in French').toEqual([]);
});
