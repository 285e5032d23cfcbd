/**
 * The network's charts, computed: block interval and difficulty along the best chain, hash-rate
 * shares beside shares of the blocks mined, stale blocks per node, and mempool size over time.
 * Each function turns the page's state into scales' ticks, paths, bars and words (axis titles with
 * their units, a one-line caption), plus the rows of the table that says the same in text. No DOM
 * here: D3 computes, Svelte draws (CONTRIBUTING.md, D3 computes, Svelte draws), so every number
 * drawn is tested in Node, and the table's rows are the plotted values.
 *
 * Sizes are SVG user units: the SVG scales to its container through its viewBox, and the fonts
 * below stay legible from about 400 to 900 pixels wide (16 units drawn at 400 px are 13 px).
 * Per-node series use the node's marker (src/app/tree/markers.ts), so a node looks the same here
 * as in the block tree and the node panels.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Locale, MessageKey, MessageParams, PluralBase } from '../i18n/catalog.ts';
import { translate, translatePlural } from '../i18n/catalog.ts';
import type { NodeStatus } from '../sim/worker-simulation.ts';
import type { KnownBlock } from '../state/simulation.svelte.ts';
import { markerFor, markerPath } from '../tree/markers.ts';
import type { Plot, Tick } from './axis.ts';
import { scaleTicks } from './axis.ts';

// ---- Inputs -------------------------------------------------------------------------------------

/** One moment of the mempool history: each node's number of waiting payments then. */
export interface MempoolSample {
  /** When it was taken (Date.now, milliseconds). */
  readonly at: number;
  readonly sizes: readonly { readonly node: string; readonly size: number }[];
}

/**
 * The mempool history the chart draws, from each node's recorded statuses (a status is recorded
 * when it changes) and the statuses shown now: one sample at every moment any node's size
 * changed, holding every node's size then, and a last one at `now`, so the right edge of the
 * chart is the moment shown.
 */
export function mempoolSamples(
  history: ReadonlyMap<
    string,
    readonly { readonly t: number; readonly status: { readonly mempoolSize: number } }[]
  >,
  current: readonly { readonly id: string; readonly mempoolSize: number }[],
  now: number,
): MempoolSample[] {
  const times = [...new Set([...history.values()].flatMap((h) => h.map((s) => s.t)))]
    .filter((t) => t < now)
    .sort((a, b) => a - b);
  const samples: MempoolSample[] = [];
  const cursor = new Map<string, number>();
  for (const at of times) {
    const sizes: { node: string; size: number }[] = [];
    for (const n of current) {
      const h = history.get(n.id) ?? [];
      let i = cursor.get(n.id) ?? -1;
      while (i + 1 < h.length && (h[i + 1]?.t ?? Infinity) <= at) i++;
      cursor.set(n.id, i);
      const s = h[i];
      if (s) sizes.push({ node: n.id, size: s.status.mempoolSize });
    }
    samples.push({ at, sizes });
  }
  samples.push({ at: now, sizes: current.map((n) => ({ node: n.id, size: n.mempoolSize })) });
  return samples;
}

/** What the charts read of a block. */
export type ChartBlock = Pick<
  KnownBlock,
  'hash' | 'parent' | 'height' | 'chainWork' | 'miner' | 'timestamp' | 'difficulty' | 'seen'
>;

/** What the charts read of a node. */
export type ChartNode = Pick<NodeStatus, 'id' | 'address' | 'hashesPerSecond' | 'staleBlocks'>;

// ---- What the component draws -------------------------------------------------------------------

/** Text sizes in user units: tick labels and bar values, axis and panel titles. */
export const CHART_FONT = { tick: 16, title: 17 } as const;

/** The drawn width of every network chart, in user units (heights vary with the content). */
export const CHART_WIDTH = 480;

/**
 * At most this many points per line: a longer chain is bucketed by height, a longer history
 * thinned.
 */
export const MAX_POINTS = 500;

/** A legend's sample swatch and the gap after it, before its label. */
export const LEGEND_KEY = 30;

/** The centre line of a legend above a plot. */
const LEGEND_Y = 22;

/** Room above the highest value, so a line's peaks never run along the plot's top edge. */
const HEADROOM = 1.05;

/** A node's marker as drawn: its colour and its outline centred on (0, 0). */
export interface Glyph {
  /** The node's position in creation order, which picked its marker. */
  readonly index: number;
  readonly colour: string;
  readonly symbol: string;
}

/** An axis: its title (with its unit) and its ticks. */
export interface Axis {
  readonly title: string;
  readonly ticks: readonly Tick[];
}

