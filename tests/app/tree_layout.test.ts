/**
 * The block-tree layout: lanes, staleness, tips, missing parents, errors, determinism under any
 * input order, viewport culling and tip moves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffTips, LAYOUT_ERRORS, layoutTree, visibleWindow } from '../../src/app/tree/layout.ts';
import type {
  LaidOutBlock,
  NodeTip,
  TreeBlock,
  TreeLayout,
  Viewport,
} from '../../src/app/tree/types.ts';
import { block, chain, tips, WORK_UNIT } from './tree-fixtures.ts';

function at(layout: TreeLayout, hash: string): LaidOutBlock {
  const found = layout.blocks.find((b) => b.hash === hash);
  if (found === undefined) throw new Error(`no block ${hash} in the layout`);
  return found;
}

function lanes(layout: TreeLayout, hashes: readonly string[]): number[] {
  return hashes.map((h) => at(layout, h).lane);
}

function hashesOf(blocks: readonly TreeBlock[]): string[] {
  return blocks.map((b) => b.hash);
}

/** A small seeded generator (mulberry32), so random trees are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * A network of `nodes` miners: at each step one node either mines on its own tip or adopts a
 * random peer's tip when that has more work, which grows forks and reorgs as in the simulator.
 */
function simulate(
  nodes: number,
  count: number,
  seed: number,
): { blocks: TreeBlock[]; tips: NodeTip[] } {
  const random = rng(seed);
  const work = new Map<string, bigint>([['g', WORK_UNIT]]);
  const blocks: TreeBlock[] = [
    { hash: 'g', parent: null, height: 1, seq: 0, chainWork: WORK_UNIT.toString(), miner: null },
  ];
  const heightOf = new Map<string, number>([['g', 1]]);
  const tip: string[] = Array.from({ length: nodes }, () => 'g');
  while (blocks.length < count) {
    const i = Math.floor(random() * nodes);
    const mine = tip[i] as string;
    if (random() < 0.55) {
      const hash = `b${blocks.length}`;
      const w = (work.get(mine) ?? 0n) + BigInt(1 + Math.floor(random() * 3)) * WORK_UNIT;
      const height = (heightOf.get(mine) ?? 0) + 1;
      work.set(hash, w);
      heightOf.set(hash, height);
      blocks.push({
        hash,
        parent: mine,
        height,
        seq: blocks.length,
        chainWork: w.toString(),
        miner: `n${i}`,
      });
      tip[i] = hash;
    } else {
      const theirs = tip[Math.floor(random() * nodes)] as string;
      if ((work.get(theirs) ?? 0n) > (work.get(mine) ?? 0n)) tip[i] = theirs;
    }
  }
  return { blocks, tips: tip.map((t, i) => ({ node: `n${i}`, tip: t })) };
}

/**
 * Everything the layout promises, checked by brute force: one entry per block, coordinates from
 * height and lane, tips and best-chain membership, staleness, lane 0 through the main tip, and
 * no two branches overlapping or touching on a lane.
 */
