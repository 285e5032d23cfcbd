/**
 * The lab's chart, computed: from an experiment's points to scales, ticks, markers with their
 * 95% error bars, theory lines, vertical rules and legend entries. No DOM here: D3 computes,
 * Svelte draws (CONTRIBUTING.md, D3 computes, Svelte draws), so the geometry is tested in Node
 * and the same numbers draw the page's chart and its SVG and PNG downloads.
 */
import { scaleLinear } from 'd3-scale';
import { line, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle } from 'd3-shape';
import type { ExperimentInfo, ParamValues, PointResult } from '../../lab/experiment.ts';
import type { ChartSize, Plot, Tick } from '../charts/axis.ts';
import { plotOf, scaleTicks, ticksAt } from '../charts/axis.ts';

export type { ChartSize, Tick } from '../charts/axis.ts';

/** Room for tick labels and axis titles on the left and below. */
export const CHART_SIZE: ChartSize = {
  width: 800,
  height: 330,
  margin: { top: 14, right: 24, bottom: 52, left: 72 },
};

/**
 * Theories that are a value of a parameter rather than a curve over it: selfish mining's
 * threshold is a hash share, so it is drawn as a vertical rule where alpha is on the x axis
 * (Eyal and Sirer 2014, Observation 1). Every other theory is a line through the points.
 */
export const THEORY_RULES: Readonly<Record<string, string>> = { threshold: 'alpha' };

/** What the chart is drawn from. */
export interface ChartInput {
  /** The parameter on the x axis. */
  readonly x: string;
  /** Every value of `x` the run will measure, known before any point arrives. */
  readonly xValues: readonly number[];
  /** Whether `x` takes whole numbers only (ticks then stay whole). */
  readonly integer: boolean;
  /** The other parameters that take several values: each combination is one series. */
  readonly seriesBy: readonly string[];
  /** The points measured so far. */
  readonly points: readonly PointResult[];
}

/** One measured point: where it sits, its interval's ends, its series and marker. */
export interface Marker {
  readonly key: string;
  readonly series: number;
  readonly x: number;
  readonly y: number;
  readonly yLow: number;
  readonly yHigh: number;
  /** The marker's outline, centred on (0, 0). */
  readonly symbol: string;
}

/** One theory's line through one series' points. */
export interface Curve {
  readonly key: string;
  readonly name: string;
  readonly series: number;
  readonly d: string;
  /** The line's vertices, for placing the legend clear of it. */
  readonly vertices: readonly (readonly [number, number])[];
}

/** A theory that is a value of the x parameter, drawn as a vertical line. */
export interface Rule {
  readonly key: string;
  readonly name: string;
  readonly value: number;
  readonly x: number;
}

/** A series: the values of the other varying parameters, e.g. `q=0.1`. */
export interface SeriesInfo {
  readonly label: string;
  readonly symbol: string;
}

/** Everything the component draws. */
export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
  readonly plot: Plot;
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly markers: readonly Marker[];
  readonly curves: readonly Curve[];
  readonly rules: readonly Rule[];
  /** The theories drawn as lines, in the order the points list them (the legend's order). */
  readonly theories: readonly string[];
  readonly series: readonly SeriesInfo[];
}

/** Marker shapes, one per series, in order. */
const SYMBOLS = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond];
/** Marker area in square user units (about an 8-unit circle). */
const SYMBOL_AREA = 52;
/** At most this many x values are each a tick; more get round ticks instead. */
const MAX_VALUE_TICKS = 12;

/**
 * The parameter to put on the x axis: the first number parameter given more than one value,
 * else the first number parameter (a single point), else none.
 */
export function xParameter(e: ExperimentInfo, values: ParamValues): string | null {
  const numbers = e.params.filter((p) => p.kind === 'number');
  const varying = numbers.find((p) => {
    const v = values[p.name];
    return Array.isArray(v) && v.length > 1;
  });
  return (varying ?? numbers[0])?.name ?? null;
}

