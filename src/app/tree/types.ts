/**
 * What the block-tree layout reads and what it computes. Plain data: the layout never touches
 * the DOM, and the view only draws what it is given.
 */
import type { BlockSummary } from '../sim/worker-simulation.ts';

/**
 * A block as the layout reads it: the fields of a node's `BlockSummary` it draws, with `seq`
 * counted across the whole simulation rather than per node. A parent missing from the input is
 * allowed.
 */
export interface TreeBlock extends Pick<
  BlockSummary,
  'hash' | 'parent' | 'height' | 'chainWork' | 'miner'
> {
  /** Arrival order across the simulation, lower = seen earlier. */
  readonly seq: number;
}

/** Which block a node currently holds as the tip of its best chain. */
export interface NodeTip {
  readonly node: string;
  readonly tip: string;
}

/** Spacing of the grid the layout places blocks on. */
export interface LayoutOptions {
  /** Horizontal distance between consecutive heights (default 120). */
  readonly columnWidth?: number;
  /** Vertical distance between lanes (default 70). */
  readonly rowHeight?: number;
}

/** A block with its place on the canvas. */
export interface LaidOutBlock {
  readonly hash: string;
  readonly parent: string | null;
  readonly height: number;
  /** `(height - minHeight) * columnWidth`. */
  readonly x: number;
  /** `lane * rowHeight`. */
  readonly y: number;
  /** 0 for the chain most nodes agree on; side branches 1, -1, 2, -2, … */
  readonly lane: number;
  /** On no node's best chain. */
  readonly stale: boolean;
  /** Node ids whose tip is this block, sorted. */
  readonly tips: readonly string[];
  /** Node ids whose best chain includes this block, sorted (shared between blocks: never mutate). */
  readonly onBestChainOf: readonly string[];
}

/**
 * A child→parent link, with both ends' coordinates so it can be drawn as
 * `<line x1 y1 x2 y2>` without looking anything up.
 */
export interface TreeEdge {
  /** The child's hash. */
  readonly from: string;
  /** The parent's hash. */
  readonly to: string;
  /** The child's position. */
  readonly x1: number;
  readonly y1: number;
  /** The parent's position. */
  readonly x2: number;
  readonly y2: number;
}

/** The smallest box holding every block's position (all zero for an empty tree). */
export interface Bounds {
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

/** The fields of a computed layout (see `TreeLayout`). */
export interface TreeLayoutData {
  /** Sorted by x, then y, then hash. */
  readonly blocks: readonly LaidOutBlock[];
  /** Sorted by their left end, then the child's y, then the child's hash. */
  readonly edges: readonly TreeEdge[];
  readonly bounds: Bounds;
  /** The lowest height in the input: the height drawn at x = 0 (0 for an empty tree). */
  readonly minHeight: number;
  /**
   * The tip held by most nodes (ties: most work, then earliest seen), which lane 0 runs through;
   * the block with most work when no node's tip is known; null for an empty tree.
   */
  readonly mainTip: string | null;
  /** The widest horizontal extent of any edge (columnWidth when heights step by one). */
  readonly edgeSpan: number;
}

declare const laidOut: unique symbol;

/**
 * A computed layout. Branded: only `layoutTree` makes one, which guarantees the orderings that
 * `visibleWindow` relies on.
 */
export type TreeLayout = TreeLayoutData & { readonly [laidOut]: true };

/** An area of the canvas, in layout coordinates. */
export interface Viewport {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** The part of a layout worth drawing. */
export interface TreeWindow {
  readonly blocks: readonly LaidOutBlock[];
  readonly edges: readonly TreeEdge[];
}

/** A node whose tip changed; `from` is null for a new node, `to` null for a removed one. */
export interface TipMove {
  readonly node: string;
  readonly from: string | null;
  readonly to: string | null;
}
