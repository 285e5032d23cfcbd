/**
 * Layout of the block tree, the centre of the app: pure functions in the style of d3-hierarchy.
 * They compute coordinates from plain data and never touch the DOM.
 *
 * D3 is not used. `d3-hierarchy`'s `stratify` wants a single root and rejects missing parents
 * (both normal here), and its tidy-tree layouts place nodes by subtree shape, whereas here x is
 * fixed by height and y by a lane rule of our own. `d3-scale` would only replace one
 * multiplication.
 */
import type {
  Bounds,
  LaidOutBlock,
  LayoutOptions,
  NodeTip,
  TipMove,
  TreeBlock,
  TreeEdge,
  TreeLayout,
  TreeLayoutData,
  TreeWindow,
  Viewport,
} from './types.ts';

/** Every error message the layout throws: short and stable, so callers and tests can match them. */
export const LAYOUT_ERRORS = {
  duplicateHash: 'duplicate block hash',
  cycle: 'cycle in block parents',
  height: 'invalid block height',
  seq: 'invalid block seq',
  chainWork: 'invalid block chainWork',
  duplicateNode: 'duplicate node id',
  option: 'invalid layout option',
  viewport: 'invalid viewport',
} as const;

const DEFAULT_COLUMN_WIDTH = 120;
const DEFAULT_ROW_HEIGHT = 70;
const DECIMAL_RE = /^[0-9]+$/;
const EMPTY: readonly string[] = Object.freeze([]);

/** A block while it is being laid out. */
interface Rec {
  readonly block: TreeBlock;
  /** chainWork without leading zeros: compared by length, then as a string (no bigint parse). */
  readonly work: string;
  /** The parent, when it is in the input. */
  parent: Rec | null;
  /** 0 unvisited, 1 on the current walk, 2 done (cycle check). */
  mark: 0 | 1 | 2;
  tips: readonly string[];
  members: readonly string[];
  branch: Branch | null;
  /** Some child ranks better, so the child's branch always claims this block first. */
  outranked: boolean;
  /** Its place, once laid out. */
  placed: LaidOutBlock | null;
}

/** A run of blocks, each the parent of the next, drawn on one lane. */
interface Branch {
  /** Lowest height first. */
  readonly recs: Rec[];
  lane: number;
  start: number;
  end: number;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare two decimal strings without leading zeros by value. */
function compareDecimals(a: string, b: string): number {
  return a.length - b.length || compareStrings(a, b);
}

/** A decimal string without its leading zeros ("0" stays "0"). */
function stripZeros(decimal: string): string {
  if (decimal.length < 2 || decimal.charCodeAt(0) !== 48) return decimal;
  const first = decimal.search(/[1-9]/);
  return first === -1 ? '0' : decimal.slice(first);
}

/** Merge two sorted lists of distinct node ids into a new frozen one. */
function mergeSorted(a: readonly string[], b: readonly string[]): readonly string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x <= y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++] as string);
  while (j < b.length) out.push(b[j++] as string);
  return Object.freeze(out);
}

/** A binary min-heap. */
class Heap<T> {
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean) {
    this.#less = less;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(items[i] as T, items[p] as T)) break;
      [items[i], items[p]] = [items[p] as T, items[i] as T];
      i = p;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.#less(items[l] as T, items[m] as T)) m = l;
      if (r < items.length && this.#less(items[r] as T, items[m] as T)) m = r;
      if (m === i) break;
      [items[i], items[m]] = [items[m] as T, items[i] as T];
      i = m;
    }
    return top;
  }
}

/** Lane for the k-th side lane slot: 1, -1, 2, -2, … */
function sideLane(k: number): number {
  return k % 2 === 0 ? k / 2 + 1 : -(k + 1) / 2;
}

function positive(v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(LAYOUT_ERRORS.option);
  return v;
}

/** Index records by hash, checking each block. */
function readBlocks(blocks: readonly TreeBlock[]): Map<string, Rec> {
  const byHash = new Map<string, Rec>();
  for (const block of blocks) {
    if (byHash.has(block.hash)) throw new Error(LAYOUT_ERRORS.duplicateHash);
    if (!Number.isSafeInteger(block.height)) throw new Error(LAYOUT_ERRORS.height);
    if (!Number.isFinite(block.seq)) throw new Error(LAYOUT_ERRORS.seq);
    if (!DECIMAL_RE.test(block.chainWork)) throw new Error(LAYOUT_ERRORS.chainWork);
    byHash.set(block.hash, {
      block,
      work: stripZeros(block.chainWork),
      parent: null,
      mark: 0,
      tips: EMPTY,
      members: EMPTY,
      branch: null,
      outranked: false,
      placed: null,
    });
  }
  for (const rec of byHash.values()) {
    const p = rec.block.parent;
    rec.parent = p === null ? null : (byHash.get(p) ?? null);
  }
  return byHash;
}

