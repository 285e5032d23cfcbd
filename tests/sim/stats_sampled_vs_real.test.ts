/**
 * Sampled work stands in for real work only if a network cannot tell them apart. The same small
 * network runs with real hashing and with sampled discovery times, over several fixed seeds, and
 * the two must agree on what an experiment measures: the stale rate and the block interval, each
 * within the 95% confidence interval of their difference, computed from the counts of this run
 * (CONTRIBUTING.md, Statistics).
 */
import { describe, expect, it } from 'vitest';
import type { WorkMode } from '../../src/core/params.ts';
import type { BlockEntry } from '../../src/core/chain.ts';
import { Simulation } from '../../src/sim/simulation.ts';

const NODES = 6;
const BLOCKS = 300;
const SEEDS = [11, 12, 13, 14];
const BLOCK_TIME_MS = 5_000;
/** Low, so real work stays quick to compute: about 6,000 hashes a block for the whole network. */
const HASHES_PER_SECOND = 200;
const LATENCY_MS = 100;
/** Two-sided 95% normal quantile. */
const Z95 = 1.959964;

interface RunResult {
  /** Blocks any node mined. */
  readonly mined: number;
  /** Blocks on the final best chain, genesis excluded. */
  readonly onBest: number;
  /** Time between consecutive blocks of the final best chain, in ms. */
  readonly intervals: readonly number[];
  readonly converged: boolean;
}

async function run(pow: WorkMode, seed: number): Promise<RunResult> {
  let best = 0;
  const sim = await Simulation.create({
    nodes: NODES,
    seed,
    pow,
    difficultyBits: Math.round(Math.log2(NODES * HASHES_PER_SECOND * (BLOCK_TIME_MS / 1000))),
    blockTimeMs: BLOCK_TIME_MS,
    hashesPerSecond: HASHES_PER_SECOND,
    latencyMs: LATENCY_MS,
    onEvent: (_id, e) => {
      if (e.kind === 'tip-changed') best = Math.max(best, e.change.newTip.height);
    },
  });
  for (const id of sim.ids) {
    const res = await sim.request('POST', `/node/${id}/mining`, { enabled: true });
    expect(res.status).toBe(200);
  }
  await sim.runUntil(() => best >= BLOCKS, Number.MAX_SAFE_INTEGER);
  await sim.settle();
  let tip: BlockEntry = sim.nodeById(sim.ids[0] ?? ('n1' as never)).tree.tip;
  for (const id of sim.ids) {
    const t = sim.nodeById(id).tree.tip;
    if (t.chainWork > tip.chainWork) tip = t;
  }
  const intervals: number[] = [];
  for (let e: BlockEntry = tip; e.parent && e.parent.height > 1; e = e.parent) {
    intervals.push(e.block.header.timestampMs - e.parent.block.header.timestampMs);
  }
  return {
    mined: sim.stats.blocksMined,
    onBest: tip.height - 1,
    intervals,
    converged: sim.converged(),
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

describe('stats: sampled work is statistically the same network as real work', () => {
  it(`${NODES} nodes, ${BLOCKS} blocks, seeds ${SEEDS.join(', ')}: stale rate and block interval agree`, async () => {
    const real: RunResult[] = [];
    const sampled: RunResult[] = [];
    for (const seed of SEEDS) {
      real.push(await run('real', seed));
      sampled.push(await run('sampled', seed));
    }
    for (const r of [...real, ...sampled]) {
      expect(r.converged).toBe(true);
      expect(r.onBest).toBeGreaterThanOrEqual(BLOCKS - 1);
      expect(r.mined).toBeGreaterThanOrEqual(r.onBest);
    }

    // Stale rate: blocks off the final chain over blocks mined, pooled over the seeds. The 95%
    // interval of the difference of two proportions (normal approximation, counts in the tens).
    const pooled = (rs: readonly RunResult[]): { p: number; n: number } => {
      const mined = rs.reduce((a, r) => a + r.mined, 0);
      const stale = rs.reduce((a, r) => a + r.mined - r.onBest, 0);
      return { p: stale / mined, n: mined };
    };
    const sr = pooled(real);
    const ss = pooled(sampled);
    // Both networks do lose blocks to propagation delay: the comparison is not of two zeros.
    expect(sr.p * sr.n).toBeGreaterThanOrEqual(10);
    expect(ss.p * ss.n).toBeGreaterThanOrEqual(10);
    const staleHalfWidth = Z95 * Math.sqrt((sr.p * (1 - sr.p)) / sr.n + (ss.p * (1 - ss.p)) / ss.n);
    expect(Math.abs(sr.p - ss.p)).toBeLessThanOrEqual(staleHalfWidth);

    // Block interval: the difference of the mean intervals over every block of every final chain.
    const ir = real.flatMap((r) => r.intervals);
    const is = sampled.flatMap((r) => r.intervals);
    const intervalHalfWidth = Z95 * Math.sqrt(variance(ir) / ir.length + variance(is) / is.length);
    expect(Math.abs(mean(ir) - mean(is))).toBeLessThanOrEqual(intervalHalfWidth);
  });
});
