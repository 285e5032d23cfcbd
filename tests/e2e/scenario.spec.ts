/**
 * A consensus scenario scripted through `window.chainlab`, exactly as the README shows it: a
 * template for writing your own.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

/** Call the route table inside the page, as a script in the browser console would. */
async function api(page: Page, method: string, path: string, body?: unknown) {
  const answer = await page.evaluate(([m, p, b]) => window.chainlab.request(m, p, b), [
    method,
    path,
    body,
  ] as const);
  expect(answer.status, `${method} ${path}`).toBeLessThan(300);
  return answer.body as Record<string, unknown>;
}

test('a partition forks the chain; once healed, the branch with more work wins', async ({
  page,
}) => {
  await page.goto('./');
  await page.evaluate(() => window.chainlab.ready);
  await api(page, 'POST', '/sim/reset', { nodes: 3, difficulty_bits: 8 });

  // Split the network: n1 alone, n2 with n3. Each side mines its own branch.
  await api(page, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] });
  await api(page, 'GET', '/node/n1/mine');
  await api(page, 'GET', '/node/n2/mine');
  await api(page, 'GET', '/node/n2/mine');

  // Heal: the nodes exchange tips and every node ends on n2's longer branch.
  await api(page, 'POST', '/sim/network/heal');
  const tips = async () => {
    const { nodes } = (await api(page, 'GET', '/sim/nodes')) as { nodes: { tip: string }[] };
    return new Set(nodes.map((n) => n.tip)).size;
  };
  await expect.poll(tips).toBe(1);

  // n1 dropped its own block and adopted the two it lacked: a reorg.
  const events = await page.evaluate(() => window.chainlab.takeEvents('n1'));
  const reorg = events.find((e) => e.kind === 'tip-changed' && e.dropped > 0);
  expect(reorg).toMatchObject({ dropped: 1, adopted: 2, height: 3 });
  // The page's event log tells the same story in plain words.
  await expect(page.getByText(/^n1 switched to .*dropped 1 block, adopted 2/)).toBeVisible();
});
