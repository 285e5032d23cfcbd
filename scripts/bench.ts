/**
 * Chainlab benchmarks, all on the same machine in the same run:
 *   - the miner's hashes per second beside node:crypto's SHA-256 called once per proof;
 *   - ed25519 signature verifications per second, through WebCrypto in batches as nodes check
 *     them, and through the pure fallback;
 *   - blocks validated per second (full validation, payments included);
 *   - restoring a node from a stored 10,000-block chain, and a fresh node catching up with it
 *     from a peer over the in-memory network;
 *   - the headless simulator: 100 nodes × 10,000 blocks and 1,000 nodes × 1,000 blocks with
 *     sampled work on a small-world network, and 16 nodes × 1,000 blocks with real work;
 *   - the lab: a 6-point double-spend chart with 10,000 races per point, and selfish mining's
 *     blocks per second;
 *   - the timeline (scripts/bench-timeline.ts): seeking to any moment of a recorded 2,000-block
 *     run, indexing it, and importing its export;
 *   - in Chromium, when installed (scripts/bench-browser.ts): blocks persisted per second by a
 *     worker node, restoring 8 nodes × 2,000 blocks on reload, call latency while nodes mine,
 *     the page's frame times while those 8 nodes mine and the tree is panned;
 *   - a crash campaign (scripts/crash-campaign.ts): worker nodes killed mid-write 100 times;
 *   - a classroom (scripts/bench-classroom.ts): 60 headless nodes on a local nats-server, a
 *     block's fan-out to all of them, convergence after a partition heals and after the server
 *     is killed and restarted.
 * Speed is measured here, never asserted in tests.
 *
 *   npm run bench [-- --json] [-- --only sim|lab|core|timeline|browser|crash|classroom]
 */
import type { Block } from '../src/core/block.ts';
import { BlockTree } from '../src/core/chain.ts';
import { DEFAULT_NETWORK } from '../src/core/delivery.ts';
import type { Node } from '../src/core/node.ts';
import { Node as ChainNode } from '../src/core/node.ts';
import type { ChainParams } from '../src/core/params.ts';
import { makeParams } from '../src/core/params.ts';
import { createRng } from '../src/core/rng.ts';
import { targetFromZeroBits } from '../src/core/target.ts';
import { signingBytes } from '../src/core/tx.ts';
import type { NodeId } from '../src/core/types.ts';
import { createWallet, verify } from '../src/core/wallet.ts';
import { runSelfish } from '../src/lab/selfish-mining.ts';
import { MemoryNetwork } from '../src/sim/memory-network.ts';
import { MemoryStore } from '../src/sim/memory-store.ts';
import { VirtualScheduler } from '../src/sim/virtual-scheduler.ts';
import { buildChain, payment } from './bench-chain.ts';
import type { BrowserBench } from './bench-browser.ts';
import { benchBrowser, chromiumPath } from './bench-browser.ts';
import type { ClassroomBench } from './bench-classroom.ts';
import { benchClassroom } from './bench-classroom.ts';
import { NATS_SERVER_INSTALLED } from './nats-server.ts';
import { benchPow } from './bench-pow.ts';
import type { CrashCampaignBench } from './crash-campaign.ts';
import { benchCrashCampaign } from './crash-campaign.ts';
import { measureMiner, measureSignatures } from '../src/runtime/measure.ts';
import { choosePowSearch, wasmPowSearch } from '../src/runtime/pow-wasm.ts';
import { powWasmBytes } from '../src/runtime/pow-wasm-kernel.ts';
import { platformSignatures } from '../src/runtime/signatures.ts';
import { benchTimeline } from './bench-timeline.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const json = process.argv.includes('--json');
const run = promisify(execFile);
/** `--only sim`, `--only core`, `--only classroom`, … runs one group; default: all. */
const GROUPS = ['sim', 'lab', 'core', 'timeline', 'browser', 'crash', 'classroom'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '') : null;
if (only !== null && !(GROUPS as readonly string[]).includes(only)) {
  process.stderr.write(
    `--only takes sim, lab, core, timeline, browser, crash or classroom, got "${only}".\n`,
  );
  process.exit(2);
}
const runs = (group: (typeof GROUPS)[number]): boolean => only === null || only === group;
const log = (line: string): void => {
  if (!json) process.stdout.write(`${line}\n`);
};

