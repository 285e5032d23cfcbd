/**
 * The lab's experiments, headless: every point's runs on real nodes with sampled work, measured
 * with 95% intervals beside the theory they test. Same seed, same output, byte for byte.
 *
 *   npm run experiment -- double-spend --q 0.1 --z 0,1,2,3,4,5 --runs 10000 --seed 1 --json
 */
import { pathToFileURL } from 'node:url';
import { fail, progressLine } from './cli-args.ts';
import { toCsv } from '../src/lab/csv.ts';
import type { Experiment, ExperimentResult, ParamValues } from '../src/lab/experiment.ts';
import { runExperiment, withDefaults } from '../src/lab/experiment.ts';
import { EXPERIMENTS, experimentNamed } from '../src/lab/experiments.ts';
import type { NumberParam, ParamSpec } from '../src/lab/params.ts';
import {
  RUNS,
  SEED,
  describeRange,
  parseParam,
  problemSentence,
  readSingle,
} from '../src/lab/params.ts';

/** The usage, listing every experiment's parameters from their definitions. */
export function usage(): string {
  const describe = (p: ParamSpec): string => {
    const flag = `    --${`${p.name} `.padEnd(8)}`;
    switch (p.kind) {
      case 'choice':
        return `${flag}${p.label}: ${p.choices.join(' or ')} (default ${p.default})`;
      case 'text':
        return `${flag}${p.label}: ${p.forms} (default ${p.default})`;
      case 'number':
        return `${flag}${p.label}, ${describeRange(p)}; one value or a comma list (default ${p.default.join(',')})`;
    }
  };
  return [
    'Usage: npm run experiment -- NAME [--PARAM VALUE ...] [--runs R] [--seed S] [--json|--csv]',
    `  --runs      runs per point, ${describeRange(RUNS)} (default: the experiment's own)`,
    `  --seed      ${describeRange(SEED)}; the same seed gives the same output (default 1)`,
    '  --json      print one JSON object; --csv prints one row per point; neither prints a table',
    '',
    'Experiments:',
    ...EXPERIMENTS.flatMap((e) => [`  ${e.name}: ${e.summary}`, ...e.params.map(describe)]),
  ].join('\n');
}

/** What the command line asked for. */
export interface ExperimentArgs {
  readonly experiment: Experiment;
  readonly params: ParamValues;
  readonly runs: number;
  readonly seed: number;
  readonly format: 'table' | 'json' | 'csv';
}

function single(p: NumberParam, text: string | undefined): number {
  const read = readSingle(p, text ?? '');
  if (!read.ok) fail(usage(), problemSentence(p, read.error));
  return read.value;
}

/** Read the arguments; bad input prints one sentence and the usage, and exits with code 2. */
export function parseArgs(argv: readonly string[]): ExperimentArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('--')) {
    fail(usage(), `Name an experiment: ${EXPERIMENTS.map((e) => e.name).join(', ')}.`);
  }
  const experiment = experimentNamed(name);
  if (!experiment) {
    fail(
      usage(),
      `No experiment is called "${name}": try ${EXPERIMENTS.map((e) => e.name).join(', ')}.`,
    );
  }
  const params: Record<string, readonly number[] | string> = {};
  let runs = experiment.defaultRuns;
  let seed = 1;
  let format: ExperimentArgs['format'] = 'table';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--json' || arg === '--csv') {
      const wanted = arg === '--json' ? 'json' : 'csv';
      if (format !== 'table' && format !== wanted)
        fail(usage(), 'Choose --json or --csv, not both.');
      format = wanted;
      continue;
    }
    const key = arg.replace(/^--/, '');
    const text = rest[++i];
    if (!arg.startsWith('--')) fail(usage(), `Unexpected "${arg}": options start with --.`);
    if (key === 'runs') runs = single(RUNS, text);
    else if (key === 'seed') seed = single(SEED, text);
    else {
      const spec = experiment.params.find((p) => p.name === key);
      if (!spec) fail(usage(), `${experiment.name} has no option "${arg}".`);
      if (text === undefined) fail(usage(), `--${key} needs a value.`);
      const parsed = parseParam(spec, text);
      if (!parsed.ok) fail(usage(), parsed.error);
      params[key] = parsed.value;
    }
  }
  const problem = experiment.check?.(withDefaults(experiment, params));
  if (problem) fail(usage(), problem);
  return { experiment, params, runs, seed, format };
}

const number = (v: number): string => String(Number(v.toPrecision(6)));

/** The result as a table for people. */
export function toTable(result: ExperimentResult): string {
  const csv = toCsv(result).trim().split('\n');
  const cells = csv.map((line) =>
    line.split(',').map((c) => (/^-?[\d.e-]+$/.test(c) ? number(Number(c)) : c)),
  );
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return `${[
    `Chainlab experiment ${result.experiment}: ${result.runs} runs per point, seed ${result.seed}`,
    ...cells.map((r) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')),
  ].join('\n')}\n`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const line = progressLine();
  const result = await runExperiment(args.experiment, args.params, args.runs, args.seed, {
    onProgress: (done, total) => {
      line(() => `${args.experiment.name}: ${done} of ${total} runs`);
    },
  });
  line.end();
  const out =
    args.format === 'json'
      ? `${JSON.stringify(result)}\n`
      : args.format === 'csv'
        ? toCsv(result)
        : toTable(result);
  process.stdout.write(out);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
