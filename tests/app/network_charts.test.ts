/**
 * The network charts (src/app/charts/network-charts.ts): the best chain chosen by work, block
 * intervals and difficulty along it, bucketing of a long chain, hash-rate and block shares, stale
 * blocks, mempool history; that every table row is the value drawn, that ticks carry their
 * units, that empty inputs give a sentence and never NaN; and that the component renders them as
 * named figures with unique ids and scoped table headers.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { ChartNode, MempoolSample } from '../../src/app/charts/network-charts.ts';
import {
  mempoolSamples,
  bestChain,
  bestTip,
  bucketByHeight,
  bucketSize,
  chainIntervals,
  intervalChart,
  MAX_POINTS,
  mempoolChart,
  nodeLegend,
  shares,
  sharesChart,
  staleChart,
} from '../../src/app/charts/network-charts.ts';
import type { Tick } from '../../src/app/charts/axis.ts';
import ChartNumbers from '../../src/app/components/ChartNumbers.svelte';
import NetworkCharts from '../../src/app/components/NetworkCharts.svelte';
import { formatCount, LOCALES, translate } from '../../src/app/i18n/catalog.ts';
import type { NodeStatus } from '../../src/app/sim/worker-simulation.ts';
import type { KnownBlock } from '../../src/app/state/simulation.svelte.ts';
import { markerFor } from '../../src/app/tree/markers.ts';
import type { Address, BlockHash, NodeId } from '../../src/core/types.ts';

/** The genesis block's fixed date (src/core/params.ts): years before any mined block. */
const GENESIS_MS = 1_514_764_800_000;
/** When the test network's first block was mined. */
const START_MS = 1_760_000_000_000;
/** Work far past 2^53, so only an exact comparison tells chains apart. */
const UNIT = 10n ** 30n;

/** A block's fields to set, its work as a bigint. */
type Fields = Partial<Omit<KnownBlock, 'chainWork'>> & { work?: bigint };

function known(
  hash: string,
  parent: string | null,
  height: number,
  fields: Fields = {},
): KnownBlock {
  const { work, ...rest } = fields;
  return {
    hash,
    parent,
    height,
    seq: height,
    chainWork: (work ?? BigInt(height) * UNIT).toString(),
    miner: null,
    timestamp: parent === null ? GENESIS_MS : START_MS + height * 10_000,
    difficulty: 16,
    seen: height,
    ...rest,
  };
}

function mapOf(blocks: readonly KnownBlock[]): Map<string, KnownBlock> {
  return new Map(blocks.map((b) => [b.hash, b]));
}

/** Genesis `g` (height 1) and mined blocks `${prefix}2` … `${prefix}${to}`. */
function linear(
  to: number,
  each: (height: number) => Fields = () => ({}),
  prefix = 'm',
): KnownBlock[] {
  const out = [known('g', null, 1)];
  for (let h = 2; h <= to; h++) {
    out.push(known(`${prefix}${h}`, h === 2 ? 'g' : `${prefix}${h - 1}`, h, each(h)));
  }
  return out;
}

function node(id: string, fields: Partial<NodeStatus> = {}): NodeStatus {
  return {
    id: id as NodeId,
    address: `addr-${id}` as Address,
    height: 1,
    tip: 'g' as BlockHash,
    peers: [],
    mining: true,
    hashrate: 1,
    hashesPerSecond: 1000,
    mempoolSize: 0,
    balance: 0,
    reorgs: 0,
    staleBlocks: 0,
    droppedMessages: 0,
    storageProblem: null,
    room: null,
    ...fields,
  };
}

/** Where a value sits on an axis, read back from two of its ticks (they are on a linear scale). */
function along(ticks: readonly Tick[], value: number): number {
  const [a, b] = [ticks[0], ticks.at(-1)];
  if (a === undefined || b === undefined || a.value === b.value)
    throw new Error('two ticks needed');
  return a.at + ((value - a.value) * (b.at - a.at)) / (b.value - a.value);
}