function checkLayout(
  layout: TreeLayout,
  blocks: readonly TreeBlock[],
  nodeTips: readonly NodeTip[],
  columnWidth = 120,
  rowHeight = 70,
): void {
  const byHash = new Map(blocks.map((b) => [b.hash, b]));
  expect(layout.blocks).toHaveLength(blocks.length);
  expect(new Set(layout.blocks.map((b) => b.hash)).size).toBe(blocks.length);
  const minHeight = Math.min(...blocks.map((b) => b.height));

  const expectedTips = new Map<string, string[]>();
  const expectedMembers = new Map<string, string[]>();
  for (const { node, tip } of [...nodeTips].sort((a, b) => (a.node < b.node ? -1 : 1))) {
    if (!byHash.has(tip)) continue;
    expectedTips.set(tip, [...(expectedTips.get(tip) ?? []), node]);
    for (let h: string | null = tip; h !== null; h = byHash.get(h)?.parent ?? null) {
      if (!byHash.has(h)) break;
      expectedMembers.set(h, [...(expectedMembers.get(h) ?? []), node]);
    }
  }

  const cell = new Map<string, LaidOutBlock>();
  for (const b of layout.blocks) {
    const input = byHash.get(b.hash);
    expect(input).toBeDefined();
    expect(b.parent).toBe(input?.parent);
    expect(b.height).toBe(input?.height);
    expect(b.x).toBe((b.height - minHeight) * columnWidth);
    expect(b.y).toBe(b.lane * rowHeight);
    expect(b.tips).toEqual(expectedTips.get(b.hash) ?? []);
    expect(b.onBestChainOf).toEqual(expectedMembers.get(b.hash) ?? []);
    expect(b.stale).toBe(b.onBestChainOf.length === 0);
    const key = `${b.lane}/${b.height}`;
    expect(cell.has(key), `two blocks at lane/height ${key}`).toBe(false);
    cell.set(key, b);
  }
  // On a lane, neighbouring heights are always parent and child: a branch keeps its lane along
  // its length, and the next occupant starts at least two heights after the previous one ends.
  for (const b of layout.blocks) {
    const below = cell.get(`${b.lane}/${b.height - 1}`);
    if (below !== undefined) expect(b.parent).toBe(below.hash);
  }
  // Lane 0 is one path, and it runs through the main tip down to that chain's root.
  const lane0Root = Math.min(...layout.blocks.filter((b) => b.lane === 0).map((b) => b.height));
  for (const b of layout.blocks) {
    if (b.lane !== 0 || b.height === lane0Root) continue;
    expect(cell.get(`0/${b.height - 1}`)?.hash).toBe(b.parent);
  }
  if (layout.mainTip !== null) {
    for (let h: string | null = layout.mainTip; h !== null && byHash.has(h);) {
      expect(at(layout, h).lane).toBe(0);
      h = byHash.get(h)?.parent ?? null;
    }
  }
  const edges = blocks.filter((b) => b.parent !== null && byHash.has(b.parent));
  expect(layout.edges).toHaveLength(edges.length);
  for (const e of layout.edges) {
    const child = at(layout, e.from);
    const parent = at(layout, e.to);
    expect(child.parent).toBe(parent.hash);
    expect([e.x1, e.y1, e.x2, e.y2]).toEqual([child.x, child.y, parent.x, parent.y]);
  }
}

