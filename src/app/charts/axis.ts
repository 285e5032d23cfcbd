/**
 * What every chart of the page shares: the drawing box in SVG user units, the plot inside its
 * margins, and ticks (a value, where it sits, its label). The lab's chart (src/app/lab/chart.ts)
 * and the network charts (./network-charts.ts) both place their ticks here, so a tick is computed
 * and labelled one way (CONTRIBUTING.md, One place for each fact).
 */

/** A chart's drawing box, in SVG user units (the SVG scales to its container). */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
  readonly margin: {
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
    readonly left: number;
  };
}

/** The plot: the part of the box inside the margins, where data is drawn. */
export interface Plot {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** A tick: its value, where it sits, and its label. */
export interface Tick {
  readonly value: number;
  readonly at: number;
  readonly label: string;
}

/** The plot of a box: the box less its margins. */
export function plotOf(size: ChartSize): Plot {
  const { margin } = size;
  return {
    left: margin.left,
    right: size.width - margin.right,
    top: margin.top,
    bottom: size.height - margin.bottom,
  };
}

/** A scale as ticks need it: a position for a value, and round values to mark (D3's `ticks`). */
export interface TickScale {
  (value: number): number;
  ticks(count?: number): number[];
}

/** Ticks at the given values. */
export function ticksAt(
  values: readonly number[],
  scale: (value: number) => number,
  format: (value: number) => string,
): Tick[] {
  return values.map((value) => ({ value, at: scale(value), label: format(value) }));
}

/**
 * About `count` round ticks over a scale's domain, as D3 chooses them; with `integer`, whole
 * numbers only (a count of blocks or payments has no tick at 2.5).
 */
export function scaleTicks(
  scale: TickScale,
  count: number,
  format: (value: number) => string,
  integer = false,
): Tick[] {
  const values = scale.ticks(count).filter((v) => !integer || Number.isInteger(v));
  return ticksAt(values, scale, format);
}
