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

/** Check one number against a parameter's range. */
export function checkNumber(p: NumberParam, value: number): Result<number, string> {
  const inRange =
    Number.isFinite(value) &&
    (p.minOpen ? value > p.min : value >= p.min) &&
    (p.maxOpen ? value < p.max : value <= p.max) &&
    (!p.integer || Number.isInteger(value));
  if (inRange) return ok(value);
  const why = p.why ? ` (${p.why})` : '';
  return err(`${p.name} must be ${describeRange(p)}${why}, got ${value}.`);
}

const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * Read a parameter's text: one value or a comma list (numbers), one of its words, or a text in
 * its own grammar.
 */
export function parseParam(p: ParamSpec, text: string): Result<readonly number[] | string, string> {
  if (p.kind === 'text') return p.parse(text);
  if (p.kind === 'choice') {
    return p.choices.includes(text)
      ? ok(text)
      : err(`${p.name} must be one of ${p.choices.join(', ')}, got "${text}".`);
  }
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > MAX_LIST) {
    return err(`${p.name} takes at most ${MAX_LIST} values, got ${parts.length}.`);
  }
  const values: number[] = [];
  for (const part of parts) {
    if (!DECIMAL.test(part)) {
      return err(`${p.name} needs a number or a comma list of numbers, got "${part}".`);
    }
    const checked = checkNumber(p, Number(part));
    if (!checked.ok) return checked;
    if (!values.includes(checked.value)) values.push(checked.value);
  }
  return ok(values);
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
