import { expect, test } from '@playwright/test';

test('the page starts three worker nodes and mines through window.chainlab', async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => window.chainlab.ready);
  const nodes = await page.evaluate(() => window.chainlab.request('GET', '/sim/nodes'));
  expect(nodes.status).toBe(200);
  const mined = await page.evaluate(() => window.chainlab.request('GET', '/node/n1/mine'));
  expect(mined.status).toBe(200);
  expect((mined.body as { index: number }).index).toBe(2);
  await expect(page.locator('tr[data-node="n2"] td.num').first()).toHaveText('2');
  await page.screenshot({ path: 'test-results/screenshots/smoke.png' });
});
