/**
 * Story helpers for the browser scenarios: every action goes through `window.chainlab`, exactly
 * as a script in the console would.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** A route-table answer. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Open the app and wait for its simulation. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await page.evaluate(() => window.chainlab.ready);
}

/** Call the route table in the page. */
export async function request(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await window.chainlab.request(m, p, b);
      return { status: r.status, body: r.body as Record<string, unknown> };
    },
    [method, path, body] as const,
  );
}

/** Call and expect a status. */
export async function call(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  status = 200,
): Promise<Record<string, unknown>> {
  const r = await request(page, method, path, body);
  expect(r.status, `${method} ${path} → ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

/** One node as GET /sim/nodes lists it. */
export interface NodeRow {
  readonly id: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
  readonly peers: readonly string[];
  readonly mining: boolean;
}

/** Every node's summary. */
export async function nodes(page: Page): Promise<NodeRow[]> {
  return (await call(page, 'GET', '/sim/nodes')).nodes as NodeRow[];
}

/** Tips by node id. */
export async function tips(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries((await nodes(page)).map((n) => [n.id, n.tip]));
}

/** Wait until `check` holds for the node list (a wait with a limit, not a timing assertion). */
export async function waitForNodes(
  page: Page,
  what: string,
  check: (rows: NodeRow[]) => boolean,
  timeoutMs = 90_000,
): Promise<NodeRow[]> {
  let rows: NodeRow[] = [];
  await expect
    .poll(
      async () => {
        rows = await nodes(page);
        return check(rows);
      },
      { message: what, timeout: timeoutMs, intervals: [250] },
    )
    .toBe(true);
  return rows;
}

/** Do all listed nodes share one tip? */
export function converged(rows: readonly NodeRow[]): boolean {
  return new Set(rows.map((r) => r.tip)).size === 1;
}

/** Save a screenshot for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let the page's next poll and the marker animations finish, so the picture shows the state.
  await page.waitForTimeout(1_200);
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

/**
 * Stop all mining and let the network agree. Two tips of equal work can both stay best (each
 * node keeps the one it saw first, as in Bitcoin) until someone finds the next block, so if the
 * nodes still disagree once quiet, one more block from `tieBreaker` settles it.
 */
export async function settle(page: Page, tieBreaker = 'n2'): Promise<NodeRow[]> {
  for (const n of await nodes(page)) {
    if (n.mining) await call(page, 'POST', `/node/${n.id}/mining`, { enabled: false });
  }
  try {
    return await waitForNodes(page, 'the network agrees', converged, 8_000);
  } catch {
    await call(page, 'GET', `/node/${tieBreaker}/mine`);
    return waitForNodes(page, 'the network agrees after one more block', converged);
  }
}

/**
 * A node's controls, as a learner reaches them: pick the node in the network view (always on
 * screen, whatever tab the side panel shows); its controls sit just below.
 */
export async function nodeControls(page: Page, id: string): Promise<Locator> {
  await page
    .getByRole('region', { name: 'The network', exact: true })
    .getByRole('button', { name: `${id}, select this node`, exact: true })
    .click();
  const controls = page.getByRole('region', { name: `Node ${id}`, exact: true });
  await expect(controls).toBeVisible();
  return controls;
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}