/** The other number parameters given several values: they split the points into series. */
export function seriesParameters(e: ExperimentInfo, values: ParamValues, x: string): string[] {
  return e.params
    .filter((p) => p.name !== x && p.kind === 'number')
    .filter((p) => {
      const v = values[p.name];
      return Array.isArray(v) && v.length > 1;
    })
    .map((p) => p.name);
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function seriesLabel(point: PointResult, by: readonly string[]): string {
  return by.map((k) => `${k}=${String(point[k])}`).join(' ');
}

/** A domain with room on both sides, so no marker sits on an axis. */
function paddedDomain(values: readonly number[], integer: boolean): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi)
    return integer ? [lo - 1, hi + 1] : [lo - Math.abs(lo) / 2 || -1, hi + Math.abs(hi) / 2 || 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/**
 * The chart's geometry for the points so far. The x axis spans every value the run will
 * measure, so it stays put while points arrive; the y axis starts at 0 and reaches the highest
 * interval end or theory value, rounded up by D3's `nice`.
 *
 * @param format writes a number for a tick label (the page passes the learner's locale)
 */
export function chartGeometry(
  input: ChartInput,
  format: (value: number) => string,
  size: ChartSize = CHART_SIZE,
): ChartGeometry {
  const plot = plotOf(size);
  const xValues = input.xValues.length > 0 ? input.xValues : [0];
  const x = scaleLinear()
    .domain(paddedDomain(xValues, input.integer))
    .range([plot.left, plot.right]);

  const first = input.points[0];
  const theoryNames = first ? Object.keys(first.theory) : [];
  const ruleNames = theoryNames.filter((n) => THEORY_RULES[n] === input.x);
  const curveNames = theoryNames.filter((n) => !ruleNames.includes(n));

  let top = 0;
  for (const p of input.points) {
    for (const v of [p.measured, p.ci95[1], ...curveNames.map((n) => p.theory[n])]) {
      if (finite(v)) top = Math.max(top, v);
    }
  }
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .nice()
    .range([plot.bottom, plot.top]);

  const seriesKeys: string[] = [];
  const seriesOf = (p: PointResult): number => {
    const label = seriesLabel(p, input.seriesBy);
    let index = seriesKeys.indexOf(label);
    if (index < 0) index = seriesKeys.push(label) - 1;
    return index;
  };
  const shape = (series: number): string =>
    symbol(SYMBOLS[series % SYMBOLS.length] ?? symbolCircle, SYMBOL_AREA)() ?? '';

  const placed = input.points
    .map((point) => ({ point, xv: point[input.x], series: seriesOf(point) }))
    .filter((p): p is typeof p & { xv: number } => finite(p.xv));

  const markers: Marker[] = placed.map(({ point, xv, series }) => ({
    key: `${series}:${xv}`,
    series,
    x: x(xv),
    y: y(point.measured),
    yLow: y(point.ci95[0]),
    yHigh: y(point.ci95[1]),
    symbol: shape(series),
  }));

  const curves: Curve[] = [];
  for (const [series] of seriesKeys.entries()) {
    const mine = placed.filter((p) => p.series === series).sort((a, b) => a.xv - b.xv);
    for (const name of curveNames) {
      const path = line<(typeof mine)[number]>()
        .defined((p) => finite(p.point.theory[name]))
        .x((p) => x(p.xv))
        .y((p) => y(p.point.theory[name] ?? 0))(mine);
      const vertices = mine
        .map((p) => [x(p.xv), y(p.point.theory[name] ?? Number.NaN)] as const)
        .filter(([, vy]) => finite(vy));
      if (path) curves.push({ key: `${series}:${name}`, name, series, d: path, vertices });
    }
  }

  const [xLow, xHigh] = x.domain() as [number, number];
  const rules: Rule[] = [];
  for (const name of ruleNames) {
    const seen = new Set<number>();
    for (const { point } of placed) {
      const value = point.theory[name];
      if (!finite(value) || seen.has(value) || value < xLow || value > xHigh) continue;
      seen.add(value);
      rules.push({ key: `${name}:${value}`, name, value, x: x(value) });
    }
  }

  const xTicks =
    xValues.length <= MAX_VALUE_TICKS
      ? ticksAt(
          [...new Set(xValues)].sort((a, b) => a - b),
          x,
          format,
        )
      : scaleTicks(x, 8, format, input.integer);
  return {
    width: size.width,
    height: size.height,
    plot,
    xTicks,
    yTicks: scaleTicks(y, 5, format),
    markers,
    curves,
    rules,
    theories: curveNames,
    series: seriesKeys.map((label, i) => ({ label, symbol: shape(i) })),
  };
}

/** Every value a parameter takes in a run, as numbers (a word gives none). */
export function valuesOf(values: ParamValues, name: string): readonly number[] {
  const v = values[name];
  return v === undefined || typeof v === 'string' ? [] : v;
}

/** The legend's box inside the plot, and the height of one of its rows. */
export interface LegendBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly row: number;
}

/** Legend rows, in user units: a 12-unit font with room to breathe. */
const LEGEND_ROW = 18;
/** A sample line or marker before each label, with its gap. */
const LEGEND_KEY = 34;
/** About how wide a character of a 12-unit sans-serif font is, in user units. */
const CHAR_WIDTH = 6.4;

/**
 * Where the legend goes: the corner of the plot that covers the fewest marks (markers, their
 * intervals, and points along every theory line), top right first on a tie. Label widths are
 * estimated from their length, which is close enough for a box with some padding.
 */
export function placeLegend(g: ChartGeometry, labels: readonly string[]): LegendBox {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const width = Math.min(g.plot.right - g.plot.left, LEGEND_KEY + longest * CHAR_WIDTH + 16);
  const height = labels.length * LEGEND_ROW + 10;
  const inset = 8;
  const left = g.plot.left + inset;
  const right = g.plot.right - inset - width;
  const top = g.plot.top + inset;
  const bottom = g.plot.bottom - inset - height;
  const corners = [
    { x: right, y: top },
    { x: left, y: top },
    { x: right, y: bottom },
    { x: left, y: bottom },
  ];
  const marks: (readonly [number, number])[] = [];
  for (const m of g.markers) marks.push([m.x, m.y], [m.x, m.yLow], [m.x, m.yHigh]);
  for (const c of g.curves) {
    for (let i = 1; i < c.vertices.length; i++) {
      const [ax, ay] = c.vertices[i - 1] ?? [0, 0];
      const [bx, by] = c.vertices[i] ?? [0, 0];
      for (let t = 0; t <= 1; t += 0.05) marks.push([ax + (bx - ax) * t, ay + (by - ay) * t]);
    }
  }
  for (const r of g.rules) {
    for (let ry = g.plot.top; ry <= g.plot.bottom; ry += 4) marks.push([r.x, ry]);
  }
  const covered = (c: { x: number; y: number }): number =>
    marks.filter(([mx, my]) => mx >= c.x && mx <= c.x + width && my >= c.y && my <= c.y + height)
      .length;
  let best = corners[0] ?? { x: right, y: top };
  for (const c of corners) if (covered(c) < covered(best)) best = c;
  return { ...best, width, height, row: LEGEND_ROW };
}
