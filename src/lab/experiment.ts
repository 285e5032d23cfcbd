/**
 * What every experiment shares: parameters as lists, points as their combinations, seeded runs,
 * progress and cancelling, and one result shape for the command line, the page and the tests:
 * `{experiment, params, runs, seed, points: [{…point parameters, measured, ci95, theory}]}`.
 */
import { sha256 } from '../core/hash.ts';
import { Cancelled } from './cancelled.ts';
import { macrotask } from '../sim/memory-runtime.ts';
import type { ParamInfo, ParamSpec } from './params.ts';

/** Parameter values as given: a list of numbers or one word per parameter. */
export type ParamValues = Readonly<Record<string, readonly number[] | string>>;

/** One point's parameters: one value each. */
export type PointParams = Readonly<Record<string, number | string>>;

/** What a point's runs measured, with the curves to compare it with. */
export interface Measurement {
  readonly measured: number;
  /** The 95% confidence interval of `measured`, from the number of runs. */
  readonly ci95: readonly [number, number];
  /** Named theoretical values at this point (e.g. `exact`, `nakamoto`). */
  readonly theory: Readonly<Record<string, number>>;
}

/** A measured point: its parameters (one value each) and its measurement. */
export interface PointResult extends Measurement {
  readonly [param: string]: unknown;
}

/** The whole output of one experiment run. */
export interface ExperimentResult {
  readonly experiment: string;
  readonly params: ParamValues;
  readonly runs: number;
  readonly seed: number;
  readonly points: readonly PointResult[];
}

/** Several measurements from one point's runs, each at its own value of `x` (e.g. a height). */
export interface Series {
  readonly x: string;
  readonly points: readonly (Measurement & { readonly at: number })[];
}

/**
 * Measures a point; made once per experiment run (shared setup such as a saved network). Most
 * give one measurement; one whose runs each trace a curve (block interval over height) gives a
 * series, which becomes one output point per value of its `x`.
 */
export type Measurer = (
  point: PointParams,
  runs: number,
  seedOf: (run: number) => number,
  tick: (runsDone: number) => Promise<void>,
) => Promise<Measurement | Series>;

/** What an experiment is, as data: what a form, a usage text or another thread needs. */
export interface ExperimentInfo {
  readonly name: string;
  /** One sentence: what it shows. */
  readonly summary: string;
  readonly params: readonly ParamInfo[];
  /** Runs per point when none are asked for. */
  readonly defaultRuns: number;
  /**
   * A chart's x when it is not one of the parameters: a value each output point carries, either
   * the x of the curve each point's runs trace (a `Series`, e.g. the block height) or one derived
   * from parameters (`derive`, e.g. latency / interval, which then `from` lists, so that they do
   * not split the points into separate curves). `label` says what it is in a few words.
   */
  readonly xAxis?: {
    readonly x: string;
    readonly label: string;
    readonly from?: readonly string[];
  };
}

/** One experiment of the lab. */
export interface Experiment extends ExperimentInfo {
  readonly params: readonly ParamSpec[];
  /**
   * What is wrong with a combination of parameters each valid alone (a shock height past the
   * end of the run), in one sentence; null when nothing is. Given every value, defaults filled.
   */
  check?(values: ParamValues): string | null;
  /**
   * Values computed from a point's parameters alone, reported beside them (e.g. a ratio for a
   * chart's x axis).
   */
  derive?(point: PointParams): Readonly<Record<string, number>>;
  /** Set up what every point shares. */
  open(seed: number): Promise<Measurer>;
}

/** Progress: runs done so far out of all points' runs. */
export type ProgressListener = (done: number, total: number) => void;

export { Cancelled } from './cancelled.ts';

/** Every parameter's value: the given one, else its default. */
export function withDefaults(e: ExperimentInfo, given: ParamValues): ParamValues {
  const values: Record<string, readonly number[] | string> = {};
  for (const p of e.params) values[p.name] = given[p.name] ?? p.default;
  return values;
}

/** The points: every combination of the list parameters, in the order they are listed. */
export function pointsOf(e: ExperimentInfo, values: ParamValues): PointParams[] {
  let points: Record<string, number | string>[] = [{}];
  for (const p of e.params) {
    const v = values[p.name] ?? p.default;
    const options: readonly (number | string)[] = typeof v === 'string' ? [v] : v;
    points = points.flatMap((pt) => options.map((o) => ({ ...pt, [p.name]: o })));
  }
  return points;
}

/** A point's label, e.g. `q=0.1 z=3`: names its runs' seeds and its progress line. */
export function pointLabel(point: PointParams): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * The seed of one run: from the experiment's seed, the point and the run's index alone, through
 * SHA-256 so that runs whose labels differ by a character share no structure (the runs of a point
 * must be independent for their interval to mean anything).
 */
export function runSeed(experiment: string, seed: number, point: PointParams, run: number): number {
  const label = new TextEncoder().encode(`${experiment}|${seed}|${pointLabel(point)}|${run}`);
  const digest = sha256(label);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** What a caller may follow and control while an experiment runs. */
export interface RunOptions {
  /** Runs done so far, after every batch of runs. */
  readonly onProgress?: ProgressListener;
  /** Each output point as soon as it is measured (a chart fills in as results arrive). */
  readonly onPoint?: (point: PointResult) => void;
  /** Cancels between runs: the run rejects with {@link Cancelled}. */
  readonly signal?: AbortSignal;
}

/**
 * Run an experiment: every point, `runs` runs each, seeded so that the same seed gives the same
 * result. Parameters the experiment's `check` refuses throw a RangeError with its sentence:
 * callers check first.
 */
export async function runExperiment(
  e: Experiment,
  given: ParamValues,
  runs: number,
  seed: number,
  options: RunOptions = {},
): Promise<ExperimentResult> {
  const params = withDefaults(e, given);
  const problem = e.check?.(params);
  if (problem) throw new RangeError(problem);
  const points = pointsOf(e, params);
  const total = points.length * runs;
  const measure = await e.open(seed);
  const results: PointResult[] = [];
  for (const [i, point] of points.entries()) {
    const before = i * runs;
    const m = await measure(
      point,
      runs,
      (run) => runSeed(e.name, seed, point, run),
      async (runsDone) => {
        if (options.signal?.aborted) throw new Cancelled();
        options.onProgress?.(before + runsDone, total);
        await macrotask();
        if (options.signal?.aborted) throw new Cancelled();
      },
    );
    const shown = { ...point, ...e.derive?.(point) };
    const measured: PointResult[] =
      'x' in m
        ? m.points.map(({ at, ...s }) => ({ ...shown, [m.x]: at, ...s }))
        : [{ ...shown, ...m }];
    for (const p of measured) {
      results.push(p);
      options.onPoint?.(p);
    }
  }
  options.onProgress?.(total, total);
  return { experiment: e.name, params, runs, seed, points: results };
}

/**
 * A point's number parameter: a TypeError when it is missing, since the experiment's own
 * parameter list and its measurer disagree (a programmer error).
 */
export function numberOf(point: PointParams, name: string): number {
  const v = point[name];
  if (typeof v !== 'number') throw new TypeError(`the point has no number ${name}`);
  return v;
}

/** A point's word or text parameter, likewise. */
export function textOf(point: PointParams, name: string): string {
  const v = point[name];
  if (typeof v !== 'string') throw new TypeError(`the point has no text ${name}`);
  return v;
}

/** Runs between two looks at progress and cancelling. */
export const RUNS_PER_TICK = 100;
