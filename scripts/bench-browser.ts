/**
 * Browser measurements for `npm run bench`: the built site in Debian's Chromium (through
 * Playwright), every node in its own Web Worker with its chain in IndexedDB, driven through
 * `window.chainlab` as a console script would.
 *
 *   - blocks persisted per second: pre-mined blocks delivered to one worker node over its
 *     BroadcastChannel inbox, decoded, fully validated and committed in IndexedDB in the node's
 *     batches (no mining in the loop);
 *   - restoring 8 nodes of 2,000 blocks each on a page reload;
 *   - how long a route-table call takes while three workers mine;
 *   - the page's frame times while the 8 restored nodes mine and the tree is panned;
 *   - the same with 20,000 blocks known and the network view drawing the messages in flight;
 *   - the double-spend chart drawn by the Experiments view in its lab worker;
 *   - in one node's worker: signature checks per second and the mining kernel's hashes per
 *     second (`window.chainlab.measure`), and a fresh node catching up 10,000 blocks.
 *
 * The site is built and served by ./site.ts, on 127.0.0.1:4174.
 */
import type { Page } from '@playwright/test';
import type { Block } from '../src/core/block.ts';
import { DEFAULT_RESET, paramsFor } from '../src/api/backend.ts';
import { buildChain } from './bench-chain.ts';
import { benchChromiumMiner } from './bench-miner-browser.ts';
import { call, withBuiltSite } from './site.ts';

/** The browser measurements, as `npm run bench -- --json` reports them. */
export interface BrowserBench {
  blocks_persisted_per_s: number;
  restore_8x2000_ms: number;
  call_latency_while_mining_ms: { median: number; p95: number; max: number };
  /** Intervals between animation frames while 8 nodes of 2,000 blocks mine and the tree pans. */
  frame_ms: { median: number; p95: number; max: number };
  /** Animation frames measured (about 60 per second when none is late). */
  frames: number;
  /** Blocks the 8 nodes mined during the frame measurement (the tree grew by as many). */
  blocks_mined_during_frames: number;
  /** Restoring 8 nodes of 20,000 blocks on a reload (the start of the next measurement). */
  restore_8x20000_ms: number;
  /**
   * Intervals between animation frames while 8 nodes mine with 20,000 blocks known, the tree
   * pans and the network view draws the messages in flight.
   */
  frame_20k_network_ms: { median: number; p95: number; max: number };
  frames_20k_network: number;
  /** Of those frames, how many came later than one and a half 60 Hz beats (25 ms). */
  frames_20k_network_late: number;
  /** Messages drawn in flight, counted over the frames sampled (the view was really busy). */
  network_messages_drawn: number;
  /**
   * The Experiments view drawing the whitepaper's chart (q = 0.1, z = 0 to 5, 10,000 races a
   * point) in its lab worker: from pressing Run to the last point, in seconds.
   */
  chromium_double_spend_6x10000_s: number;
  /** One worker's proof-of-work kernel, hashes per second while hashing. */
  chromium_miner_hps: number;
  /** The kernel that rate is of: 'wasm-simd' when its self-test passed and it was faster. */
  chromium_miner_kernel: string;
  /** Signature checks per second in one worker, through the verifier its node uses. */
  chromium_signature_verifications_per_s: number;
  /** The verifier: 'webcrypto', or 'javascript' where the browser has no Ed25519. */
  chromium_signature_kind: string;
  /** A fresh worker node catching up 10,000 blocks from another by resolve, transfer included. */
  chromium_catchup_10k_ms: number;
}

/** Where the built site is served for the bench. */
const PORT = 4174;

/** Blocks fed to a node for the persistence rate. */
const PERSIST_BLOCKS = 500;
/** Nodes and chain length (genesis included, as GET /sim/nodes counts height) of the restore. */
const RESTORE_NODES = 8;
const RESTORE_HEIGHT = 2_000;
/** The chain length of the large-tree frame measurement. */
const LARGE_HEIGHT = 20_000;
/** The chain a fresh node catches up with (genesis included): 10,000 blocks to fetch. */
const CATCHUP_HEIGHT = 10_001;
/** Signature checks timed in a worker. */
const SIGNATURES = 20_000;
/** How long calls are timed while the nodes mine. */
const LATENCY_SECONDS = 5;
/** How long frames are timed while the restored nodes mine. */
const FRAME_SECONDS = 8;

