/**
 * The lab service the page's worker exposes: it refuses a bad request with the command line's
 * sentence, gives the same result as `runExperiment` for the same seed while streaming every point,
 * and cancels between runs without returning anything partial.
 */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/lab/csv.ts';
import type { PointResult } from '../../src/lab/experiment.ts';
import { Cancelled, runExperiment } from '../../src/lab/experiment.ts';
import { DOUBLE_SPEND } from '../../src/lab/double-spend.ts';
import { EXPERIMENTS } from '../../src/lab/experiments.ts';
import { LabService, parseRunRequest } from '../../src/lab/service.ts';

const quiet = { onProgress: () => undefined, onPoint: () => undefined };

describe('parseRunRequest', () => {
  const good = { experiment: 'double-spend', params: { z: [0, 1, 2] }, runs: 100, seed: 1 };

  it('accepts a request and reads it with the command line parser', () => {
    const parsed = parseRunRequest({ ...good, params: { q: 0.2, z: [0, 1, 1], win: 'overtake' } });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.experiment).toBe(DOUBLE_SPEND);
    expect(parsed.value.params).toEqual({ q: [0.2], z: [0, 1], win: 'overtake' });
    expect([parsed.value.runs, parsed.value.seed]).toEqual([100, 1]);
  });

  it.each([
    [null, 'A run request is an object.'],
    [
      { ...good, experiment: 'moon-landing' },
      `Name an experiment: ${EXPERIMENTS.map((e) => e.name).join(', ')}.`,
    ],
    [{ ...good, params: { k: [1] } }, 'double-spend has no parameter "k".'],
    [
      { ...good, params: { q: [0.7] } },
      'q must be above 0 and below 0.5 (at 0.5 or more the attacker always wins), got 0.7.',
    ],
    [{ ...good, params: { z: [{}] } }, 'z is a number, a list of numbers or a word.'],
    [
      { ...good, params: { win: 'sometimes' } },
      'win must be one of catch-up, overtake, got "sometimes".',
    ],
    [
      { ...good, params: { z: Array.from({ length: 51 }, (_, i) => i) } },
      'z takes at most 50 values, got 51.',
    ],
    [{ ...good, runs: 0 }, 'runs must be a whole number from 1 to 1000000, got 0.'],
    [{ ...good, runs: '100' }, 'runs is a number.'],
    [{ ...good, seed: 1.5 }, 'seed must be a whole number from 0 to 4294967295, got 1.5.'],
  ])('refuses %j', (request, sentence) => {
    expect(parseRunRequest(request)).toEqual({ ok: false, error: sentence });
  });
});

describe('LabService', () => {
  it('describes every experiment as plain data the page can receive', () => {
    const list = new LabService().list();
    expect(list.map((e) => e.name)).toEqual(EXPERIMENTS.map((e) => e.name));
    expect(structuredClone(list)).toEqual(list);
    expect(list[0]).toEqual({
      name: DOUBLE_SPEND.name,
      summary: DOUBLE_SPEND.summary,
      params: DOUBLE_SPEND.params,
      defaultRuns: DOUBLE_SPEND.defaultRuns,
    });
  });

  it('streams each point and gives what runExperiment gives for the same seed', async () => {
    const service = new LabService();
    const points: PointResult[] = [];
    const progress: number[] = [];
    const request = {
      experiment: 'double-spend',
      params: { q: [0.2], z: [0, 1, 2] },
      runs: 60,
      seed: 5,
    };
    const result = await service.run(request, {
      onProgress: (done, total) => progress.push(done / total),
      onPoint: (p) => points.push(p),
    });
    const direct = await runExperiment(DOUBLE_SPEND, { q: [0.2], z: [0, 1, 2] }, 60, 5);
    expect(toCsv(result)).toBe(toCsv(direct));
    expect(result).toEqual(direct);
    expect(points).toEqual(result.points);
    expect(progress.at(-1)).toBe(1);
    expect(service.running).toBe(false);
  }, 60_000);

  it('cancels between runs: the run rejects with Cancelled and a new one may start', async () => {
    const service = new LabService();
    const points: PointResult[] = [];
    const run = service.run(
      { experiment: 'double-spend', params: { z: [0, 1, 2, 3, 4, 5] }, runs: 100_000, seed: 1 },
      {
        onProgress: (done) => {
          if (done > 0) service.cancel();
        },
        onPoint: (p) => points.push(p),
      },
    );
    await expect(
      service.run({ experiment: 'double-spend', params: {}, runs: 1, seed: 1 }, quiet),
    ).rejects.toThrow('An experiment is already running: cancel it first.');
    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(points).toEqual([]);
    expect(service.running).toBe(false);
    const again = await service.run(
      { experiment: 'double-spend', params: { z: [1] }, runs: 10, seed: 1 },
      quiet,
    );
    expect(again.points).toHaveLength(1);
  }, 60_000);

  it('refuses a bad request with the parser sentence, and stays free', async () => {
    const service = new LabService();
    await expect(
      service.run({ experiment: 'double-spend', params: { q: 0.7 }, runs: 1, seed: 1 }, quiet),
    ).rejects.toThrow('q must be above 0 and below 0.5');
    expect(service.running).toBe(false);
  });
});
