/**
 * The tree as a table: branches cut from the layout (tips, fork points, the nodes on each,
 * best or abandoned), main chain first, every block on exactly one branch whatever the tree, and
 * the table that renders them with a caption and scoped headers.
 */
import fc from 'fast-check';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import TreeTable from '../../src/app/components/TreeTable.svelte';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import type { KnownBlock } from '../../src/app/state/simulation.svelte.ts';
import type { TreeBranch } from '../../src/app/tree/branches.ts';
import { branchesOf } from '../../src/app/tree/branches.ts';
import { layoutFromState } from '../../src/app/tree/from-state.ts';
import { layoutTree } from '../../src/app/tree/layout.ts';
import type { TreeBlock } from '../../src/app/tree/types.ts';
import { block, chain, tips } from './tree-fixtures.ts';

function branches(blocks: readonly TreeBlock[], held: Record<string, string>): TreeBranch[] {
  return branchesOf(layoutTree(blocks, tips(held)));
}

/** The fields worth reading in a failure message. */
function brief(b: TreeBranch) {
  return {
    tip: b.tip,
    tipHeight: b.tipHeight,
    forkHeight: b.forkHeight,
    nodes: b.nodes,
    status: b.status,
    main: b.main,
  };
}

describe('branchesOf', () => {
  it('an empty tree has no branches', () => {
    expect(branches([], {})).toEqual([]);
  });

  it('one chain is one branch, followed by every node, even those a block or two behind', () => {
    const list = branches(chain('m', null, 1, 6), { n1: 'm6', n2: 'm6', n3: 'm4' });
    expect(list).toHaveLength(1);
    expect(list[0]).toEqual({
      tip: 'm6',
      tipHeight: 6,
      startHeight: 1,
      length: 6,
      forkHash: null,
      forkHeight: null,
      nodes: ['n1', 'n2', 'n3'],
      status: 'best',
      main: true,
      lane: 0,
    });
  });

  it('a fork: the main chain first, then the branch with where it splits off', () => {
    const blocks = [...chain('m', null, 1, 6), ...chain('s', 'm3', 4, 5, 100)];
    const list = branches(blocks, { n1: 'm6', n2: 'm6', n3: 's5' });
    expect(list.map(brief)).toEqual([
      {
        tip: 'm6',
        tipHeight: 6,
        forkHeight: null,
        nodes: ['n1', 'n2'],
        status: 'best',
        main: true,
      },
      { tip: 's5', tipHeight: 5, forkHeight: 3, nodes: ['n3'], status: 'best', main: false },
    ]);
    expect(list[1]?.forkHash).toBe('m3');
    expect(list[1]?.startHeight).toBe(4);
    expect(list[1]?.length).toBe(2);
    expect(list[1]?.lane).not.toBe(0);
  });

  it('a branch no node follows any more is stale', () => {
    const blocks = [...chain('m', null, 1, 5), block('x3', 'm2', 3, 50)];
    const list = branches(blocks, { n1: 'm5', n2: 'm5' });
    expect(list.map(brief)).toEqual([
      {
        tip: 'm5',
        tipHeight: 5,
        forkHeight: null,
        nodes: ['n1', 'n2'],
        status: 'best',
        main: true,
      },
      { tip: 'x3', tipHeight: 3, forkHeight: 2, nodes: [], status: 'stale', main: false },
    ]);
  });

  it('orders followed branches before stale ones, then the highest tip first', () => {
    const blocks = [
      ...chain('m', null, 1, 10),
      block('old', 'm1', 2, 20),
      ...chain('late', 'm7', 8, 9, 30),
      ...chain('side', 'm4', 5, 6, 40),
      ...chain('fol', 'm2', 3, 4, 50),
    ];
    const list = branches(blocks, { n1: 'm10', n2: 'm10', n3: 'fol4', n4: 'side6' });
    expect(list.map((b) => [b.tip, b.status])).toEqual([
      ['m10', 'best'],
      ['side6', 'best'],
      ['fol4', 'best'],
      ['late9', 'stale'],
      ['old', 'stale'],
    ]);
  });

  it('two branches that reuse a lane stay two branches', () => {
    const blocks = [...chain('m', null, 1, 12), block('a3', 'm2', 3, 50), block('b9', 'm8', 9, 60)];
    const layout = layoutTree(blocks, tips({ n1: 'm12' }));
    const laneOf = (h: string) => layout.blocks.find((b) => b.hash === h)?.lane;
    expect(laneOf('a3')).toBe(laneOf('b9'));
    const list = branchesOf(layout);
    expect(list.map((b) => [b.tip, b.forkHeight, b.length])).toEqual([
      ['m12', null, 12],
      ['b9', 8, 1],
      ['a3', 2, 1],
    ]);
  });

  it('a branch off a branch: the followed path keeps the lane, the rest splits off it', () => {
    const blocks = [
      ...chain('m', null, 1, 8),
      ...chain('a', 'm2', 3, 6, 100),
      ...chain('b', 'a4', 5, 7, 200),
    ];
    const list = branches(blocks, { n1: 'm8', n2: 'm8', n3: 'b7' });
    // As in the picture: n3's chain a3, a4, b5, b6, b7 is one lane; a5, a6 split off after a4.
    expect(list.find((x) => x.tip === 'b7')).toMatchObject({
      forkHash: 'm2',
      forkHeight: 2,
      startHeight: 3,
      length: 5,
      nodes: ['n3'],
      status: 'best',
    });
    expect(list.find((x) => x.tip === 'a6')).toMatchObject({
      forkHash: 'a4',
      forkHeight: 4,
      startHeight: 5,
      length: 2,
      nodes: [],
      status: 'stale',
    });
  });

  it('a block whose parent is not known yet starts a branch with no fork point', () => {
    const blocks = [...chain('m', null, 1, 4), ...chain('o', 'unknown', 7, 8, 100)];
    const list = branches(blocks, { n1: 'm4', n2: 'o8' });
    expect(list.find((b) => b.tip === 'o8')).toMatchObject({
      forkHash: null,
      forkHeight: null,
      startHeight: 7,
      nodes: ['n2'],
      status: 'best',
    });
  });

  it('every block is on exactly one branch, the main one first, whatever the tree', () => {
    const tree = fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.nat()), {
        minLength: 1,
        maxLength: 60,
      })
      .chain((specs) =>
        fc.record({
          specs: fc.constant(specs),
          held: fc.array(fc.nat(specs.length - 1), { maxLength: 5 }),
          order: fc.shuffledSubarray(
            specs.map((_, i) => i),
            { minLength: specs.length, maxLength: specs.length },
          ),
        }),
      );
    fc.assert(
      fc.property(tree, ({ specs, held, order }) => {
        const blocks: TreeBlock[] = [];
        specs.forEach(([p, step, seq], i) => {
          const parent = i === 0 ? null : blocks[p % i];
          blocks.push(block(`b${i}`, parent?.hash ?? null, (parent?.height ?? 0) + step, seq));
        });
        const nodeTips = held.map((i, k) => ({ node: `n${k}`, tip: `b${i}` }));
        const shuffled = order.map((i) => blocks[i] as TreeBlock);
        const layout = layoutTree(shuffled, nodeTips);
        const list = branchesOf(layout);

        expect(list.reduce((n, b) => n + b.length, 0)).toBe(blocks.length);
        expect(list[0]?.main).toBe(true);
        expect(list.filter((b) => b.main)).toHaveLength(1);
        expect(list[0]?.lane).toBe(0);
        const layoutTipOfMain = layout.blocks.find((b) => b.hash === list[0]?.tip);
        expect(layoutTipOfMain?.lane).toBe(0);
        // Every node whose tip is known is on exactly one branch.
        expect(list.flatMap((b) => b.nodes).sort()).toEqual(nodeTips.map((t) => t.node).sort());
        for (const b of list) {
          expect(b.status).toBe(b.nodes.length > 0 ? 'best' : 'stale');
          expect(b.tipHeight).toBeGreaterThanOrEqual(b.startHeight);
          if (b.forkHeight !== null) expect(b.forkHeight).toBeLessThan(b.startHeight);
        }
        // The input order does not matter.
        expect(branchesOf(layoutTree(blocks, nodeTips))).toEqual(list);
      }),
      { numRuns: 200 },
    );
  });
});