export { chromiumPath } from './site.ts';

/** Build the site, serve it, and take the four measurements in one Chromium page. */
export async function benchBrowser(): Promise<BrowserBench> {
  return withBuiltSite(PORT, async (browser, origin) => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    try {
      // tsx compiles this file with esbuild's keepNames, which wraps named functions in
      // `__name(...)`; functions sent to the page need that helper there too.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      await page.addInitScript(recordReadyTime);
      await page.goto(origin);
      await page.evaluate(() => window.chainlab.ready);
      const blocksPerSecond = await benchPersist(page);
      const latency = await benchLatency(page);
      const restoreMs = await benchRestore(page, RESTORE_HEIGHT);
      const frames = await benchFrames(page);
      const largeRestoreMs = await benchRestore(page, LARGE_HEIGHT);
      const largeFrames = await benchFrames(page, { network: true });
      const experimentSeconds = await benchExperiment(page);
      const signatures = await benchSignaturesInWorker(page);
      const catchUp = await benchCatchUp(page);
      // Last: it resets the simulation to one node.
      const miner = await benchChromiumMiner(page);
      return {
        blocks_persisted_per_s: Math.round(blocksPerSecond),
        restore_8x2000_ms: Math.round(restoreMs),
        call_latency_while_mining_ms: latency,
        frame_ms: frames.ms,
        frames: frames.count,
        blocks_mined_during_frames: frames.mined,
        restore_8x20000_ms: Math.round(largeRestoreMs),
        frame_20k_network_ms: largeFrames.ms,
        frames_20k_network: largeFrames.count,
        frames_20k_network_late: largeFrames.late,
        network_messages_drawn: largeFrames.messages,
        chromium_double_spend_6x10000_s: Number(experimentSeconds.toFixed(1)),
        chromium_miner_hps: miner.hps,
        chromium_miner_kernel: miner.kernel,
        chromium_signature_verifications_per_s: signatures.perSecond,
        chromium_signature_kind: signatures.kind,
        chromium_catchup_10k_ms: Math.round(catchUp.ms),
      };
    } catch (e) {
      const detail = problems.length > 0 ? `\npage errors:\n  ${problems.join('\n  ')}` : '';
      throw new Error(`browser benchmark failed: ${String(e)}${detail}`, { cause: e });
    }
  });
}

// ---- the measurements ------------------------------------------------------------------------

/**
 * Milliseconds for a fresh worker node to catch up with a peer holding CATCHUP_HEIGHT blocks,
 * by the tutorial's resolve: from the call to its answer, with every block listed, sent over
 * BroadcastChannel, decoded, fully validated and stored in IndexedDB (a few hundred per
 * transaction). The peer's chain is written into its database and loaded by a restart of its
 * worker before the clock starts; network latency is 0. Checks that the newcomer ends on the
 * peer's tip with every block stored.
 */
export async function benchCatchUp(page: Page): Promise<{ ms: number; height: number }> {
  const options = { ...DEFAULT_RESET, nodes: 2, difficultyBits: 1, peers: 'none' as const };
  const chain = buildChain(paramsFor(options), CATCHUP_HEIGHT, 0);
  await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 1, peers: 'none' });
  await call(page, 'PUT', '/sim/network', { latency_ms: 0 });
  await writeChain(page, chain, await nodeDatabase(page, 'n1'));
  await page.evaluate(() => window.chainlab.restartNode('n1'));
  const before = await listNodes(page);
  if (before.find((n) => n.id === 'n1')?.height !== CATCHUP_HEIGHT) {
    throw new Error(`n1 did not restore its ${CATCHUP_HEIGHT} blocks`);
  }
  await call(page, 'POST', '/node/n2/nodes/register', { nodes: ['n1'] });
  const ms = await page.evaluate(async () => {
    const start = performance.now();
    const r = await window.chainlab.request('GET', '/node/n2/nodes/resolve');
    if (r.status !== 200) throw new Error(`resolve answered ${r.status}`);
    return performance.now() - start;
  });
  const after = await listNodes(page);
  const [n1, n2] = ['n1', 'n2'].map((id) => after.find((n) => n.id === id));
  if (!n1 || !n2 || n2.tip !== n1.tip || n2.height !== CATCHUP_HEIGHT) {
    throw new Error(`n2 did not catch up: ${JSON.stringify(after)}`);
  }
  const stored = await countBlocks(page, await nodeDatabase(page, 'n2'));
  if (stored !== CATCHUP_HEIGHT - 1) {
    throw new Error(`n2 stored ${stored} of the ${CATCHUP_HEIGHT - 1} blocks it caught up`);
  }
  return { ms, height: n2.height };
}

