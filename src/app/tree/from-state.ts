/**
 * The page's state in the shape the tree layout reads: every known block and each node's tip.
 * Shared by the picture (BlockTree) and the table (TreeTable) so both always show the same tree.
 */
import type { NodeStatus } from '../sim/worker-simulation.ts';
import type { KnownBlock } from '../state/simulation.svelte.ts';
import { layoutTree } from './layout.ts';
import type { LayoutOptions, NodeTip, TreeBlock, TreeLayout } from './types.ts';

/** The blocks as the layout reads them; the page's arrival order (`seen`) is the seq. */
export function treeBlocks(blocks: ReadonlyMap<string, KnownBlock>): TreeBlock[] {
  const input: TreeBlock[] = [];
  for (const b of blocks.values()) {
    input.push({
      hash: b.hash,
      parent: b.parent,
      height: b.height,
      seq: b.seen,
      chainWork: b.chainWork,
      miner: b.miner,
    });
  }
  return input;
}

/** Which block each node holds as its tip. */
export function nodeTips(nodes: readonly Pick<NodeStatus, 'id' | 'tip'>[]): NodeTip[] {
  return nodes.map((n) => ({ node: n.id, tip: n.tip }));
}

/** Lay out the tree of every block the page knows, with each node's tip. */
export function layoutFromState(
  blocks: ReadonlyMap<string, KnownBlock>,
  nodes: readonly Pick<NodeStatus, 'id' | 'tip'>[],
  options: LayoutOptions = {},
): TreeLayout {
  return layoutTree(treeBlocks(blocks), nodeTips(nodes), options);
}
