/**
 * Stale blocks against latency: N equal miners on the sampled-work engine, each block gossiped
 * over the chosen topology with one-way delays of the chosen shape, until the best chain is long
 * enough; a run's stale rate is the share of the blocks mined that are not on the final best
 * chain (as `npm run sim` reports it). The difficulty is exact and never retargets, so blocks are
 * found every `interval` on average throughout; retargeting over 10-block windows would make each
 * window's rate random and the chain 12.5% slower on average (see `retargetMean`), and with many
 * stale blocks it would speed discovery up to hold the best chain's pace.
 *
 * The model: a block goes stale when a rival is found while it travels, 1 − exp(−d/T) for the
 * interval T, with the effective delay d = 3 · latency · hops · (N−1)/N: three one-way messages
 * per link (inv, getdata, block) over the mean shortest path between two nodes, against the other
 * N−1 miners (`effectiveDelayMs`).
 */
import type { LatencyDistribution } from '../core/delivery.ts';
import { MAX_LATENCY_MS, meanLatencyMs } from '../core/delivery.ts';
import { err, ok } from '../core/result.ts';
import type { SharedCaches } from '../sim/memory-runtime.ts';
import { sharedCaches } from '../sim/memory-runtime.ts';
import { Simulation } from '../sim/simulation.ts';
import type { Topology } from '../sim/topology.ts';
import {
  FULL_TOPOLOGY,
  formatTopology,
  meanPathLength,
  parseTopology,
  topologyProblem,
} from '../sim/topology.ts';
import type { Experiment, ParamValues, PointParams } from './experiment.ts';
import { numberOf, textOf } from './experiment.ts';
import { EQUAL_MINERS, NO_RETARGET, bestTip, equalMiners, startMining } from './network.ts';
import { meanInterval95 } from './stats.ts';
import { effectiveDelayMs, staleRateModel } from './theory.ts';

/** The shapes of one-way delay the experiment offers, each with `latency` as its mean. */
export const DISTRIBUTIONS = ['spread', 'fixed', 'uniform', 'exponential'] as const;

export type DistributionName = (typeof DISTRIBUTIONS)[number];

/** The delay distribution of this shape and mean: `uniform` spans 0 to twice the mean. */
export function latencyDistribution(name: DistributionName, meanMs: number): LatencyDistribution {
  switch (name) {
    case 'spread':
      return { kind: 'spread', meanMs };
    case 'fixed':
      return { kind: 'fixed', ms: meanMs };
    case 'uniform':
      return { kind: 'uniform', minMs: 0, maxMs: 2 * meanMs };
    case 'exponential':
      return { kind: 'exponential', meanMs };
  }
}

/** One run's network. */
export interface StaleSettings {
  readonly intervalMs: number;
  readonly latency: LatencyDistribution;
  readonly topology: Topology;
  readonly nodes: number;
  /** Mined blocks on the best chain (genesis not counted) at which mining stops. */
  readonly blocks: number;
}

/** What one run found. */
export interface StaleRun {
  /** Blocks mined by any node, kept or not. */
  readonly mined: number;
  /** Of those, the blocks not on the final best chain. */
  readonly stale: number;
  /**
   * Blocks found in the same virtual millisecond as the block found just before them. The clock
   * counts whole milliseconds and a block found first is announced after everything already due
   * in its millisecond, so at zero latency these are the only blocks that can go stale.
   */
  readonly sameMillisecond: number;
  /** Mean shortest-path length between two nodes of this run's graph. */
  readonly meanHops: number;
}

/** Mine until the best chain holds `blocks` mined blocks, let everything arrive, count. */
export async function runStale(
  s: StaleSettings,
  seed: number,
  caches: SharedCaches = sharedCaches(),
): Promise<StaleRun> {
  let best = 0;
  let sameMillisecond = 0;
  let lastFoundAt = -1;
  const clock = { now: (): number => 0 };
  const sim = await Simulation.create({
    ...equalMiners(s.nodes, s.intervalMs),
    retargetInterval: NO_RETARGET,
    seed,
    latency: s.latency,
    topology: s.topology,
    caches,
    onEvent: (_id, e) => {
      if (e.kind === 'tip-changed') best = Math.max(best, e.change.newTip.height);
      else if (e.kind === 'block-mined') {
        const now = clock.now();
        if (now === lastFoundAt) sameMillisecond++;
        lastFoundAt = now;
      }
    },
  });
  clock.now = () => sim.now;
  await startMining(sim);
  // Genesis is height 1.
  await sim.runUntil(() => best > s.blocks, Number.MAX_SAFE_INTEGER);
  await sim.settle();
  const mined = sim.stats.blocksMined;
  const onBest = bestTip(sim).height - 1;
  const graph = new Map(sim.ids.map((id) => [id, sim.nodeById(id).peers]));
  return {
    mined,
    stale: mined - onBest,
    sameMillisecond,
    // Everyone is everyone's peer: one hop, without a search over N² links.
    meanHops: s.topology.kind === 'full' ? Math.min(1, s.nodes - 1) : meanPathLength(graph),
  };
}