/** A horizontal axis, with the baselines of its tick labels and of its title below the plot. */
export interface XAxis extends Axis {
  readonly labelY: number;
  readonly titleY: number;
}

/** Below a plot: the tick labels' baseline, the axis title's, and the chart's bottom edge. */
const BELOW = { label: CHART_FONT.tick + 8, title: CHART_FONT.tick + CHART_FONT.title + 22 };
const BOTTOM_MARGIN = BELOW.title + 12;

function xAxis(title: string, ticks: readonly Tick[], plotBottom: number): XAxis {
  return { title, ticks, labelY: plotBottom + BELOW.label, titleY: plotBottom + BELOW.title };
}

/** A column of a chart's table. */
export interface TableColumn {
  readonly label: string;
  readonly numeric: boolean;
  /** The node the column is about, for its marker. */
  readonly glyph?: Glyph;
}

/** A row of a chart's table: its header cell, its cells as written, and the values drawn. */
export interface TableRow {
  readonly key: string;
  readonly header: string;
  /** The node the row is about, for its marker; null for a height, a time or "others". */
  readonly glyph: Glyph | null;
  readonly selected: boolean;
  readonly cells: readonly string[];
  /** The numbers behind `cells`, one each (null: none, written as a dash). */
  readonly values: readonly (number | null)[];
}

/** The text equivalent of a chart. */
export interface ChartTable {
  readonly caption: string;
  /** Header of the column of row headers. */
  readonly corner: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
}

/** What every chart has: its box, its words and its table. */
export interface ChartBase {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  /** One line saying what is drawn. */
  readonly caption: string;
  /** When set, there is nothing to draw: this sentence says why, in place of chart and table. */
  readonly empty: string | null;
  /** A sentence about data that is partly missing (drawn anyway). */
  readonly note: string | null;
  readonly table: ChartTable;
}

/** A point of a line, where it sits and the value it stands for. */
export interface LinePoint {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly value: number;
  /** Its row in the chart's table. */
  readonly row: number;
}

/** One panel of the interval chart: a plot, its y axis and a line through its points. */
export interface Panel {
  readonly plot: Plot;
  /** Baseline of the panel's title, written across the top left of the chart. */
  readonly titleY: number;
  readonly y: Axis;
  readonly d: string;
  readonly points: readonly LinePoint[];
}

/** Block interval (top panel) and difficulty (bottom panel) over height. */
export interface IntervalChart extends ChartBase {
  readonly x: XAxis;
  readonly interval: Panel;
  readonly difficulty: Panel;
  /** Blocks per point: 1, or the bucket size for a long chain. */
  readonly bucket: number;
  /** Whether to mark each point (few points), not just the line. */
  readonly dots: boolean;
}

/** One bar. */
export interface Bar {
  readonly key: string;
  readonly kind: 'hash' | 'blocks' | 'stale';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
  readonly label: string;
}

/** A row of bars with its label: a node, or "others". */
export interface BarRow {
  readonly key: string;
  readonly label: string;
  readonly glyph: Glyph | null;
  /** The row's centre line. */
  readonly y: number;
  readonly selected: boolean;
  /** Another node is selected: draw this row quietly. */
  readonly dimmed: boolean;
  readonly bars: readonly Bar[];
}

/** A legend entry of a bar chart with two kinds of bars: a swatch, then its label. */
export interface BarLegend {
  readonly kind: Bar['kind'];
  readonly label: string;
  readonly x: number;
  /** The entry's centre line. */
  readonly y: number;
}

/** Horizontal bars, one row per node. */
export interface BarChart extends ChartBase {
  readonly plot: Plot;
  readonly x: XAxis;
  readonly rows: readonly BarRow[];
  readonly legend: readonly BarLegend[];
  /** Where a row's marker and label start, left of the plot. */
  readonly labelX: number;
}

/** One node's mempool line. */
export interface MempoolSeries {
  readonly node: string;
  readonly glyph: Glyph;
  readonly selected: boolean;
  /** Another node is selected: draw this one quietly. */
  readonly dimmed: boolean;
  readonly d: string;
  readonly points: readonly LinePoint[];
  /**
   * Where to draw the node's marker along the line, staggered so that lines lying on each other
   * still show every node.
   */
  readonly marks: readonly { readonly x: number; readonly y: number }[];
}

/** Mempool size over time, one line per node. */
export interface MempoolChart extends ChartBase {
  readonly plot: Plot;
  readonly x: XAxis;
  readonly y: Axis;
  /** Baseline of the y axis's title, written across the top left. */
  readonly yTitleY: number;
  /** The selected node's line last, so it is drawn on top. */
  readonly series: readonly MempoolSeries[];
  /** One sample drawn in this many (1: every sample). */
  readonly stride: number;
}