/** Every number in a value that is not finite, and every string that says NaN, with its path. */
function badNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value === 'string') return /NaN|Infinity|undefined/.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => badNumbers(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => badNumbers(v, `${path}.${k}`));
  }
  return [];
}

describe('the best chain', () => {
  it('is the one with the most work, not the longest', () => {
    // A long branch of easy blocks, and a shorter one whose blocks carry much more work.
    const long = linear(6, (h) => ({ work: BigInt(h) * UNIT }), 'l');
    const heavy = [
      known('h2', 'g', 2, { work: 10n * UNIT, seen: 100 }),
      known('h3', 'h2', 3, { work: 20n * UNIT, seen: 101 }),
    ];
    const blocks = mapOf([...long, ...heavy]);
    expect(bestTip(blocks)?.hash).toBe('h3');
    expect(bestChain(blocks).map((b) => b.hash)).toEqual(['g', 'h2', 'h3']);
  });

  it('compares work exactly: 2^60 + 1 beats 2^60, which a float cannot tell apart', () => {
    const a = known('a', 'g', 2, { work: 2n ** 60n + 1n, seen: 9 });
    const b = known('b', 'g', 2, { work: 2n ** 60n, seen: 1 });
    expect(Number(2n ** 60n + 1n)).toBe(Number(2n ** 60n));
    expect(bestTip(mapOf([known('g', null, 1, { work: 1n }), a, b]))?.hash).toBe('a');
  });

  it('on equal work, is the tip seen first', () => {
    const a = known('a', 'g', 2, { work: 5n * UNIT, seen: 7 });
    const b = known('b', 'g', 2, { work: 5n * UNIT, seen: 3 });
    expect(bestTip(mapOf([known('g', null, 1), a, b]))?.hash).toBe('b');
    expect(bestTip(mapOf([known('g', null, 1), b, a]))?.hash).toBe('b');
  });

  it('stops at the oldest ancestor the page knows, and is empty without blocks', () => {
    const orphan = [known('x5', 'x4', 5), known('x6', 'x5', 6)];
    expect(bestChain(mapOf(orphan)).map((b) => b.hash)).toEqual(['x5', 'x6']);
    expect(bestChain(new Map())).toEqual([]);
    expect(bestTip(new Map())).toBeNull();
  });
});

