/**
 * An experiment's result as CSV: one row per point, the same columns for `npm run experiment --
 * --csv` and the page's download (CONTRIBUTING.md, One place for each fact).
 */
import type { ExperimentResult } from './experiment.ts';

/** Keys of a point that are its measurement, not its parameters. */
const MEASUREMENT_KEYS: readonly string[] = ['measured', 'ci95', 'theory'];

/** One row per point: its parameters, the measurement, its interval, then each theory curve. */
export function toCsv(result: ExperimentResult): string {
  const first = result.points[0];
  if (!first) return '';
  const params = Object.keys(first).filter((k) => !MEASUREMENT_KEYS.includes(k));
  const curves = Object.keys(first.theory);
  const header = [
    ...params,
    'measured',
    'ci95_low',
    'ci95_high',
    ...curves.map((c) => `theory_${c}`),
  ];
  const rows = result.points.map((pt) =>
    [
      ...params.map((k) => String(pt[k])),
      String(pt.measured),
      String(pt.ci95[0]),
      String(pt.ci95[1]),
      ...curves.map((c) => String(pt.theory[c])),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