// ---- Words and numbers --------------------------------------------------------------------------

/** A dash for a cell with no value. */
const NONE = '—';

/** About how wide a character is, as a share of its font size (digits, lowercase, sans-serif). */
const CHAR_EM = 0.6;

function textWidth(text: string, font: number = CHART_FONT.tick): number {
  return text.length * font * CHAR_EM;
}

/** The number formats of one locale. */
interface Formats {
  readonly seconds: (value: number) => string;
  readonly bits: (value: number) => string;
  readonly percent: (value: number) => string;
  readonly count: (value: number) => string;
  /** A span of time in words, seconds or minutes: "42 seconds", "3.5 minutes". */
  readonly span: (seconds: number) => string;
}

const formats = new Map<Locale, Formats>();

/**
 * The number formats of a locale, made once: a chart writes hundreds of numbers, and making an
 * Intl.NumberFormat for each (as `formatCount` in src/app/i18n/catalog.ts does) made the
 * 20,000-block chart several times slower, measured. Counts come out as `formatCount` writes
 * them (the tests compare the two).
 */
function formatsFor(locale: Locale): Formats {
  const known = formats.get(locale);
  if (known) return known;
  const seconds = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'short',
    maximumFractionDigits: 2,
  });
  const bits = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'bit',
    unitDisplay: 'long',
    maximumFractionDigits: 2,
  });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const longSeconds = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'long',
    maximumFractionDigits: 0,
  });
  const longMinutes = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'minute',
    unitDisplay: 'long',
    maximumFractionDigits: 1,
  });
  const count = new Intl.NumberFormat(locale);
  const made: Formats = {
    seconds: (v) => seconds.format(v),
    bits: (v) => bits.format(v),
    percent: (v) => percent.format(v),
    count: (v) => count.format(v),
    span: (s) => (s < 120 ? longSeconds.format(s) : longMinutes.format(s / 60)),
  };
  formats.set(locale, made);
  return made;
}

/** The words of one locale, bound once per chart. */
function wordsFor(locale: Locale): {
  t: (key: MessageKey, params?: MessageParams) => string;
  plural: (base: PluralBase, count: number, params?: MessageParams) => string;
} {
  return {
    t: (key, params) => translate(locale, key, params),
    plural: (base, count, params) => translatePlural(locale, base, count, params),
  };
}

function glyphOf(index: number, radius = 6): Glyph {
  const marker = markerFor(index);
  return { index, colour: marker.colour, symbol: markerPath(marker.shape, radius) };
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … at least `x`. */
function niceAtLeast(x: number): number {
  if (x <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) if (step * power >= x) return step * power;
  return 10 * power;
}

/** A left margin wide enough for every label, within reason. */
function marginFor(labels: readonly string[], extra: number): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l)));
  return Math.min(200, Math.max(44, Math.ceil(widest + extra)));
}

// ---- The best chain -----------------------------------------------------------------------------

const DECIMAL = /^[0-9]+$/;

/**
 * The tip of the best chain: the block with the most cumulative work, compared exactly as
 * bigints (CONTRIBUTING.md, Exact numbers), the one seen first on a tie, as a node keeps the
 * first of two equal branches. A block with unreadable work is passed over. Null without blocks.
 */
export function bestTip<B extends ChartBlock>(blocks: ReadonlyMap<string, B>): B | null {
  let best: B | null = null;
  let bestWork = -1n;
  for (const b of blocks.values()) {
    if (!DECIMAL.test(b.chainWork)) continue;
    const work = BigInt(b.chainWork);
    if (work > bestWork || (work === bestWork && best !== null && b.seen < best.seen)) {
      best = b;
      bestWork = work;
    }
  }
  return best;
}

/**
 * The best chain, oldest block first: from the best tip back through the parents the page
 * knows, to the genesis block (or to the oldest known ancestor, when a parent is missing).
 */
export function bestChain<B extends ChartBlock>(blocks: ReadonlyMap<string, B>): B[] {
  const chain: B[] = [];
  for (let b = bestTip(blocks); b !== null && chain.length <= blocks.size;) {
    chain.push(b);
    b = b.parent === null ? null : (blocks.get(b.parent) ?? null);
  }
  return chain.reverse();
}

// ---- Block interval and difficulty over height --------------------------------------------------

