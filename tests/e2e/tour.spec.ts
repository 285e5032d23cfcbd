/**
 * A newcomer with the tour alone: each step's "Try it" is done exactly as it reads, and by the
 * end the visitor has mined, paid, asked a node through the API console, made a fork and watched
 * it resolve.
 */
import { expect, test } from '@playwright/test';
import { converged, nodeControls, openApp, screenshot, waitForNodes } from './helpers.ts';

test('following the tour: mine, pay, ask the API, fork and resolve', async ({ page }) => {
  await openApp(page);
  const tour = page.getByRole('dialog');
  await expect(tour).toContainText('A chain of blocks');
  await screenshot(page, 'tour-first-visit');

  // Step 1: click block #1, the genesis block.
  await page.locator('.block', { hasText: '#1' }).click();
  await expect(page.getByRole('heading', { name: 'Block 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await tour.getByRole('button', { name: 'Next' }).click();

  // Step 2: mine one block on n1.
  await expect(tour).toContainText('Mining');
  await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
  await expect(page.locator('.block', { hasText: '#2' })).toBeVisible();
  await tour.getByRole('button', { name: 'Next' }).click();

  // Step 3: pay n2 from the wallet, mine again, then ask n2 through the API console.
  await expect(tour).toContainText('API');
  await page.getByRole('tab', { name: 'Wallet' }).click();
  await page.getByLabel('Amount').fill('1');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText(/will be added to block 3/i)).toBeVisible();
  await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
  await waitForNodes(page, 'block 3 everywhere', (rows) => rows.every((r) => r.height === 3));
  await page.getByRole('tab', { name: 'API console' }).click();
  await page.getByLabel('Route').selectOption({ label: 'GET /node/:id/wallet' });
  await page.getByLabel('Node (:id)').fill('n2');
  await page.getByRole('button', { name: 'Send', exact: true }).last().click();
  await expect(page.locator('pre.response')).toContainText('"balance": 1');
  await tour.getByRole('button', { name: 'Next' }).click();

  // Step 4: split n1 from the others, mine on both sides, heal, watch every marker meet.
  await expect(tour).toContainText('Agreeing on one chain');
  await page.getByRole('tab', { name: 'Network' }).click();
  for (const id of ['n2', 'n3']) await page.locator(`input[name="group-${id}"]`).nth(1).check();
  await page.getByRole('button', { name: 'Split into partitions' }).click();
  await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
  const n2 = await nodeControls(page, 'n2');
  await n2.getByRole('button', { name: 'Mine one block' }).click();
  await n2.getByRole('button', { name: 'Mine one block' }).click();
  await waitForNodes(page, 'two branches', (rows) => rows[0]?.tip !== rows[1]?.tip);
  await page.getByRole('button', { name: 'Heal the network' }).click();
  const rows = await waitForNodes(page, 'one chain again', converged);
  expect(rows.every((r) => r.height === 5)).toBe(true);
  await tour.getByRole('button', { name: 'Finish' }).click();
  await expect(tour).toBeHidden();
  await screenshot(page, 'tour-done');
});
