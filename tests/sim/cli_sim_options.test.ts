/**
 * The sim CLI's newer options, run as a child process: a sampled-work run over a regular graph
 * reports the run's shape and its stale rate, reorgs and block interval; each bad option exits
 * with code 2, one line saying what is wrong, then the usage, and nothing on stdout.
 */
import { describe, expect, it } from 'vitest';
import { isRecord, runCli } from './cli.ts';

describe('the sim CLI with --pow, --topology and --latency', () => {
  it('a sampled run of 50 nodes on regular:4 converges and reports its shape', async () => {
    const args = ['--pow', 'sampled', '--nodes', '50', '--blocks', '20', '--topology', 'regular:4'];
    const run = await runCli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const report: unknown = JSON.parse(run.stdout);
    if (!isRecord(report)) throw new Error('the CLI did not print a JSON object');

    expect(report.converged).toBe(true);
    expect(report.pow).toBe('sampled');
    expect(report.topology).toBe('regular:4');
    expect(report.latency).toBe('100');
    const { stale_rate, reorgs, mean_block_interval_ms, wall_ms } = report;
    expect(typeof stale_rate).toBe('number');
    expect(stale_rate).toBeGreaterThanOrEqual(0);
    expect(stale_rate).toBeLessThan(1);
    expect(Number.isInteger(reorgs)).toBe(true);
    expect(reorgs).toBeGreaterThanOrEqual(0);
    expect(mean_block_interval_ms).toBeGreaterThan(0);
    expect(Number.isInteger(wall_ms)).toBe(true);
    expect(wall_ms).toBeGreaterThanOrEqual(0);

    const nodes = report.nodes;
    if (!Array.isArray(nodes)) throw new Error('nodes is not an array');
    expect(nodes).toHaveLength(50);
    const entries = nodes.filter(isRecord);
    expect(entries).toHaveLength(50);
    expect(new Set(entries.map((n) => n.tip)).size).toBe(1);
    const height = entries[0]?.height;
    if (typeof height !== 'number') throw new Error('height is not a number');
    expect(height).toBeGreaterThanOrEqual(20);
    // reorgs is the nodes' sum; coins add up to the blocks after genesis.
    expect(entries.reduce((sum, n) => sum + Number(n.reorgs), 0)).toBe(reorgs);
    expect(entries.reduce((sum, n) => sum + Number(n.balance), 0)).toBe(height - 1);
    // The last block came before the run ended (virtual_seconds is rounded to the second).
    expect(mean_block_interval_ms).toBeLessThanOrEqual(
      ((Number(report.virtual_seconds) + 1) * 1000) / (height - 1),
    );

    // The table for people says the same.
    const table = await runCli(args);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('sampled work, regular:4 topology');
    expect(table.stdout).toContain(`All 50 nodes converged on block ${height}.`);
  });

  it.concurrent.for([
    [
      'an unknown topology',
      ['--topology', 'ring'],
      /^--topology: Unknown topology "ring": use full, regular:K or small-world:K:P/,
    ],
    [
      'K as large as the number of nodes',
      ['--nodes', '4', '--topology', 'regular:4'],
      /^--topology regular:4: K must be smaller than the number of nodes \(4\), got 4\.$/,
    ],
    [
      'P outside [0, 1]',
      ['--nodes', '10', '--topology', 'small-world:4:1.5'],
      /^--topology: small-world's P must be between 0 and 1, got "1\.5"\.$/,
    ],
    ['no nodes', ['--nodes', '0'], /^--nodes needs a whole number from 1 to 16, got "0"\.$/],
    [
      '1001 sampled nodes',
      ['--nodes', '1001', '--pow', 'sampled'],
      /^--nodes needs a whole number from 1 to 1000, got "1001"\.$/,
    ],
    [
      '17 nodes with real work',
      ['--nodes', '17'],
      /^--nodes needs a whole number from 1 to 16, got "17"\.$/,
    ],
    [
      'a latency distribution without its parameter',
      ['--latency', 'exponential'],
      /^--latency: exponential needs one delay from 0 to 10000 ms/,
    ],
    [
      'a mean latency above the maximum',
      ['--latency', '20000'],
      /^--latency: the delay must be from 0 to 10000 ms, got 20000\.$/,
    ],
    ['an unknown kind of work', ['--pow', 'fake'], /^--pow: use real or sampled, got "fake"\.$/],
  ] as const)(
    'refuses %s with exit code 2 and a one-line message',
    async ([, args, message], { expect }) => {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      // One line saying what is wrong, a blank line, then the usage.
      const [first, blank, usage] = run.stderr.split('\n');
      expect(first).toMatch(message);
      expect(blank).toBe('');
      expect(usage).toMatch(/^Usage: npm run sim/);
    },
  );
});
