/**
 * The block tree in words: one row per branch, for the table that stands in for the picture.
 * Pure: it reads a computed layout and never touches the DOM.
 */
import type { LaidOutBlock, TreeLayout } from './types.ts';

/** Whether some node follows a branch (its tip is on it) or every node has left it. */
export type BranchStatus = 'best' | 'stale';

/** A run of blocks drawn on one lane, each the parent of the next. */
export interface TreeBranch {
  /** The last (highest) block of the branch. */
  readonly tip: string;
  readonly tipHeight: number;
  /** The height of the branch's first block. */
  readonly startHeight: number;
  /** How many blocks the branch holds. */
  readonly length: number;
  /**
   * The block the branch splits off after (the parent of its first block); null when the branch
   * starts at a block with no known parent (genesis, or a parent not fetched yet).
   */
  readonly forkHash: string | null;
  readonly forkHeight: number | null;
  /** Node ids whose tip is on this branch, sorted. */
  readonly nodes: readonly string[];
  /** `best` when at least one node's tip is on the branch, `stale` otherwise. */
  readonly status: BranchStatus;
  /** The branch through the layout's main tip (lane 0): the chain most nodes agree on. */
  readonly main: boolean;
  /** The lane the picture draws it on. */
  readonly lane: number;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Cut a layout into its branches, the same runs of blocks the picture draws on one lane: a block
 * continues its parent's branch when it is on the parent's lane (the first such child, in layout
 * order, if there were ever several); any other block starts a branch that splits off after its
 * parent.
 *
 * Order: the main chain first, then branches some node follows, then abandoned ones; within each
 * group the highest tip first, then by tip hash. The same layout always gives the same list.
 * O(n log n) for n blocks.
 */
export function branchesOf(layout: TreeLayout): TreeBranch[] {
  const byHash = new Map<string, LaidOutBlock>();
  for (const b of layout.blocks) byHash.set(b.hash, b);

  /** Each block's successor on its own lane. */
  const next = new Map<string, LaidOutBlock>();
  const continued = new Set<string>();
  for (const b of layout.blocks) {
    if (b.parent === null) continue;
    const parent = byHash.get(b.parent);
    if (parent === undefined || parent.lane !== b.lane || next.has(parent.hash)) continue;
    next.set(parent.hash, b);
    continued.add(b.hash);
  }

  const out: TreeBranch[] = [];
  for (const first of layout.blocks) {
    if (continued.has(first.hash)) continue;
    let tip = first;
    let length = 1;
    const held = new Set<string>(first.tips);
    let main = first.hash === layout.mainTip;
    for (let b = next.get(first.hash); b !== undefined; b = next.get(b.hash)) {
      tip = b;
      length++;
      for (const node of b.tips) held.add(node);
      if (b.hash === layout.mainTip) main = true;
    }
    const fork = first.parent === null ? undefined : byHash.get(first.parent);
    const nodes = Object.freeze([...held].sort(compareStrings));
    out.push({
      tip: tip.hash,
      tipHeight: tip.height,
      startHeight: first.height,
      length,
      forkHash: fork?.hash ?? null,
      forkHeight: fork?.height ?? null,
      nodes,
      status: nodes.length > 0 ? 'best' : 'stale',
      main,
      lane: first.lane,
    });
  }

  const rank = (b: TreeBranch): number => (b.main ? 0 : b.status === 'best' ? 1 : 2);
  return out.sort(
    (a, b) => rank(a) - rank(b) || b.tipHeight - a.tipHeight || compareStrings(a.tip, b.tip),
  );
}
