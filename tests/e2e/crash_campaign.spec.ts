import { expect, test } from '@playwright/test';
import { runCrashCampaign } from '../../scripts/crash-campaign.ts';
import { openApp } from './helpers.ts';

/**
 * The crash campaign of `npm run crash-campaign`, shortened: ten workers killed mid-write while
 * four nodes mine and pay each other. What a restarted node must show is data, not timing: a valid
 * chain from genesis, every block it had acknowledged, balances equal to a replay, and in the end
 * one tip for the whole network.
 */
test('ten workers killed mid-write come back with every acknowledged block', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  const result = await runCrashCampaign(page, { kills: 10, seed: 7 });
  expect(result.problems).toEqual([]);
  expect(result.kills).toBe(10);
  expect(result.recovered).toBe(result.kills);
  expect(result.lost_acknowledged_blocks).toBe(0);
  expect(result.failed_restarts).toBe(0);
  expect(result.invalid_chains).toBe(0);
  expect(result.balance_mismatches).toBe(0);
  expect(result.storage_skipped).toBe(0);
  // The checks had something to check: each restarted node had acknowledged blocks.
  expect(result.acknowledged_checked).toBeGreaterThanOrEqual(result.kills);
  expect(result.converged).toBe(true);
  expect(result.final_checks_pass).toBe(true);
  // Payments never throw out of the route table, even to a node restarting under them.
  expect(
    Object.keys(result.payment_answers).every((s) =>
      ['201', '400', '409', '429', '503'].includes(s),
    ),
  ).toBe(true);
});
