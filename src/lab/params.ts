/**
 * Experiment parameters: what each accepts, in one place for the command line and the page's
 * form (CONTRIBUTING.md, One place for each fact). A number parameter takes one value or a comma
 * list (`--z 0,1,2,3`); every error is one sentence that names the parameter and the range, or
 * for a text parameter what its grammar expects.
 */
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';

/** A numeric parameter with its range (`open` ends exclude the bound itself). */
export interface NumberParam {
  readonly kind: 'number';
  readonly name: string;
  /** What it is, in a few words (the CLI's usage and the form's label). */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
  /** Why the range stops where it does, when that teaches something. */
  readonly why?: string;
  readonly default: readonly number[];
}

/** A parameter that takes one of a few words. */
export interface ChoiceParam {
  readonly kind: 'choice';
  readonly name: string;
  readonly label: string;
  readonly choices: readonly string[];
  readonly default: string;
}

/**
 * A parameter written as a short text with its own grammar (a topology such as
 * `small-world:8:0.1`); one value, never a list.
 */
export interface TextParam {
  readonly kind: 'text';
  readonly name: string;
  readonly label: string;
  /** The forms it takes, in words (e.g. "full, regular:K or small-world:K:P"). */
  readonly forms: string;
  /** Read the text: its canonical form, or one sentence saying what is wrong. */
  readonly parse: (text: string) => Result<string, string>;
  readonly default: string;
}

export type ParamSpec = NumberParam | ChoiceParam | TextParam;

/** A text parameter as described to another thread: its grammar stays with the experiment. */
export type TextParamInfo = Omit<TextParam, 'parse'>;

/** A parameter as plain data (what the page's form is built from). */
export type ParamInfo = NumberParam | ChoiceParam | TextParamInfo;

/** The most values one list may hold: each is a point, each point a batch of runs. */
export const MAX_LIST = 50;

/** A range in words, e.g. "above 0 and below 0.5" or "a whole number from 0 to 100". */
export function describeRange(p: NumberParam): string {
  const low = p.minOpen ? `above ${p.min}` : `at least ${p.min}`;
  const high = p.maxOpen ? `below ${p.max}` : `at most ${p.max}`;
  return p.integer && !p.minOpen && !p.maxOpen
    ? `a whole number from ${p.min} to ${p.max}`
    : `${p.integer ? 'a whole number ' : ''}${low} and ${high}`;
}

/**
 * Why a parameter's text was refused, as data: `parseParam` words it in English for the command
 * line, and the page words the same facts in the learner's language.
 */
export type ParamProblem =
  /** Not one of a choice parameter's words. */
  | { readonly kind: 'not-a-choice'; readonly got: string }
  /** A list longer than {@link MAX_LIST}. */
  | { readonly kind: 'too-many'; readonly count: number }
  /** A piece of the list that is not a decimal number. */
  | { readonly kind: 'not-a-number'; readonly got: string }
  /** A number outside the parameter's range (or not whole when it must be). */
  | { readonly kind: 'out-of-range'; readonly got: number }
  /** A list where one value is expected (runs, seed). */
  | { readonly kind: 'one-value'; readonly got: string }
  /** A text parameter's own grammar refused it, with its sentence (in English). */
  | { readonly kind: 'bad-text'; readonly got: string; readonly sentence: string };

/** What a parameter accepts, in words: "one of catch-up, overtake" or its range and why. */
function accepted(p: ParamInfo): string {
  if (p.kind === 'choice') return `one of ${p.choices.join(', ')}`;
  if (p.kind === 'text') return p.forms;
  return `${describeRange(p)}${p.why ? ` (${p.why})` : ''}`;
}

/** The problem's one English sentence, naming the parameter (and the range, when that is it). */
export function problemSentence(p: ParamInfo, problem: ParamProblem): string {
  switch (problem.kind) {
    case 'not-a-choice':
      return `${p.name} must be ${accepted(p)}, got "${problem.got}".`;
    case 'too-many':
      return `${p.name} takes at most ${MAX_LIST} values, got ${problem.count}.`;
    case 'not-a-number':
      return `${p.name} needs a number or a comma list of numbers, got "${problem.got}".`;
    case 'out-of-range':
      return `${p.name} must be ${accepted(p)}, got ${problem.got}.`;
    case 'one-value':
      return `${p.name} takes one value, got "${problem.got}".`;
    case 'bad-text':
      return problem.sentence;
  }
}

function inRange(p: NumberParam, value: number): boolean {
  return (
    Number.isFinite(value) &&
    (p.minOpen ? value > p.min : value >= p.min) &&
    (p.maxOpen ? value < p.max : value <= p.max) &&
    (!p.integer || Number.isInteger(value))
  );
}

/** Check one number against a parameter's range. */
export function checkNumber(p: NumberParam, value: number): Result<number, string> {
  return inRange(p, value)
    ? ok(value)
    : err(problemSentence(p, { kind: 'out-of-range', got: value }));
}

const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * Read a parameter's text: one value or a comma list (numbers), one of its words, or a text in
 * its own grammar.
 */
export function readParam(
  p: ParamSpec,
  text: string,
): Result<readonly number[] | string, ParamProblem> {
  if (p.kind === 'text') {
    const parsed = p.parse(text);
    return parsed.ok ? parsed : err({ kind: 'bad-text', got: text, sentence: parsed.error });
  }
  if (p.kind === 'choice') {
    return p.choices.includes(text) ? ok(text) : err({ kind: 'not-a-choice', got: text });
  }
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > MAX_LIST) return err({ kind: 'too-many', count: parts.length });
  const values: number[] = [];
  for (const part of parts) {
    if (!DECIMAL.test(part)) return err({ kind: 'not-a-number', got: part });
    const value = Number(part);
    if (!inRange(p, value)) return err({ kind: 'out-of-range', got: value });
    if (!values.includes(value)) values.push(value);
  }
  return ok(values);
}

/** Read a parameter's text; an error is one English sentence (the command line's). */
export function parseParam(p: ParamSpec, text: string): Result<readonly number[] | string, string> {
  const read = readParam(p, text);
  return read.ok ? read : err(problemSentence(p, read.error));
}

/** Read a number parameter that takes exactly one value (runs, seed). */
export function readSingle(p: NumberParam, text: string): Result<number, ParamProblem> {
  const read = readParam(p, text);
  if (!read.ok) return read;
  const values = read.value;
  const value = typeof values === 'string' ? undefined : values[0];
  if (typeof values === 'string' || value === undefined || values.length !== 1) {
    return err({ kind: 'one-value', got: text });
  }
  return ok(value);
}

/** The runs of one point: at least one, and few enough to finish. */
export const RUNS: NumberParam = {
  kind: 'number',
  name: 'runs',
  label: 'runs per point',
  min: 1,
  max: 1_000_000,
  integer: true,
  default: [1_000],
};

/** The seed: any 32-bit whole number; the same seed gives the same output. */
export const SEED: NumberParam = {
  kind: 'number',
  name: 'seed',
  label: 'seed',
  min: 0,
  max: 4_294_967_295,
  integer: true,
  default: [1],
};