/**
 * Signature verifications per second in one node's worker, through the verifier its node uses
 * (WebCrypto's Ed25519 when the browser has it), SIGNATURES distinct payments in batches as a
 * catch-up checks them: `window.chainlab.measure`.
 */
export async function benchSignaturesInWorker(
  page: Page,
): Promise<{ kind: string; perSecond: number }> {
  await call(page, 'POST', '/sim/reset', { nodes: 1, peers: 'none' });
  const measured = await page.evaluate((count) => window.chainlab.measure('n1', count), SIGNATURES);
  if (!measured) throw new Error('n1 did not measure');
  return { kind: measured.signatures.kind, perSecond: measured.signatures.per_second };
}

/**
 * The page's Experiments view, as a learner uses it: the double-spend form set to the
 * whitepaper's chart (q = 0.1, z = 0 to 5) with 10,000 races a point, Run pressed, and the clock
 * stopped when the view says every point is measured. The races run in the lab worker.
 */
async function benchExperiment(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Experiments' }).click();
  await page.getByRole('textbox', { name: /^q / }).fill('0.1');
  await page.getByRole('textbox', { name: /^z / }).fill('0,1,2,3,4,5');
  await page.getByRole('textbox', { name: 'Runs per point' }).fill('10000');
  const started = performance.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: 'Done: 6 points measured.' })
    .waitFor({ timeout: 600_000 });
  return (performance.now() - started) / 1000;
}

/**
 * Blocks per second through a worker node's whole accept-and-persist path. A 2-node simulation at
 * difficulty 1 where n1 has registered n2 and n2 has registered nobody (so n2 stays idle); the page
 * posts PERSIST_BLOCKS pre-mined blocks into n1's BroadcastChannel inbox as if n2 sent them, with
 * network latency 0. Each block is then: delivered over BroadcastChannel, decoded, fully validated
 * (proof of work, Merkle root, coinbase, timestamps) and committed with the blocks that arrived
 * with it, one IndexedDB readwrite transaction per batch (its blocks, the tip). The clock
 * stops when n1 reports the last block and a settings write queued behind it (one more small
 * transaction) has committed. No mining is timed; the node's periodic tip announcement and the
 * page's polling of GET /sim/nodes every 10 ms run alongside.
 */
async function benchPersist(page: Page): Promise<number> {
  const options = { ...DEFAULT_RESET, nodes: 2, difficultyBits: 1, peers: 'none' as const };
  const blocks = buildChain(paramsFor(options), PERSIST_BLOCKS + 1, 0);
  await call(page, 'POST', '/sim/reset', { nodes: 2, difficulty_bits: 1, peers: 'none' });
  await call(page, 'PUT', '/sim/network', { latency_ms: 0 });
  await call(page, 'POST', '/node/n1/nodes/register', { nodes: ['n2'] });
  const database = await nodeDatabase(page, 'n1');
  const namespace = database.slice(0, -'/n1'.length);
  const ms = await page.evaluate(
    async ({ namespace, blocks, height }) => {
      const bytes = blocks.map((b) => new Uint8Array(b));
      const inbox = new BroadcastChannel(`${namespace}/node/n1`);
      const start = performance.now();
      try {
        for (const b of bytes) {
          inbox.postMessage({ from: 'n2', to: 'n1', message: { type: 'block', bytes: b } });
        }
        for (;;) {
          const r = await window.chainlab.request('GET', '/sim/nodes');
          const rows = (r.body as { nodes: { id: string; height: number }[] }).nodes;
          const n1 = rows.find((n) => n.id === 'n1')?.height ?? 0;
          if (n1 === height) break;
          if (performance.now() - start > 120_000) {
            throw new Error(`n1 reached height ${n1} of ${height} in 120 s`);
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // Goes through the node's queue and writes: resolves once the last block has committed.
        await window.chainlab.request('POST', '/node/n1/mining', { enabled: false });
        return performance.now() - start;
      } finally {
        inbox.close();
      }
    },
    { namespace, blocks: blocks.map((b) => [...b.bytes]), height: PERSIST_BLOCKS + 1 },
  );
  const stored = await countBlocks(page, database);
  if (stored !== PERSIST_BLOCKS) {
    throw new Error(`n1 stored ${stored} blocks of the ${PERSIST_BLOCKS} it accepted`);
  }
  return (PERSIST_BLOCKS * 1000) / ms;
}

/**
 * Round trips of GET /node/n1/wallet (page → Comlink → worker → page) for LATENCY_SECONDS, while
 * all three nodes of a default simulation mine continuously and gossip. Calls are spaced by a
 * random 0-10 ms pause: calls sent back to back fall into step with the worker's mining slices
 * (the next one arrives while the worker is still yielding) and understate the delay a call at an
 * arbitrary moment sees (measured once: median about 1 ms back to back, about 5 ms spaced).
 */
async function benchLatency(page: Page): Promise<{ median: number; p95: number; max: number }> {
  await call(page, 'POST', '/sim/reset', {});
  const ids = ['n1', 'n2', 'n3'];
  for (const id of ids) await call(page, 'POST', `/node/${id}/mining`, { enabled: true });
  await page.waitForTimeout(500);
  const samples = await page.evaluate(async (ms) => {
    const out: number[] = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
      const t = performance.now();
      const r = await window.chainlab.request('GET', '/node/n1/wallet');
      out.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`GET /node/n1/wallet answered ${r.status}`);
    }
    return out;
  }, LATENCY_SECONDS * 1000);
  for (const id of ids) await call(page, 'POST', `/node/${id}/mining`, { enabled: false });
  const heights = (await listNodes(page)).map((n) => n.height);
  if (Math.max(...heights) < 2) throw new Error('no node mined a block during the latency run');
  return summarize(samples);
}