/** Calls per second of `fn` over about `seconds`. */
function perSecond(seconds: number, fn: (i: number) => void): number {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) fn(n++);
  return (n * 1000) / (performance.now() - start);
}

/**
 * The WebAssembly SIMD kernel's hashes per second in Node (best of three seconds), and the kernel
 * a node here would mine with after the self-test.
 */
async function benchWasmMiner(): Promise<{ perSecond: number; kernel: string }> {
  const search = wasmPowSearch(new WebAssembly.Module(powWasmBytes()));
  const chosen = await choosePowSearch(() => undefined);
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const rate = await measureMiner(search, () => Promise.resolve());
    best = Math.max(best, rate.perSecond);
  }
  return { perSecond: best, kernel: chosen.kernel };
}

/** Verifications per second through the platform's verifier (WebCrypto's Ed25519 in Node). */
async function benchPlatformSignatures(): Promise<{ kind: string; perSecond: number }> {
  const { signatures, kind } = await platformSignatures();
  const warm = await measureSignatures(signatures, 2_000);
  const rate = await measureSignatures(signatures, 20_000);
  return { kind, perSecond: Math.max(warm.perSecond, rate.perSecond) };
}

/** Verifications per second of the pure fallback, one at a time. */
function benchSignatures(seconds: number): number {
  const rng = createRng(7);
  const wallets = Array.from({ length: 16 }, () => createWallet(rng));
  const txs = wallets.map((w, i) => payment(w, wallets[(i + 1) % wallets.length] ?? w, 0n));
  return perSecond(seconds, (i) => {
    const tx = txs[i % txs.length];
    if (!tx || !verify(tx.signature, signingBytes(tx), tx.senderKey)) throw new Error('bad sig');
  });
}

function benchValidation(params: ChainParams, blocks: readonly Block[]): number {
  const last = blocks[blocks.length - 1];
  const now = last ? last.header.timestampMs : params.genesisTimestampMs;
  const start = performance.now();
  const tree = new BlockTree(params);
  for (const block of blocks) if (!tree.add(block, now).ok) throw new Error('valid block refused');
  return (blocks.length * 1000) / (performance.now() - start);
}

/** Run a virtual-time network until `work` settles. */
async function drive<T>(scheduler: VirtualScheduler, work: Promise<T>): Promise<T> {
  let done = false;
  const finish = (): void => {
    done = true;
  };
  const settled = (): boolean => done;
  work.then(finish, finish);
  while (!settled()) {
    await Promise.resolve();
    if (!settled() && !(await scheduler.runNext())) {
      await new Promise((r) => setImmediate(r));
    }
  }
  return work;
}

async function benchCatchUp(
  params: ChainParams,
  blocks: readonly Block[],
): Promise<{ restoreMs: number; catchUpMs: number; height: number }> {
  const last = blocks[blocks.length - 1];
  if (!last) throw new Error('empty chain');
  const scheduler = new VirtualScheduler(last.header.timestampMs + 1000);
  const network = new MemoryNetwork(scheduler, createRng(3), { ...DEFAULT_NETWORK, latencyMs: 20 });
  const storeA = new MemoryStore();
  await storeA.write({ blocks: blocks.map((b) => ({ hash: b.hash, bytes: b.bytes })) });

  const nodes = new Map<NodeId, Node>();
  const start = async (id: NodeId, store: MemoryStore): Promise<Node> => {
    const transport = network.attach(
      id,
      (from, msg) => nodes.get(id)?.receive(from, msg) ?? Promise.resolve(),
    );
    const node = await ChainNode.create({
      id,
      params,
      transport,
      store,
      scheduler,
      rng: createRng(5).fork(id),
    });
    nodes.set(id, node);
    return node;
  };

  let t = performance.now();
  const a = await start('a' as NodeId, storeA);
  const restoreMs = performance.now() - t;
  const b = await start('b' as NodeId, new MemoryStore());
  await a.registerPeers(['b' as NodeId]);
  await b.registerPeers(['a' as NodeId]);

  t = performance.now();
  const replaced = await drive(scheduler, b.resolve());
  const catchUpMs = performance.now() - t;
  if (!replaced || b.tree.tip.hash !== a.tree.tip.hash) throw new Error('catch-up did not finish');
  return { restoreMs, catchUpMs, height: b.tree.tip.height };
}

