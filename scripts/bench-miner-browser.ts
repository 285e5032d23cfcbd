/**
 * One worker's hashing rate in Chromium: the kernel its node mines with, timed in its Web Worker
 * through `window.chainlab.measure`.
 *
 * Run alone: npx tsx scripts/bench-miner-browser.ts
 * It builds and serves the site (./site.ts, on 127.0.0.1:4175) and measures twice: under the
 * production headers, where the worker picks its kernel (src/runtime/pow-wasm.ts), and with
 * 'wasm-unsafe-eval' removed from the Content-Security-Policy, where WebAssembly cannot compile
 * and the worker mines with the JavaScript kernel. It prints both rates and the worker's own log
 * line about its choice.
 */
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { call, withBuiltSite } from './site.ts';

/** Where the built site is served when this script runs alone. */
const PORT = 4175;
/** Measurements of about a second each; the best counts. */
const SAMPLES = 5;

/**
 * Hashes per second of one worker's kernel, on a page of the built site where `window.chainlab`
 * is ready: `window.chainlab.measure` in a one-node simulation, which times about a second of
 * hashing with the kernel the worker mines with (src/runtime/measure.ts), pauses excluded. The
 * best of SAMPLES runs: other load on the machine only lowers a reading.
 */
export async function benchChromiumMiner(page: Page): Promise<{ hps: number; kernel: string }> {
  await call(page, 'POST', '/sim/reset', { nodes: 1, peers: 'none' });
  let best = { hps: 0, kernel: '' };
  for (let i = 0; i < SAMPLES; i++) {
    const measured = await page.evaluate(() => window.chainlab.measure('n1', 256));
    if (!measured) throw new Error('n1 did not measure');
    if (measured.miner.per_second > best.hps) {
      best = { hps: measured.miner.per_second, kernel: measured.miner.kernel };
    }
  }
  return best;
}

/**
 * Open the site in a fresh context, optionally with 'wasm-unsafe-eval' taken out of the policy of
 * every response, measure, and return the rate with the workers' kernel log lines.
 */
async function measure(
  open: () => Promise<Page>,
  origin: string,
  withoutWasm: boolean,
): Promise<{ hps: number; log: string[] }> {
  const page = await open();
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.text().startsWith('proof-of-work kernel:')) log.push(m.text());
  });
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.text().startsWith('proof-of-work kernel:')) log.push(m.text());
    });
  });
  if (withoutWasm) {
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      const csp = headers['content-security-policy'];
      if (csp) headers['content-security-policy'] = csp.replace(" 'wasm-unsafe-eval'", '');
      await route.fulfill({ response, headers });
    });
  }
  try {
    // tsx compiles this file with esbuild's keepNames, which wraps named functions in
    // `__name(...)`; functions sent to the page need that helper there too.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(origin);
    await page.evaluate(() => window.chainlab.ready);
    const { hps } = await benchChromiumMiner(page);
    return { hps, log: [...new Set(log)] };
  } finally {
    await page.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mega = (hps: number): string => `${(hps / 1e6).toFixed(2)} MH/s`;
  await withBuiltSite(PORT, async (browser, origin) => {
    const open = async (): Promise<Page> => (await browser.newContext()).newPage();
    const chosen = await measure(open, origin, false);
    const js = await measure(open, origin, true);
    console.log(`one worker, kernel as chosen:        ${mega(chosen.hps)}`);
    for (const line of chosen.log) console.log(`  worker: ${line}`);
    console.log(`one worker, no 'wasm-unsafe-eval':   ${mega(js.hps)}`);
    for (const line of js.log) console.log(`  worker: ${line}`);
  });
}
