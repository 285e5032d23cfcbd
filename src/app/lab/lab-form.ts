/**
 * The experiment form's rules: its fields read off the experiment's parameter specs (so a new
 * experiment gets its form for free), every field checked by the lab's own parser
 * (src/lab/params.ts, the command line's), and the request to run built only when every field
 * is valid. The words for labels, hints and problems come in the learner's language: the
 * English is src/lab's, the French the catalogue's.
 */
import type { ExperimentInfo } from '../../lab/experiment.ts';
import type { NumberParam, ParamInfo, ParamProblem } from '../../lab/params.ts';
import {
  MAX_LIST,
  RUNS,
  SEED,
  describeRange,
  problemSentence,
  readParam,
  readSingle,
} from '../../lab/params.ts';
import type { RunRequest } from '../../lab/service.ts';
import type { Locale } from '../i18n/catalog.ts';
import { labProblemFrench, labText, translate } from '../i18n/catalog.ts';

/** One field of the form: a parameter, or the runs or the seed. */
export interface FormField {
  readonly spec: ParamInfo;
  /** A number field that takes a comma list (an experiment's parameter), not a single value. */
  readonly list: boolean;
}

/** What the learner typed, by field name. */
export type FormTexts = Readonly<Record<string, string>>;

/** A problem with one field. */
export interface FieldProblem {
  readonly field: string;
  readonly spec: ParamInfo;
  readonly problem: ParamProblem;
}

/** Either the run to ask for, or every problem (in the form's order). */
export type FormCheck =
  | { readonly ok: true; readonly request: RunRequest }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** The form's fields: the experiment's parameters in their order, then the runs and the seed. */
export function formFields(e: ExperimentInfo): FormField[] {
  return [
    ...e.params.map((spec) => ({ spec, list: spec.kind === 'number' })),
    { spec: RUNS, list: false },
    { spec: SEED, list: false },
  ];
}

/** A parameter's default as the text a field starts with. */
function defaultText(e: ExperimentInfo, spec: ParamInfo): string {
  if (spec === RUNS) return String(e.defaultRuns);
  return typeof spec.default === 'string' ? spec.default : spec.default.join(',');
}

/** What the form shows first: every default, the experiment's own runs, seed 1. */
export function initialTexts(e: ExperimentInfo): Record<string, string> {
  return Object.fromEntries(formFields(e).map((f) => [f.spec.name, defaultText(e, f.spec)]));
}

/**
 * Check every field. A missing text counts as empty, so it is refused like an empty field; the
 * request holds plain values only, ready to be posted to a worker.
 */
export function checkForm(e: ExperimentInfo, texts: FormTexts): FormCheck {
  const problems: FieldProblem[] = [];
  const params: Record<string, readonly number[] | string> = {};
  let runs = 0;
  let seed = 0;
  for (const { spec, list } of formFields(e)) {
    const text = (Object.hasOwn(texts, spec.name) ? texts[spec.name] : undefined) ?? '';
    if (spec.kind === 'text') {
      // Its grammar stays in the lab worker, which checks the run before starting it; here only
      // an empty field is refused.
      const trimmed = text.trim();
      if (trimmed) params[spec.name] = trimmed;
      else {
        problems.push({
          field: spec.name,
          spec,
          problem: { kind: 'bad-text', got: '', sentence: `${spec.name} must be ${spec.forms}.` },
        });
      }
      continue;
    }
    if (list || spec.kind === 'choice') {
      const read = readParam(spec, text.trim());
      if (read.ok) params[spec.name] = read.value;
      else problems.push({ field: spec.name, spec, problem: read.error });
      continue;
    }
    const read = readSingle(spec, text.trim());
    if (!read.ok) problems.push({ field: spec.name, spec, problem: read.error });
    else if (spec === RUNS) runs = read.value;
    else seed = read.value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, request: { experiment: e.name, params, runs, seed } };
}

/** The key of one of an experiment's texts in the lab's French table. */
function textKey(e: ExperimentInfo, spec: ParamInfo, what: string): string {
  return spec === RUNS || spec === SEED ? `${spec.name}.${what}` : `${e.name}.${spec.name}.${what}`;
}

/** What a chart's own x is, in a locale (e.g. "block height"), for an experiment that has one. */
export function xAxisLabel(locale: Locale, e: ExperimentInfo): string {
  return e.xAxis ? labText(locale, `${e.name}.${e.xAxis.x}.label`, e.xAxis.label) : '';
}