describe('block interval and difficulty over height', () => {
  // Genesis, then blocks 2..5 at 7 s, 19 s, 20.5 s and 31 s; a retarget to 17 bits at block 5.
  const times = [0, 0, 7_000, 19_000, 20_500, 31_000];
  const chain = bestChain(
    mapOf(
      linear(5, (h) => ({ timestamp: START_MS + (times[h] ?? 0), difficulty: h === 5 ? 17 : 16 })),
    ),
  );

  it('measures each interval from the parent, and none from the genesis block', () => {
    expect(chainIntervals(chain)).toEqual([
      { from: 2, to: 2, interval: null, difficulty: 16 },
      { from: 3, to: 3, interval: 12, difficulty: 16 },
      { from: 4, to: 4, interval: 1.5, difficulty: 16 },
      { from: 5, to: 5, interval: 10.5, difficulty: 17 },
    ]);
  });

  it('plots the table: each point is its row, at the height and value its axes say', () => {
    const c = intervalChart(chain, 'en');
    expect(c.bucket).toBe(1);
    expect(c.empty).toBeNull();
    expect(c.note).toBeNull();
    expect(c.table.rows.map((r) => r.header)).toEqual(['2', '3', '4', '5']);
    expect(c.table.rows.map((r) => r.values)).toEqual([
      [null, 16],
      [12, 16],
      [1.5, 16],
      [10.5, 17],
    ]);
    expect(c.table.rows[0]?.cells[0]).toBe('—');

    expect(c.interval.points.map((p) => p.value)).toEqual([12, 1.5, 10.5]);
    for (const p of c.interval.points) {
      expect(c.table.rows[p.row]?.values[0]).toBe(p.value);
      expect(p.y).toBeCloseTo(along(c.interval.y.ticks, p.value), 6);
      expect(p.x).toBeCloseTo(along(c.x.ticks, Number(c.table.rows[p.row]?.header)), 6);
    }
    expect(c.difficulty.points.map((p) => p.value)).toEqual([16, 16, 16, 17]);
    for (const p of c.difficulty.points) {
      expect(c.table.rows[p.row]?.values[1]).toBe(p.value);
      expect(p.y).toBeCloseTo(along(c.difficulty.y.ticks, p.value), 6);
    }
    // The highest interval (12 s) stays below the top of its axis.
    expect(c.interval.y.ticks.at(-1)?.value).toBeGreaterThan(12);
    // Three intervals make a line of three vertices; every point inside its panel.
    expect(c.interval.d.match(/[ML]/g)).toHaveLength(3);
    for (const panel of [c.interval, c.difficulty]) {
      for (const p of panel.points) {
        expect(p.x).toBeGreaterThanOrEqual(panel.plot.left);
        expect(p.x).toBeLessThanOrEqual(panel.plot.right);
        expect(p.y).toBeGreaterThanOrEqual(panel.plot.top);
        expect(p.y).toBeLessThanOrEqual(panel.plot.bottom);
      }
    }
    expect(c.caption).toContain('block 5');
    expect(badNumbers(c)).toEqual([]);
  });

  it('writes its ticks with their units: seconds, bits, whole heights', () => {
    const en = intervalChart(chain, 'en');
    expect(en.interval.y.ticks.length).toBeGreaterThan(1);
    for (const t of en.interval.y.ticks) expect(t.label).toMatch(/^\d+(\.\d+)? secs?$/);
    expect(en.difficulty.y.ticks.length).toBeGreaterThan(1);
    for (const t of en.difficulty.y.ticks) {
      expect(Number.isInteger(t.value)).toBe(true);
      expect(t.label).toMatch(/^\d+ bits?$/);
    }
    for (const t of en.x.ticks) expect(Number.isInteger(t.value)).toBe(true);
    expect(en.interval.y.title).toMatch(/seconds/i);
    expect(en.difficulty.y.title).toMatch(/bits/);

    const fr = intervalChart(chain, 'fr');
    for (const t of fr.interval.y.ticks) expect(t.label).toMatch(/^\d+(,\d+)?\s?s$/);
    expect(fr.table.rows[3]?.cells[0]).toMatch(/^10,5\ss$/);
    expect(fr.table.rows[3]?.cells[1]).toMatch(/^17\sbits$/);
    expect(fr.caption).toContain('bloc 5');
  });

  it('buckets a 20,000-block chain into at most MAX_POINTS means, without changing them', () => {
    const n = 20_001;
    const seconds = (h: number): number => 5 + (h % 11);
    let t = START_MS;
    const blocks: KnownBlock[] = [known('g', null, 1)];
    for (let h = 2; h <= n; h++) {
      t += seconds(h) * 1000;
      blocks.push(
        known(`m${h}`, h === 2 ? 'g' : `m${h - 1}`, h, {
          timestamp: t,
          difficulty: 16 + Math.floor(h / 7000),
        }),
      );
    }
    const long = bestChain(mapOf(blocks));
    const c = intervalChart(long, 'en');

    expect(bucketSize(n - 1)).toBe(50);
    expect(c.bucket).toBe(50);
    expect(c.interval.points.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(c.difficulty.points.length).toBe(c.table.rows.length);
    expect(c.table.rows.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(c.caption).toContain('means of 50 blocks');
    expect(c.table.corner).toBe('Heights');
    expect(c.table.columns.map((col) => col.label)).toEqual([
      'Mean seconds since the parent',
      'Mean difficulty',
    ]);

    // Buckets are aligned on multiples of 50: 2–49, 50–99, …; block 2 has no interval.
    expect(c.table.rows[0]?.header).toBe('2–49');
    expect(c.table.rows[1]?.header).toBe('50–99');
    const meanOf = (from: number, to: number): number => {
      let sum = 0;
      for (let h = from; h <= to; h++) sum += seconds(h);
      return sum / (to - from + 1);
    };
    expect(c.table.rows[0]?.values[0]).toBeCloseTo(meanOf(3, 49), 9);
    expect(c.table.rows[1]?.values[0]).toBeCloseTo(meanOf(50, 99), 9);
    // The bucket 6,950–6,999 is all 16 bits; 7,000–7,049 all 17; none straddles the change.
    const at = (from: number) => c.table.rows.find((r) => r.key === String(from));
    expect(at(6950)?.values[1]).toBe(16);
    expect(at(7000)?.values[1]).toBe(17);
    expect(c.table.rows.at(-1)?.header).toBe('20,000–20,001');

    for (const p of c.interval.points) expect(c.table.rows[p.row]?.values[0]).toBe(p.value);
    expect(badNumbers(c)).toEqual([]);
  });

  it('bucketByHeight keeps a bucket with no interval, and means what it has', () => {
    const points = [
      { from: 10, to: 10, interval: null, difficulty: 16 },
      { from: 11, to: 11, interval: 4, difficulty: 16 },
      { from: 12, to: 12, interval: 8, difficulty: 18 },
    ];
    expect(bucketByHeight(points, 2)).toEqual([
      { from: 10, to: 11, interval: 4, difficulty: 16 },
      { from: 12, to: 12, interval: 8, difficulty: 18 },
    ]);
    expect(bucketByHeight(points.slice(0, 1), 5)).toEqual([
      { from: 10, to: 10, interval: null, difficulty: 16 },
    ]);
  });

  it('says why when there is nothing to draw, and never draws NaN', () => {
    for (const chain2 of [[], bestChain(mapOf(linear(1)))]) {
      const c = intervalChart(chain2, 'en');
      expect(c.empty).toBe(translate('en', 'charts.interval.empty'));
      expect(c.table.rows).toEqual([]);
      expect(c.caption).toBe(translate('en', 'charts.interval.caption.none'));
      expect(badNumbers(c)).toEqual([]);
    }
    // One mined block: a difficulty, no interval yet, and a note saying why.
    const one = intervalChart(bestChain(mapOf(linear(2))), 'fr');
    expect(one.empty).toBeNull();
    expect(one.note).toBe(translate('fr', 'charts.interval.firstOnly'));
    expect(one.interval.points).toEqual([]);
    expect(one.difficulty.points).toHaveLength(1);
    expect(badNumbers(one)).toEqual([]);
  });
});

describe('hash-rate and block shares', () => {
  const nodes: ChartNode[] = [
    node('n1', { hashesPerSecond: 3000 }),
    node('n2', { hashesPerSecond: 1000 }),
    node('n3', { hashesPerSecond: 0 }),
  ];
  // Blocks 2..9: n1 mined four, n2 two, a removed node two.
  const miners = ['', '', 'n1', 'n1', 'n2', 'n1', 'gone', 'n2', 'n1', 'gone'];
  const chain = bestChain(mapOf(linear(9, (h) => ({ miner: `addr-${miners[h] ?? ''}` }))));

  it('gives each node its share of hashes now and of best-chain blocks, others apart', () => {
    const rows = shares(chain, nodes);
    expect(rows.map((r) => [r.node, r.hashShare, r.blocks, r.blockShare])).toEqual([
      ['n1', 0.75, 4, 0.5],
      ['n2', 0.25, 2, 0.25],
      ['n3', 0, 0, 0],
      [null, 0, 2, 0.25],
    ]);
    expect(rows.reduce((a, r) => a + r.hashShare, 0)).toBeCloseTo(1, 12);
    expect(rows.reduce((a, r) => a + r.blockShare, 0)).toBeCloseTo(1, 12);
  });

  it('counts blocks of the best chain only, never a stale branch', () => {
    const withFork = mapOf([
      ...linear(9, (h) => ({ miner: `addr-${miners[h] ?? ''}` })),
      known('s3', 'm2', 3, { miner: 'addr-n3', work: 3n * UNIT, seen: 500 }),
    ]);
    const rows = shares(bestChain(withFork), nodes);
    expect(rows.find((r) => r.node === 'n3')?.blocks).toBe(0);
  });

  it('draws each share as a bar as long as its table value, with percent ticks', () => {
    const c = sharesChart(chain, nodes, 'en', 'n2');
    expect(c.rows.map((r) => r.label)).toEqual(['n1', 'n2', 'n3', 'others']);
    expect(c.rows.map((r) => r.glyph?.colour ?? null)).toEqual([
      markerFor(0).colour,
      markerFor(1).colour,
      markerFor(2).colour,
      null,
    ]);
    expect(c.rows.map((r) => [r.selected, r.dimmed])).toEqual([
      [false, true],
      [true, false],
      [false, true],
      [false, true],
    ]);
    c.rows.forEach((row, i) => {
      const values = c.table.rows[i]?.values ?? [];
      const [hash, blocks] = row.bars;
      expect(hash?.value).toBe(values[1]);
      expect(blocks?.value).toBe(values[3]);
      for (const bar of row.bars) {
        expect(bar.x).toBe(c.plot.left);
        expect(bar.x + bar.width).toBeCloseTo(along(c.x.ticks, bar.value), 6);
      }
    });
    expect(c.table.rows[0]?.cells).toEqual(['3,000', '75%', '4', '50%']);
    for (const t of c.x.ticks) expect(t.label).toMatch(/%$/);
    expect(c.x.ticks.at(-1)?.value).toBe(1);
    expect(c.caption).toContain('(8 mined)');
    expect(c.legend.map((l) => l.kind)).toEqual(['hash', 'blocks']);
    expect(badNumbers(c)).toEqual([]);
  });

  it('one node has all of it; no hashing or no blocks is said, never divided by', () => {
    const solo = sharesChart(chain, [node('n1', { hashesPerSecond: 10 })], 'en');
    expect(solo.table.rows[0]?.values).toEqual([10, 1, 4, 0.5]);

    const idle = sharesChart(
      chain,
      nodes.map((n) => ({ ...n, hashesPerSecond: 0 })),
      'en',
    );
    expect(idle.empty).toBeNull();
    expect(idle.note).toBe(translate('en', 'charts.shares.noHashing'));
    expect(
      idle.rows.flatMap((r) => r.bars.filter((b) => b.kind === 'hash').map((b) => b.value)),
    ).toEqual([0, 0, 0, 0]);
    expect(badNumbers(idle)).toEqual([]);

    const fresh = sharesChart(bestChain(mapOf(linear(1))), nodes, 'fr');
    expect(fresh.note).toBe(translate('fr', 'charts.shares.noBlocks'));
    expect(badNumbers(fresh)).toEqual([]);

    const nothing = sharesChart([], [], 'en');
    expect(nothing.empty).toBe(translate('en', 'charts.shares.empty'));
    expect(badNumbers(nothing)).toEqual([]);
  });
});

describe('stale blocks per node', () => {
  it('draws one bar per node, as long as its count, with whole-number ticks', () => {
    const nodes = [node('n1', { staleBlocks: 3 }), node('n2'), node('n3', { staleBlocks: 7 })];
    const c = staleChart(nodes, 'en', 'n3');
    expect(c.table.rows.map((r) => [r.header, r.values[0]])).toEqual([
      ['n1', 3],
      ['n2', 0],
      ['n3', 7],
    ]);
    expect(c.rows.map((r) => r.selected)).toEqual([false, false, true]);
    for (const [i, row] of c.rows.entries()) {
      const bar = row.bars[0];
      expect(bar?.value).toBe(c.table.rows[i]?.values[0]);
      expect((bar?.x ?? 0) + (bar?.width ?? 0)).toBeCloseTo(along(c.x.ticks, bar?.value ?? 0), 6);
    }
    for (const t of c.x.ticks) expect(Number.isInteger(t.value)).toBe(true);
    expect(c.x.title).toMatch(/count/);
    expect(c.note).toBeNull();
  });

  it('says so when no node has a stale block, or when there is no node', () => {
    const none = staleChart([node('n1')], 'en');
    expect(none.note).toBe(translate('en', 'charts.stale.none'));
    expect(badNumbers(none)).toEqual([]);
    const empty = staleChart([], 'fr');
    expect(empty.empty).toBe(translate('fr', 'charts.noNodes'));
    expect(badNumbers(empty)).toEqual([]);
  });
});

describe('mempool size over time', () => {
  const nodes = [node('n1'), node('n2')];
  const t0 = 1_000_000;
  const history: MempoolSample[] = [
    { at: t0, sizes: [{ node: 'n1', size: 2 }] },
    {
      at: t0 + 10_000,
      sizes: [
        { node: 'n1', size: 5 },
        { node: 'n2', size: 1 },
      ],
    },
    {
      at: t0 + 30_000,
      sizes: [
        { node: 'n1', size: 0 },
        { node: 'n2', size: 4 },
        { node: 'n9', size: 99 },
      ],
    },
  ];

  it('draws one line per node in seconds before the latest sample, as its table says', () => {
    const c = mempoolChart(history, nodes, 'en');
    expect(c.stride).toBe(1);
    expect(c.table.corner).toBe('Seconds before the latest sample');
    expect(c.table.columns.map((col) => col.label)).toEqual(['n1', 'n2']);
    expect(c.table.rows.map((r) => r.header.replace(/ secs?$/, ''))).toEqual(['30', '20', '0']);
    for (const r of c.table.rows) expect(r.header).toMatch(/^\d+ secs?$/);
    expect(c.table.rows.map((r) => r.values)).toEqual([
      [2, null],
      [5, 1],
      [0, 4],
    ]);
    expect(c.table.rows[0]?.cells).toEqual(['2', '—']);

    expect(c.series.map((s) => s.node)).toEqual(['n1', 'n2']);
    expect(c.series[1]?.glyph.colour).toBe(markerFor(1).colour);
    for (const s of c.series) {
      const column = c.table.columns.findIndex((col) => col.label === s.node);
      for (const p of s.points) {
        expect(c.table.rows[p.row]?.values[column]).toBe(p.value);
        expect(p.y).toBeCloseTo(along(c.y.ticks, p.value), 6);
        const ago = [30, 20, 0][p.row] ?? -1;
        expect(p.x).toBeCloseTo(along(c.x.ticks, ago), 6);
      }
    }
    // Now is at the right edge, the oldest sample at the left; n9 (not a current node) is left out.
    expect(c.series[0]?.points.at(-1)?.x).toBeCloseTo(c.plot.right, 6);
    expect(c.series[0]?.points[0]?.x).toBeCloseTo(c.plot.left, 6);
    expect(c.y.ticks.at(-1)?.value).toBeLessThan(99);
    for (const t of c.x.ticks) expect(t.label).toMatch(/^\d+ secs?$/);
    for (const t of c.y.ticks) expect(Number.isInteger(t.value)).toBe(true);
    expect(c.caption).toContain('30 seconds');
    expect(badNumbers(c)).toEqual([]);
  });

  it('draws the selected node last, and the others quietly', () => {
    const c = mempoolChart(history, nodes, 'en', 'n1');
    expect(c.series.map((s) => [s.node, s.selected, s.dimmed])).toEqual([
      ['n2', false, true],
      ['n1', true, false],
    ]);
  });

  it('staggers the markers so lines that overlap still show each node', () => {
    const same: MempoolSample[] = Array.from({ length: 40 }, (_, i) => ({
      at: t0 + i * 400,
      sizes: nodes.map((n) => ({ node: n.id, size: 3 })),
    }));
    const c = mempoolChart(same, nodes, 'en');
    const [a, b] = c.series;
    expect(a?.marks.length).toBeGreaterThan(0);
    expect(b?.marks.length).toBeGreaterThan(0);
    const xs = new Set(a?.marks.map((m) => m.x));
    expect(b?.marks.some((m) => xs.has(m.x))).toBe(false);
  });

  it('thins a long history to every k-th sample, keeping the latest', () => {
    const long: MempoolSample[] = Array.from({ length: 1_234 }, (_, i) => ({
      at: t0 + i * 400,
      sizes: [{ node: 'n1', size: i % 17 }],
    }));
    const c = mempoolChart(long, nodes, 'en');
    expect(c.stride).toBe(3);
    expect(c.table.rows.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(c.table.rows.at(-1)?.values[0]).toBe(1_233 % 17);
    expect(c.table.rows.at(-2)?.values[0]).toBe(1_230 % 17);
    expect(c.series[0]?.points).toHaveLength(c.table.rows.length);
    expect(c.caption).toContain('one sample in 3');
    expect(c.caption).toContain('8.2 minutes');
  });

  it('says so without samples or nodes, and one sample draws without NaN', () => {
    expect(mempoolChart([], nodes, 'en').empty).toBe(translate('en', 'charts.mempool.empty'));
    expect(mempoolChart(history, [], 'fr').empty).toBe(translate('fr', 'charts.noNodes'));
    const one = mempoolChart(history.slice(0, 1), nodes, 'en');
    expect(one.empty).toBeNull();
    expect(one.caption).toBe(translate('en', 'charts.mempool.caption.none'));
    expect(badNumbers(one)).toEqual([]);
    expect(badNumbers(mempoolChart([], [], 'en'))).toEqual([]);
  });
});

describe('words and numbers', () => {
  it('write counts as formatCount does, in both languages', () => {
    const nodes = [node('n1', { staleBlocks: 12_345 })];
    for (const locale of LOCALES) {
      const c = staleChart(nodes, locale);
      expect(c.table.rows[0]?.cells[0]).toBe(formatCount(locale, 12_345));
    }
  });

  it('leave no placeholder unfilled, and every chart has its own title', () => {
    const chain = bestChain(mapOf(linear(4, (h) => ({ miner: h % 2 ? 'addr-n1' : 'x' }))));
    const nodes = [node('n1', { staleBlocks: 1 })];
    const samples: MempoolSample[] = [
      { at: 0, sizes: [{ node: 'n1', size: 1 }] },
      { at: 5_000, sizes: [{ node: 'n1', size: 2 }] },
    ];
    for (const locale of LOCALES) {
      const charts = [
        intervalChart(chain, locale),
        sharesChart(chain, nodes, locale),
        staleChart(nodes, locale),
        mempoolChart(samples, nodes, locale),
      ];
      expect(new Set(charts.map((c) => c.title)).size).toBe(4);
      expect(new Set(charts.map((c) => c.table.caption)).size).toBe(4);
      for (const c of charts) {
        const words = [c.title, c.caption, c.table.caption, c.note ?? '', c.empty ?? ''];
        for (const w of words) expect(w, `${locale} ${w}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('the legend lists the nodes with their markers, in creation order', () => {
    const legend = nodeLegend([node('a'), node('b')], 'b');
    expect(legend.map((n) => [n.id, n.glyph.index, n.glyph.colour, n.selected])).toEqual([
      ['a', 0, markerFor(0).colour, false],
      ['b', 1, markerFor(1).colour, true],
    ]);
  });
});

describe('NetworkCharts', () => {
  const blocks = mapOf(linear(6, (h) => ({ miner: h % 2 ? 'addr-n1' : 'addr-n2' })));
  const nodes = [node('n1', { staleBlocks: 2 }), node('n2', { hashesPerSecond: 500 })];
  const mempool: MempoolSample[] = [
    { at: 1_000, sizes: [{ node: 'n1', size: 1 }] },
    {
      at: 2_000,
      sizes: [
        { node: 'n1', size: 3 },
        { node: 'n2', size: 2 },
      ],
    },
  ];

  it('renders four captioned figures, each drawing an image named by its caption', () => {
    const { body: html } = render(NetworkCharts, {
      props: { blocks, nodes, mempool, selectedNode: 'n2', onSelectNode: () => undefined },
    });
    expect(html.match(/<figure/g)).toHaveLength(4);
    expect(html.match(/<figcaption/g)).toHaveLength(4);
    const images = [...html.matchAll(/<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/g)];
    expect(images).toHaveLength(4);
    for (const [, id] of images) expect(html).toContain(`<figcaption id="${id ?? ''}"`);

    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);

    for (const key of [
      'charts.interval.title',
      'charts.shares.title',
      'charts.stale.title',
      'charts.mempool.title',
      'charts.showTables',
    ] as const) {
      expect(html).toContain(translate('en', key));
    }
    expect(html.match(/aria-pressed="true"/g)).toHaveLength(1);
    expect(html.match(/aria-pressed="false"/g)).toHaveLength(1);
    expect(html).not.toMatch(/NaN/);
  });

  it('renders with no blocks, nodes or samples, saying why in each figure', () => {
    const { body: html } = render(NetworkCharts, {
      props: { blocks: new Map(), nodes: [], mempool: [] },
    });
    expect(html.match(/<figure/g)).toHaveLength(4);
    expect(html).not.toContain('role="img"');
    expect(html).toContain(translate('en', 'charts.interval.empty'));
    expect(html).toContain(translate('en', 'charts.mempool.empty'));
    expect(html).not.toContain('aria-pressed');
  });

  it('a chart table has a caption and scoped headers, a row per plotted value', () => {
    const table = staleChart(nodes, 'en').table;
    const { body: html } = render(ChartNumbers, { props: { table, id: 'stale-table' } });
    expect(html).toMatch(
      /<caption id="stale-table"[^>]*>Stale blocks per node, as numbers<\/caption>/,
    );
    expect(html.match(/<th scope="col"/g)).toHaveLength(2);
    expect(html.match(/<th scope="row"/g)).toHaveLength(2);
    expect(html).toContain('aria-labelledby="stale-table"');
  });
});

describe('mempool samples from the recorded statuses', () => {
  it('holds every node at each change, and ends at the moment shown', () => {
    const history = new Map([
      [
        'n1',
        [
          { t: 100, status: { mempoolSize: 0 } },
          { t: 300, status: { mempoolSize: 4 } },
        ],
      ],
      ['n2', [{ t: 200, status: { mempoolSize: 2 } }]],
    ]);
    const samples = mempoolSamples(
      history,
      [
        { id: 'n1', mempoolSize: 5 },
        { id: 'n2', mempoolSize: 1 },
      ],
      400,
    );
    expect(samples).toEqual([
      { at: 100, sizes: [{ node: 'n1', size: 0 }] },
      {
        at: 200,
        sizes: [
          { node: 'n1', size: 0 },
          { node: 'n2', size: 2 },
        ],
      },
      {
        at: 300,
        sizes: [
          { node: 'n1', size: 4 },
          { node: 'n2', size: 2 },
        ],
      },
      {
        at: 400,
        sizes: [
          { node: 'n1', size: 5 },
          { node: 'n2', size: 1 },
        ],
      },
    ]);
  });

  it('is only the present when nothing was recorded', () => {
    expect(mempoolSamples(new Map(), [{ id: 'n1', mempoolSize: 3 }], 50)).toEqual([
      { at: 50, sizes: [{ node: 'n1', size: 3 }] },
    ]);
  });
});
