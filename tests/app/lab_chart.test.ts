/**
 * The lab chart's geometry (src/app/lab/chart.ts): which parameter goes on the x axis, where
 * markers, error bars, theory lines and rules land, and that the axis stays put while points
 * arrive.
 */
import { describe, expect, it } from 'vitest';
import type { PointResult } from '../../src/lab/experiment.ts';
import { DOUBLE_SPEND } from '../../src/lab/double-spend.ts';
import { SELFISH_MINING } from '../../src/lab/selfish-mining.ts';
import { withDefaults } from '../../src/lab/experiment.ts';
import {
  CHART_SIZE,
  chartGeometry,
  placeLegend,
  seriesParameters,
  xParameter,
} from '../../src/app/lab/chart.ts';

const format = (v: number): string => String(v);

function racePoint(z: number, measured: number, q = 0.1): PointResult {
  return {
    q,
    z,
    win: 'catch-up',
    measured,
    ci95: [Math.max(0, measured - 0.05), Math.min(1, measured + 0.05)],
    theory: { exact: measured, nakamoto: measured * 0.9 },
  };
}

/** How many points a path string visits: its move plus each line segment. */
function vertices(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

describe('which parameter is on the x axis', () => {
  it('is z for the double-spend defaults and alpha for selfish mining', () => {
    expect(xParameter(DOUBLE_SPEND, withDefaults(DOUBLE_SPEND, {}))).toBe('z');
    expect(xParameter(SELFISH_MINING, withDefaults(SELFISH_MINING, {}))).toBe('alpha');
  });

  it('is the first list with more than one value, and the others make series', () => {
    const values = withDefaults(DOUBLE_SPEND, { q: [0.1, 0.2], z: [1, 2] });
    expect(xParameter(DOUBLE_SPEND, values)).toBe('q');
    expect(seriesParameters(DOUBLE_SPEND, values, 'q')).toEqual(['z']);
    const single = withDefaults(DOUBLE_SPEND, { q: [0.1], z: [3] });
    expect(xParameter(DOUBLE_SPEND, single)).toBe('q');
    expect(seriesParameters(DOUBLE_SPEND, single, 'q')).toEqual([]);
  });
});

describe('chart geometry', () => {
  const input = {
    x: 'z',
    xValues: [0, 1, 2],
    integer: true,
    seriesBy: [],
    points: [racePoint(0, 1), racePoint(1, 0.2), racePoint(2, 0.05)],
  };

  it('places three markers left to right inside the plot, each inside its error bar', () => {
    const g = chartGeometry(input, format);
    expect(g.markers).toHaveLength(3);
    const xs = g.markers.map((m) => m.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    for (const m of g.markers) {
      expect(m.x).toBeGreaterThan(g.plot.left);
      expect(m.x).toBeLessThan(g.plot.right);
      // SVG y grows downwards: the interval's high end is above the marker.
      expect(m.yHigh).toBeLessThanOrEqual(m.y);
      expect(m.yLow).toBeGreaterThanOrEqual(m.y);
      expect(m.y).toBeGreaterThanOrEqual(g.plot.top);
      expect(m.y).toBeLessThanOrEqual(g.plot.bottom);
    }
    // A probability of 1 at z = 0 touches the top of a [0, 1] axis; 0 sits on the bottom.
    expect(g.markers[0]?.y).toBeCloseTo(g.plot.top);
    expect(g.yTicks.at(0)).toEqual({ value: 0, at: g.plot.bottom, label: '0' });
    expect(g.yTicks.at(-1)?.value).toBe(1);
  });

  it('draws each theory as one line through every point, in the order the points give', () => {
    const g = chartGeometry(input, format);
    expect(g.theories).toEqual(['exact', 'nakamoto']);
    expect(g.curves.map((c) => c.name)).toEqual(['exact', 'nakamoto']);
    for (const c of g.curves) expect(vertices(c.d)).toBe(3);
    expect(g.rules).toEqual([]);
  });

  it('labels every measured x as a tick, whole numbers only', () => {
    const g = chartGeometry(input, format);
    expect(g.xTicks.map((t) => t.label)).toEqual(['0', '1', '2']);
    expect(g.xTicks.map((t) => t.at)).toEqual(g.markers.map((m) => m.x));
  });

  it('keeps the x axis while points arrive, and draws only what has arrived', () => {
    const full = chartGeometry(input, format);
    const early = chartGeometry({ ...input, points: input.points.slice(0, 1) }, format);
    expect(early.xTicks).toEqual(full.xTicks);
    expect(early.markers).toHaveLength(1);
    expect(early.curves.map((c) => vertices(c.d))).toEqual([1, 1]);
    const none = chartGeometry({ ...input, points: [] }, format);
    expect(none.markers).toEqual([]);
    expect(none.curves).toEqual([]);
    expect(none.xTicks).toEqual(full.xTicks);
  });

  it('scales y to the highest interval end or theory value', () => {
    const low = [racePoint(3, 0.01), racePoint(4, 0.002)];
    const g = chartGeometry({ ...input, xValues: [3, 4], points: low }, format);
    const top = g.yTicks.at(-1)?.value ?? 0;
    expect(top).toBeGreaterThanOrEqual(0.06);
    expect(top).toBeLessThan(0.2);
  });

  it('splits points into series by the other varying parameter', () => {
    const points = [racePoint(1, 0.2, 0.1), racePoint(2, 0.05, 0.1), racePoint(1, 0.4, 0.2)];
    const g = chartGeometry({ ...input, xValues: [1, 2], seriesBy: ['q'], points }, format);
    expect(g.series.map((s) => s.label)).toEqual(['q=0.1', 'q=0.2']);
    expect(g.series[0]?.symbol).not.toBe(g.series[1]?.symbol);
    expect(g.curves.map((c) => [c.series, c.name, vertices(c.d)])).toEqual([
      [0, 'exact', 2],
      [0, 'nakamoto', 2],
      [1, 'exact', 1],
      [1, 'nakamoto', 1],
    ]);
  });

  it('selfish mining: the fair share is a line, the threshold a vertical rule at its alpha', () => {
    const points: PointResult[] = [0.1, 0.3, 0.45].map((alpha) => ({
      alpha,
      gamma: 0.5,
      blocks: 100,
      measured: alpha,
      ci95: [alpha - 0.02, alpha + 0.02],
      theory: { eyal_sirer: alpha * 1.1, fair_share: alpha, threshold: 0.25 },
    }));
    const g = chartGeometry(
      { x: 'alpha', xValues: [0.1, 0.3, 0.45], integer: false, seriesBy: [], points },
      format,
    );
    expect(g.theories).toEqual(['eyal_sirer', 'fair_share']);
    expect(g.rules).toHaveLength(1);
    const rule = g.rules[0];
    const [first, second] = g.markers;
    if (!rule || !first || !second) throw new Error('missing geometry');
    expect(rule.value).toBe(0.25);
    // 0.25 lies between alpha 0.1 and 0.3, in proportion.
    expect(rule.x).toBeCloseTo(first.x + ((second.x - first.x) * 0.15) / 0.2);
    expect(g.width).toBe(CHART_SIZE.width);
  });

  it('a threshold is a line when alpha is not on the x axis', () => {
    const points: PointResult[] = [0, 0.5, 1].map((gamma) => ({
      alpha: 0.3,
      gamma,
      blocks: 100,
      measured: 0.3,
      ci95: [0.28, 0.32],
      theory: { eyal_sirer: 0.3, fair_share: 0.3, threshold: (1 - gamma) / (3 - 2 * gamma) },
    }));
    const g = chartGeometry(
      { x: 'gamma', xValues: [0, 0.5, 1], integer: false, seriesBy: [], points },
      format,
    );
    expect(g.rules).toEqual([]);
    expect(g.theories).toEqual(['eyal_sirer', 'fair_share', 'threshold']);
  });

  it('puts the legend in a corner clear of the marks: top right for a falling race', () => {
    const labels = ['Measured, with its 95% interval', 'Exact', 'Nakamoto'];
    const falling = chartGeometry(input, format);
    const box = placeLegend(falling, labels);
    expect(box.x + box.width).toBeLessThanOrEqual(falling.plot.right);
    expect(box.y).toBeGreaterThanOrEqual(falling.plot.top);
    expect(box.x).toBeGreaterThan((falling.plot.left + falling.plot.right) / 2 - box.width);
    expect(box.y).toBeLessThan((falling.plot.top + falling.plot.bottom) / 2);
    const inside = (m: { x: number; y: number }) =>
      m.x >= box.x && m.x <= box.x + box.width && m.y >= box.y && m.y <= box.y + box.height;
    expect(falling.markers.filter(inside)).toEqual([]);

    // Rising points leave the top right full: the legend moves elsewhere, still clear of them.
    const rising = chartGeometry(
      {
        ...input,
        xValues: [0, 1, 2, 3],
        points: [0.05, 0.3, 0.6, 0.95].map((v, z) => racePoint(z, v)),
      },
      format,
    );
    const moved = placeLegend(rising, labels);
    const covers = (m: { x: number; y: number }) =>
      m.x >= moved.x &&
      m.x <= moved.x + moved.width &&
      m.y >= moved.y &&
      m.y <= moved.y + moved.height;
    expect(rising.markers.filter(covers)).toEqual([]);
    expect(moved.height).toBe(3 * moved.row + 10);
  });
});