/** One block of the best chain, or one bucket of them. */
export interface HeightPoint {
  readonly from: number;
  readonly to: number;
  readonly interval: number | null;
  readonly difficulty: number;
}

/**
 * Each mined block of the best chain with its interval, in seconds from its parent's timestamp
 * to its own, and its difficulty in bits. The genesis block is left out: nobody mined it and its
 * timestamp is a fixed date of the chain's parameters (src/core/params.ts), so the block after it
 * has no interval either.
 */
export function chainIntervals(chain: readonly ChartBlock[]): HeightPoint[] {
  const out: HeightPoint[] = [];
  for (let i = 0; i < chain.length; i++) {
    const b = chain[i];
    if (b === undefined || b.parent === null) continue;
    const p = chain[i - 1];
    const interval =
      p !== undefined && p.parent !== null ? (b.timestamp - p.timestamp) / 1000 : null;
    out.push({ from: b.height, to: b.height, interval, difficulty: b.difficulty });
  }
  return out;
}

/**
 * Buckets of `size` consecutive heights (aligned on multiples of `size`, so they stay put while
 * the chain grows): the mean interval of the blocks that have one, and the mean difficulty.
 */
export function bucketByHeight(points: readonly HeightPoint[], size: number): HeightPoint[] {
  if (size <= 1) return [...points];
  const out: HeightPoint[] = [];
  let intervals: number[] = [];
  let difficulties: number[] = [];
  let key = Number.NaN;
  let from = 0;
  let to = 0;
  const flush = (): void => {
    const difficulty = mean(difficulties);
    if (difficulty !== null) out.push({ from, to, interval: mean(intervals), difficulty });
    intervals = [];
    difficulties = [];
  };
  for (const p of points) {
    const k = Math.floor(p.from / size);
    if (k !== key) {
      flush();
      key = k;
      from = p.from;
    }
    to = p.to;
    if (p.interval !== null) intervals.push(p.interval);
    difficulties.push(p.difficulty);
  }
  flush();
  return out;
}

/**
 * Blocks per point for `blocks` mined blocks: 1, or a round size (2, 5, 10, 20, …) that keeps
 * at most MAX_POINTS points.
 */
export function bucketSize(blocks: number): number {
  return blocks <= MAX_POINTS ? 1 : niceAtLeast(blocks / MAX_POINTS);
}