/** Every record, parents before children; throws on a cycle. O(n). */
function parentsFirst(recs: Iterable<Rec>): Rec[] {
  const order: Rec[] = [];
  const walk: Rec[] = [];
  for (const rec of recs) {
    let cur: Rec | null = rec;
    while (cur !== null && cur.mark === 0) {
      cur.mark = 1;
      walk.push(cur);
      cur = cur.parent;
    }
    if (cur !== null && cur.mark === 1) throw new Error(LAYOUT_ERRORS.cycle);
    for (let r = walk.pop(); r !== undefined; r = walk.pop()) {
      r.mark = 2;
      order.push(r);
    }
  }
  return order;
}

/** Record which nodes hold each block as their tip. Tips of unknown blocks are ignored. */
function attachTips(byHash: Map<string, Rec>, tips: readonly NodeTip[]): void {
  const seen = new Set<string>();
  const held = new Map<Rec, string[]>();
  for (const { node, tip } of tips) {
    if (seen.has(node)) throw new Error(LAYOUT_ERRORS.duplicateNode);
    seen.add(node);
    const rec = byHash.get(tip);
    if (rec === undefined) continue;
    const list = held.get(rec);
    if (list) list.push(node);
    else held.set(rec, [node]);
  }
  for (const [rec, nodes] of held) rec.tips = Object.freeze(nodes.sort(compareStrings));
}

/**
 * Fill `members` (nodes whose best chain includes the block) from the tips down to the roots.
 * A block inherits its only contributing child's list as the same frozen array, so only tip
 * blocks and points where two nodes' chains meet build a new list: O(n + k·t) for k nodes on t
 * distinct tips.
 */
function attachMembers(order: readonly Rec[]): void {
  for (let i = order.length - 1; i >= 0; i--) {
    const rec = order[i] as Rec;
    if (rec.tips.length > 0) rec.members = mergeSorted(rec.members, rec.tips);
    const p = rec.parent;
    if (p === null || rec.members.length === 0) continue;
    p.members = p.members.length === 0 ? rec.members : mergeSorted(p.members, rec.members);
  }
}

/** Best first: held by more nodes, then more work, then seen earlier, then by hash. */
function byRank(a: Rec, b: Rec): number {
  return (
    b.tips.length - a.tips.length ||
    compareDecimals(b.work, a.work) ||
    a.block.seq - b.block.seq ||
    compareStrings(a.block.hash, b.block.hash)
  );
}

/**
 * The blocks worth offering to `cutBranches`, best first. A block with a better-ranked child is
 * left out: following better children from it ends at a listed block that ranks better still and
 * claims it as an ancestor first, so offering it would change nothing. Usually only the tips and
 * the ends of stale branches remain, which keeps the sort small on a long chain.
 */
function rankCandidates(order: readonly Rec[]): Rec[] {
  for (const rec of order) {
    if (rec.parent !== null && byRank(rec, rec.parent) < 0) rec.parent.outranked = true;
  }
  return order.filter((rec) => !rec.outranked).sort(byRank);
}

/**
 * Cut the forest into branches. Candidates go best first; each one claims itself and its
 * unclaimed ancestors. If the first claimed ancestor ends its branch the claim extends that
 * branch (a block mined on a tip stays on its lane), otherwise it starts a new branch forking
 * there. The first branch is the main one. O(n log n) for the sort, O(n) for the walks.
 */
function cutBranches(ranked: readonly Rec[]): Branch[] {
  const branches: Branch[] = [];
  const path: Rec[] = [];
  for (const candidate of ranked) {
    if (candidate.branch !== null) continue;
    let cur: Rec | null = candidate;
    while (cur !== null && cur.branch === null) {
      path.push(cur);
      cur = cur.parent;
    }
    const fork = cur;
    const forkBranch = fork?.branch ?? null;
    let branch: Branch;
    if (forkBranch !== null && forkBranch.recs[forkBranch.recs.length - 1] === fork) {
      branch = forkBranch;
    } else {
      branch = { recs: [], lane: 0, start: 0, end: 0 };
      branches.push(branch);
    }
    for (let r = path.pop(); r !== undefined; r = path.pop()) {
      r.branch = branch;
      branch.recs.push(r);
    }
  }
  return branches;
}

