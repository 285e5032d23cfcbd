import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.ts';
import { E2E_ROOM_ORIGINS } from './scripts/csp.ts';

/** Port of the preview server; set CHAINLAB_E2E_PORT to run beside another checkout's tests. */
const PORT = Number(process.env.CHAINLAB_E2E_PORT ?? 4173);

/**
 * End-to-end tests in Debian's Chromium against the built site served by `vite preview`. No
 * browser is downloaded: CI installs the `chromium` package.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    // Served from a sub-path, as on GitHub Pages or behind a reverse proxy.
    baseURL: `http://localhost:${PORT}/chainlab/`,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  webServer: {
    command: `npm run build && npm run preview -- --port ${PORT} --strictPort --base /chainlab/`,
    url: `http://localhost:${PORT}/chainlab/`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The classroom tests' rooms (scripts/csp.ts): added to the production policy's connect-src.
    env: { CHAINLAB_ROOM_ORIGINS: E2E_ROOM_ORIGINS.join(' ') },
  },
});