describe('layoutTree', () => {
  it('lays a straight chain on lane 0, one column per height', () => {
    const blocks = chain('a', null, 1, 5);
    const nodeTips = tips({ n3: 'a5', n1: 'a5', n2: 'a5' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(layout.blocks.map((b) => [b.hash, b.x, b.y, b.lane, b.stale])).toEqual([
      ['a1', 0, 0, 0, false],
      ['a2', 120, 0, 0, false],
      ['a3', 240, 0, 0, false],
      ['a4', 360, 0, 0, false],
      ['a5', 480, 0, 0, false],
    ]);
    expect(at(layout, 'a5').tips).toEqual(['n1', 'n2', 'n3']);
    expect(at(layout, 'a4').tips).toEqual([]);
    expect(at(layout, 'a1').onBestChainOf).toEqual(['n1', 'n2', 'n3']);
    expect(layout.edges.map((e) => [e.from, e.to])).toEqual([
      ['a2', 'a1'],
      ['a3', 'a2'],
      ['a4', 'a3'],
      ['a5', 'a4'],
    ]);
    expect(layout.edges[0]).toEqual({ from: 'a2', to: 'a1', x1: 120, y1: 0, x2: 0, y2: 0 });
    expect(layout.bounds).toEqual({ minX: 0, maxX: 480, minY: 0, maxY: 0 });
    expect(layout.minHeight).toBe(1);
    expect(layout.mainTip).toBe('a5');
    expect(layout.edgeSpan).toBe(120);
  });

  it('measures x from the lowest height and honours the spacing options', () => {
    const blocks = [...chain('a', 'pruned', 7, 9), ...chain('b', 'a7', 8, 8, 10)];
    const nodeTips = tips({ n1: 'a9' });
    const layout = layoutTree(blocks, nodeTips, { columnWidth: 10, rowHeight: 5 });
    checkLayout(layout, blocks, nodeTips, 10, 5);
    expect(layout.minHeight).toBe(7);
    expect([at(layout, 'a7').x, at(layout, 'a9').x]).toEqual([0, 20]);
    expect([at(layout, 'b8').x, at(layout, 'b8').y]).toEqual([10, 5]);
    expect(layout.bounds).toEqual({ minX: 0, maxX: 20, minY: 0, maxY: 5 });
  });

  it('lays out nothing for no blocks', () => {
    const layout = layoutTree([], tips({ n1: 'a1' }));
    expect(layout.blocks).toEqual([]);
    expect(layout.edges).toEqual([]);
    expect(layout.bounds).toEqual({ minX: 0, maxX: 0, minY: 0, maxY: 0 });
    expect(layout.mainTip).toBeNull();
  });

  it('puts a minority branch on lane 1, stale while no node holds it', () => {
    const main = chain('a', null, 1, 5);
    const side = chain('b', 'a2', 3, 4, 10);
    const blocks = [...main, ...side];
    const nodeTips = tips({ n1: 'a5', n2: 'a5' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(lanes(layout, hashesOf(main))).toEqual([0, 0, 0, 0, 0]);
    expect(lanes(layout, ['b3', 'b4'])).toEqual([1, 1]);
    expect([at(layout, 'b3').y, at(layout, 'b3').x]).toEqual([70, 240]);
    expect(side.map((b) => at(layout, b.hash).stale)).toEqual([true, true]);
    expect(main.map((b) => at(layout, b.hash).stale)).toEqual([false, false, false, false, false]);
    expect(at(layout, 'b4').tips).toEqual([]);
    expect(layout.edges.find((e) => e.from === 'b3')).toEqual({
      from: 'b3',
      to: 'a2',
      x1: 240,
      y1: 70,
      x2: 120,
      y2: 0,
    });
  });

  it('keeps the chain the nodes hold on lane 0 even when a stale branch has more work', () => {
    const blocks = [...chain('a', null, 1, 4), ...chain('b', 'a2', 3, 8, 10)];
    const nodeTips = tips({ n1: 'a4' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(lanes(layout, ['a1', 'a2', 'a3', 'a4'])).toEqual([0, 0, 0, 0]);
    expect(lanes(layout, ['b3', 'b8'])).toEqual([1, 1]);
    expect(layout.mainTip).toBe('a4');
  });

  it('shows two nodes on different branches: neither stale, each tip listed where it is', () => {
    const blocks = [...chain('a', null, 1, 5), ...chain('b', 'a2', 3, 4, 10)];
    const nodeTips = tips({ n2: 'b4', n1: 'a5' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(layout.blocks.every((b) => !b.stale)).toBe(true);
    expect(at(layout, 'a5').tips).toEqual(['n1']);
    expect(at(layout, 'b4').tips).toEqual(['n2']);
    expect(at(layout, 'a2').onBestChainOf).toEqual(['n1', 'n2']);
    expect(at(layout, 'a3').onBestChainOf).toEqual(['n1']);
    expect(at(layout, 'b3').onBestChainOf).toEqual(['n2']);
    // One node each: the tip with more work takes lane 0.
    expect(lanes(layout, ['a5', 'b4'])).toEqual([0, 1]);
  });

  it('compares chain work by value: more digits win, leading zeros do not count', () => {
    // b has fewer digits but leading zeros: its work is 9 units against a's 10.
    const root = block('r', null, 0);
    const a = { ...block('a', 'r', 1, 2), chainWork: '10' };
    const b = { ...block('b', 'r', 1, 1), chainWork: '0009' };
    const layout = layoutTree([root, a, b], []);
    expect(layout.mainTip).toBe('a');
    expect(lanes(layout, ['a', 'b'])).toEqual([0, 1]);
    // Equal work however written: the earlier seen wins.
    const c = { ...block('c', 'r', 1, 0), chainWork: '00010' };
    expect(layoutTree([root, a, c], []).mainTip).toBe('c');
  });

  it('gives lane 0 to the tip most nodes hold, then most work, then earliest seen', () => {
    const blocks = [...chain('a', null, 1, 5), ...chain('b', 'a2', 3, 4, 10)];
    // Majority beats work: two nodes on b4 outvote one on the heavier a5.
    const majority = layoutTree(blocks, tips({ n1: 'a5', n2: 'b4', n3: 'b4' }));
    expect(lanes(majority, ['a1', 'a2', 'b3', 'b4'])).toEqual([0, 0, 0, 0]);
    expect(lanes(majority, ['a3', 'a4', 'a5'])).toEqual([1, 1, 1]);
    expect(majority.mainTip).toBe('b4');
    // Equal votes and equal work: the tip seen first (a4, seq 4 < 14) wins.
    const tied = layoutTree(
      blocks.slice(0, 4).concat(blocks.slice(5)),
      tips({ n1: 'b4', n2: 'a4' }),
    );
    expect(lanes(tied, ['a4', 'b4'])).toEqual([0, 1]);
    expect(tied.mainTip).toBe('a4');
    // No tips at all: the block with most work.
    expect(layoutTree(blocks, []).mainTip).toBe('a5');
  });

  it('keeps a block mined on the main tip on lane 0 before the other nodes adopt it', () => {
    const blocks = chain('a', null, 1, 6);
    const nodeTips = tips({ n1: 'a5', n2: 'a5', n3: 'a6' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(layout.blocks.every((b) => b.lane === 0)).toBe(true);
    expect(layout.mainTip).toBe('a5');
    expect(at(layout, 'a6').onBestChainOf).toEqual(['n3']);
  });

  it('never overlaps branches: a long one and a short one get different lanes, reused after a gap', () => {
    const main = chain('a', null, 1, 12);
    const long = chain('b', 'a2', 3, 9, 20); // heights 3–9
    const short = chain('c', 'a4', 5, 6, 40); // heights 5–6, alongside the long one
    const later = chain('d', 'a7', 8, 8, 60); // starts 2 above short's end: may reuse its lane
    const adjacent = chain('e', 'a9', 10, 11, 80); // starts right after long's end: may not
    const afterGap = chain('f', 'a10', 11, 11, 100); // starts 2 above long's end: may reuse it
    const blocks = [...main, ...long, ...short, ...later, ...adjacent, ...afterGap];
    const nodeTips = tips({ n1: 'a12' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(lanes(layout, hashesOf(long))).toEqual(long.map(() => 1));
    expect(lanes(layout, hashesOf(short))).toEqual([-1, -1]);
    expect(lanes(layout, hashesOf(later))).toEqual([-1]);
    expect(lanes(layout, hashesOf(adjacent))).toEqual([-1, -1]);
    expect(lanes(layout, hashesOf(afterGap))).toEqual([1]);
    expect(layout.bounds).toEqual({ minX: 0, maxX: 11 * 120, minY: -70, maxY: 70 });
  });

  it('alternates lanes above and below, ordering branches by fork point then seq', () => {
    const late = chain('l', 'a2', 3, 6, 30);
    const early = chain('e', 'a2', 3, 6, 20);
    const third = chain('t', 'a3', 4, 6, 10);
    const fourth = chain('f', 'a4', 5, 6, 0); // seen first, but forks last
    const blocks = [...chain('a', null, 1, 7), ...late, ...early, ...third, ...fourth];
    const nodeTips = tips({ n1: 'a7' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(lanes(layout, ['e3', 'l3', 't4', 'f5'])).toEqual([1, -1, 2, -2]);
    expect(lanes(layout, ['e6', 'l6', 't6', 'f6'])).toEqual([1, -1, 2, -2]);
  });

  it('lays out blocks whose parent is missing as roots of their own branch', () => {
    const main = chain('a', null, 1, 4);
    const orphans = chain('x', 'never-fetched', 3, 5, 10);
    const blocks = [...main, ...orphans];
    const nodeTips = tips({ n1: 'a4', n2: 'a4', n3: 'unknown-tip' });
    const layout = layoutTree(blocks, nodeTips);
    checkLayout(layout, blocks, nodeTips);
    expect(lanes(layout, hashesOf(orphans))).toEqual([1, 1, 1]);
    expect(at(layout, 'x3').parent).toBe('never-fetched');
    expect(layout.edges.some((e) => e.from === 'x3')).toBe(false);
    expect(layout.edges.some((e) => e.from === 'x4' && e.to === 'x3')).toBe(true);
    expect(orphans.every((b) => at(layout, b.hash).stale)).toBe(true);
    // A node on the orphaned stretch makes it part of its best chain.
    const held = layoutTree(blocks, tips({ n1: 'x5' }));
    expect(at(held, 'x3').onBestChainOf).toEqual(['n1']);
    expect(lanes(held, ['x3', 'x5', 'a1', 'a4'])).toEqual([0, 0, 1, 1]);
    // Nothing but orphans, several roots.
    const scattered = [block('p', 'q', 10), block('r', 's', 10, 11), block('t', 'p', 11)];
    checkLayout(layoutTree(scattered, []), scattered, []);
  });

  it('does not change its inputs', () => {
    const { blocks, tips: nodeTips } = simulate(3, 60, 7);
    const frozen = Object.freeze(blocks.map((b) => Object.freeze({ ...b })));
    const frozenTips = Object.freeze(nodeTips.map((t) => Object.freeze({ ...t })));
    expect(layoutTree(frozen, frozenTips)).toEqual(layoutTree(blocks, nodeTips));
  });

  it('throws short stable messages for duplicates, cycles and bad values', () => {
    const ok = chain('a', null, 1, 3);
    const err = (message: string) => new Error(message);
    expect(() => layoutTree([...ok, block('a2', 'a1', 2)], [])).toThrow(
      err('duplicate block hash'),
    );
    expect(() => layoutTree([block('a', 'b', 2), block('b', 'a', 1)], [])).toThrow(
      err('cycle in block parents'),
    );
    expect(() => layoutTree([block('self', 'self', 1)], [])).toThrow(err('cycle in block parents'));
    // A chain hanging off a cycle: the walk from its tip runs into the loop.
    const tail = [block('t3', 't2', 3), block('t2', 't1', 2), block('t1', 't2', 1)];
    expect(() => layoutTree([...ok, ...tail], [])).toThrow(err('cycle in block parents'));
    expect(() => layoutTree([{ ...block('h', null, 1), height: 1.5 }], [])).toThrow(
      err('invalid block height'),
    );
    expect(() => layoutTree([{ ...block('s', null, 1), seq: Number.NaN }], [])).toThrow(
      err('invalid block seq'),
    );
    for (const chainWork of ['', '-1', '1e3', '0x10', ' 1']) {
      expect(() => layoutTree([{ ...block('w', null, 1), chainWork }], [])).toThrow(
        err('invalid block chainWork'),
      );
    }
    expect(() => layoutTree(ok, tips({ n1: 'a3' }).concat(tips({ n1: 'a1' })))).toThrow(
      err('duplicate node id'),
    );
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => layoutTree(ok, [], { columnWidth: bad })).toThrow(err('invalid layout option'));
      expect(() => layoutTree(ok, [], { rowHeight: bad })).toThrow(err('invalid layout option'));
    }
    expect(Object.values(LAYOUT_ERRORS)).toContain('cycle in block parents');
  });

  it('gives identical output for 40 shuffles of the same random tree', () => {
    const { blocks, tips: nodeTips } = simulate(5, 400, 42);
    const first = layoutTree(blocks, nodeTips);
    checkLayout(first, blocks, nodeTips);
    expect(new Set(first.blocks.map((b) => b.lane)).size).toBeGreaterThan(2);
    const random = rng(1234);
    for (let i = 0; i < 40; i++) {
      const again = layoutTree(shuffle(blocks, random), shuffle(nodeTips, random));
      expect(again).toEqual(first);
    }
  });

  it('breaks full ties (same votes, work and seq) by hash, whatever the input order', () => {
    const blocks = [
      ...chain('a', null, 1, 2),
      block('y3', 'a2', 3, 9),
      block('x3', 'a2', 3, 9),
      block('z3', 'a2', 3, 9),
    ];
    const layouts = [blocks, [...blocks].reverse()].map((b) => layoutTree(b, []));
    expect(layouts[1]).toEqual(layouts[0]);
    expect(lanes(layouts[0] as TreeLayout, ['x3', 'y3', 'z3'])).toEqual([0, 1, -1]);
  });

  it('is deterministic and keeps its promises for any tree in any order (property)', () => {
    const tree = fc
      .record({
        parts: fc.array(
          fc.record({
            parent: fc.nat(),
            missing: fc.integer({ min: 0, max: 9 }), // 0: the parent was never fetched
            work: fc.integer({ min: 1, max: 2 }),
            seq: fc.nat({ max: 4 }), // ties on purpose: the hash breaks them
          }),
          { minLength: 1, maxLength: 60 },
        ),
        tipAt: fc.array(fc.nat(), { maxLength: 8 }),
      })
      .map(({ parts, tipAt }) => {
        const blocks: TreeBlock[] = [];
        const work: bigint[] = [];
        parts.forEach((p, i) => {
          const parentIndex = i === 0 ? -1 : p.parent % i;
          const parent = blocks[parentIndex];
          const orphan = parent === undefined || p.missing === 0;
          work.push((orphan ? 0n : (work[parentIndex] ?? 0n)) + BigInt(p.work) * WORK_UNIT);
          blocks.push({
            hash: `h${i}`,
            parent: parent === undefined ? null : orphan ? `gone${i}` : parent.hash,
            height: orphan ? 1 + (p.parent % 7) : parent.height + 1,
            seq: p.seq,
            chainWork: String(work[i]),
            miner: null,
          });
        });
        const nodeTips = tipAt.map((t, j) => ({
          node: `n${j}`,
          tip: `h${t % (parts.length + 2)}`,
        }));
        return { blocks, tips: nodeTips };
      })
      .chain(({ blocks, tips: nodeTips }) =>
        fc.record({
          blocks: fc.constant(blocks),
          tips: fc.constant(nodeTips),
          shuffledBlocks: fc.shuffledSubarray(blocks, { minLength: blocks.length }),
          shuffledTips: fc.shuffledSubarray(nodeTips, { minLength: nodeTips.length }),
        }),
      );
    fc.assert(
      fc.property(tree, (t) => {
        const layout = layoutTree(t.blocks, t.tips);
        checkLayout(layout, t.blocks, t.tips);
        expect(layoutTree(t.shuffledBlocks, t.shuffledTips)).toEqual(layout);
      }),
      { numRuns: 200 },
    );
  });

  it('lays out 8 nodes × 2,000 blocks', () => {
    const { blocks, tips: nodeTips } = simulate(8, 16_000, 8);
    const layout = layoutTree(blocks, nodeTips);
    expect(layout.blocks).toHaveLength(16_000);
    checkLayout(layout, blocks, nodeTips);
    const window = visibleWindow(layout, { x0: 0, x1: 1200, y0: -350, y1: 350 }, 20);
    expect(window.blocks.length).toBeGreaterThan(0);
    expect(window.blocks.length).toBeLessThan(layout.blocks.length);
  });
});

/** Independent reference for culling: endpoint inside, or the segment crosses a side. */
function segmentHits(e: { x1: number; y1: number; x2: number; y2: number }, v: Viewport): boolean {
  const inside = (x: number, y: number) => x >= v.x0 && x <= v.x1 && y >= v.y0 && y <= v.y1;
  if (inside(e.x1, e.y1) || inside(e.x2, e.y2)) return true;
  const cross = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
    Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const sides: [number, number, number, number][] = [
    [v.x0, v.y0, v.x1, v.y0],
    [v.x1, v.y0, v.x1, v.y1],
    [v.x1, v.y1, v.x0, v.y1],
    [v.x0, v.y1, v.x0, v.y0],
  ];
  return sides.some(
    ([ax, ay, bx, by]) =>
      cross(e.x1, e.y1, e.x2, e.y2, ax, ay) * cross(e.x1, e.y1, e.x2, e.y2, bx, by) <= 0 &&
      cross(ax, ay, bx, by, e.x1, e.y1) * cross(ax, ay, bx, by, e.x2, e.y2) <= 0,
  );
}

describe('visibleWindow', () => {
  const { blocks, tips: nodeTips } = simulate(4, 600, 99);
  const layout = layoutTree(blocks, nodeTips);

  it('returns exactly the blocks and edges inside the viewport, in layout order', () => {
    const random = rng(5);
    const { bounds } = layout;
    for (let i = 0; i < 300; i++) {
      const x0 = bounds.minX - 200 + random() * (bounds.maxX - bounds.minX + 400);
      const y0 = bounds.minY - 100 + random() * (bounds.maxY - bounds.minY + 200);
      const viewport = { x0, x1: x0 + random() * 900, y0, y1: y0 + random() * 300 };
      const margin = random() < 0.5 ? 0 : random() * 40;
      const grown = {
        x0: viewport.x0 - margin,
        x1: viewport.x1 + margin,
        y0: viewport.y0 - margin,
        y1: viewport.y1 + margin,
      };
      const seen = visibleWindow(layout, viewport, margin);
      expect(seen.blocks).toEqual(
        layout.blocks.filter(
          (b) => b.x >= grown.x0 && b.x <= grown.x1 && b.y >= grown.y0 && b.y <= grown.y1,
        ),
      );
      expect(seen.edges).toEqual(layout.edges.filter((e) => segmentHits(e, grown)));
    }
  });

  it('culls everything outside, keeps everything inside, and accepts corners in any order', () => {
    const { minX, maxX, minY, maxY } = layout.bounds;
    const all = visibleWindow(layout, { x0: maxX, x1: minX, y0: maxY, y1: minY });
    expect(all.blocks).toEqual(layout.blocks);
    expect(all.edges).toEqual(layout.edges);
    const none = visibleWindow(layout, { x0: maxX + 100, x1: maxX + 500, y0: minY, y1: maxY });
    expect(none).toEqual({ blocks: [], edges: [] });
    // The margin brings the last column back in.
    expect(
      visibleWindow(layout, { x0: maxX + 10, x1: maxX + 500, y0: minY, y1: maxY }, 10).blocks
        .length,
    ).toBeGreaterThan(0);
  });

  it('keeps an edge crossing the viewport with no end inside, drops one that only nears a corner', () => {
    const small = [...chain('a', null, 1, 3), ...chain('b', 'a1', 2, 2, 10)];
    const l = layoutTree(small, tips({ n1: 'a3' }));
    // b2 (120, 70) → a1 (0, 0); a2 (120, 0) → a1 (0, 0).
    const crossing = visibleWindow(l, { x0: 40, x1: 80, y0: -10, y1: 60 });
    expect(crossing.blocks).toEqual([]);
    expect(crossing.edges.map((e) => e.from)).toEqual(['a2', 'b2']);
    // Inside the diagonal's bounding box but above the line: only the horizontal edge misses too.
    const corner = visibleWindow(l, { x0: 10, x1: 20, y0: 40, y1: 60 });
    expect(corner).toEqual({ blocks: [], edges: [] });
  });

  it('rejects a non-finite viewport or a negative margin', () => {
    const err = new Error('invalid viewport');
    expect(() => visibleWindow(layout, { x0: Number.NaN, x1: 1, y0: 0, y1: 1 })).toThrow(err);
    expect(() => visibleWindow(layout, { x0: 0, x1: 1, y0: 0, y1: 1 }, -1)).toThrow(err);
  });
});

describe('diffTips', () => {
  it('lists one move per node whose tip changed, sorted by node', () => {
    const before = tips({ n3: 'a5', n1: 'a5', n2: 'b4', gone: 'a5' });
    const after = tips({ n2: 'a6', n1: 'a5', n3: 'a6', fresh: 'a6' });
    expect(diffTips(before, after)).toEqual([
      { node: 'fresh', from: null, to: 'a6' },
      { node: 'gone', from: 'a5', to: null },
      { node: 'n2', from: 'b4', to: 'a6' },
      { node: 'n3', from: 'a5', to: 'a6' },
    ]);
    expect(diffTips(after, after)).toEqual([]);
    expect(diffTips([], [])).toEqual([]);
  });

  it('rejects a node listed twice', () => {
    const twice = tips({ n1: 'a' }).concat(tips({ n1: 'b' }));
    expect(() => diffTips(twice, [])).toThrow(new Error('duplicate node id'));
    expect(() => diffTips([], twice)).toThrow(new Error('duplicate node id'));
  });
});