/**
 * Lane 0 for the main branch alone; side branches, ordered by start height, then by the seq and
 * hash of their first block, take the first lane of 1, -1, 2, -2, … whose last occupant ended at
 * least two heights below their start. Interval partitioning with two heaps: O(b log b).
 */
function assignLanes(branches: readonly Branch[]): void {
  for (const b of branches) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of b.recs) {
      lo = Math.min(lo, r.block.height);
      hi = Math.max(hi, r.block.height);
    }
    b.start = lo;
    b.end = hi;
  }
  const side = branches.slice(1).sort((a, b) => {
    const fa = a.recs[0] as Rec;
    const fb = b.recs[0] as Rec;
    return (
      a.start - b.start ||
      fa.block.seq - fb.block.seq ||
      compareStrings(fa.block.hash, fb.block.hash)
    );
  });
  const free = new Heap<number>((a, b) => a < b);
  const busy = new Heap<{ readonly slot: number; readonly end: number }>(
    (a, b) => a.end < b.end || (a.end === b.end && a.slot < b.slot),
  );
  let slots = 0;
  for (const b of side) {
    for (let top = busy.peek(); top !== undefined && top.end + 1 < b.start; top = busy.peek()) {
      busy.pop();
      free.push(top.slot);
    }
    const slot = free.pop() ?? slots++;
    b.lane = sideLane(slot);
    busy.push({ slot, end: b.end });
  }
}

/**
 * Lay out a block tree: x from height, y from a lane.
 *
 * - Lane 0 is the best chain of the most nodes: the chain ending at the tip most nodes hold (ties:
 *   most chainWork, then lowest seq), extended by blocks mined on top of it, so the chain most
 *   nodes agree on stays on one straight line. No other branch ever uses lane 0.
 * - Side branches take lanes 1, -1, 2, -2, … in order of their fork point and seq. A branch keeps
 *   its lane along its whole length, and a lane is reused only two heights after its previous
 *   occupant ends, so branches never overlap and keep a gap column between them.
 * - A block is stale when it is on no node's best chain. Tips naming unknown blocks are ignored.
 * - Blocks whose parent is missing (pruned, not fetched yet) root a branch of their own.
 * - The input order does not matter: the same blocks and tips always give the same layout.
 *
 * Throws an Error with a message from `LAYOUT_ERRORS` on duplicate hashes, a parent cycle, a
 * non-integer height, a non-finite seq, a chainWork that is not a decimal string, a node listed
 * twice in `tips` or a spacing that is not a positive number.
 *
 * Complexity: O(n log n) time for n blocks (sorting dominates; every walk is linear), plus
 * O(k·t) for the node lists of k nodes on t distinct tips, which does not grow with n because
 * blocks on the same stretch share one frozen `onBestChainOf` array. Memory O(n + k·t).
 */
export function layoutTree(
  blocks: readonly TreeBlock[],
  tips: readonly NodeTip[],
  options: LayoutOptions = {},
): TreeLayout {
  const columnWidth = positive(options.columnWidth, DEFAULT_COLUMN_WIDTH);
  const rowHeight = positive(options.rowHeight, DEFAULT_ROW_HEIGHT);
  const byHash = readBlocks(blocks);
  const order = parentsFirst(byHash.values());
  attachTips(byHash, tips);
  attachMembers(order);
  const ranked = rankCandidates(order);
  assignLanes(cutBranches(ranked));

  let minHeight = Infinity;
  for (const rec of order) minHeight = Math.min(minHeight, rec.block.height);
  const out: LaidOutBlock[] = [];
  for (const rec of order) {
    const { hash, parent, height } = rec.block;
    const lane = rec.branch?.lane ?? 0;
    rec.placed = {
      hash,
      parent,
      height,
      x: (height - minHeight) * columnWidth,
      y: lane * rowHeight,
      lane,
      stale: rec.members.length === 0,
      tips: rec.tips,
      onBestChainOf: rec.members,
    };
    out.push(rec.placed);
  }
  out.sort((a, b) => a.x - b.x || a.y - b.y || compareStrings(a.hash, b.hash));

  const edges: TreeEdge[] = [];
  let edgeSpan = 0;
  for (const rec of order) {
    const child = rec.placed as LaidOutBlock;
    const parent = rec.parent?.placed;
    if (parent == null) continue;
    edges.push({
      from: child.hash,
      to: parent.hash,
      x1: child.x,
      y1: child.y,
      x2: parent.x,
      y2: parent.y,
    });
    edgeSpan = Math.max(edgeSpan, Math.abs(child.x - parent.x));
  }
  edges.sort(
    (a, b) =>
      Math.min(a.x1, a.x2) - Math.min(b.x1, b.x2) || a.y1 - b.y1 || compareStrings(a.from, b.from),
  );

  const layout: TreeLayoutData = {
    blocks: out,
    edges,
    bounds: boundsOf(out),
    minHeight: out.length === 0 ? 0 : minHeight,
    mainTip: ranked[0]?.block.hash ?? null,
    edgeSpan,
  };
  return layout as TreeLayout;
}