/**
 * Seconds one `npm run sim` run takes (its own `wall_ms`), each in a fresh process with the npm
 * script's Node flags, so one run's heap never weighs on the next; and the check that it converged.
 */
async function benchSim(flags: readonly string[]): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--max-semi-space-size=128', '--import', 'tsx', 'scripts/sim.ts', ...flags, '--json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout) as { converged?: unknown; wall_ms?: unknown };
  if (report.converged !== true || typeof report.wall_ms !== 'number') {
    throw new Error(`npm run sim -- ${flags.join(' ')} did not converge`);
  }
  return Number((report.wall_ms / 1000).toFixed(1));
}

/**
 * The simulator at scale: what `npm run sim` does, timed. The engine is measured without payments:
 * with them, signing and verifying each one in pure JavaScript (about 2 ms, see the signature
 * figure) adds a cost that depends on the payment rate, not on the network.
 */
async function benchSimulator(): Promise<Record<string, number>> {
  const sampled = ['--pow', 'sampled', '--topology', 'small-world:8:0.1', '--latency', '100'];
  const quiet = ['--seed', '1', '--payments', '0'];
  const sampled100 = await benchSim(['--nodes', '100', '--blocks', '10000', ...sampled, ...quiet]);
  log(
    `sim, sampled work, 100 nodes × 10,000 blocks     ${sampled100} s (small-world:8:0.1, no payments; goal: under 60 s)`,
  );
  const sampled1000 = await benchSim(['--nodes', '1000', '--blocks', '1000', ...sampled, ...quiet]);
  log(
    `sim, sampled work, 1,000 nodes × 1,000 blocks    ${sampled1000} s (small-world:8:0.1, no payments; goal: under 60 s)`,
  );
  const real16 = await benchSim([
    '--nodes',
    '16',
    '--blocks',
    '1000',
    '--latency',
    '100',
    ...quiet,
  ]);
  log(`sim, real work, 16 nodes × 1,000 blocks          ${real16} s (full, no payments)`);
  return {
    sim_sampled_100x10000_s: sampled100,
    sim_sampled_1000x1000_s: sampled1000,
    sim_real_16x1000_s: real16,
  };
}

/**
 * The lab: `npm run experiment` drawing the whitepaper's chart (q = 0.1, z = 0 to 5) with 10,000
 * races per point, timed as a whole in a fresh process; and selfish mining's blocks per second.
 */
