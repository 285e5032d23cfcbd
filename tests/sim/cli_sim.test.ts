/**
 * The headless simulator behind `npm run sim`: runSimulation converges and repeats exactly for a
 * seed, formatReport tells people so, and the CLI prints byte-identical JSON for the same arguments
 * and refuses bad arguments with exit code 2 and a message on stderr.
 */
import { describe, expect, it } from 'vitest';
import { isRecord, runCli } from './cli.ts';
import type { SimReport } from '../../scripts/sim.ts';
import { formatReport, runSimulation } from '../../scripts/sim.ts';

const ARGS = { nodes: 3, blocks: 20, seed: 5, latency: 100 } as const;

/** The CLI's JSON line without `wall_ms`, the one field that measures this machine, not the run. */
function withoutWallTime(stdout: string): string {
  const parsed: unknown = JSON.parse(stdout);
  if (!isRecord(parsed)) throw new Error('the CLI did not print a JSON object');
  expect(typeof parsed.wall_ms).toBe('number');
  expect(parsed.wall_ms).toBeGreaterThanOrEqual(0);
  delete parsed.wall_ms;
  return `${JSON.stringify(parsed)}\n`;
}

describe('runSimulation', () => {
  it('converges: every node on one tip at or above the requested height', async () => {
    const report = await runSimulation(ARGS);
    expect(report.seed).toBe(ARGS.seed);
    expect(report.converged).toBe(true);
    expect(report.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    const tips = new Set(report.nodes.map((n) => n.tip));
    expect(tips.size).toBe(1);
    for (const n of report.nodes) {
      expect(n.tip).toMatch(/^[0-9a-f]{64}$/);
      expect(n.height).toBeGreaterThanOrEqual(ARGS.blocks);
    }
    expect(new Set(report.nodes.map((n) => n.height)).size).toBe(1);
    // Coins come only from block rewards of 1: the balances add up to the blocks after genesis.
    const total = report.nodes.reduce((sum, n) => sum + n.balance, 0);
    expect(total).toBe((report.nodes[0]?.height ?? 0) - 1);
    expect(report.virtual_seconds).toBeGreaterThan(0);
  });

  it('repeats exactly for the same arguments, and differs for another seed', async () => {
    const a = await runSimulation(ARGS);
    const b = await runSimulation(ARGS);
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c: SimReport = await runSimulation({ ...ARGS, seed: 6 });
    expect(c).not.toEqual(a);
    expect(c.seed).toBe(6);
    expect(c.nodes.map((n) => n.tip)).not.toEqual(a.nodes.map((n) => n.tip));
  });

  it('formatReport names every node and says the network converged', async () => {
    const report = await runSimulation(ARGS);
    const text = formatReport(report);
    for (const n of report.nodes) expect(text).toContain(n.id);
    for (const n of report.nodes) expect(text).toContain(n.tip.slice(0, 16));
    expect(text).toMatch(/converged/);
    expect(text).toContain(`All 3 nodes converged on block ${report.nodes[0]?.height ?? -1}.`);
    expect(text).not.toContain('NOT');
    expect(text).toContain(`seed ${ARGS.seed}`);
    // A report that did not converge says so instead.
    const split = formatReport({ ...report, converged: false });
    expect(split).toContain('did NOT converge');
    expect(split).not.toMatch(/All \d+ nodes converged/);
  });
});

describe('the sim CLI', () => {
  const cliArgs = ['--nodes', '2', '--blocks', '5', '--seed', '3', '--json'];

  it('prints byte-identical JSON for the same arguments, apart from the wall time', async () => {
    const first = await runCli(cliArgs);
    const second = await runCli(cliArgs);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(withoutWallTime(second.stdout)).toBe(withoutWallTime(first.stdout));
    expect(first.stdout.endsWith('\n')).toBe(true);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1);

    const parsed: unknown = JSON.parse(first.stdout);
    if (!isRecord(parsed)) throw new Error('the CLI did not print a JSON object');
    expect(parsed.converged).toBe(true);
    expect(parsed.seed).toBe(3);
    const nodes = parsed.nodes;
    if (!Array.isArray(nodes)) throw new Error('nodes is not an array');
    expect(nodes).toHaveLength(2);
    for (const n of nodes as unknown[]) {
      if (!isRecord(n)) throw new Error('a node entry is not an object');
      expect(typeof n.id).toBe('string');
      expect(n.tip).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof n.height).toBe('number');
      expect(n.height).toBeGreaterThanOrEqual(5);
    }
    // Exactly what runSimulation reports for the same arguments (latency defaults to 100).
    const report = await runSimulation({ nodes: 2, blocks: 5, seed: 3, latency: 100 });
    expect(withoutWallTime(first.stdout)).toBe(`${JSON.stringify(report)}\n`);
  });

  it.each([
    [['--nodes', '0'], /--nodes needs a whole number from 1 to 16, got "0"/],
    [['--nodes', 'abc'], /--nodes needs a whole number from 1 to 16, got "abc"/],
    [['--frobnicate', '1'], /Unknown option "--frobnicate"/],
  ])('refuses %j with exit code 2 and a message on stderr', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage:');
    expect(run.stdout).toBe('');
  });
});
