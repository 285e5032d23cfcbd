/**
 * The tamper lab, as a learner uses it: open a mined block with a payment, edit a copy (a bad value
 * gets a message by the field and changes nothing), see the target missed and the later links
 * broken, re-mine the block, offer the copy to a peer and read its refusal, with its reason, in the
 * lab and in the event log. The network's chain is untouched throughout. The route table only
 * sets the stage (blocks, a payment) and checks the chain afterwards.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { call, converged, nodes, openApp, waitForNodes } from './helpers.ts';

/** The lab's rows are long: a taller window shows the whole story in one picture. */
test.use({ viewport: { width: 1280, height: 1100 } });

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

test('tamper lab: edit a copy, see it break, re-mine it, and a peer refuses it', async ({
  page,
}) => {
  await openApp(page);
  const skip = page.getByRole('button', { name: 'Skip the tour' });
  if (await skip.isVisible().catch(() => false)) await skip.click();

  // The stage: block 4 holds a payment from n1 to n2, and two blocks follow it.
  await call(page, 'GET', '/node/n1/mine');
  await call(page, 'GET', '/node/n1/mine');
  await call(
    page,
    'POST',
    '/node/n1/transactions/new',
    { recipient: 'n2', amount: 1, fee: 1 },
    201,
  );
  for (let i = 0; i < 3; i++) await call(page, 'GET', '/node/n1/mine');
  const before = await waitForNodes(
    page,
    'every node at block 6',
    (rows) => converged(rows) && rows.every((r) => r.height === 6),
  );

  await page.locator('.block', { hasText: '#4' }).click();
  await expect(page.getByRole('heading', { name: 'Block 4' })).toBeVisible();

  // By keyboard: open the lab, choose the amount, type a value the rules forbid.
  await page.getByRole('button', { name: 'Edit a copy' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Payment')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('What to change')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('New value')).toBeFocused();
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await expect(page.getByText('The amount must be at least 1 coin.')).toBeVisible();
  await expect(page.getByLabel('New value')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('New value')).toBeFocused();
  await expect(page.getByRole('heading', { name: /Your copy/ })).toHaveCount(0);

  await page.getByLabel('New value').fill('500');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your copy: block 4 to block 6' })).toBeFocused();
  const rows = page.locator('.rows > li');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('Target missed');
  await expect(rows.nth(0)).toContainText('Signature broken');
  await expect(rows.nth(1)).toContainText('Link broken: it names the original block 4');
  await expect(rows.nth(2)).toContainText('Link broken: the chain is already cut before it');
  expect(await seriousViolations(page), 'the copy, checked').toEqual([]);

  await page.getByRole('button', { name: 'Re-mine this block' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Block 4 re-mined after' }),
  ).toContainText('but block 5 still names its old hash');
  await expect(rows.nth(0)).toContainText('Target met');
  await expect(rows.nth(0)).toContainText('Signature broken');
  await expect(rows.nth(1)).toContainText('Link broken: it names the original block 4');

  await page.getByLabel('Peer', { exact: true }).selectOption('n2');
  await page.getByRole('button', { name: 'Offer it to a peer' }).click();
  const why = 'the signature does not match the sender, so the payment was forged or altered';
  await expect(page.getByText(`n2 refused block 4: ${why}.`)).toBeVisible();
  await expect(page.getByText(`n2 rejected a block: ${why}`)).toBeVisible();

  // The network's chain is as it was: same tips, and block 4 still pays 1 coin.
  expect((await nodes(page)).map((n) => n.tip)).toEqual(before.map((n) => n.tip));
  const chain = (await call(page, 'GET', '/node/n2/chain')).chain as {
    index: number;
    transactions: { amount: number }[];
  }[];
  expect(chain.find((b) => b.index === 4)?.transactions[1]?.amount).toBe(1);

  await page.getByRole('button', { name: 'Discard copy' }).scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await page.screenshot({ path: 'test-results/tamper.png' });

  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { name: 'Atelier de falsification' })).toBeVisible();
  expect(await seriousViolations(page), 'in French').toEqual([]);
});
