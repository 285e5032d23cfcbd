/**
 * Headless simulation: N nodes, all mining, random payments between them over a network with
 * realistic latency, until the best chain is B blocks long; then mining stops, the network
 * settles, and a report says whether every node converged. Same seed, byte-identical output.
 *
 *   npm run sim -- --nodes 4 --blocks 200 --seed 1 [--json]
 */
import { pathToFileURL } from 'node:url';
import { parseOptions } from './cli-args.ts';
import { createRng } from '../src/core/rng.ts';
import type { NodeId } from '../src/core/types.ts';
import { Simulation } from '../src/sim/simulation.ts';

const USAGE = `Usage: npm run sim -- --nodes N --blocks B --seed S [--latency MS] [--json]
  --nodes    number of nodes, 1 to 16 (default 4)
  --blocks   stop mining once the best chain has this many blocks, 2 to 100000 (default 100)
  --seed     any whole number from 0 to 4294967295; the same seed gives the same run (default 1)
  --latency  mean one-way network delay in milliseconds, 0 to 10000 (default 100)
  --json     print one JSON object instead of a table`;

export interface Args {
  readonly nodes: number;
  readonly blocks: number;
  readonly seed: number;
  readonly latency: number;
  readonly json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const { values, flags } = parseOptions(
    argv,
    USAGE,
    {
      nodes: { default: 4, min: 1, max: 16 },
      blocks: { default: 100, min: 2, max: 100_000 },
      seed: { default: 1, min: 0, max: 0xffffffff },
      latency: { default: 100, min: 0, max: 10_000 },
    },
    ['json'],
  );
  return { ...values, json: flags.has('json') };
}

const BLOCK_TIME_MS = 5_000;
const HASHES_PER_SECOND = 1_000;
const PAYMENT_EVERY_MS = 1_500;

/** One node's line in the report. */
export interface NodeReport {
  readonly id: NodeId;
  readonly tip: string;
  readonly height: number;
  readonly reorgs: number;
  readonly stale_blocks: number;
  readonly balance: number;
}

/** What a run ends with; `--json` prints exactly this. */
export interface SimReport {
  readonly seed: number;
  readonly converged: boolean;
  readonly virtual_seconds: number;
  readonly payments: number;
  readonly nodes: readonly NodeReport[];
}

/** Run a headless simulation to the requested height and report on it. */
export async function runSimulation(args: Omit<Args, 'json'>): Promise<SimReport> {
  // Start near the difficulty the network's total hash rate needs for the target block time;
  // retargeting does the rest.
  const difficultyBits = Math.max(
    1,
    Math.round(Math.log2(args.nodes * HASHES_PER_SECOND * (BLOCK_TIME_MS / 1000))),
  );
  const sim = await Simulation.create({
    nodes: args.nodes,
    seed: args.seed,
    difficultyBits,
    blockTimeMs: BLOCK_TIME_MS,
    latencyMs: args.latency,
    hashesPerSecond: HASHES_PER_SECOND,
  });
  const ids = sim.ids;
  for (const id of ids) await sim.request('POST', `/node/${id}/mining`, { enabled: true });

  const rng = createRng(args.seed).fork('payments');
  let payments = 0;
  let paying = true;
  const pay = async (): Promise<void> => {
    if (!paying) return;
    const from = ids[rng.int(ids.length)] as NodeId;
    const to = ids[rng.int(ids.length)] as NodeId;
    const node = sim.nodeById(from);
    const balance = node.mempool.projected(node.address, node.tree.ledger).balance;
    if (from !== to && balance >= 2n) {
      const amount = 1n + BigInt(rng.int(Number(balance > 5n ? 5n : balance - 1n)));
      const r = await node.pay(sim.nodeById(to).address, amount, BigInt(rng.int(2)));
      if (r.ok) payments++;
    }
    sim.schedule(PAYMENT_EVERY_MS, pay);
  };
  sim.schedule(PAYMENT_EVERY_MS, pay);

  const bestHeight = (): number => Math.max(...ids.map((id) => sim.nodeById(id).tree.tip.height));
  await sim.runUntil(() => bestHeight() >= args.blocks, Number.MAX_SAFE_INTEGER);
  paying = false;
  await sim.settle();

  const nodes = ids.map((id): NodeReport => {
    const node = sim.nodeById(id);
    const { reorgs, staleBlocks } = node.stats;
    return {
      id,
      tip: node.tree.tip.hash,
      height: node.tree.tip.height,
      reorgs,
      stale_blocks: staleBlocks,
      balance: Number(node.account(node.address).balance),
    };
  });
  return {
    seed: args.seed,
    converged: sim.converged(),
    virtual_seconds: Math.round((sim.now - sim.startTimeMs) / 1000),
    payments,
    nodes,
  };
}

/** The report as a table for people. */
export function formatReport(report: SimReport): string {
  const rows = report.nodes.map(
    (n) =>
      `${n.id.padEnd(6)} ${n.tip.slice(0, 16)}…  ${String(n.height).padStart(7)} ${String(n.reorgs).padStart(7)} ${String(n.stale_blocks).padStart(7)}`,
  );
  return [
    `Chainlab simulation: ${report.nodes.length} node${report.nodes.length === 1 ? '' : 's'}, seed ${report.seed}, ${report.payments} payments, ${report.virtual_seconds} s of network time`,
    `node   tip                  height  reorgs   stale`,
    ...rows,
    report.converged
      ? `All ${report.nodes.length} nodes converged on block ${report.nodes[0]?.height ?? 0}.`
      : 'The nodes did NOT converge.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const report = await runSimulation(args);
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  if (!report.converged) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
