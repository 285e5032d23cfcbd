/** `npm run experiment` for stale-rate and retarget: output shapes, determinism and refusals. */
import { describe, expect, it } from 'vitest';
import { isRecord, runCli } from '../sim/cli.ts';

const experiment = (args: readonly string[]) => runCli(args, 'scripts/experiment.ts');

/** The JSON a run printed, with its points. */
function parse(stdout: string): {
  result: Record<string, unknown>;
  points: Record<string, unknown>[];
} {
  const parsed: unknown = JSON.parse(stdout);
  if (!isRecord(parsed)) throw new Error('not an object');
  const points = parsed.points;
  if (!Array.isArray(points) || !points.every(isRecord)) throw new Error('no points');
  return { result: parsed, points };
}

/** Every point's interval holds its measurement, and it has exactly these theory curves. */
function expectMeasurements(points: readonly Record<string, unknown>[], curves: string[]): void {
  for (const p of points) {
    const [low, high] = p.ci95 as [number, number];
    expect(low).toBeLessThanOrEqual(p.measured as number);
    expect(high).toBeGreaterThanOrEqual(p.measured as number);
    expect(Object.keys(p.theory as object).sort()).toEqual(curves);
  }
}

describe('npm run experiment stale-rate', () => {
  it('prints the documented JSON, the same for the same seed', async () => {
    const args = [
      'stale-rate',
      '--latency',
      '0,500',
      '--nodes',
      '4',
      '--topology',
      'regular:2',
      '--blocks',
      '20',
      '--runs',
      '3',
      '--seed',
      '7',
      '--json',
    ];
    const [a, b] = await Promise.all([experiment(args), experiment(args)]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const { result, points } = parse(a.stdout);
    expect(result.experiment).toBe('stale-rate');
    expect(result.runs).toBe(3);
    expect(result.seed).toBe(7);
    expect(result.params).toEqual({
      interval: [10],
      latency: [0, 500],
      distribution: 'spread',
      topology: 'regular:2',
      nodes: [4],
      blocks: [20],
    });
    expect(points.map((p) => [p.latency, p.latency_over_interval, p.topology])).toEqual([
      [0, 0, 'regular:2'],
      [500, 0.05, 'regular:2'],
    ]);
    expectMeasurements(points, ['model']);
  }, 60_000);

  it('prints one CSV row per point under a header', async () => {
    const run = await experiment([
      'stale-rate',
      '--latency',
      '0,100,200',
      '--distribution',
      'exponential',
      '--nodes',
      '3',
      '--blocks',
      '10',
      '--runs',
      '2',
      '--csv',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'interval,latency,distribution,topology,nodes,blocks,latency_over_interval,measured,ci95_low,ci95_high,theory_model',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]?.startsWith('10,0,exponential,full,3,10,0,')).toBe(true);
  }, 60_000);
});

describe('npm run experiment retarget', () => {
  it('prints one point per height, the same for the same seed', async () => {
    const args = [
      'retarget',
      '--nodes',
      '2',
      '--at',
      '5',
      '--blocks',
      '25',
      '--runs',
      '3',
      '--seed',
      '2',
      '--json',
    ];
    const [a, b] = await Promise.all([experiment(args), experiment(args)]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const { result, points } = parse(a.stdout);
    expect(result.experiment).toBe('retarget');
    expect(result.params).toEqual({
      nodes: [2],
      leave: [0.5],
      at: [5],
      blocks: [25],
      interval: [10],
    });
    expect(points.map((p) => p.height)).toEqual(Array.from({ length: 24 }, (_, i) => i + 2));
    for (const p of points)
      expect([p.nodes, p.leave, p.at, p.blocks, p.interval]).toEqual([2, 0.5, 5, 25, 10]);
    expectMeasurements(points, ['expected', 'mean']);
    // One miner of two stops after height 5: the rule's expected interval doubles from height 6
    // until the retarget at 21, which times 12 to 20, sets it back.
    const expected = points.map((p) => (p.theory as Record<string, number>).expected);
    expect(expected.slice(0, 4)).toEqual([10, 10, 10, 10]);
    expect(expected.slice(4, 19)).toEqual(Array.from({ length: 15 }, () => 20));
    expect(expected[19]).toBeCloseTo(10, 9);
  }, 60_000);

  it('prints one CSV row per height under a header', async () => {
    const run = await experiment([
      'retarget',
      '--nodes',
      '2',
      '--at',
      '3',
      '--blocks',
      '6',
      '--runs',
      '2',
      '--csv',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'nodes,leave,at,blocks,interval,height,measured,ci95_low,ci95_high,theory_expected,theory_mean',
    );
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['2', '3', '4', '5', '6']);
  }, 60_000);
});

describe('npm run experiment refuses', () => {
  it.each([
    [['stale-rate', '--topology', 'mesh'], 'Unknown topology "mesh"'],
    [['stale-rate', '--topology', 'regular:k'], 'regular needs a whole number of peers per node'],
    [
      ['stale-rate', '--topology', 'regular:3', '--nodes', '5'],
      'topology regular:3 cannot be drawn over 5 nodes',
    ],
    [
      ['stale-rate', '--distribution', 'normal'],
      'distribution must be one of spread, fixed, uniform, exponential',
    ],
    [['stale-rate', '--latency', '20000'], 'latency must be at least 0 and at most 10000'],
    [['stale-rate', '--nodes', '1'], 'nodes must be a whole number from 2 to 1000'],
    [['stale-rate', '--interval', '0.5'], 'interval must be at least 1 and at most 600'],
    [
      ['retarget', '--at', '200'],
      'at must be below blocks: a shock at height 200 never comes in a run to height 160.',
    ],
    [
      ['retarget', '--leave', '0.25'],
      'leave × nodes must be a whole number of miners, got 0.25 × 10 = 2.5.',
    ],
    [['retarget', '--leave', '1'], 'leave must be above 0 and below 1'],
    [['retarget', '--blocks', '5000'], 'blocks must be a whole number from 3 to 2000'],
  ])(
    '%j with one clear sentence',
    async (args, message) => {
      const run = await experiment(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toContain(message);
    },
    60_000,
  );
});
