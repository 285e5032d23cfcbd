/**
 * One worker's mining rate in Chromium: a one-node simulation on the built site, the node mining
 * alone in its Web Worker through its ordinary loop (slices, pauses, IndexedDB), read from the
 * page's node table as a learner sees it.
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
import { cpuSharePerWorker } from '../src/app/sim/cpu-share.ts';
import { call, withBuiltSite } from './site.ts';

/** Where the built site is served when this script runs alone. */
const PORT = 4175;
/** Mining before the clock starts: the kernel choice (~0.2 s) and the JIT tiers settle. */
const WARM_UP_MS = 4_000;
/** Samples of the node table, one every SAMPLE_EVERY_MS. */
const SAMPLES = 16;
const SAMPLE_EVERY_MS = 500;
/** 2^32 hashes a block on average: at ~20 MH/s about one in three minutes, so the node rarely
 * stops to build a block while it is timed. The route table's highest difficulty. */
const DIFFICULTY_BITS = 32;

/**
 * Steady hashes per second of one worker while it hashes, on a page of the built site where
 * `window.chainlab` is ready. Resets the simulation to one node, mines on it, reads the node
 * table's kH/s for n1 (its worker counts hashes over the last two seconds) and keeps the best of
 * SAMPLES readings: each is already a two-second mean, and other load on the machine only lowers
 * them (on the shared 2-core machine the median fell to half the best while others ran tests). The page lets a lone miner hash only part of the time on a machine of few
 * cores (src/app/sim/cpu-share.ts: 0.75 on 2 cores); the reading is divided by that share, so the
 * figure is the kernel's rate in its worker, comparable across machines. Stops mining afterwards.
 */
export async function benchChromiumMiner(page: Page): Promise<number> {
  await call(page, 'POST', '/sim/reset', {
    nodes: 1,
    difficulty_bits: DIFFICULTY_BITS,
    peers: 'none',
  });
  await call(page, 'POST', '/node/n1/mining', { enabled: true, hashrate: 1 });
  try {
    await page.waitForTimeout(WARM_UP_MS);
    const readings: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const kiloHashes = await page.evaluate(() => {
        const heads = [...document.querySelectorAll('section.nodes thead th')];
        const column = heads.findIndex((th) => th.textContent.trim().startsWith('kH/s'));
        const row = document.querySelector('section.nodes tbody tr[data-node="n1"]');
        const cell = row?.children[column];
        return column < 0 || !cell ? Number.NaN : Number(cell.textContent.trim());
      });
      if (!Number.isFinite(kiloHashes)) throw new Error("no kH/s for n1 in the page's node table");
      readings.push(kiloHashes * 1000);
      await page.waitForTimeout(SAMPLE_EVERY_MS);
    }
    const best = Math.max(...readings);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency || 2);
    return Math.round(best / cpuSharePerWorker(cores, 1));
  } finally {
    await call(page, 'POST', '/node/n1/mining', { enabled: false });
  }
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
    const hps = await benchChromiumMiner(page);
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
