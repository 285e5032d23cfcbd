/**
 * The crash campaign: the built site in Chromium, several worker nodes mining and paying each
 * other, while a seeded random sequence kills one worker at a time mid-write
 * (`window.chainlab.restartNode(id, { abrupt: true })`) and checks what came back from its
 * database.
 *
 *   npm run crash-campaign -- --kills 100 --seed 1 [--nodes 4] [--max-delay 50] [--json]
 *
 * Each kill:
 *   1. picks a node and a delay of 0 to `--max-delay` ms (the seeded generator of src/core/rng.ts);
 *   2. drains every node's events, then polls them (every 2 ms, in the page) until a block event:
 *      the victim reports a block it stored (`block-mined`, or `tip-changed` for one received), or
 *      a peer mined one, which the victim fetches (inv, getdata, block) and writes moments later;
 *   3. waits the delay, cuts the victim off the network (a partition of one: deliveries still in
 *      flight are dropped, writes under way go on), takes its last events and terminates its
 *      worker, then starts it again from its database. Payments keep arriving from the API all
 *      along, and every node keeps mining;
 *   4. checks the restarted node, still cut off so that a block it lost cannot come back from a
 *      peer before the check and hide the loss: its best chain is valid from genesis (every
 *      header, proof, Merkle root, transaction id and signature recomputed here with the core's
 *      own encoders), every block it had acknowledged is known to it, with its ancestry, and its
 *      balances equal a replay of that chain; then reconnects it.
 * After the last kill mining stops and every node must reach one tip.
 *
 * "Acknowledged" (what a crash must never lose): a block the node reported as stored, through its
 * event stream, before it was killed. Node#addBlock (src/core/node.ts) awaits the store's write
 * before it records `tip-changed` or `block-mined`, so those events, and the blocks under the tip
 * they name, are committed. Acknowledgements accumulate over the campaign: a block acknowledged
 * before the first kill of a node must still be known after its tenth. A block that later left the
 * best chain in a reorg stays acknowledged: a node keeps every block it stored, so it is checked as
 * known to the node (`GET /node/:id/blocks/:hash`), not as on its chain. Not acknowledgements:
 * `tie-seen` (recorded before the write), and whatever the API showed of the node's memory (a
 * block is in memory before its write completes).
 */
