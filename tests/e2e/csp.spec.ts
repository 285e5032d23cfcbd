/**
 * The built site runs under the production headers (deploy/headers.json): the page, its workers,
 * IndexedDB and the tree all work with the Content-Security-Policy in force, and nothing the page
 * does is blocked by it.
 */
import { expect, test } from '@playwright/test';
import headers from '../../deploy/headers.json' with { type: 'json' };
import { call, openApp } from './helpers.ts';

test('the production CSP is served and nothing violates it', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto('./');
  expect(response?.headers()['content-security-policy']).toBe(
    headers.security['Content-Security-Policy'],
  );
  expect(response?.headers()['cache-control']).toBe(headers.cache.html);
  await openApp(page);
  await page.getByRole('button', { name: 'Skip the tour' }).click();
  await call(page, 'GET', '/node/n1/mine');
  await page.locator('.block', { hasText: '#2' }).click();
  await page.getByRole('tab', { name: 'API console' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: 'Network' }).click();
  const violations = await page.evaluate(
    () => (window as unknown as { cspViolations: string[] }).cspViolations,
  );
  expect(violations).toEqual([]);
});
