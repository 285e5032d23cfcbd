/**
 * The node table's order: by any column, either way, ties kept in creation order so rows do not
 * jump about between polls.
 */
import type { NodeStatus } from '../sim/worker-simulation.ts';

/** A column the node table sorts by. */
export type NodeColumn =
  'node' | 'height' | 'tip' | 'mining' | 'share' | 'hashes' | 'peers' | 'mempool';

/** Which column, which way. */
export interface SortOrder {
  readonly column: NodeColumn;
  readonly descending: boolean;
}

const VALUE: Record<NodeColumn, (n: NodeStatus) => number | string> = {
  // Creation order is node order: n2 before n10.
  node: () => 0,
  height: (n) => n.height,
  tip: (n) => n.tip,
  mining: (n) => (n.mining ? 1 : 0),
  share: (n) => n.hashrate,
  hashes: (n) => n.hashesPerSecond,
  peers: (n) => n.peers.length,
  mempool: (n) => n.mempoolSize,
};

/** The nodes in the table's order (a new array; `nodes` is in creation order). */
export function sortNodes(nodes: readonly NodeStatus[], order: SortOrder): NodeStatus[] {
  const value = VALUE[order.column];
  const sign = order.descending ? -1 : 1;
  return nodes
    .map((n, i) => ({ n, i, v: value(n) }))
    .sort((a, b) => {
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return c !== 0 ? sign * c : order.column === 'node' ? sign * (a.i - b.i) : a.i - b.i;
    })
    .map((r) => r.n);
}