/** A point's settings, from parameters its specs have validated. */
function settingsOf(point: PointParams): StaleSettings {
  const distribution = textOf(point, 'distribution');
  const topology = parseTopology(textOf(point, 'topology'));
  if (!isDistribution(distribution) || !topology.ok) {
    throw new TypeError('stale-rate got a distribution or topology its specs refuse');
  }
  return {
    intervalMs: numberOf(point, 'interval') * 1000,
    latency: latencyDistribution(distribution, numberOf(point, 'latency')),
    topology: topology.value,
    nodes: numberOf(point, 'nodes'),
    blocks: numberOf(point, 'blocks'),
  };
}

function isDistribution(name: string): name is DistributionName {
  return (DISTRIBUTIONS as readonly string[]).includes(name);
}

/** Each topology against each number of nodes: the first that cannot be drawn, in a sentence. */
function checkTopology(values: ParamValues): string | null {
  const { topology, nodes } = values;
  if (typeof topology !== 'string' || typeof nodes === 'string' || !nodes) return null;
  const parsed = parseTopology(topology);
  if (!parsed.ok) return parsed.error;
  for (const n of nodes) {
    const problem = topologyProblem(parsed.value, n);
    if (problem) return `topology ${topology} cannot be drawn over ${n} nodes: ${problem}`;
  }
  return null;
}

/** `npm run experiment -- stale-rate --latency 0,100,250,500,1000,2000 [--topology regular:4]`. */
export const STALE_RATE: Experiment = {
  name: 'stale-rate',
  summary:
    'Stale blocks vs latency: the share of mined blocks left off the best chain as one-way latency ' +
    'grows against the block interval T, beside the model 1 − exp(−d/T) with d = 3 × latency × ' +
    'hops × (N−1)/N (inv, getdata and block on each link of the mean shortest path, racing the ' +
    'other N−1 of N equal miners).',
  params: [
    {
      kind: 'number',
      name: 'interval',
      label: 'target block interval, seconds',
      min: 1,
      max: 600,
      default: [10],
    },
    {
      kind: 'number',
      name: 'latency',
      label: 'mean one-way latency, milliseconds',
      min: 0,
      max: MAX_LATENCY_MS,
      default: [0, 100, 250, 500, 1000, 2000],
    },
    {
      kind: 'choice',
      name: 'distribution',
      label: 'shape of each delay around the mean latency (uniform: from 0 to twice it)',
      choices: DISTRIBUTIONS,
      default: 'spread',
    },
    {
      kind: 'text',
      name: 'topology',
      label: 'who is linked to whom',
      forms: 'full, regular:K (K random peers each) or small-world:K:P (Watts-Strogatz)',
      parse: (text) => {
        const parsed = parseTopology(text);
        return parsed.ok ? ok(formatTopology(parsed.value)) : err(parsed.error);
      },
      default: formatTopology(FULL_TOPOLOGY),
    },
    EQUAL_MINERS,
    {
      kind: 'number',
      name: 'blocks',
      label: 'mined blocks on the best chain per run',
      min: 10,
      max: 100_000,
      integer: true,
      default: [200],
    },
  ],
  defaultRuns: 20,
  xAxis: {
    x: 'latency_over_interval',
    label: 'one-way latency / block interval',
    from: ['latency', 'interval'],
  },
  check: checkTopology,
  derive: (point) => ({
    // The model's argument is 3 · hops · (N−1)/N times this: a chart's natural x axis.
    latency_over_interval: numberOf(point, 'latency') / (numberOf(point, 'interval') * 1000),
  }),
  open() {
    const caches = sharedCaches();
    return Promise.resolve(async (point, runs, seedOf, tick) => {
      const s = settingsOf(point);
      const rates: number[] = [];
      let hops = 0;
      for (let run = 0; run < runs; run++) {
        await tick(run);
        const r = await runStale(s, seedOf(run), caches);
        rates.push(r.stale / r.mined);
        hops += r.meanHops;
      }
      const { mean, ci95 } = meanInterval95(rates);
      const delay = effectiveDelayMs(meanLatencyMs(s.latency), hops / runs, s.nodes);
      return { measured: mean, ci95, theory: { model: staleRateModel(delay, s.intervalMs) } };
    });
  },
};
