/**
 * "Play it live": one double-spend race on the simulator's own worker nodes, told step by step
 * beside the event log while the block tree shows the attacker's private branch.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers.ts';

test.use({ viewport: { width: 1440, height: 900 } });
// Real proof of work at a pace a class can follow: a live run takes a while.
test.describe.configure({ timeout: 180_000 });

test('a double-spend race played live on the workers, from the Experiments view', async ({
  page,
}) => {
  await openApp(page);
  const skip = page.getByRole('button', { name: 'Skip the tour' });
  if (await skip.isVisible().catch(() => false)) await skip.click();
  await page.getByRole('button', { name: 'Experiments' }).click();
  // A weak attacker: the race ends within a few blocks (it gives up once it is 4 behind).
  await page.getByRole('textbox', { name: /^q / }).fill('0.1');
  await page.getByRole('textbox', { name: /^z / }).fill('1');
  await page.getByLabel(/^win /).selectOption('overtake');
  await page.getByRole('button', { name: /^Play one race live/ }).click();

  // The simulator view comes back, with the race panel above the event log.
  const panel = page.getByRole('region', { name: 'Live double-spend race' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('attacker share 10%, 1 confirmations, overtake');
  await expect(panel).toContainText('The network is reset to two nodes');
  await expect(panel).toContainText('n2 signs a payment of its coin to n1');
  await expect(panel).toContainText('Both mine: the attacker with 10% of the hash rate');
  // The race ends one way or the other, and says so.
  await expect(panel).toContainText(/gives up|switched to the attacker's branch|kept its chain/, {
    timeout: 120_000,
  });
  await expect(panel.getByRole('button', { name: 'Close' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/live-race.png' });
  // The panel, its story and its buttons pass axe like the rest of the page.
  const axe = await new AxeBuilder({ page }).include('section.live').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
    [],
  );
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
});

test('a selfish pool played live: it withholds, reveals, and can be stopped', async ({ page }) => {
  await openApp(page);
  const skip = page.getByRole('button', { name: 'Skip the tour' });
  if (await skip.isVisible().catch(() => false)) await skip.click();
  await page.getByRole('button', { name: 'Experiments' }).click();
  await page.getByLabel('Experiment', { exact: true }).selectOption('selfish-mining');
  await page.getByRole('textbox', { name: /^alpha / }).fill('0.4');
  await page.getByRole('button', { name: /^Play it live/ }).click();

  const panel = page.getByRole('region', { name: 'Selfish mining, live' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('pool share 40%, 40 blocks');
  await expect(panel).toContainText('n1, the pool, keeps the blocks it mines to itself');
  // The pool's first moves: a secret block, or an honest block it has to follow.
  await expect(panel).toContainText(/keeps it secret|mines on the public chain|the two race/, {
    timeout: 90_000,
  });
  await page.screenshot({ path: 'test-results/screenshots/live-selfish.png' });
  await panel.getByRole('button', { name: 'Stop the race' }).click();
  await expect(panel).toContainText('Stopped. The nodes keep what they have.');
  await expect(panel.getByRole('button', { name: 'Close' })).toBeVisible();
});