import type { NodeSummary } from '../src/api/backend.ts';
import type { BlockJson } from '../src/api/json.ts';
import type { Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import type { EventJson } from '../src/api/json.ts';
import { DEFAULT_RESET, paramsFor } from '../src/api/backend.ts';
import type { Block, BlockHeader } from '../src/core/block.ts';
import { BLOCK_VERSION, genesisBlock, headerHash, transactionsRoot } from '../src/core/block.ts';
import { bytesEqual, fromHex } from '../src/core/bytes.ts';
import { bytesToBigInt } from '../src/core/hash.ts';
import type { ChainParams } from '../src/core/params.ts';
import type { Rng } from '../src/core/rng.ts';
import { createRng } from '../src/core/rng.ts';
import { compactToTarget, targetToCompact } from '../src/core/target.ts';
import type { Transaction, Transfer } from '../src/core/tx.ts';
import { alterTransfer, makeCoinbase, signingBytes } from '../src/core/tx.ts';
import type { Address, BlockHash, Height, TxId } from '../src/core/types.ts';
import { verify } from '../src/core/wallet.ts';
import { parseOptions, progressLine } from './cli-args.ts';
import { withBuiltSite } from './site.ts';

/** What a campaign does; everything but `kills` and `seed` has a default. */
export interface CrashCampaignOptions {
  readonly kills: number;
  readonly seed: number;
  /** Worker nodes, all mining (default 4). */
  readonly nodes?: number;
  /** A kill lands 0 to this many ms after the block event that triggers it (default 50). */
  readonly maxDelayMs?: number;
  /** Starting difficulty in leading zero bits (default 18; the chain retargets from there). */
  readonly difficultyBits?: number;
  /** The block interval the chain retargets towards (default 1,000 ms). */
  readonly blockTimeMs?: number;
  /** One-way network latency (default 10 ms). */
  readonly latencyMs?: number;
  /** A payment through the API about this often (default 100 ms). */
  readonly paymentEveryMs?: number;
  /** How long the network may take to agree once mining stops (default 60 s). */
  readonly convergeTimeoutMs?: number;
  /** Told after each kill. */
  readonly onKill?: (done: number, result: KillRecord) => void;
}

/** One kill and what the checks found. */
export interface KillRecord {
  readonly node: string;
  /** What triggered it: a block the node mined or received, or one a peer mined. */
  readonly trigger: KillTrigger;
  /**
   * Where the triggering block stood with the victim when it died: reported stored
   * (acknowledged), restored without having been reported (its write finished as the worker
   * died), or not stored (not yet arrived, or its write was cut off: either way never
   * acknowledged, so not counted as lost).
   */
  readonly triggerBlock: 'stored-and-reported' | 'stored-unreported' | 'not-stored' | 'none';
  readonly delayMs: number;
  /** From the triggering event being read to the worker being terminated. */
  readonly killedAfterMs: number;
  /** Terminating the worker and starting it again from its database. */
  readonly restartMs: number;
  readonly acknowledged: number;
  readonly lost: number;
  /** Blocks restored that the node had not yet reported: writes that finished as it died. */
  readonly unreported: number;
  readonly height: number;
  readonly restarted: boolean;
  readonly chainValid: boolean;
  readonly balancesMatch: boolean;
  readonly problems: readonly string[];
}

/** What a campaign found. The first three fields are the bench's `crash_campaign`. */
export interface CrashCampaignResult {
  readonly kills: number;
  /** Kills after which the node came back and passed every check. */
  readonly recovered: number;
  /** Acknowledged blocks missing after a restart, each counted once. */
  readonly lost_acknowledged_blocks: number;
  /** Every node on one tip after mining stopped, within the timeout. */
  readonly converged: boolean;
  readonly converge_ms: number;
  readonly seed: number;
  readonly nodes: number;
  /** Acknowledged blocks checked after restarts, summed over kills. */
  readonly acknowledged_checked: number;
  readonly triggers: Readonly<Record<KillTrigger, number>>;
  /** Kills triggered by a peer's block that came before the victim had stored it. */
  readonly kills_before_block_stored: number;
  /** Kills after which the node restored blocks it had not reported yet (killed at a write). */
  readonly kills_with_unreported_writes: number;
  /** `storage-skipped` events of restarted nodes: stored records found unreadable or invalid. */
  readonly storage_skipped: number;
  readonly invalid_chains: number;
  readonly balance_mismatches: number;
  readonly failed_restarts: number;
  /** After convergence, every node's chain valid and its balances equal to its replay. */
  readonly final_checks_pass: boolean;
  readonly restart_ms: { readonly median: number; readonly max: number };
  readonly payments_accepted: number;
  /**
   * Every answer of the payment route, by status (refusals are expected: 400, 409, 429, 503);
   * `threw` counts requests that failed with an exception instead of an answer.
   */
  readonly payment_answers: Readonly<Record<string, number>>;
  readonly final_height: number;
  readonly duration_s: number;
  /** The first problems found, one sentence each (empty when every check passed). */
  readonly problems: readonly string[];
}

/** The site is served here by the command line (the e2e tests use 4173, the bench 4174). */
const PORT = 4175;
/** How long a kill waits for a block event before killing anyway. */
const TRIGGER_TIMEOUT_MS = 20_000;
/** Problems kept in the result. */
const PROBLEMS_KEPT = 20;
/** Retries of the balance comparison while the node's own miner moves its tip. */
const BALANCE_TRIES = 5;

/** A row of GET /sim/nodes, as far as the campaign reads it. */
type NodeRow = Pick<NodeSummary, 'id' | 'address' | 'height' | 'tip' | 'mining'>;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

// ---- the page --------------------------------------------------------------------------------

async function request(page: Page, method: string, path: string, body?: unknown): Promise<Answer> {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await window.chainlab.request(m, p, b);
      return { status: r.status, body: r.body };
    },
    [method, path, body] as const,
  );
}

