/**
 * The simulator used as a learner would: by clicking. The route table is used only to check
 * what the screen says, never to act.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import {
  call,
  converged,
  nodeControls,
  nodes,
  openApp,
  screenshot,
  waitForNodes,
} from './helpers.ts';

/** Close the first-visit tour if it is showing, as a returning visitor would. */
async function skipTour(page: Page): Promise<void> {
  const skip = page.getByRole('button', { name: 'Skip the tour' });
  if (await skip.isVisible().catch(() => false)) await skip.click();
}

/** Reset through the Settings tab. */
async function resetByClicking(
  page: Page,
  choose: { gossip?: 'Automatic' | 'Manual'; peers?: 'all' | 'none'; rule?: string } = {},
): Promise<void> {
  await page.getByRole('tab', { name: 'Simulation settings' }).click();
  if (choose.gossip) await page.getByLabel(choose.gossip, { exact: true }).check();
  if (choose.rule) await page.getByLabel(choose.rule, { exact: true }).check();
  if (choose.peers === 'none') {
    await page.getByLabel('No peers: register them yourself, as in the tutorial').check();
  }
  await page.getByRole('button', { name: 'Reset the simulation' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset the simulation' }).click();
  await waitForNodes(page, 'a fresh simulation', (rows) => rows.every((r) => r.height === 1));
}

test.describe('the simulator, by clicking', () => {
  test("the tutorial's walkthrough: pay, mine, read the chain, register, resolve", async ({
    page,
  }) => {
    await openApp(page);
    await skipTour(page);
    await resetByClicking(page, { gossip: 'Manual', peers: 'none' });

    // Step 1 — a payment before any coins exist is refused in plain words.
    await page.getByRole('tab', { name: 'Wallet' }).click();
    await page.getByLabel('Amount').fill('1');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByText(/has 0/).first()).toBeVisible();

    // Step 2 — mine: block 2 appears, paying n1 its reward.
    await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
    await expect(page.locator('.block', { hasText: '#2' })).toBeVisible();
    await page.getByLabel('Amount').fill('1');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByText(/will be added to block 3/i)).toBeVisible();
    await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();

    // Step 3 — read the chain: the inspector shows the block and its two transactions.
    await page.locator('.block', { hasText: '#3' }).click();
    await expect(page.getByRole('heading', { name: 'Block 3' })).toBeVisible();
    await expect(page.getByText('Transactions (2)')).toBeVisible();
    await screenshot(page, 'walkthrough-inspector');
    await page.getByRole('button', { name: 'Close' }).click();

    // Step 4 — n2 knows nothing until it registers n1 and resolves.
    expect((await nodes(page)).find((n) => n.id === 'n2')?.height).toBe(1);
    await page.getByRole('tab', { name: 'Network' }).click();
    await page.getByRole('button', { name: 'Register peers: n2 → n1' }).click();
    await expect(page.getByLabel('n2 → n1')).toBeVisible();
    await (
      await nodeControls(page, 'n2')
    )
      .getByRole('button', { name: 'Resolve conflicts' })
      .click();
    await waitForNodes(page, 'n2 adopted n1 chain', (rows) => rows[1]?.height === 3);
    await page.getByRole('tab', { name: 'Nodes', exact: true }).click();
    await expect(page.locator('tr[data-node="n2"] td').first()).toHaveText('3');
    await screenshot(page, 'walkthrough');
  });

  test('a fork and its resolution: split, mine on both sides, heal, every marker on one branch', async ({
    page,
  }) => {
    await openApp(page);
    await skipTour(page);
    await resetByClicking(page);
    await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
    await waitForNodes(page, 'block 2 everywhere', (rows) => rows.every((r) => r.height === 2));

    await page.getByRole('tab', { name: 'Network' }).click();
    for (const id of ['n2', 'n3']) {
      await page.locator(`input[name="group-${id}"]`).nth(1).check();
    }
    await page.getByRole('button', { name: 'Split into partitions' }).click();
    await expect(page.getByText('The network is split into 2 groups.')).toBeVisible();

    await (await nodeControls(page, 'n1')).getByRole('button', { name: 'Mine one block' }).click();
    for (let i = 0; i < 2; i++) {
      await (
        await nodeControls(page, 'n2')
      )
        .getByRole('button', { name: 'Mine one block' })
        .click();
    }
    await waitForNodes(page, 'two branches', (rows) => rows[0]?.tip !== rows[1]?.tip);
    // Two blocks at height 3, on different lanes: the tree shows the fork.
    await expect(page.locator('.block', { hasText: '#3' })).toHaveCount(2);
    await screenshot(page, 'fork');

    await page.getByRole('button', { name: 'Heal the network' }).click();
    await expect(page.getByText('The network is whole.', { exact: true })).toBeVisible();
    const rows = await waitForNodes(page, 'all on the heavier branch', converged);
    expect(rows.every((r) => r.height === 4)).toBe(true);
    // n1's block 3 is still drawn, now faded as an abandoned branch.
    await expect(page.locator('.block.stale', { hasText: '#3' })).toHaveCount(1);
    await expect(page.getByText(/switched to/).first()).toBeVisible();
    await screenshot(page, 'fork-resolved');
  });

  test('longest chain and most work pick different winners', async ({ page }) => {
    await openApp(page);
    await skipTour(page);
    // Quick blocks so retargeting matters: a side that mines fast gets 4× harder blocks after
    // block 20, a side that mines slowly gets easier ones.
    for (const rule of ['most-work', 'longest'] as const) {
      await call(page, 'POST', '/sim/reset', {
        nodes: 2,
        difficulty_bits: 6,
        block_time_ms: 100,
        fork_choice: rule,
      });
      await call(page, 'POST', '/sim/network/partition', { groups: [['n1'], ['n2']] });
      // n1: blocks 2–22 back to back, so blocks 21 and 22 come out about 4× harder.
      for (let i = 0; i < 21; i++) await call(page, 'GET', '/node/n1/mine');
      // n2: blocks 11–20 spaced 450 ms apart (4× the 100 ms target), so blocks 21–30 are 4×
      // easier: a longer chain with less work.
      for (let i = 0; i < 29; i++) {
        await call(page, 'GET', '/node/n2/mine');
        if (i >= 9 && i < 18) await page.waitForTimeout(450);
      }
      const [a, b] = await nodes(page);
      const wa = await call(page, 'GET', `/node/n1/blocks/${a?.tip ?? ''}`);
      const wb = await call(page, 'GET', `/node/n2/blocks/${b?.tip ?? ''}`);
      expect(Number(wa.difficulty)).toBeGreaterThan(Number(wb.difficulty));
      await call(page, 'POST', '/sim/network/heal');
      const settled = await waitForNodes(page, `nodes agree under ${rule}`, converged);
      const winner = settled[0]?.tip;
      if (rule === 'most-work') expect(winner).toBe(a?.tip);
      else expect(winner).toBe(b?.tip);
      await screenshot(page, `rule-${rule}`);
    }
  });
});
