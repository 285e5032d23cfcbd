/** `npm run experiment`: its output shapes, its determinism and its refusals. */
import { describe, expect, it } from 'vitest';
import { isRecord, runCli } from '../sim/cli.ts';

const experiment = (args: readonly string[]) => runCli(args, 'scripts/experiment.ts');

describe('npm run experiment', () => {
  it('prints the documented JSON, the same for the same seed', async () => {
    const args = [
      'double-spend',
      '--q',
      '0.2',
      '--z',
      '0,2',
      '--runs',
      '40',
      '--seed',
      '3',
      '--json',
    ];
    const [a, b] = await Promise.all([experiment(args), experiment(args)]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const parsed: unknown = JSON.parse(a.stdout);
    if (!isRecord(parsed)) throw new Error('not an object');
    expect(parsed.experiment).toBe('double-spend');
    expect(parsed.runs).toBe(40);
    expect(parsed.seed).toBe(3);
    expect(parsed.params).toEqual({ q: [0.2], z: [0, 2], win: 'catch-up' });
    const points = parsed.points;
    if (!Array.isArray(points)) throw new Error('no points');
    expect(points.map((p: Record<string, unknown>) => [p.q, p.z, p.win])).toEqual([
      [0.2, 0, 'catch-up'],
      [0.2, 2, 'catch-up'],
    ]);
    for (const p of points as Record<string, unknown>[]) {
      const [low, high] = p.ci95 as [number, number];
      expect(low).toBeLessThanOrEqual(p.measured as number);
      expect(high).toBeGreaterThanOrEqual(p.measured as number);
      expect(Object.keys(p.theory as object).sort()).toEqual(['exact', 'nakamoto']);
    }
  }, 60_000);

  it('selfish mining prints its points with the closed form, the fair share and the threshold', async () => {
    const run = await experiment([
      'selfish-mining',
      '--alpha',
      '0.2,0.4',
      '--gamma',
      '0.5',
      '--blocks',
      '50',
      '--runs',
      '2',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const parsed: unknown = JSON.parse(run.stdout);
    if (!isRecord(parsed) || !Array.isArray(parsed.points)) throw new Error('no points');
    expect(parsed.points).toHaveLength(2);
    for (const p of parsed.points as Record<string, unknown>[]) {
      expect(Object.keys(p.theory as object).sort()).toEqual([
        'eyal_sirer',
        'fair_share',
        'threshold',
      ]);
      expect((p.theory as Record<string, number>).fair_share).toBe(p.alpha);
      expect((p.theory as Record<string, number>).threshold).toBe(0.25);
    }
  }, 60_000);

  it('prints one CSV row per point under a header', async () => {
    const run = await experiment(['double-spend', '--z', '1,2,3', '--runs', '10', '--csv']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('q,z,win,measured,ci95_low,ci95_high,theory_exact,theory_nakamoto');
    expect(lines).toHaveLength(4);
  }, 60_000);

  it.each([
    [['double-spend', '--q', '0.5'], 'q must be above 0 and below 0.5'],
    [['double-spend', '--q', '0'], 'q must be above 0 and below 0.5'],
    [['double-spend', '--z', '-1'], 'z must be a whole number from 0 to 100'],
    [['double-spend', '--z', '2.5'], 'z must be a whole number from 0 to 100'],
    [['double-spend', '--z', '1,x'], 'z needs a number or a comma list of numbers'],
    [['double-spend', '--runs', '0'], 'runs must be a whole number from 1 to 1000000'],
    [['double-spend', '--runs', '10000000'], 'runs must be a whole number from 1 to 1000000'],
    [['double-spend', '--win', 'sometimes'], 'win must be one of catch-up, overtake'],
    [['double-spend', '--alpha', '0.2'], 'double-spend has no option "--alpha"'],
    [['double-spend', '--json', '--csv'], 'Choose --json or --csv, not both.'],
    [['selfish-mining', '--alpha', '0.5'], 'alpha must be above 0 and below 0.5'],
    [['selfish-mining', '--gamma', '1.5'], 'gamma must be at least 0 and at most 1'],
    [['selfish-mining', '--blocks', '5'], 'blocks must be a whole number from 10 to 1000000'],
    [['teleport'], 'No experiment is called "teleport"'],
    [[], 'Name an experiment'],
  ])(
    'refuses %j with one clear sentence',
    async (args, message) => {
      const run = await experiment(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toContain(message);
    },
    60_000,
  );
});
