/**
 * Every experiment of the lab, by name: the one list the command line, the page and the docs read
 * (CONTRIBUTING.md, One place for each fact).
 */
import { DOUBLE_SPEND } from './double-spend.ts';
import { SELFISH_MINING } from './selfish-mining.ts';
import type { Experiment } from './experiment.ts';
import { RETARGET } from './retarget.ts';
import { STALE_RATE } from './stale-rate.ts';

/** The experiments, in the order they are presented. */
export const EXPERIMENTS: readonly Experiment[] = [
  DOUBLE_SPEND,
  SELFISH_MINING,
  STALE_RATE,
  RETARGET,
];

/** The experiment of this name, if there is one. */
export function experimentNamed(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