/** Block interval and difficulty over height, along the best chain (see {@link bestChain}). */
export function intervalChart(chain: readonly ChartBlock[], locale: Locale): IntervalChart {
  const { t } = wordsFor(locale);
  const f = formatsFor(locale);
  const mined = chainIntervals(chain);
  const bucket = bucketSize(mined.length);
  const points = bucketByHeight(mined, bucket);
  const bucketed = bucket > 1;
  const tip = mined.at(-1);

  const title = t('charts.interval.title');
  const columns: TableColumn[] = [
    {
      label: t(bucketed ? 'charts.interval.col.meanInterval' : 'charts.interval.col.interval'),
      numeric: true,
    },
    {
      label: t(bucketed ? 'charts.interval.col.meanDifficulty' : 'charts.interval.col.difficulty'),
      numeric: true,
    },
  ];
  const rows: TableRow[] = points.map((p) => ({
    key: String(p.from),
    header: p.from === p.to ? f.count(p.from) : `${f.count(p.from)}–${f.count(p.to)}`,
    glyph: null,
    selected: false,
    cells: [p.interval === null ? NONE : f.seconds(p.interval), f.bits(p.difficulty)],
    values: [p.interval, p.difficulty],
  }));
  const table: ChartTable = {
    caption: t('charts.table.caption', { title }),
    corner: t(bucketed ? 'charts.interval.col.heights' : 'charts.interval.col.height'),
    columns,
    rows,
  };

  // Two panels over one x axis, each titled across its top: intervals above, difficulty below.
  const top = { title: 18, plotTop: 36, plotBottom: 180 };
  const bottom = { title: 218, plotTop: 236, plotBottom: 316 };
  const height = bottom.plotBottom + BOTTOM_MARGIN;

  const withInterval = points.flatMap((p, row) =>
    p.interval === null ? [] : [{ p, row, value: p.interval }],
  );
  const intervalValues = withInterval.map((w) => w.value);
  const yInterval = scaleLinear()
    .domain([
      Math.min(0, ...intervalValues),
      intervalValues.length > 0 ? Math.max(1, ...intervalValues) * HEADROOM : 1,
    ])
    .nice(5)
    .range([top.plotBottom, top.plotTop]);
  const difficulties = points.map((p) => p.difficulty);
  const dLow = difficulties.length > 0 ? Math.floor(Math.min(...difficulties)) - 1 : 0;
  const dHigh = difficulties.length > 0 ? Math.ceil(Math.max(...difficulties)) + 1 : 1;
  const yDifficulty = scaleLinear()
    .domain([Math.max(0, dLow), dHigh])
    .range([bottom.plotBottom, bottom.plotTop]);
  const intervalTicks = scaleTicks(yInterval, 5, f.seconds);
  const difficultyTicks = scaleTicks(yDifficulty, 3, f.bits, true);

  const left = marginFor(
    [...intervalTicks, ...difficultyTicks].map((k) => k.label),
    14,
  );
  const right = CHART_WIDTH - 28;
  const xs = points.map((p) => (p.from + p.to) / 2);
  const xLow = xs[0] ?? 0;
  const xHigh = xs.at(-1) ?? 1;
  const x = scaleLinear()
    .domain(xLow === xHigh ? [xLow - 1, xHigh + 1] : [xLow, xHigh])
    .range([left, right]);

  const interval: Panel = panel(
    { left, right, top: top.plotTop, bottom: top.plotBottom },
    top.title,
    t(bucketed ? 'charts.interval.axis.meanInterval' : 'charts.interval.axis.interval'),
    intervalTicks,
    withInterval.map(({ p, row, value }) => ({
      key: String(p.from),
      x: x((p.from + p.to) / 2),
      y: yInterval(value),
      value,
      row,
    })),
  );
  const difficulty: Panel = panel(
    { left, right, top: bottom.plotTop, bottom: bottom.plotBottom },
    bottom.title,
    t(bucketed ? 'charts.interval.axis.meanDifficulty' : 'charts.interval.axis.difficulty'),
    difficultyTicks,
    points.map((p, row) => ({
      key: String(p.from),
      x: x((p.from + p.to) / 2),
      y: yDifficulty(p.difficulty),
      value: p.difficulty,
      row,
    })),
  );

  const caption =
    tip === undefined
      ? t('charts.interval.caption.none')
      : bucketed
        ? t('charts.interval.caption.bucketed', { height: f.count(tip.to), size: f.count(bucket) })
        : t('charts.interval.caption', { height: f.count(tip.to) });
  return {
    width: CHART_WIDTH,
    height,
    title,
    caption,
    empty: points.length === 0 ? t('charts.interval.empty') : null,
    note: points.length > 0 && withInterval.length === 0 ? t('charts.interval.firstOnly') : null,
    table,
    x: xAxis(t('charts.interval.axis.height'), scaleTicks(x, 6, f.count, true), bottom.plotBottom),
    interval,
    difficulty,
    bucket,
    dots: points.length <= 60,
  };
}

function panel(
  plot: Plot,
  titleY: number,
  title: string,
  ticks: readonly Tick[],
  points: LinePoint[],
): Panel {
  const d =
    line<LinePoint>()
      .x((p) => p.x)
      .y((p) => p.y)(points) ?? '';
  return { plot, titleY, y: { title, ticks }, d, points };
}

// ---- Hash-rate shares and stale blocks ----------------------------------------------------------

/** A node's hash-rate share and blocks on the best chain; `node` null for "others". */
export interface ShareRow {
  readonly node: string | null;
  readonly index: number | null;
  readonly hashesPerSecond: number;
  readonly hashShare: number;
  readonly blocks: number;
  readonly blockShare: number;
}

/**
 * Each node's share of the hashes per second being done now, beside its share of the mined blocks
 * of the best chain. A block's miner is the address its coinbase paid, matched to a node by
 * address; blocks paid to an address no current node has (a removed node, say) count as
 * "others", a row added only when there are some. Without any hashing the hash shares are all 0;
 * without any mined block, the block shares are.
 */
export function shares(chain: readonly ChartBlock[], nodes: readonly ChartNode[]): ShareRow[] {
  const byAddress = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!byAddress.has(n.address)) byAddress.set(n.address, i);
  });
  const mined = new Array<number>(nodes.length).fill(0);
  let others = 0;
  let total = 0;
  for (const b of chain) {
    if (b.parent === null) continue;
    total++;
    const i = b.miner === null ? undefined : byAddress.get(b.miner);
    if (i === undefined) others++;
    else mined[i] = (mined[i] ?? 0) + 1;
  }
  const rates = nodes.map((n) =>
    Number.isFinite(n.hashesPerSecond) && n.hashesPerSecond > 0 ? n.hashesPerSecond : 0,
  );
  const hashes = rates.reduce((a, b) => a + b, 0);
  const rows: ShareRow[] = nodes.map((n, i) => ({
    node: n.id,
    index: i,
    hashesPerSecond: rates[i] ?? 0,
    hashShare: hashes > 0 ? (rates[i] ?? 0) / hashes : 0,
    blocks: mined[i] ?? 0,
    blockShare: total > 0 ? (mined[i] ?? 0) / total : 0,
  }));
  if (others > 0) {
    rows.push({
      node: null,
      index: null,
      hashesPerSecond: 0,
      hashShare: 0,
      blocks: others,
      blockShare: others / total,
    });
  }
  return rows;
}