/** Node statuses as the table reads them: each node's id and tip. */
function statuses(held: Record<string, string>): { id: NodeId; tip: BlockHash }[] {
  return Object.entries(held).map(([id, tip]) => ({ id: id as NodeId, tip: tip as BlockHash }));
}

function known(blocks: readonly TreeBlock[]): Map<string, KnownBlock> {
  return new Map(
    blocks.map(
      (b, i) => [b.hash, { ...b, hash: b.hash, timestamp: 0, difficulty: 8, seen: i }] as const,
    ),
  );
}

describe('TreeTable', () => {
  it('matches the layout the picture uses', () => {
    const blocks = [...chain('m', null, 1, 3), block('x3', 'm2', 3, 50)];
    const nodes = statuses({ n1: 'm3', n2: 'x3' });
    const fromState = branchesOf(layoutFromState(known(blocks), nodes));
    expect(fromState.map((b) => b.tip)).toEqual(['m3', 'x3']);
  });

  it('renders a captioned table with scoped headers, one row per branch', () => {
    const blocks = [...chain('m', null, 1, 5), ...chain('s', 'm3', 4, 4, 100)];
    const { body: html } = render(TreeTable, {
      props: {
        blocks: known(blocks),
        nodes: statuses({ n1: 'm5', n2: 'm5' }),
        selected: null,
        onSelect: () => undefined,
      },
    });
    expect(html).toMatch(/<caption[^>]*>Tips and forks of the block tree<\/caption>/);
    expect(html.match(/<th scope="col"/g)).toHaveLength(6);
    expect(html.match(/<th scope="row"/g)).toHaveLength(2);
    expect(html).toContain('Best chain');
    expect(html).toContain('Abandoned branch');
    expect(html).toContain('n1, n2');
    // The name begins with the visible hash (WCAG 2.5.3).
    expect(html).toContain('aria-label="m5: Block 5"');
    expect(html).not.toContain('No forks');
  });

  it('says there are no forks when every block is on one chain', () => {
    const { body: html } = render(TreeTable, {
      props: {
        blocks: known(chain('m', null, 1, 3)),
        nodes: statuses({ n1: 'm3' }),
        selected: 'm3',
        onSelect: () => undefined,
      },
    });
    expect(html.match(/<th scope="row"/g)).toHaveLength(1);
    expect(html).toContain('No forks: every block is on one chain.');
  });
});