async function benchLab(): Promise<Record<string, number>> {
  const races = 10_000;
  const t = performance.now();
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/experiment.ts',
      'double-spend',
      '--q',
      '0.1',
      '--z',
      '0,1,2,3,4,5',
      '--runs',
      String(races),
      '--json',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const seconds = (performance.now() - t) / 1000;
  const result = JSON.parse(stdout) as { points?: unknown };
  if (!Array.isArray(result.points) || result.points.length !== 6) {
    throw new Error('the double-spend experiment did not give its 6 points');
  }
  const racesPerSecond = (6 * races) / seconds;
  log(
    `double-spend chart, 6 points × 10,000 races  ${seconds.toFixed(1)} s, ${Math.round(racesPerSecond).toLocaleString('en')} races/s (goal: under 30 s)`,
  );
  const s = performance.now();
  const selfish = await runSelfish(0.3, 0.5, 20_000, 1);
  const blocksPerSecond = selfish.mined / ((performance.now() - s) / 1000);
  log(
    `selfish mining (alpha 0.3, gamma 0.5)         ${Math.round(blocksPerSecond).toLocaleString('en')} blocks/s`,
  );
  return {
    experiment_double_spend_6x10000_s: Number(seconds.toFixed(1)),
    experiment_double_spend_runs_per_s: Math.round(racesPerSecond),
    experiment_selfish_blocks_per_s: Math.round(blocksPerSecond),
  };
}

async function benchCore(): Promise<Record<string, number | string>> {
  const pow = await benchPow(2);
  log(`miner (SHA-256 midstate kernel)   ${(pow.miner_hps / 1e6).toFixed(2)} M hashes/s`);
  const wasm = await benchWasmMiner();
  log(
    `miner (WebAssembly SIMD kernel)   ${(wasm.perSecond / 1e6).toFixed(2)} M hashes/s (${wasm.kernel} chosen by its self-test)`,
  );
  log(`node:crypto, one call per proof   ${(pow.node_crypto_hps / 1e6).toFixed(2)} M hashes/s`);
  log(
    `  ratio                           ${(pow.miner_hps / pow.node_crypto_hps).toFixed(2)}x (goal: at least 3x)`,
  );

  const platform = await benchPlatformSignatures();
  log(
    `ed25519 verifications (${platform.kind}, batches) ${Math.round(platform.perSecond).toLocaleString('en')} /s (goal: at least 5,000)`,
  );
  const sigs = benchSignatures(1.5);
  log(`ed25519 verifications (pure fallback) ${Math.round(sigs).toLocaleString('en')} /s`);

  const params = makeParams({ initialTarget: targetFromZeroBits(6) });
  const paid = buildChain(params, 500, 8);
  const blocksPerSecond = benchValidation(params, paid);
  log(`blocks validated (8 payments each) ${Math.round(blocksPerSecond).toLocaleString('en')} /s`);

  const long = buildChain(params, 10_000, 0);
  const plain = benchValidation(params, long);
  log(`blocks validated (coinbase only)   ${Math.round(plain).toLocaleString('en')} /s`);
  const sync = await benchCatchUp(params, long);
  log(`restore a node from 10,000 stored blocks   ${sync.restoreMs.toFixed(0)} ms`);
  log(
    `catch up 10,000 blocks from a peer         ${sync.catchUpMs.toFixed(0)} ms (goal: under 2,000 ms)`,
  );
  return {
    miner_hps: Math.round(pow.miner_hps),
    node_crypto_hps: Math.round(pow.node_crypto_hps),
    miner_ratio: Number((pow.miner_hps / pow.node_crypto_hps).toFixed(2)),
    miner_wasm_simd_hps: Math.round(wasm.perSecond),
    miner_kernel: wasm.kernel,
    signature_verifications_per_s: Math.round(platform.perSecond),
    signature_verifier: platform.kind,
    signature_verifications_pure_per_s: Math.round(sigs),
    blocks_validated_per_s: Math.round(blocksPerSecond),
    coinbase_blocks_validated_per_s: Math.round(plain),
    restore_10k_ms: Math.round(sync.restoreMs),
    catchup_10k_ms: Math.round(sync.catchUpMs),
  };
}