/** Rows of horizontal bars: the shared layout of the two bar charts. */
function barLayout(
  labels: readonly string[],
  perRow: number,
  legend: boolean,
  domainTop: number,
  format: (value: number) => string,
  integer: boolean,
): {
  plot: Plot;
  height: number;
  labelX: number;
  rowY: (row: number) => number;
  barY: (row: number, bar: number) => number;
  barHeight: number;
  x: (value: number) => number;
  ticks: Tick[];
} {
  const barHeight = perRow === 1 ? 22 : 17;
  const gap = 3;
  const rowHeight = perRow * barHeight + (perRow - 1) * gap + 18;
  const labelX = 8;
  // Marker (12) and a gap before the label; a gap after it before the plot.
  const left = marginFor(labels, labelX + 18 + 12);
  const top = legend ? 46 : 14;
  const plotHeight = Math.max(1, labels.length) * rowHeight;
  const plot: Plot = { left, right: CHART_WIDTH - 60, top, bottom: top + plotHeight };
  const x = scaleLinear().domain([0, domainTop]).range([plot.left, plot.right]);
  if (integer) x.nice(5);
  const ticks = scaleTicks(x, 5, format, integer);
  return {
    plot,
    height: plot.bottom + BOTTOM_MARGIN,
    labelX,
    rowY: (row) => top + row * rowHeight + rowHeight / 2,
    barY: (row, bar) => top + row * rowHeight + 9 + bar * (barHeight + gap),
    barHeight,
    x,
    ticks,
  };
}

/** Hash-rate shares beside shares of the best chain's blocks, one pair of bars per node. */
export function sharesChart(
  chain: readonly ChartBlock[],
  nodes: readonly ChartNode[],
  locale: Locale,
  selected: string | null = null,
): BarChart {
  const { t, plural } = wordsFor(locale);
  const f = formatsFor(locale);
  const data = shares(chain, nodes);
  const label = (r: ShareRow): string => r.node ?? t('charts.shares.others');
  const rowKey = (r: ShareRow): string => (r.node === null ? 'others' : `node:${r.node}`);
  const totalBlocks = data.reduce((a, r) => a + r.blocks, 0);
  const totalHashes = data.reduce((a, r) => a + r.hashesPerSecond, 0);
  const title = t('charts.shares.title');
  const layout = barLayout(data.map(label), 2, true, 1, f.percent, false);
  const anySelected = data.some((r) => r.node !== null && r.node === selected);
  const rows: BarRow[] = data.map((r, i) => {
    const bar = (kind: 'hash' | 'blocks', k: number, value: number): Bar => ({
      key: `${rowKey(r)}:${kind}`,
      kind,
      x: layout.plot.left,
      y: layout.barY(i, k),
      width: layout.x(value) - layout.plot.left,
      height: layout.barHeight,
      value,
      label: f.percent(value),
    });
    return {
      key: rowKey(r),
      label: label(r),
      glyph: r.index === null ? null : glyphOf(r.index),
      y: layout.rowY(i),
      selected: r.node !== null && r.node === selected,
      dimmed: anySelected && (r.node === null || r.node !== selected),
      bars: [bar('hash', 0, r.hashShare), bar('blocks', 1, r.blockShare)],
    };
  });
  const hashLabel = t('charts.shares.hash');
  const legend: BarLegend[] = [
    { kind: 'hash', label: hashLabel, x: layout.labelX, y: LEGEND_Y },
    {
      kind: 'blocks',
      label: t('charts.shares.blocks'),
      x: layout.labelX + LEGEND_KEY + textWidth(hashLabel) + 16,
      y: LEGEND_Y,
    },
  ];
  const table: ChartTable = {
    caption: t('charts.table.caption', { title }),
    corner: t('charts.col.node'),
    columns: [
      { label: t('charts.shares.col.hashesPerSecond'), numeric: true },
      { label: t('charts.shares.col.hashShare'), numeric: true },
      { label: t('charts.shares.col.blocks'), numeric: true },
      { label: t('charts.shares.col.blockShare'), numeric: true },
    ],
    rows: data.map((r) => ({
      key: rowKey(r),
      header: label(r),
      glyph: r.index === null ? null : glyphOf(r.index),
      selected: r.node !== null && r.node === selected,
      cells: [
        f.count(r.hashesPerSecond),
        f.percent(r.hashShare),
        f.count(r.blocks),
        f.percent(r.blockShare),
      ],
      values: [r.hashesPerSecond, r.hashShare, r.blocks, r.blockShare],
    })),
  };
  const empty =
    data.length === 0 || (totalBlocks === 0 && totalHashes === 0) ? t('charts.shares.empty') : null;
  const note =
    empty !== null
      ? null
      : totalHashes === 0
        ? t('charts.shares.noHashing')
        : totalBlocks === 0
          ? t('charts.shares.noBlocks')
          : null;
  return {
    width: CHART_WIDTH,
    height: layout.height,
    title,
    caption: plural('charts.shares.caption', totalBlocks, { count: f.count(totalBlocks) }),
    empty,
    note,
    table,
    plot: layout.plot,
    x: xAxis(t('charts.shares.axis'), layout.ticks, layout.plot.bottom),
    rows,
    legend,
    labelX: layout.labelX,
  };
}

