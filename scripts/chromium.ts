/**
 * The one Chromium every browser run uses (Playwright tests and the browser bench): Debian's
 * package, or CHROMIUM_PATH. Nothing downloads a browser. The flags keep a headless, sandboxless
 * root run quiet on a machine without network access.
 */

/** Path of the Chromium binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