/**
 * Milliseconds from navigation start to `window.chainlab.ready` on a reload that restores
 * RESTORE_NODES nodes, each with the same valid `height`-block chain written straight into
 * its IndexedDB database. Every node loads and re-validates its whole chain in its own worker.
 */
async function benchRestore(page: Page, height: number): Promise<number> {
  const options = { ...DEFAULT_RESET, nodes: RESTORE_NODES };
  const chain = buildChain(paramsFor(options), height, 0);
  await call(page, 'POST', '/sim/reset', { nodes: RESTORE_NODES });
  const written = await writeChain(page, chain);
  if (written.length !== RESTORE_NODES) {
    throw new Error(`expected ${RESTORE_NODES} node databases, found ${written.length}`);
  }
  await page.reload();
  const readyAt = await page.evaluate(async () => {
    await window.chainlab.ready;
    return (window as unknown as { chainlabReadyAt?: number }).chainlabReadyAt ?? NaN;
  });
  const rows = await listNodes(page);
  const wrong = rows.filter((n) => n.height !== height);
  if (rows.length !== RESTORE_NODES || wrong.length > 0) {
    const seen = rows.map((n) => `${n.id}:${n.height}`).join(' ');
    throw new Error(`the reload did not restore ${RESTORE_NODES} × ${height}: ${seen}`);
  }
  if (!Number.isFinite(readyAt)) throw new Error('the ready time was not recorded');
  return readyAt;
}

/**
 * Frame times of the page just restored by benchRestore (RESTORE_NODES nodes) while every node
 * mines continuously, so the workers keep every core hashing and gossip
 * the blocks they find, and the page keeps polling them every 400 ms and redrawing the tree.
 * Once the tree shows blocks, all nodes start mining; after a second, for FRAME_SECONDS, a
 * requestAnimationFrame loop in the page records the interval between consecutive frames while
 * Playwright's mouse pans the tree back and forth by dragging (so the page draws every frame,
 * not only when blocks arrive) and zooms it in and out a little with the wheel now and then.
 * The intervals are what a person sees: 16.7 ms per frame at 60 Hz, longer when a frame is late,
 * whether because the page's own work (polling, tree layout, Svelte's updates, style, layout,
 * paint) takes too long or because its threads wait for a core behind the hashing workers (the
 * workers run at the same OS priority as the page, and there are more of them than cores).
 *
 * With `network`, the tree must first hold every restored block (the page fetches them in
 * pages of 2,000), the network latency is set to 300 ms so messages stay in the air long enough
 * to be drawn, and each sampled frame also counts the messages the network view draws.
 */