/** Stale blocks per node: blocks it holds that are not on its own best chain, as it counts them. */
export function staleChart(
  nodes: readonly ChartNode[],
  locale: Locale,
  selected: string | null = null,
): BarChart {
  const { t } = wordsFor(locale);
  const f = formatsFor(locale);
  const counts = nodes.map((n) =>
    Number.isFinite(n.staleBlocks) && n.staleBlocks > 0 ? n.staleBlocks : 0,
  );
  const most = Math.max(0, ...counts);
  const layout = barLayout(
    nodes.map((n) => n.id),
    1,
    false,
    Math.max(1, most),
    f.count,
    true,
  );
  const title = t('charts.stale.title');
  const anySelected = nodes.some((n) => n.id === selected);
  const rows: BarRow[] = nodes.map((n, i) => {
    const value = counts[i] ?? 0;
    return {
      key: n.id,
      label: n.id,
      glyph: glyphOf(i),
      y: layout.rowY(i),
      selected: n.id === selected,
      dimmed: anySelected && n.id !== selected,
      bars: [
        {
          key: `${n.id}:stale`,
          kind: 'stale',
          x: layout.plot.left,
          y: layout.barY(i, 0),
          width: layout.x(value) - layout.plot.left,
          height: layout.barHeight,
          value,
          label: f.count(value),
        },
      ],
    };
  });
  return {
    width: CHART_WIDTH,
    height: layout.height,
    title,
    caption: t('charts.stale.caption'),
    empty: nodes.length === 0 ? t('charts.noNodes') : null,
    note: nodes.length > 0 && most === 0 ? t('charts.stale.none') : null,
    table: {
      caption: t('charts.table.caption', { title }),
      corner: t('charts.col.node'),
      columns: [{ label: t('charts.stale.col'), numeric: true }],
      rows: nodes.map((n, i) => ({
        key: n.id,
        header: n.id,
        glyph: glyphOf(i),
        selected: n.id === selected,
        cells: [f.count(counts[i] ?? 0)],
        values: [counts[i] ?? 0],
      })),
    },
    plot: layout.plot,
    x: xAxis(t('charts.stale.axis'), layout.ticks, layout.plot.bottom),
    rows,
    legend: [],
    labelX: layout.labelX,
  };
}

// ---- Mempool size over time ---------------------------------------------------------------------

/**
 * Mempool size over time, one line per current node (in creation order, so each keeps its
 * marker). Time runs left to right and is counted in seconds before the latest sample, which the
 * page takes as it polls, so the right edge is now. A history longer than MAX_POINTS samples is
 * thinned to every `stride`-th sample, counted back from the latest: a mempool size is a level,
 * so the drawn points are real samples and the table lists exactly those.
 */