function boundsOf(blocks: readonly LaidOutBlock[]): Bounds {
  if (blocks.length === 0) return { minX: 0, maxX: 0, minY: 0, maxY: 0 };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const b of blocks) {
    minX = Math.min(minX, b.x);
    maxX = Math.max(maxX, b.x);
    minY = Math.min(minY, b.y);
    maxY = Math.max(maxY, b.y);
  }
  return { minX, maxX, minY, maxY };
}

/** First index in `items` whose key is at least `min` (items sorted by key). */
function lowerBound<T>(items: readonly T[], key: (item: T) => number, min: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid] as T) < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the segment from (ax, ay) to (bx, by) touches the box (Liang–Barsky clipping). */
function segmentTouchesBox(ax: number, ay: number, bx: number, by: number, box: Bounds): boolean {
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      t0 = Math.max(t0, r);
    } else {
      if (r < t0) return false;
      t1 = Math.min(t1, r);
    }
    return true;
  };
  const dx = bx - ax;
  const dy = by - ay;
  return (
    clip(-dx, ax - box.minX) &&
    clip(dx, box.maxX - ax) &&
    clip(-dy, ay - box.minY) &&
    clip(dy, box.maxY - ay)
  );
}

const edgeLeft = (e: TreeEdge): number => Math.min(e.x1, e.x2);

/**
 * The blocks and edges worth drawing for a viewport (layout coordinates, corners in any order),
 * grown by `margin` on every side (e.g. a block's radius): blocks whose position lies inside,
 * and edges whose segment touches it. Both keep the layout's order.
 *
 * Complexity: O(log n + w) for n blocks, where w counts the blocks and edges in the visible
 * columns (binary search on x, then a scan of those columns).
 * Throws `LAYOUT_ERRORS.viewport` for a non-finite coordinate or a negative margin.
 */
export function visibleWindow(layout: TreeLayout, viewport: Viewport, margin = 0): TreeWindow {
  const { x0, x1, y0, y1 } = viewport;
  if (![x0, x1, y0, y1, margin].every(Number.isFinite) || margin < 0) {
    throw new Error(LAYOUT_ERRORS.viewport);
  }
  const box: Bounds = {
    minX: Math.min(x0, x1) - margin,
    maxX: Math.max(x0, x1) + margin,
    minY: Math.min(y0, y1) - margin,
    maxY: Math.max(y0, y1) + margin,
  };
  const blocks: LaidOutBlock[] = [];
  const all = layout.blocks;
  for (let i = lowerBound(all, (b) => b.x, box.minX); i < all.length; i++) {
    const b = all[i] as LaidOutBlock;
    if (b.x > box.maxX) break;
    if (b.y >= box.minY && b.y <= box.maxY) blocks.push(b);
  }
  const edges: TreeEdge[] = [];
  const links = layout.edges;
  for (let i = lowerBound(links, edgeLeft, box.minX - layout.edgeSpan); i < links.length; i++) {
    const e = links[i] as TreeEdge;
    if (edgeLeft(e) > box.maxX) break;
    if (segmentTouchesBox(e.x1, e.y1, e.x2, e.y2, box)) edges.push(e);
  }
  return { blocks, edges };
}

function tipsByNode(tips: readonly NodeTip[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { node, tip } of tips) {
    if (map.has(node)) throw new Error(LAYOUT_ERRORS.duplicateNode);
    map.set(node, tip);
  }
  return map;
}

/**
 * How node markers move between two snapshots of tips, for animating reorgs: one move per node
 * whose tip changed, sorted by node id. A node only in `after` moves from null (appears), one
 * only in `before` moves to null (disappears); unchanged nodes are left out.
 * Throws `LAYOUT_ERRORS.duplicateNode` if either list names a node twice. O(k log k).
 */
export function diffTips(before: readonly NodeTip[], after: readonly NodeTip[]): TipMove[] {
  const was = tipsByNode(before);
  const now = tipsByNode(after);
  const nodes = [...new Set([...was.keys(), ...now.keys()])].sort(compareStrings);
  const moves: TipMove[] = [];
  for (const node of nodes) {
    const from = was.get(node) ?? null;
    const to = now.get(node) ?? null;
    if (from !== to) moves.push({ node, from, to });
  }
  return moves;
}
