/**
 * Difficulty after a hash-rate shock: N equal miners on the sampled-work engine with the chain's
 * own retargeting (every 10 blocks, clamped to a factor of 4: `retargetWindow` and `retarget` in
 * src/core/target.ts), all mining up to height `at`, then a share of them stops; the best chain's
 * block intervals by height show the chain slowing down and the rule bringing it back.
 *
 * Blocks reach every node at once (zero latency), so almost none go stale (only blocks found in
 * the same millisecond) and every interval is the rule's doing; the stale-rate experiment studies
 * latency.
 *
 * One output point per height, not per retarget window: the shock lands at a height, which may be
 * inside a window, and each window's first interval already shows its new difficulty. A single
 * height's mean over the runs is noisy (an exponential interval's spread equals its mean), which
 * more runs narrow; the theory curves are flat within a window, so a chart shows the steps plainly.
 */
import { DEFAULT_PARAMS } from '../core/params.ts';
import type { SharedCaches } from '../sim/memory-runtime.ts';
import { sharedCaches } from '../sim/memory-runtime.ts';
import { Simulation } from '../sim/simulation.ts';
import type { Experiment, Measurement, ParamValues, PointParams } from './experiment.ts';
import { numberOf } from './experiment.ts';
import { EQUAL_MINERS, bestTip, equalMiners, startMining } from './network.ts';
import { meanInterval95 } from './stats.ts';
import { FIRST_MINED_HEIGHT, retargetExpected, retargetMean } from './theory.ts';

/** One run's network and shock. */
export interface RetargetSettings {
  readonly nodes: number;
  /** Share of the miners (and so of the hash rate) that stops; `leave · nodes` is whole. */
  readonly leave: number;
  /** Height of the last block all miners work on. */
  readonly at: number;
  /** Height to run to. */
  readonly blocks: number;
  readonly intervalMs: number;
}

/** How many miners stop. */
export function leaving(s: Pick<RetargetSettings, 'leave' | 'nodes'>): number {
  return Math.round(s.leave * s.nodes);
}

/**
 * One run: the best chain's block intervals in milliseconds, element i for height i + 2; the first
 * block's is timed from the moment mining starts.
 */
export async function runRetarget(
  s: RetargetSettings,
  seed: number,
  caches: SharedCaches = sharedCaches(),
): Promise<number[]> {
  let best = 0;
  const sim = await Simulation.create({
    ...equalMiners(s.nodes, s.intervalMs),
    seed,
    latency: { kind: 'fixed', ms: 0 },
    caches,
    onEvent: (_id, e) => {
      if (e.kind === 'tip-changed') best = Math.max(best, e.change.newTip.height);
    },
  });
  await startMining(sim);
  await sim.runUntil(() => best >= s.at, Number.MAX_SAFE_INTEGER);
  for (const id of sim.ids.slice(0, leaving(s))) await sim.node(id)?.setMining(false, 1);
  await sim.runUntil(() => best >= s.blocks, Number.MAX_SAFE_INTEGER);
  await sim.settle();
  const times: number[] = [];
  for (let e = bestTip(sim); e.parent; e = e.parent) {
    if (e.height <= s.blocks) times[e.height] = e.block.header.timestampMs;
  }
  times[FIRST_MINED_HEIGHT - 1] = sim.startTimeMs;
  const intervals: number[] = [];
  for (let h = FIRST_MINED_HEIGHT; h <= s.blocks; h++) {
    intervals.push((times[h] ?? NaN) - (times[h - 1] ?? NaN));
  }
  return intervals;
}

/** The runs keep the chain's default retarget window. */
const WINDOW = DEFAULT_PARAMS.retargetInterval;

/** A point's settings, from parameters its specs have validated. */
function settingsOf(point: PointParams): RetargetSettings {
  return {
    nodes: numberOf(point, 'nodes'),
    leave: numberOf(point, 'leave'),
    at: numberOf(point, 'at'),
    blocks: numberOf(point, 'blocks'),
    intervalMs: numberOf(point, 'interval') * 1000,
  };
}

/** Whole numbers of miners leave, and the shock comes before the end, for every combination. */
function checkShock(values: ParamValues): string | null {
  const { nodes, leave, at, blocks } = values;
  if (typeof nodes === 'string' || typeof leave === 'string') return null;
  if (typeof at === 'string' || typeof blocks === 'string') return null;
  for (const n of nodes ?? []) {
    for (const l of leave ?? []) {
      const miners = l * n;
      if (Math.abs(miners - Math.round(miners)) > 1e-9) {
        return `leave × nodes must be a whole number of miners, got ${l} × ${n} = ${Number(miners.toPrecision(12))}.`;
      }
    }
  }
  for (const a of at ?? []) {
    for (const b of blocks ?? []) {
      if (a >= b)
        return `at must be below blocks: a shock at height ${a} never comes in a run to height ${b}.`;
    }
  }
  return null;
}

/** What each point of the output is measured at: the block's height. */
const SERIES_X = 'height';

/** `npm run experiment -- retarget [--leave 0.5] [--at 60] [--blocks 160]`. */
export const RETARGET: Experiment = {
  name: 'retarget',
  summary:
    'Difficulty after a hash-rate shock: a share of the miners leaves at block `at`, and the mean ' +
    'block interval by height shows retargeting recover, beside the rule applied to expected ' +
    'times (expected) and its mean over random windows (mean, 12.5% slower after any retarget).',
  params: [
    EQUAL_MINERS,
    {
      kind: 'number',
      name: 'leave',
      label: 'share of the miners that stops',
      min: 0,
      max: 1,
      minOpen: true,
      maxOpen: true,
      why: 'some must leave and some must stay',
      default: [0.5],
    },
    {
      kind: 'number',
      name: 'at',
      label: 'height of the last block all miners work on',
      min: 2,
      max: 1_999,
      integer: true,
      default: [60],
    },
    {
      kind: 'number',
      name: 'blocks',
      label: 'height to run to',
      min: 3,
      max: 2_000,
      integer: true,
      default: [160],
    },
    {
      kind: 'number',
      name: 'interval',
      label: 'target block interval, seconds',
      min: 1,
      max: 600,
      default: [10],
    },
  ],
  defaultRuns: 200,
  xAxis: { x: SERIES_X, label: 'block height' },
  check: checkShock,
  open() {
    const caches = sharedCaches();
    return Promise.resolve(async (point, runs, seedOf, tick) => {
      const s = settingsOf(point);
      const byHeight: number[][] = Array.from({ length: s.blocks - 1 }, () => []);
      for (let run = 0; run < runs; run++) {
        await tick(run);
        const intervals = await runRetarget(s, seedOf(run), caches);
        intervals.forEach((ms, i) => byHeight[i]?.push(ms / 1000));
      }
      const drop = { after: s.at, leave: s.leave };
      const expected = retargetExpected(drop, s.blocks, WINDOW);
      const mean = retargetMean(drop, s.blocks, WINDOW);
      const seconds = s.intervalMs / 1000;
      const points = byHeight.map((samples, i): Measurement & { at: number } => {
        const m = meanInterval95(samples);
        return {
          at: i + FIRST_MINED_HEIGHT,
          measured: m.mean,
          ci95: m.ci95,
          theory: { expected: (expected[i] ?? NaN) * seconds, mean: (mean[i] ?? NaN) * seconds },
        };
      });
      return { x: SERIES_X, points };
    });
  },
};