export function mempoolChart(
  history: readonly MempoolSample[],
  nodes: readonly Pick<ChartNode, 'id'>[],
  locale: Locale,
  selected: string | null = null,
): MempoolChart {
  const { t } = wordsFor(locale);
  const f = formatsFor(locale);
  const sorted = history.every((s, i) => i === 0 || (history[i - 1]?.at ?? s.at) <= s.at)
    ? history
    : [...history].sort((a, b) => a.at - b.at);
  const stride = Math.max(1, Math.ceil(sorted.length / MAX_POINTS));
  const kept = sorted.filter((_, i) => (sorted.length - 1 - i) % stride === 0);
  const latest = kept.at(-1)?.at ?? 0;
  const ago = (s: MempoolSample): number => (latest - s.at) / 1000;
  const span = kept.length > 0 ? ago(kept[0] as MempoolSample) : 0;

  const sizeOf = kept.map((s) => {
    const m = new Map<string, number>();
    for (const { node, size } of s.sizes) {
      if (Number.isFinite(size) && size >= 0) m.set(node, size);
    }
    return m;
  });
  let most = 0;
  for (const m of sizeOf) for (const n of nodes) most = Math.max(most, m.get(n.id) ?? 0);

  const title = t('charts.mempool.title');
  const empty =
    kept.length === 0 ? t('charts.mempool.empty') : nodes.length === 0 ? t('charts.noNodes') : null;

  // The y axis's title goes across the top left, above the plot.
  const top = 36;
  const bottom = 276;
  const yScale = scaleLinear()
    .domain([0, Math.max(1, most * HEADROOM)])
    .nice(5)
    .range([bottom, top]);
  const yTicks = scaleTicks(yScale, 5, f.count, true);
  const left = marginFor(
    yTicks.map((k) => k.label),
    14,
  );
  const plot: Plot = { left, right: CHART_WIDTH - 36, top, bottom };
  const xScale = scaleLinear()
    .domain([Math.max(1, span), 0])
    .range([plot.left, plot.right]);

  const timeLabels = kept.map((s) => f.seconds(ago(s)));
  const series: MempoolSeries[] = nodes.map((n, i) => {
    const points: LinePoint[] = [];
    const defined: (LinePoint | null)[] = kept.map((s, row) => {
      const size = sizeOf[row]?.get(n.id);
      if (size === undefined) return null;
      const p = { key: `${row}:${s.at}`, x: xScale(ago(s)), y: yScale(size), value: size, row };
      points.push(p);
      return p;
    });
    const d =
      line<LinePoint | null>()
        .defined((p) => p !== null)
        .x((p) => p?.x ?? 0)
        .y((p) => p?.y ?? 0)(defined) ?? '';
    const step = Math.max(nodes.length, Math.ceil(kept.length / 8));
    const marks = points.filter((p) => (p.row + i) % step === 0).map((p) => ({ x: p.x, y: p.y }));
    return {
      node: n.id,
      glyph: glyphOf(i),
      selected: n.id === selected,
      dimmed: selected !== null && n.id !== selected && nodes.some((m) => m.id === selected),
      d,
      points,
      marks,
    };
  });
  series.sort((a, b) => Number(a.selected) - Number(b.selected));

  const caption =
    kept.length < 2
      ? t('charts.mempool.caption.none')
      : stride > 1
        ? t('charts.mempool.caption.thinned', { span: f.span(span), stride: f.count(stride) })
        : t('charts.mempool.caption', { span: f.span(span) });
  return {
    width: CHART_WIDTH,
    height: bottom + BOTTOM_MARGIN,
    title,
    caption,
    empty,
    note: null,
    table: {
      caption: t('charts.table.caption', { title }),
      corner: t('charts.mempool.axis.time'),
      columns: nodes.map((n, i) => ({ label: n.id, numeric: true, glyph: glyphOf(i) })),
      rows: kept.map((s, row) => ({
        key: `${row}:${s.at}`,
        header: timeLabels[row] ?? '',
        glyph: null,
        selected: false,
        cells: nodes.map((n) => {
          const v = sizeOf[row]?.get(n.id);
          return v === undefined ? NONE : f.count(v);
        }),
        values: nodes.map((n) => sizeOf[row]?.get(n.id) ?? null),
      })),
    },
    plot,
    x: xAxis(t('charts.mempool.axis.time'), scaleTicks(xScale, 6, f.seconds), plot.bottom),
    y: { title: t('charts.mempool.axis.size'), ticks: yTicks },
    yTitleY: 18,
    series,
    stride,
  };
}

// ---- The node legend ----------------------------------------------------------------------------

/** A node as the legend shows it. */
export interface LegendNode {
  readonly id: string;
  readonly glyph: Glyph;
  readonly selected: boolean;
}

/** Every node with its marker, in creation order. */
export function nodeLegend(
  nodes: readonly Pick<ChartNode, 'id'>[],
  selected: string | null = null,
): LegendNode[] {
  return nodes.map((n, i) => ({ id: n.id, glyph: glyphOf(i), selected: n.id === selected }));
}
