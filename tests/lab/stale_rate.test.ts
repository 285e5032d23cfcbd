/**
 * Stale blocks against latency, run by real nodes with sampled work: what is exactly true at zero
 * latency in this engine, the rise with latency judged by 99.9% intervals (CONTRIBUTING.md,
 * Statistics: several comparisons in one file), the model's delay and range, and the refusal of
 * topologies that cannot be read or drawn.
 */
import { describe, expect, it } from 'vitest';
import { runExperiment, runSeed } from '../../src/lab/experiment.ts';
import { parseParam } from '../../src/lab/params.ts';
import type { StaleSettings } from '../../src/lab/stale-rate.ts';
import { STALE_RATE, latencyDistribution, runStale } from '../../src/lab/stale-rate.ts';
import { effectiveDelayMs, staleRateModel } from '../../src/lab/theory.ts';
import { sharedCaches } from '../../src/sim/memory-runtime.ts';
import { FULL_TOPOLOGY } from '../../src/sim/topology.ts';
import { Z_99_9, sampleMean } from '../core/confidence.ts';

/** The stale rate of each of `runs` runs. */
async function staleRates(s: StaleSettings, runs: number): Promise<number[]> {
  const caches = sharedCaches();
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const seed = runSeed('stale test', 3, { latency: s.latency.kind }, run);
    const r = await runStale(s, seed, caches);
    rates.push(r.stale / r.mined);
  }
  return rates;
}

/** The mean of the samples with its 99.9% interval. */
function interval99(samples: readonly number[]): { low: number; high: number } {
  const mean = sampleMean(samples);
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (samples.length - 1);
  const half = Z_99_9 * Math.sqrt(variance / samples.length);
  return { low: mean - half, high: mean + half };
}

const topologySpec = STALE_RATE.params.find((p) => p.name === 'topology');
if (!topologySpec) throw new Error('stale-rate has no topology parameter');

describe('stale blocks, run by real nodes', () => {
  it('at zero latency a block goes stale exactly when another was found in the same millisecond', async () => {
    // Every message of a millisecond is delivered in that millisecond, after the events already
    // due in it: only a rival found in the same millisecond misses a block. A 1 s interval makes
    // such rivals common enough to see: about one block in 3,000 with three miners.
    const s: StaleSettings = {
      intervalMs: 1_000,
      latency: latencyDistribution('fixed', 0),
      topology: FULL_TOPOLOGY,
      nodes: 3,
      blocks: 1_000,
    };
    const caches = sharedCaches();
    let rivals = 0;
    for (let run = 0; run < 15; run++) {
      const r = await runStale(s, runSeed('stale test zero', 3, {}, run), caches);
      expect(r.stale).toBe(r.sameMillisecond);
      rivals += r.sameMillisecond;
    }
    expect(rivals).toBeGreaterThan(0);
  }, 60_000);

  it('rises with latency: 0, 250 and 1,000 ms have disjoint 99.9% intervals, in that order', async () => {
    const at = (latencyMs: number): StaleSettings => ({
      intervalMs: 10_000,
      latency: latencyDistribution('spread', latencyMs),
      topology: FULL_TOPOLOGY,
      nodes: 5,
      blocks: 100,
    });
    const [none, some, much] = [
      interval99(await staleRates(at(0), 30)),
      interval99(await staleRates(at(250), 30)),
      interval99(await staleRates(at(1_000), 30)),
    ];
    expect(none.high).toBeLessThan(some.low);
    expect(some.high).toBeLessThan(much.low);
  }, 60_000);

  it('states its model, whose values lie in [0, 1] and grow with latency', async () => {
    expect(STALE_RATE.summary).toContain('1 − exp(−d/T) with d = 3 × latency × hops × (N−1)/N');
    const result = await runExperiment(
      STALE_RATE,
      { latency: [0, 500, 5_000], topology: 'regular:2', nodes: [4], blocks: [10] },
      2,
      1,
    );
    const models = result.points.map((p) => p.theory.model ?? NaN);
    expect(models[0]).toBe(0);
    for (const m of models) {
      expect(m).toBeGreaterThanOrEqual(0);
      expect(m).toBeLessThanOrEqual(1);
    }
    expect(models).toEqual([...models].sort((a, b) => a - b));
    // A ring of 4 (regular:2): distances 1, 1 and 2, a mean of 4/3 hops; three in four miners race.
    const delay = effectiveDelayMs(500, 4 / 3, 4);
    expect(delay).toBeCloseTo(1_500, 9);
    expect(models[1]).toBeCloseTo(staleRateModel(delay, 10_000), 12);
    expect(result.points.map((p) => p.latency_over_interval)).toEqual([0, 0.05, 0.5]);
  }, 60_000);

  it('with everyone linked, the delay is three latencies to the other N−1 of N miners', () => {
    expect(effectiveDelayMs(100, 1, 10)).toBeCloseTo(270, 9);
    expect(effectiveDelayMs(100, 1, 1)).toBe(0);
  });

  it.each([
    ['mesh', 'Unknown topology "mesh"'],
    ['regular:x', 'regular needs a whole number of peers per node'],
    ['small-world:4:2', "small-world's P must be between 0 and 1"],
  ])('refuses the topology %j: %s', (text, message) => {
    const parsed = parseParam(topologySpec, text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('reads a topology in its canonical form', () => {
    expect(parseParam(topologySpec, 'small-world:4:.5')).toEqual({
      ok: true,
      value: 'small-world:4:0.5',
    });
  });

  it('refuses a topology that cannot be drawn over the nodes, before running anything', async () => {
    const values = { topology: 'regular:3', nodes: [6, 5] };
    const problem = STALE_RATE.check?.({ ...values, latency: [0] });
    expect(problem).toBe(
      'topology regular:3 cannot be drawn over 5 nodes: regular:3 over 5 nodes is impossible: K times the number of nodes must be even.',
    );
    await expect(runExperiment(STALE_RATE, values, 1, 1)).rejects.toThrow(RangeError);
    expect(STALE_RATE.check?.({ topology: 'regular:3', nodes: [6] })).toBeNull();
  });
});