async function call<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const r = await request(page, method, path, body);
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${method} ${path} answered ${String(r.status)}: ${JSON.stringify(r.body)}`);
  }
  return r.body as T;
}

async function listNodes(page: Page): Promise<NodeRow[]> {
  return (await call<{ nodes: NodeRow[] }>(page, 'GET', '/sim/nodes')).nodes;
}

async function takeEvents(page: Page, id: string): Promise<EventJson[]> {
  return page.evaluate((node) => window.chainlab.takeEvents(node), id);
}

/** Blocks by hash as one node knows them (null: unknown to it), fetched side by side. */
async function blocksOf(
  page: Page,
  id: string,
  hashes: readonly string[],
): Promise<Map<string, BlockJson | null>> {
  const answers = await page.evaluate(
    async ([node, list]) =>
      Promise.all(
        list.map(async (h) => {
          const r = await window.chainlab.request('GET', `/node/${node}/blocks/${h}`);
          return { status: r.status, body: r.body };
        }),
      ),
    [id, hashes] as const,
  );
  return new Map(
    hashes.map((h, i) => {
      const a = answers[i];
      return [h, a?.status === 200 ? (a.body as BlockJson) : null];
    }),
  );
}

/** One node's chain, its balances for `addresses` and its tip afterwards, read back to back. */
async function snapshot(
  page: Page,
  id: string,
  addresses: readonly string[],
): Promise<{ chain: BlockJson[]; balances: Map<string, number | null>; tipAfter: string }> {
  const r = await page.evaluate(
    async ([node, list]) => {
      const c = window.chainlab;
      const [chain, balances, nodes] = await Promise.all([
        c.request('GET', `/node/${node}/chain`),
        Promise.all(list.map((a) => c.request('GET', `/node/${node}/balance/${a}`))),
        c.request('GET', '/sim/nodes'),
      ]);
      return {
        chain: chain.body as { chain: unknown[] },
        balances: balances.map((b) => b.body as { balance: number }),
        nodes: nodes.body as { nodes: { id: string; tip: string }[] },
      };
    },
    [id, addresses] as const,
  );
  return {
    chain: r.chain.chain as BlockJson[],
    balances: new Map(addresses.map((a, i) => [a, r.balances[i]?.balance ?? null])),
    tipAfter: r.nodes.nodes.find((n) => n.id === id)?.tip ?? '',
  };
}

/** What set a kill off: a block the victim mined, one it received, or one a peer mined. */
export type KillTrigger = 'mined-here' | 'received-here' | 'mined-by-peer' | 'timeout';

interface KillInPage {
  /** Every node's events up to the kill (the victim's up to its last moment). */
  readonly events: Record<string, EventJson[]>;
  readonly trigger: KillTrigger;
  /** The block of the triggering event. */
  readonly triggerBlock: string | null;
  readonly killedAfterMs: number;
  readonly restartMs: number;
  readonly restarted: boolean;
}

/**
 * In the page, so that nothing crosses to Node between the trigger and the kill: wait for a fresh
 * block event (the victim's, or a block a peer mined, which reaches the victim one inv, getdata
 * and block exchange later), wait `delayMs`, cut the victim off, take its last events and kill it.
 */
async function killInPage(
  page: Page,
  victim: string,
  ids: readonly string[],
  delayMs: number,
): Promise<KillInPage> {
  return page.evaluate(
    async ([node, all, delay, timeout]) => {
      const c = window.chainlab;
      const sleep = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          setTimeout(resolve, ms);
        });
      const events: Record<string, EventJson[]> = {};
      // Everything before now is history: only a block event from here on triggers the kill.
      for (const id of all) events[id] = await c.takeEvents(id);
      const began = performance.now();
      const hits: [KillTrigger, string][] = [];
      for (;;) {
        const fresh = await Promise.all(all.map((id) => c.takeEvents(id)));
        for (const [i, id] of all.entries()) {
          const list = fresh[i] ?? [];
          events[id]?.push(...list);
          for (const e of list) {
            if (id === node && e.kind === 'block-mined') hits.push(['mined-here', e.hash]);
            if (id === node && e.kind === 'tip-changed' && e.from !== null) {
              hits.push(['received-here', e.newTip]);
            }
            if (id !== node && e.kind === 'block-mined') hits.push(['mined-by-peer', e.hash]);
          }
        }
        if (hits.length > 0 || performance.now() - began >= timeout) break;
        await sleep(2);
      }
      // The victim's own event first: it names the write just done.
      const [trigger, triggerBlock] = hits.find(([t]) => t !== 'mined-by-peer') ??
        hits[0] ?? ['timeout', null];
      const triggeredAt = performance.now();
      await sleep(delay);
      const rest = all.filter((id) => id !== node);
      await c.request('POST', '/sim/network/partition', { groups: [[node], rest] });
      events[node]?.push(...(await c.takeEvents(node)));
      const killedAt = performance.now();
      const restarted = await c.restartNode(node, { abrupt: true });
      return {
        events,
        trigger,
        triggerBlock,
        killedAfterMs: killedAt - triggeredAt,
        restartMs: performance.now() - killedAt,
        restarted,
      };
    },
    [victim, ids, delayMs, TRIGGER_TIMEOUT_MS] as const,
  );
}

// ---- independent checks ----------------------------------------------------------------------

/** Hashes a node acknowledged in these events (see the file's doc comment). */
function acknowledgedIn(events: readonly EventJson[]): string[] {
  return events.flatMap((e) =>
    e.kind === 'block-mined' ? [e.hash] : e.kind === 'tip-changed' ? [e.newTip] : [],
  );
}

function hex(text: string, length: number): Uint8Array | null {
  const r = fromHex(text, length);
  return r.ok ? r.value : null;
}

/**
 * A block of the API rebuilt with the core's own encoders and checked: header hash, proof of work,
 * Merkle root, transaction ids, signatures, the coinbase paying the reward plus the fees. Null
 * when it holds, else the problem.
 */
function checkBlock(b: BlockJson, params: ChainParams): string | null {
  const target = /^[0-9a-f]{64}$/.test(b.target) ? BigInt(`0x${b.target}`) : null;
  const bits = target === null ? null : targetToCompact(target);
  if (target === null || bits === null || compactToTarget(bits) !== target) {
    return `block ${b.hash} has a target that is not canonical`;
  }
  const merkle = hex(b.merkle_root, 32);
  const previous = hex(b.previous_hash, 32);
  const hash = hex(b.hash, 32);
  if (!merkle || !previous || !hash) return `block ${b.hash} has malformed hex fields`;
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    index: b.index as Height,
    timestampMs: Math.round(b.timestamp * 1000),
    previousHash: b.previous_hash as BlockHash,
    merkleRoot: merkle,
    bits,
    proof: b.proof,
  };
  if (headerHash(header) !== b.hash) return `block ${b.hash}: its header does not hash to it`;
  if (bytesToBigInt(hash) > target) return `block ${b.hash} misses its target`;
  const txs: Transaction[] = [];
  let fees = 0n;
  for (const [i, t] of b.transactions.entries()) {
    if (i === 0) {
      if (t.sender !== '0') return `block ${b.hash} does not start with a coinbase`;
      txs.push(makeCoinbase(params.chainId, b.index, t.recipient as Address, BigInt(t.amount)));
    } else {
      const key = hex(t.public_key, 32);
      const signature = hex(t.signature, 64);
      if (t.sender === '0' || !key || !signature)
        return `block ${b.hash}: payment ${t.id} is malformed`;
      // A transfer re-encoded by the core's one encoder: alterTransfer with no change.
      const tx = alterTransfer(
        {
          kind: 'transfer',
          id: '' as TxId,
          bytes: new Uint8Array(0),
          chainId: params.chainId,
          senderKey: key,
          sender: '' as Address,
          recipient: t.recipient as Address,
          amount: BigInt(t.amount),
          fee: BigInt(t.fee),
          nonce: BigInt(t.nonce),
          signature,
        } satisfies Transfer,
        {},
      );
      if (tx.sender !== t.sender) return `block ${b.hash}: payment ${t.id} names the wrong sender`;
      if (!verify(signature, signingBytes(tx), key)) {
        return `block ${b.hash}: payment ${t.id} has a bad signature`;
      }
      fees += tx.fee;
      txs.push(tx);
    }
    const built = txs[txs.length - 1];
    if (built?.id !== t.id) return `block ${b.hash}: transaction ${t.id} does not hash to its id`;
  }
  const coinbase = b.transactions[0];
  if (b.index > 1 && BigInt(coinbase?.amount ?? -1) !== params.reward + fees) {
    return `block ${b.hash} pays its miner other than the reward plus the fees`;
  }
  if (!bytesEqual(transactionsRoot(txs), merkle)) {
    return `block ${b.hash}: its Merkle root does not match its transactions`;
  }
  return null;
}

/** Blocks already checked, by hash, with the exact answer they were checked in. */
type Checked = Map<string, string>;

/** A best chain from the API checked from genesis; the problems found (none when valid). */
function checkChain(chain: readonly BlockJson[], params: ChainParams, checked: Checked): string[] {
  const genesis: Block = genesisBlock(params);
  if (chain[0]?.hash !== genesis.hash) return ['the chain does not start at the genesis block'];
  const problems: string[] = [];
  for (const [i, b] of chain.entries()) {
    if (b.index !== i + 1)
      problems.push(`block ${b.hash} has index ${b.index} at position ${i + 1}`);
    if (i > 0 && b.previous_hash !== chain[i - 1]?.hash) {
      problems.push(`block ${b.hash} does not link to the block before it`);
    }
    if (i === 0) continue;
    const text = JSON.stringify(b);
    if (checked.get(b.hash) === text) continue;
    const problem = checkBlock(b, params);
    if (problem) problems.push(problem);
    else checked.set(b.hash, text);
  }
  return problems;
}

/** Balances and nonces from a replay of a chain, from genesis. */
function replay(chain: readonly BlockJson[]): Map<string, { balance: bigint; nonce: bigint }> {
  const accounts = new Map<string, { balance: bigint; nonce: bigint }>();
  const get = (a: string) => accounts.get(a) ?? { balance: 0n, nonce: 0n };
  for (const b of chain) {
    for (const t of b.transactions) {
      if (t.sender !== '0') {
        const from = get(t.sender);
        accounts.set(t.sender, {
          balance: from.balance - BigInt(t.amount) - BigInt(t.fee),
          nonce: from.nonce + 1n,
        });
      }
      const to = get(t.recipient);
      accounts.set(t.recipient, { balance: to.balance + BigInt(t.amount), nonce: to.nonce });
    }
  }
  return accounts;
}

/** Do the node's balances equal a replay of its chain? Retried while its own miner moves it. */
async function checkBalances(
  page: Page,
  id: string,
  nodeAddresses: readonly string[],
): Promise<{ chain: BlockJson[]; problem: string | null }> {
  const addresses = new Set(nodeAddresses);
  let last: { chain: BlockJson[]; problem: string | null } = { chain: [], problem: null };
  for (let attempt = 0; attempt < BALANCE_TRIES; attempt++) {
    const snap = await snapshot(page, id, [...addresses]);
    const accounts = replay(snap.chain);
    const unasked = [...accounts.keys()].filter((a) => !addresses.has(a));
    for (const a of unasked) addresses.add(a);
    const wrong = [...snap.balances].filter(
      ([a, balance]) =>
        !Number.isSafeInteger(balance) || BigInt(balance ?? 0) !== (accounts.get(a)?.balance ?? 0n),
    );
    const stable = snap.chain[snap.chain.length - 1]?.hash === snap.tipAfter;
    last = {
      chain: snap.chain,
      problem:
        wrong.length === 0 && unasked.length === 0
          ? null
          : `balances differ from a replay of the chain for ${[...wrong.map(([a]) => a), ...unasked].join(', ')}`,
    };
    if (last.problem === null || (stable && unasked.length === 0)) return last;
  }
  return last;
}

/**
 * Acknowledged blocks a node no longer knows: each must be on its chain or known to it (a block
 * reorged away stays stored), with its ancestry down to the chain.
 */
async function missingAcknowledged(
  page: Page,
  id: string,
  acknowledged: ReadonlySet<string>,
  chain: readonly BlockJson[],
  params: ChainParams,
  checked: Checked,
): Promise<{ missing: string[]; problems: string[] }> {
  const onChain = new Set(chain.map((b) => b.hash));
  const missing: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let frontier = [...acknowledged].filter((h) => !onChain.has(h));
  while (frontier.length > 0) {
    const found = await blocksOf(page, id, frontier);
    const next: string[] = [];
    for (const [h, b] of found) {
      seen.add(h);
      if (!b) {
        missing.push(h);
        continue;
      }
      const problem = checked.get(h) === JSON.stringify(b) ? null : checkBlock(b, params);
      if (problem) problems.push(problem);
      else checked.set(h, JSON.stringify(b));
      if (!onChain.has(b.previous_hash) && !seen.has(b.previous_hash)) next.push(b.previous_hash);
    }
    frontier = [...new Set(next)];
  }
  return { missing, problems };
}

// ---- the campaign ----------------------------------------------------------------------------

/** Random payments through the API until stopped: random sender and recipient, 1 coin, fee 0-1. */
function startPayments(
  page: Page,
  ids: readonly string[],
  rng: Rng,
  everyMs: number,
): { stop: () => Promise<{ statuses: Record<string, number>; errors: string[] }> } {
  const state = { running: true, statuses: {} as Record<string, number>, errors: [] as string[] };
  const loop = (async () => {
    while (state.running) {
      const from = ids[rng.int(ids.length)] ?? '';
      const others = ids.filter((n) => n !== from);
      const to = others[rng.int(others.length)] ?? '';
      const fee = rng.int(2);
      try {
        // Refusals are expected (no coins yet, a full mempool, a node restarting: 400, 429, 503).
        const r = await request(page, 'POST', `/node/${from}/transactions/new`, {
          recipient: to,
          amount: 1,
          fee,
        });
        const key = String(r.status);
        state.statuses[key] = (state.statuses[key] ?? 0) + 1;
      } catch (e) {
        // The route table answers every request, a stopped node with a 503: a throw is a bug.
        state.statuses.threw = (state.statuses.threw ?? 0) + 1;
        const message = e instanceof Error ? e.message : String(e);
        state.errors.push(message.split('\n').slice(0, 2).join(' '));
        if (page.isClosed()) return;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return { statuses: state.statuses, errors: state.errors };
    },
  };
}

/** Stop mining and wait until every node has one tip; one more block breaks a lasting tie. */
async function converge(page: Page, timeoutMs: number): Promise<{ ok: boolean; ms: number }> {
  const began = performance.now();
  for (const n of await listNodes(page)) {
    if (n.mining) await call(page, 'POST', `/node/${n.id}/mining`, { enabled: false });
  }
  let tieBroken = false;
  while (performance.now() - began < timeoutMs) {
    const rows = await listNodes(page);
    if (new Set(rows.map((r) => r.tip)).size === 1) {
      return { ok: true, ms: Math.round(performance.now() - began) };
    }
    // Two tips of equal work both stay best (first seen) until the next block decides.
    if (!tieBroken && performance.now() - began > 8_000) {
      tieBroken = true;
      await call(page, 'GET', `/node/${rows[0]?.id ?? 'n1'}/mine`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ok: false, ms: Math.round(performance.now() - began) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Run a crash campaign on `page`, a page of the built site (already open or not: it is
 * navigated to `origin` when given). The simulation of the page is reset.
 */
export async function runCrashCampaign(
  page: Page,
  options: CrashCampaignOptions,
  origin?: string,
): Promise<CrashCampaignResult> {
  const began = performance.now();
  const nodes = options.nodes ?? 4;
  const maxDelay = options.maxDelayMs ?? 50;
  const reset = {
    ...DEFAULT_RESET,
    nodes,
    difficultyBits: options.difficultyBits ?? 18,
    blockTimeMs: options.blockTimeMs ?? 1_000,
  };
  const params = paramsFor(reset);
  const rng = createRng(options.seed);
  const killRng = rng.fork('kills');
  const paymentRng = rng.fork('payments');

  // tsx keeps function names with an `__name` helper; functions sent to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (origin !== undefined) await page.goto(origin);
  await page.evaluate('globalThis.__name ??= (f) => f');
  await page.evaluate(() => window.chainlab.ready);

  await call(page, 'POST', '/sim/reset', {
    nodes,
    difficulty_bits: reset.difficultyBits,
    block_time_ms: reset.blockTimeMs,
  });
  await call(page, 'PUT', '/sim/network', { latency_ms: options.latencyMs ?? 10, loss: 0 });
  const rows = await listNodes(page);
  const ids = rows.map((r) => r.id);
  const addresses = rows.map((r) => r.address);
  const acknowledged = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  const lost = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  const checked: Checked = new Map();
  for (const id of ids) await call(page, 'POST', `/node/${id}/mining`, { enabled: true });
  const payments = startPayments(page, ids, paymentRng, options.paymentEveryMs ?? 100);

  const records: KillRecord[] = [];
  const problems: string[] = [];
  const note = (p: string): void => {
    if (problems.length < PROBLEMS_KEPT) problems.push(p);
  };
  let storageSkipped = 0;
  let paymentStatuses: Record<string, number> = {};
  try {
    for (let k = 0; k < options.kills; k++) {
      const victim = ids[killRng.int(ids.length)] ?? '';
      const delayMs = killRng.int(maxDelay + 1);
      const acked = acknowledged.get(victim) ?? new Set<string>();
      const kill = await killInPage(page, victim, ids, delayMs);
      for (const [id, events] of Object.entries(kill.events)) {
        for (const h of acknowledgedIn(events)) acknowledged.get(id)?.add(h);
      }
      // Did the kill come before the triggering block was stored, or between its write and
      // its report? (Known only for a block a peer mined; the victim's own events come after.)
      const triggerAcked = kill.triggerBlock !== null && acked.has(kill.triggerBlock);
      const found: string[] = [];
      if (!kill.restarted) found.push('it did not restart');

      const after = await takeEvents(page, victim);
      storageSkipped += after.filter((e) => e.kind === 'storage-skipped').length;
      const minedSince = new Set(after.flatMap((e) => (e.kind === 'block-mined' ? [e.hash] : [])));
      const balance = await checkBalances(page, victim, addresses);
      if (balance.problem) found.push(balance.problem);
      const chain = balance.chain;
      const chainProblems = checkChain(chain, params, checked);
      const missing = await missingAcknowledged(page, victim, acked, chain, params, checked);
      found.push(...chainProblems, ...missing.problems);
      const lostHere = lost.get(victim) ?? new Set<string>();
      for (const h of missing.missing) lostHere.add(h);
      if (missing.missing.length > 0) {
        const some = missing.missing.slice(0, 3).join(', ');
        found.push(`${missing.missing.length} acknowledged block(s) missing: ${some}`);
      }
      // Restored blocks above the highest acknowledged one, not mined since: committed unreported.
      const highestAcked = chain.reduce((top, b, i) => (acked.has(b.hash) ? i : top), 0);
      const unreported = chain.slice(highestAcked + 1).filter((b) => !minedSince.has(b.hash));
      let triggerState: KillRecord['triggerBlock'] = 'stored-and-reported';
      if (kill.triggerBlock === null) triggerState = 'none';
      else if (!triggerAcked) {
        const known = chain.some((b) => b.hash === kill.triggerBlock);
        const held =
          known || (await blocksOf(page, victim, [kill.triggerBlock])).get(kill.triggerBlock);
        triggerState = held ? 'stored-unreported' : 'not-stored';
      }
      for (const h of acknowledgedIn(after)) acked.add(h);

      await call(page, 'POST', '/sim/network/heal');
      const record: KillRecord = {
        node: victim,
        trigger: kill.trigger,
        triggerBlock: triggerState,
        delayMs,
        killedAfterMs: Math.round(kill.killedAfterMs),
        restartMs: Math.round(kill.restartMs),
        acknowledged: acked.size,
        lost: missing.missing.length,
        unreported: unreported.length,
        height: chain.length,
        restarted: kill.restarted,
        chainValid: chainProblems.length === 0 && missing.problems.length === 0,
        balancesMatch: balance.problem === null,
        problems: found,
      };
      records.push(record);
      for (const p of found) note(`kill ${k + 1}, ${victim}: ${p}`);
      options.onKill?.(k + 1, record);
      // The other nodes' events too, so nothing they acknowledged falls out of a bounded buffer
      // before their turn comes.
      for (const id of ids) {
        if (id === victim) continue;
        for (const h of acknowledgedIn(await takeEvents(page, id))) acknowledged.get(id)?.add(h);
      }
    }
  } finally {
    const stopped = await payments.stop();
    paymentStatuses = stopped.statuses;
    for (const e of stopped.errors.slice(0, 3)) note(`a payment request threw: ${e}`);
  }
  const converged = await converge(page, options.convergeTimeoutMs ?? 60_000);
  const finalRows = await listNodes(page);
  if (!converged.ok) {
    const tips = finalRows.map((r) => `${r.id} at ${r.tip.slice(0, 12)}`).join(', ');
    note(`the network did not converge: ${tips}`);
  }
  // Every node once more, quiet: a valid chain, and balances that equal its replay.
  let finalChecksPass = true;
  for (const id of ids) {
    const { chain, problem } = await checkBalances(page, id, addresses);
    for (const p of [...(problem ? [problem] : []), ...checkChain(chain, params, checked)]) {
      finalChecksPass = false;
      note(`at the end, ${id}: ${p}`);
    }
  }
  const restartTimes = records.map((r) => r.restartMs);
  return {
    kills: records.length,
    recovered: records.filter((r) => r.problems.length === 0).length,
    lost_acknowledged_blocks: [...lost.values()].reduce((sum, s) => sum + s.size, 0),
    converged: converged.ok,
    converge_ms: converged.ms,
    seed: options.seed,
    nodes,
    acknowledged_checked: records.reduce((sum, r) => sum + r.acknowledged, 0),
    triggers: {
      'mined-here': records.filter((r) => r.trigger === 'mined-here').length,
      'received-here': records.filter((r) => r.trigger === 'received-here').length,
      'mined-by-peer': records.filter((r) => r.trigger === 'mined-by-peer').length,
      timeout: records.filter((r) => r.trigger === 'timeout').length,
    },
    kills_before_block_stored: records.filter((r) => r.triggerBlock === 'not-stored').length,
    kills_with_unreported_writes: records.filter(
      (r) => r.unreported > 0 || r.triggerBlock === 'stored-unreported',
    ).length,
    storage_skipped: storageSkipped,
    invalid_chains: records.filter((r) => !r.chainValid).length,
    balance_mismatches: records.filter((r) => !r.balancesMatch).length,
    failed_restarts: records.filter((r) => !r.restarted).length,
    final_checks_pass: finalChecksPass,
    restart_ms: { median: median(restartTimes), max: Math.max(0, ...restartTimes) },
    payments_accepted: paymentStatuses['201'] ?? 0,
    payment_answers: paymentStatuses,
    final_height: Math.max(0, ...finalRows.map((r) => r.height)),
    duration_s: Math.round((performance.now() - began) / 100) / 10,
    problems,
  };
}

/** What the bench reports of a campaign. */
export type CrashCampaignBench = Pick<
  CrashCampaignResult,
  'kills' | 'recovered' | 'lost_acknowledged_blocks'
>;

/** The bench's `crash_campaign`: 100 kills, seed 1, on the site built and served on `port`. */
export async function benchCrashCampaign(port = PORT): Promise<CrashCampaignBench> {
  const { kills, recovered, lost_acknowledged_blocks } = await crashCampaignInBrowser(
    { kills: 100, seed: 1 },
    port,
  );
  return { kills, recovered, lost_acknowledged_blocks };
}

/** Build and serve the site on `port`, and run a campaign in a fresh Chromium page. */
export async function crashCampaignInBrowser(
  options: CrashCampaignOptions,
  port = PORT,
): Promise<CrashCampaignResult> {
  return withBuiltSite(port, async (browser, origin) => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const result = await runCrashCampaign(page, options, origin);
    return pageErrors.length === 0
      ? result
      : { ...result, problems: [...result.problems, ...pageErrors.map((e) => `page error: ${e}`)] };
  });
}

// ---- the command line ------------------------------------------------------------------------

const USAGE = `Usage: npm run crash-campaign -- [--kills N] [--seed S] [--nodes N] [--max-delay MS] [--port P] [--json]
  --kills       workers killed mid-write, one after another (default 100)
  --seed        seeds which node dies and when; the same seed, the same sequence of choices (default 1)
  --nodes       worker nodes, all mining and paying each other (default 4)
  --max-delay   a kill lands 0 to MS ms after a block event of its node (default 50)
  --port        where the built site is served (default ${PORT})
  --json        print one JSON object instead of a summary`;

async function main(): Promise<void> {
  const { values, flags } = parseOptions(
    process.argv.slice(2),
    USAGE,
    {
      kills: { default: 100, min: 1, max: 100_000 },
      seed: { default: 1, min: 0, max: 2 ** 32 - 1 },
      nodes: { default: 4, min: 2, max: 16 },
      'max-delay': { default: 50, min: 0, max: 10_000 },
      port: { default: PORT, min: 1, max: 65_535 },
    },
    ['json'],
  );
  const line = progressLine();
  let result: CrashCampaignResult;
  try {
    result = await crashCampaignInBrowser(
      {
        kills: values.kills,
        seed: values.seed,
        nodes: values.nodes,
        maxDelayMs: values['max-delay'],
        onKill: (done, r) => {
          line(() => `kill ${done} of ${values.kills}: ${r.node}, chain of ${r.height} blocks`);
        },
      },
      values.port,
    );
  } catch (e) {
    line.end();
    process.stderr.write(
      `The crash campaign stopped: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exit(1);
  }
  line.end();
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const r = result;
    process.stdout.write(
      [
        `Crash campaign, seed ${r.seed}, ${r.nodes} nodes: ${r.kills} kills, ${r.recovered} recovered, ${r.lost_acknowledged_blocks} acknowledged blocks lost`,
        `  network converged: ${r.converged ? 'yes' : 'no'} (${r.converge_ms} ms after mining stopped), final height ${r.final_height}`,
        `  kills triggered by a block the victim mined ${r.triggers['mined-here']}, received ${r.triggers['received-here']}, a peer mined ${r.triggers['mined-by-peer']}, none in time ${r.triggers.timeout}`,
        `  kills before the victim stored a peer's block ${r.kills_before_block_stored}; that restored blocks not yet reported ${r.kills_with_unreported_writes}`,
        `  stored records skipped on restore ${r.storage_skipped}`,
        `  acknowledged blocks checked ${r.acknowledged_checked}; restart median ${r.restart_ms.median} ms, max ${r.restart_ms.max} ms`,
        `  payments accepted ${r.payments_accepted}; ${r.duration_s} s in all`,
        ...r.problems.map((p) => `  problem: ${p}`),
      ].join('\n') + '\n',
    );
  }
  const clean =
    result.recovered === result.kills &&
    result.lost_acknowledged_blocks === 0 &&
    result.converged &&
    result.final_checks_pass;
  if (!clean) {
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