/** A parameter's label in a locale, e.g. "attacker's hash-rate share". */
export function paramLabel(locale: Locale, e: ExperimentInfo, spec: ParamInfo): string {
  return labText(locale, textKey(e, spec, 'label'), spec.label);
}

/** A choice's words in a locale (the word itself in English: the command line's). */
export function choiceLabel(
  locale: Locale,
  e: ExperimentInfo,
  spec: ParamInfo,
  choice: string,
): string {
  return labText(locale, textKey(e, spec, choice), choice);
}

/** An experiment's summary in a locale. */
export function experimentSummary(locale: Locale, e: ExperimentInfo): string {
  return labText(locale, `${e.name}.summary`, e.summary);
}

/** A number parameter's range in words, with why it stops there when the spec says. */
function accepted(locale: Locale, e: ExperimentInfo, p: NumberParam): string {
  const why = p.why ? ` (${labText(locale, textKey(e, p, 'why'), p.why)})` : '';
  return `${rangeText(locale, p)}${why}`;
}

/** A range in words: "above 0 and below 0.5", "un nombre entier de 0 à 100". */
export function rangeText(locale: Locale, p: NumberParam): string {
  if (locale === 'en') return describeRange(p);
  const values = { min: p.min, max: p.max };
  if (p.integer && !p.minOpen && !p.maxOpen) return labProblemFrench('range.whole', values);
  const low = labProblemFrench(p.minOpen ? 'range.lowOpen' : 'range.low', values);
  const high = labProblemFrench(p.maxOpen ? 'range.highOpen' : 'range.high', values);
  const both = labProblemFrench('range.both', { low, high });
  return p.integer ? labProblemFrench('range.integer', { range: both }) : both;
}

/**
 * A field's problem as one sentence in a locale: in English, the parser's own sentence (the
 * command line prints the same); in French, the same facts in the catalogue's words.
 */
export function problemText(
  locale: Locale,
  e: ExperimentInfo,
  { spec, problem }: FieldProblem,
): string {
  if (locale === 'en') return problemSentence(spec, problem);
  const name = spec.name;
  const acceptedText =
    spec.kind === 'choice'
      ? labProblemFrench('range.choices', { choices: spec.choices.join(', ') })
      : spec.kind === 'text'
        ? textForms(locale, e, spec)
        : accepted(locale, e, spec);
  switch (problem.kind) {
    case 'not-a-choice':
    case 'out-of-range':
      return labProblemFrench(problem.kind, { name, accepted: acceptedText, got: problem.got });
    case 'too-many':
      return labProblemFrench('too-many', { name, max: MAX_LIST, count: problem.count });
    case 'not-a-number':
    case 'one-value':
      return labProblemFrench(problem.kind, { name, got: problem.got });
    case 'bad-text':
      return labProblemFrench('bad-text', { name, accepted: acceptedText, got: problem.got });
  }
}

/** A text parameter's forms in a locale, e.g. "full, regular:K or small-world:K:P". */
function textForms(locale: Locale, e: ExperimentInfo, spec: ParamInfo & { kind: 'text' }): string {
  return labText(locale, textKey(e, spec, 'forms'), spec.forms);
}

/** A field's hint: its range (or choices) and how to write a list. */
export function fieldHint(locale: Locale, e: ExperimentInfo, field: FormField): string {
  const { spec } = field;
  if (spec.kind === 'choice') {
    return translate(locale, 'lab.hint.choice', {
      choices: spec.choices.map((c) => choiceLabel(locale, e, spec, c)).join(', '),
    });
  }
  if (spec.kind === 'text') {
    return translate(locale, 'lab.hint.text', { forms: textForms(locale, e, spec) });
  }
  const range = accepted(locale, e, spec);
  const sentence =
    spec === RUNS
      ? translate(locale, 'lab.hint.runs', { range })
      : spec === SEED
        ? translate(locale, 'lab.hint.seed', { range })
        : translate(locale, 'lab.hint.list', { range, example: exampleList(spec) });
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * A short comma list a learner could type: the default's first three values when it is a list,
 * else three values inside the range (whole numbers from the minimum, or fifths of the span).
 */
function exampleList(p: NumberParam): string {
  if (p.default.length > 1) return p.default.slice(0, 3).join(',');
  if (p.integer) return [0, 1, 2].map((i) => p.min + i).join(',');
  return [1, 2, 3].map((i) => Number((p.min + ((p.max - p.min) * i) / 5).toPrecision(2))).join(',');
}