async function benchFrames(
  page: Page,
  options: { readonly network?: boolean } = {},
): Promise<{
  ms: { median: number; p95: number; max: number };
  count: number;
  mined: number;
  messages: number;
  late: number;
}> {
  await page.waitForFunction(
    () => document.querySelector('.tree .block, .tree canvas') !== null,
    undefined,
    { timeout: 30_000 },
  );
  if (options.network) {
    const height = await chainHeight(page);
    // Every block known to the page: the tree, following the newest, draws the tip's block once
    // the page has fetched the whole chain (it arrives parents first).
    await page.waitForFunction(
      (h) =>
        [...document.querySelectorAll('.tree .block')].some((b) =>
          b.textContent.includes(`#${String(h)} `),
        ),
      height,
      { timeout: 120_000, polling: 500 },
    );
    await call(page, 'PUT', '/sim/network', { latency_ms: 300 });
    const view = page.locator('.netview svg');
    if ((await view.count()) === 0) throw new Error('the network view is not showing');
  }
  // Served with COOP and COEP, the page's clock reads to 5 µs. Without them it is coarsened to
  // 100 µs with jitter, and an on-time frame would read anywhere from 16.5 to 16.8 ms.
  if (!(await page.evaluate(() => crossOriginIsolated))) {
    throw new Error('the page is not cross-origin isolated: its clock is too coarse for frames');
  }
  const svg = await page.locator('.tree svg').first().boundingBox();
  if (!svg) throw new Error('the block tree has no box');
  const ids = (await listNodes(page)).map((n) => n.id);
  const before = await chainHeight(page);
  for (const id of ids) await call(page, 'POST', `/node/${id}/mining`, { enabled: true });
  try {
    await page.waitForTimeout(1000);
    await page.evaluate(() => {
      const w = window as unknown as {
        benchFrames?: { times: number[]; messages: number; stop: boolean };
      };
      const run = { times: [] as number[], messages: 0, stop: false };
      w.benchFrames = run;
      const tick = (t: number): void => {
        run.times.push(t);
        // Every tenth frame: how many messages the network view is drawing.
        if (run.times.length % 10 === 0) {
          const drawn = document.querySelector<HTMLElement>('.netview canvas.messages');
          run.messages += Number(drawn?.dataset.drawn ?? 0);
        }
        if (!run.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Drag 240 px one way then back, in 12 px steps about a frame apart; every third drag ends
    // with a zoom out and back in. Starts left of centre so the drag begins on the tree.
    const x0 = svg.x + svg.width * 0.4;
    const y0 = svg.y + svg.height * 0.5;
    const end = Date.now() + FRAME_SECONDS * 1000;
    for (let drag = 0; Date.now() < end; drag++) {
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      // At least one move per drag: a press and release in place would click a block.
      for (let step = 1; step <= 40; step++) {
        const offset = 12 * (step <= 20 ? step : 40 - step);
        await page.mouse.move(x0 + offset, y0 + (drag % 2 === 0 ? offset / 4 : -offset / 4));
        if (Date.now() >= end) break;
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
      if (drag % 3 === 2 && Date.now() < end) {
        await page.mouse.wheel(0, 120);
        await page.waitForTimeout(100);
        await page.mouse.wheel(0, -120);
        await page.waitForTimeout(100);
      }
    }
  } finally {
    await page.evaluate(() => {
      const w = window as unknown as { benchFrames?: { stop: boolean } };
      if (w.benchFrames) w.benchFrames.stop = true;
    });
    for (const id of ids) await call(page, 'POST', `/node/${id}/mining`, { enabled: false });
  }
  const { times, messages } = await page.evaluate(() => {
    const w = window as unknown as { benchFrames?: { times: number[]; messages: number } };
    return { times: w.benchFrames?.times ?? [], messages: w.benchFrames?.messages ?? 0 };
  });
  if (options.network) await call(page, 'PUT', '/sim/network', { latency_ms: 100 });
  const mined = (await chainHeight(page)) - before;
  const deltas = times.slice(1).map((t, i) => t - (times[i] ?? t));
  if (deltas.length < FRAME_SECONDS) {
    throw new Error(`only ${deltas.length} frames were drawn in ${FRAME_SECONDS} s`);
  }
  if (options.network && messages === 0) {
    throw new Error('the network view drew no message in flight while the nodes mined');
  }
  const late = deltas.filter((d) => d > 25).length;
  return { ms: summarize(deltas), count: deltas.length, mined, messages, late };
}

// ---- helpers ---------------------------------------------------------------------------------

/** Median, 95th percentile and maximum of some durations, in ms to two decimals. */
export function summarize(durations: readonly number[]): {
  median: number;
  p95: number;
  max: number;
} {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    median: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * Init script: note `performance.now()` (ms since navigation start) when `window.chainlab.ready`
 * resolves, so the restore time does not include Playwright's own round trips.
 */
function recordReadyTime(): void {
  let value: unknown;
  Object.defineProperty(window, 'chainlab', {
    configurable: true,
    get: () => value,
    set: (v: { ready: Promise<void> }) => {
      value = v;
      void v.ready.then(() => {
        (window as unknown as { chainlabReadyAt?: number }).chainlabReadyAt = performance.now();
      });
    },
  });
}

async function listNodes(page: Page): Promise<{ id: string; height: number; tip: string }[]> {
  const body = (await call(page, 'GET', '/sim/nodes')) as {
    nodes: { id: string; height: number; tip: string }[];
  };
  return body.nodes;
}

/** The greatest height among the current simulation's nodes. */
async function chainHeight(page: Page): Promise<number> {
  return Math.max(0, ...(await listNodes(page)).map((n) => n.height));
}

/**
 * Write `chain` straight into the blocks table of every node database of the page (or only
 * `database`), tip included, as if the node had stored it; returns the databases written. The
 * nodes read it when their workers next start.
 */
async function writeChain(
  page: Page,
  chain: readonly Block[],
  database: string | null = null,
): Promise<string[]> {
  return page.evaluate(
    async ({ blocks, only }) => {
      const records = blocks.map((b) => ({ hash: b.hash, bytes: new Uint8Array(b.bytes) }));
      const done = (r: IDBRequest | IDBTransaction): Promise<void> =>
        new Promise((resolve, reject) => {
          if (r instanceof IDBTransaction) {
            r.oncomplete = () => {
              resolve();
            };
          } else {
            r.onsuccess = () => {
              resolve();
            };
          }
          r.onerror = () => {
            reject(r.error ?? new Error('IndexedDB request failed'));
          };
        });
      const names = (await indexedDB.databases())
        .map((d) => d.name ?? '')
        .filter((n) => n.startsWith('chainlab/') && (only === null || n === only));
      for (const name of names) {
        // No version: Dexie's schema version 2 is IndexedDB version 20; open whatever is there.
        const open = indexedDB.open(name);
        await done(open);
        const db = open.result;
        try {
          const tx = db.transaction(['blocks', 'runs', 'meta'], 'readwrite');
          // The genesis block is never stored: a fresh node's tables are empty, but start clean.
          tx.objectStore('blocks').clear();
          const runs = tx.objectStore('runs');
          runs.clear();
          // As a node writes them: a catch-up's batches of 500 blocks, one record each.
          for (let seq = 0; seq < records.length; seq += 500) {
            const run = records.slice(seq, seq + 500);
            runs.put({ seq, hashes: run.map((r) => r.hash), blocks: run.map((r) => r.bytes) });
          }
          const tip = records[records.length - 1];
          if (tip) tx.objectStore('meta').put({ key: 'tip', value: tip.hash });
          await done(tx);
        } finally {
          db.close();
        }
      }
      return names;
    },
    { blocks: chain.map((b) => ({ hash: b.hash, bytes: [...b.bytes] })), only: database },
  );
}

/** The IndexedDB database of a node of the current simulation. */
async function nodeDatabase(page: Page, id: string): Promise<string> {
  const names = await page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name ?? ''),
  );
  const name = names.find((n) => n.startsWith('chainlab/') && n.endsWith(`/${id}`));
  if (!name) throw new Error(`no IndexedDB database for ${id} (have: ${names.join(', ')})`);
  return name;
}

/** Blocks in a node's database: in its runs, and any version 1 block records. */
async function countBlocks(page: Page, database: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => {
          reject(open.error ?? new Error('open failed'));
        };
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['blocks', 'runs']);
          const legacy = tx.objectStore('blocks').count();
          const runs = tx.objectStore('runs').getAll();
          tx.onerror = () => {
            reject(tx.error ?? new Error('count failed'));
          };
          tx.oncomplete = () => {
            db.close();
            const inRuns = (runs.result as { blocks: unknown[] }[]).reduce(
              (n, r) => n + r.blocks.length,
              0,
            );
            resolve(legacy.result + inRuns);
          };
        };
      }),
    database,
  );
}
