/**
 * The experiment form's glue (src/app/lab/lab-form.ts): fields read off the specs, every field
 * checked by the lab's parser, nothing to run while a field is wrong, and each problem worded in
 * English by the parser itself and in French by the catalogue; and every text an experiment
 * carries has its French.
 */
import { describe, expect, it } from 'vitest';
import {
  checkForm,
  experimentSummary,
  fieldHint,
  formFields,
  initialTexts,
  paramLabel,
  problemText,
  rangeText,
} from '../../src/app/lab/lab-form.ts';
import { LAB_FRENCH, en, fr } from '../../src/app/i18n/catalog.ts';
import { DOUBLE_SPEND } from '../../src/lab/double-spend.ts';
import { EXPERIMENTS } from '../../src/lab/experiments.ts';
import { RUNS, SEED, parseParam } from '../../src/lab/params.ts';
import { SELFISH_MINING } from '../../src/lab/selfish-mining.ts';
import { POISSON_VS_EXACT } from '../../src/lab/theory.ts';

describe('the experiment form', () => {
  it('has a field per parameter, then runs and seed, starting from the defaults', () => {
    expect(formFields(DOUBLE_SPEND).map((f) => [f.spec.name, f.list])).toEqual([
      ['q', true],
      ['z', true],
      ['win', false],
      ['runs', false],
      ['seed', false],
    ]);
    expect(initialTexts(DOUBLE_SPEND)).toEqual({
      q: '0.1',
      z: '0,1,2,3,4,5',
      win: 'catch-up',
      runs: '1000',
      seed: '1',
    });
    expect(initialTexts(SELFISH_MINING).runs).toBe('20');
  });

  it('turns valid texts into a plain request the worker can take', () => {
    const check = checkForm(DOUBLE_SPEND, {
      ...initialTexts(DOUBLE_SPEND),
      z: ' 0, 1,2 ',
      runs: '100',
    });
    if (!check.ok) throw new Error(JSON.stringify(check.problems));
    expect(check.request).toEqual({
      experiment: 'double-spend',
      params: { q: [0.1], z: [0, 1, 2], win: 'catch-up' },
      runs: 100,
      seed: 1,
    });
    // What a worker receives is a structured clone: plain data survives it unchanged.
    expect(structuredClone(check.request)).toEqual(check.request);
  });

  it('gives no request while any field is wrong, with every problem in the form order', () => {
    const check = checkForm(DOUBLE_SPEND, {
      ...initialTexts(DOUBLE_SPEND),
      q: '0.7',
      z: '',
      runs: '10,20',
      seed: 'x',
    });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => [p.field, p.problem.kind])).toEqual([
      ['q', 'out-of-range'],
      ['z', 'not-a-number'],
      ['runs', 'one-value'],
      ['seed', 'not-a-number'],
    ]);
  });

  it('a missing text is refused like an empty field', () => {
    const check = checkForm(DOUBLE_SPEND, { q: '0.1', z: '1', win: 'catch-up', runs: '5' });
    expect(check.ok ? [] : check.problems.map((p) => p.field)).toEqual(['seed']);
  });
});

describe('problems and hints in both languages', () => {
  const problemsOf = (texts: Record<string, string>) => {
    const check = checkForm(DOUBLE_SPEND, { ...initialTexts(DOUBLE_SPEND), ...texts });
    if (check.ok) throw new Error('expected a problem');
    return check.problems;
  };

  it('English is the parser sentence itself, as the command line prints it', () => {
    const [problem] = problemsOf({ q: '0.7' });
    if (!problem) throw new Error('no problem');
    const cli = parseParam(DOUBLE_SPEND.params[0] ?? RUNS, '0.7');
    expect(cli.ok).toBe(false);
    expect(problemText('en', DOUBLE_SPEND, problem)).toBe(cli.ok ? '' : cli.error);
    expect(problemText('en', DOUBLE_SPEND, problem)).toBe(
      'q must be above 0 and below 0.5 (at 0.5 or more the attacker always wins), got 0.7.',
    );
  });

  it('French names the same facts', () => {
    const [q] = problemsOf({ q: '0.7' });
    const [win] = problemsOf({ win: 'sometimes' });
    const [runs] = problemsOf({ runs: '1,2' });
    const [z] = problemsOf({ z: '1,,2' });
    if (!q || !win || !runs || !z) throw new Error('missing problems');
    expect(problemText('fr', DOUBLE_SPEND, q)).toBe(
      "q doit être supérieur à 0 et inférieur à 0.5 (à 0.5 ou plus, l'attaquant gagne toujours), reçu 0.7.",
    );
    expect(problemText('fr', DOUBLE_SPEND, win)).toBe(
      "win doit être l'une des valeurs catch-up, overtake, reçu «\u00a0sometimes\u00a0».",
    );
    expect(problemText('fr', DOUBLE_SPEND, runs)).toBe(
      "runs n'accepte qu'une valeur, reçu «\u00a01,2\u00a0».",
    );
    expect(problemText('fr', DOUBLE_SPEND, z)).toContain('reçu «\u00a0\u00a0»');
  });

  it('ranges in words', () => {
    expect(rangeText('en', SEED)).toBe('a whole number from 0 to 4294967295');
    expect(rangeText('fr', SEED)).toBe('un nombre entier de 0 à 4294967295');
    expect(rangeText('fr', { ...RUNS, maxOpen: true })).toBe(
      'un nombre entier au moins 1 et inférieur à 1000000',
    );
  });

  it('hints say the range and how to write a list', () => {
    const [q, z, win, runs, seed] = formFields(DOUBLE_SPEND);
    if (!q || !z || !win || !runs || !seed) throw new Error('missing fields');
    expect(fieldHint('en', DOUBLE_SPEND, z)).toBe(
      'A whole number from 0 to 100; one value or a comma list, e.g. 0,1,2.',
    );
    expect(fieldHint('en', DOUBLE_SPEND, q)).toContain('e.g. 0.1,0.2,0.3');
    expect(fieldHint('fr', DOUBLE_SPEND, win)).toContain('catch-up (rattraper');
    expect(fieldHint('en', DOUBLE_SPEND, seed)).toBe(
      'A whole number from 0 to 4294967295; the same seed gives the same result.',
    );
  });

  it('every text an experiment carries has its French, and no French is left over', () => {
    const wanted = ['runs.label', 'seed.label'];
    for (const e of EXPERIMENTS) {
      wanted.push(`${e.name}.summary`);
      expect(experimentSummary('fr', e)).not.toBe(e.summary);
      for (const p of e.params) {
        wanted.push(`${e.name}.${p.name}.label`);
        expect(paramLabel('fr', e, p)).not.toBe(p.label);
        if (p.kind === 'number' && p.why) wanted.push(`${e.name}.${p.name}.why`);
        if (p.kind === 'choice') wanted.push(...p.choices.map((c) => `${e.name}.${p.name}.${c}`));
        if (p.kind === 'text') wanted.push(`${e.name}.${p.name}.forms`);
      }
      if (e.xAxis) wanted.push(`${e.name}.${e.xAxis.x}.label`);
    }
    expect(Object.keys(LAB_FRENCH).sort()).toEqual(wanted.sort());
  });

  it('the English Poisson sentence is the lab theory, in one place', () => {
    expect(en['lab.poissonVsExact']).toBe(POISSON_VS_EXACT);
    expect(fr['lab.poissonVsExact']).not.toBe(POISSON_VS_EXACT);
  });
});