async function benchInBrowser(): Promise<BrowserBench | null> {
  const chrome = chromiumPath();
  let browser: BrowserBench | null = null;
  if ('reason' in chrome) {
    const line = `browser measurements skipped: ${chrome.reason}`;
    if (json) process.stderr.write(`${line}\n`);
    else log(line);
  } else {
    browser = await benchBrowser();
    const latency = browser.call_latency_while_mining_ms;
    log(`blocks persisted in a worker (IndexedDB)   ${browser.blocks_persisted_per_s} /s`);
    log(
      `restore 8 nodes × 2,000 blocks on reload   ${browser.restore_8x2000_ms} ms (goal: under 2,000 ms)`,
    );
    log(
      `call latency while 3 workers mine          median ${latency.median} ms, p95 ${latency.p95} ms, max ${latency.max} ms`,
    );
    const frame = browser.frame_ms;
    log(
      `frame time, 8 mining nodes, 2,000 blocks   median ${frame.median} ms, p95 ${frame.p95} ms, max ${frame.max} ms (${browser.frames} frames, ${browser.blocks_mined_during_frames} blocks mined; 16.7 ms at 60 Hz)`,
    );
    log(`restore 8 nodes × 20,000 blocks on reload  ${browser.restore_8x20000_ms} ms`);
    const large = browser.frame_20k_network_ms;
    log(
      `frame time, 8 mining nodes, 20,000 blocks, network view   median ${large.median} ms, p95 ${large.p95} ms, max ${large.max} ms (${browser.frames_20k_network} frames, ${browser.frames_20k_network_late} later than 25 ms, ${browser.network_messages_drawn} messages drawn in sampled frames; goal: p95 ≤ 16.7 ms)`,
    );
    log(
      `double-spend chart in the page, 6 × 10,000 ${browser.chromium_double_spend_6x10000_s} s (lab worker; goal: under 60 s)`,
    );
    log(
      `signature checks in a worker (${browser.chromium_signature_kind})  ${browser.chromium_signature_verifications_per_s.toLocaleString('en')} /s (goal: at least 5,000)`,
    );
    log(
      `a fresh worker node catches up 10,000 blocks  ${browser.chromium_catchup_10k_ms} ms, transfer included (goal: under 1,000 ms plus the transfer)`,
    );
    log(
      `miner in a worker (${browser.chromium_miner_kernel})          ${(browser.chromium_miner_hps / 1e6).toFixed(2)} M hashes/s (goal: at least 12)`,
    );
  }

  return browser;
}

/** Workers killed mid-write 100 times (scripts/crash-campaign.ts), where Chromium is installed. */
async function benchCrash(): Promise<{ crash_campaign: CrashCampaignBench } | null> {
  const chrome = chromiumPath();
  if ('reason' in chrome) {
    const line = `crash campaign skipped: ${chrome.reason}`;
    if (json) process.stderr.write(`${line}\n`);
    else log(line);
    return null;
  }
  const campaign = await benchCrashCampaign();
  log(
    `crash campaign: ${campaign.kills} kills, ${campaign.recovered} recovered, ${campaign.lost_acknowledged_blocks} acknowledged blocks lost`,
  );
  return { crash_campaign: campaign };
}

/** The classroom on a real nats-server; skipped, with a note, where nats-server is missing. */
async function benchRoom(): Promise<ClassroomBench | null> {
  if (!NATS_SERVER_INSTALLED) {
    const line =
      'classroom measurements skipped: nats-server is not installed (apt-get install -y nats-server)';
    if (json) process.stderr.write(`${line}\n`);
    else log(line);
    return null;
  }
  return benchClassroom(log);
}

async function main(): Promise<void> {
  log('Chainlab benchmarks (2 cores; numbers vary with load)\n');
  const core = runs('core') ? await benchCore() : {};
  const sim = runs('sim') ? await benchSimulator() : {};
  const lab = runs('lab') ? await benchLab() : {};
  const timeline = runs('timeline') ? await benchTimeline(log) : {};
  const browser = runs('browser') ? await benchInBrowser() : null;
  const crash = runs('crash') ? await benchCrash() : null;
  const classroom = runs('classroom') ? await benchRoom() : null;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ...core, ...sim, ...lab, ...timeline, ...browser, ...crash, ...classroom })}\n`,
    );
  }
}

await main();
