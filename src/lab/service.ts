/**
 * One experiment at a time, asked for by a message: the request is checked like any input from
 * outside (CONTRIBUTING.md, Types and messages), the run reports its progress and points to
 * listeners, and `cancel` stops it between runs. The page's lab worker (src/worker/lab.worker.ts)
 * exposes one of these; it holds nothing of the DOM, so tests drive it in Node.
 */
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';
import type {
  Experiment,
  ExperimentInfo,
  ExperimentResult,
  ParamValues,
  PointResult,
} from './experiment.ts';
import { runExperiment } from './experiment.ts';
import { EXPERIMENTS, experimentNamed } from './experiments.ts';
import type { ParamInfo } from './params.ts';
import { MAX_LIST, RUNS, SEED, problemSentence, readParam, readSingle } from './params.ts';

/** What the page asks for: an experiment by name, its parameter values, runs and seed. */
export interface RunRequest {
  readonly experiment: string;
  readonly params: ParamValues;
  readonly runs: number;
  readonly seed: number;
}

/** A request that passed every check, with its experiment. */
export interface CheckedRequest {
  readonly experiment: Experiment;
  readonly params: ParamValues;
  readonly runs: number;
  readonly seed: number;
}

/**
 * Where a run reports. Across a worker boundary each call is a message whose answer nobody
 * waits for, hence `unknown` results.
 */
export interface RunListeners {
  onProgress(done: number, total: number): unknown;
  onPoint(point: PointResult): unknown;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A parameter's value back as the text the command line would take, so that the one parser
 * (src/lab/params.ts) checks a request from the page exactly as it checks `--z 0,1,2`.
 */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v): v is number => typeof v === 'number')) {
    return value.map(String).join(',');
  }
  return null;
}

/** Check a request from outside: a known experiment, its own parameters only, each in range. */
export function parseRunRequest(value: unknown): Result<CheckedRequest, string> {
  if (!isRecord(value)) return err('A run request is an object.');
  const { experiment: name, params, runs, seed } = value;
  const experiment = typeof name === 'string' ? experimentNamed(name) : undefined;
  if (!experiment) {
    return err(`Name an experiment: ${EXPERIMENTS.map((e) => e.name).join(', ')}.`);
  }
  if (!isRecord(params)) return err('The parameters are an object of values by name.');
  const unknown = Object.keys(params).find((k) => !experiment.params.some((p) => p.name === k));
  if (unknown !== undefined) return err(`${experiment.name} has no parameter "${unknown}".`);
  const values: Record<string, readonly number[] | string> = {};
  for (const spec of experiment.params) {
    if (!Object.hasOwn(params, spec.name)) continue;
    const given = params[spec.name];
    if (Array.isArray(given) && given.length > MAX_LIST) {
      return err(problemSentence(spec, { kind: 'too-many', count: given.length }));
    }
    const text = asText(given);
    if (text === null) return err(`${spec.name} is a number, a list of numbers or a word.`);
    const read = readParam(spec, text);
    if (!read.ok) return err(problemSentence(spec, read.error));
    values[spec.name] = read.value;
  }
  const checked: Record<'runs' | 'seed', number> = { runs: 0, seed: 0 };
  for (const [spec, given] of [
    [RUNS, runs],
    [SEED, seed],
  ] as const) {
    if (typeof given !== 'number') return err(`${spec.name} is a number.`);
    const read = readSingle(spec, String(given));
    if (!read.ok) return err(problemSentence(spec, read.error));
    checked[spec.name as 'runs' | 'seed'] = read.value;
  }
  return ok({ experiment, params: values, runs: checked.runs, seed: checked.seed });
}

/** An experiment's description alone, as plain data that can cross to another thread. */
export function experimentInfo(e: Experiment): ExperimentInfo {
  // A text parameter's parser is a function, which cannot cross: the worker keeps it.
  const params = e.params.map((spec): ParamInfo => {
    if (spec.kind !== 'text') return spec;
    const { kind, name, label, forms } = spec;
    return { kind, name, label, forms, default: spec.default };
  });
  return {
    name: e.name,
    summary: e.summary,
    params,
    defaultRuns: e.defaultRuns,
    ...(e.xAxis ? { xAxis: e.xAxis } : {}),
  };
}

/** Runs experiments one at a time, each cancellable. */
export class LabService {
  #current: AbortController | null = null;

  /** Every experiment, described, in the order they are presented. */
  list(): ExperimentInfo[] {
    return EXPERIMENTS.map(experimentInfo);
  }

  /**
   * Run the requested experiment to the end. Rejects with `Cancelled` (src/lab/experiment.ts)
   * when {@link cancel} is called, with an Error naming the problem when the request is refused,
   * and when a run is already going (a page shows one run at a time).
   */
  async run(request: unknown, listeners: RunListeners): Promise<ExperimentResult> {
    if (this.#current) throw new Error('An experiment is already running: cancel it first.');
    const checked = parseRunRequest(request);
    if (!checked.ok) throw new Error(checked.error);
    const { experiment, params, runs, seed } = checked.value;
    const controller = new AbortController();
    this.#current = controller;
    try {
      return await runExperiment(experiment, params, runs, seed, {
        signal: controller.signal,
        onProgress: (done, total) => {
          void listeners.onProgress(done, total);
        },
        onPoint: (point) => {
          void listeners.onPoint(point);
        },
      });
    } finally {
      this.#current = null;
    }
  }

  /** Stop the running experiment at its next look at the signal (between runs); else nothing. */
  cancel(): void {
    this.#current?.abort();
  }

  /** Is an experiment running? */
  get running(): boolean {
    return this.#current !== null;
  }
}
