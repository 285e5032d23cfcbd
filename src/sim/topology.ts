/**
 * Who is linked to whom: the peers each node registers when a simulation starts. Seeded, so the
 * same seed draws the same graph. Links are two-way (both ends register each other), and a drawn
 * graph is always connected: a network in pieces could never agree on one chain.
 */
import { plainDecimal } from '../core/delivery.ts';
import type { Result } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';

/**
 * - `full`: everyone is linked to everyone (the tutorial's "register every node");
 * - `regular`: a random graph where every node has exactly `k` peers;
 * - `small-world`: Watts and Strogatz (1998): a ring where each node is linked to its `k` nearest
 *   neighbours, with each link rewired to a random node with probability `p`: short paths across
 *   the ring, yet neighbours that share neighbours, like acquaintances.
 */
export type Topology =
  | { readonly kind: 'full' }
  | { readonly kind: 'regular'; readonly k: number }
  | { readonly kind: 'small-world'; readonly k: number; readonly p: number };

/** Everyone linked to everyone. */
export const FULL_TOPOLOGY: Topology = { kind: 'full' };

/** Attempts at drawing a connected graph before giving up. */
const MAX_ATTEMPTS = 1_000;

const WHOLE = /^\d+$/;
const FRACTION = /^(?:0|1|0?\.\d+|1\.0*)$/;

/** Parse `full`, `regular:K` or `small-world:K:P`; the error is one sentence. */
export function parseTopology(text: string): Result<Topology, string> {
  const [kind, ...rest] = text.split(':');
  const fail = (error: string): Result<Topology, string> => ({ ok: false, error });
  switch (kind) {
    case 'full':
      return rest.length === 0 ? { ok: true, value: FULL_TOPOLOGY } : fail('"full" takes no K.');
    case 'regular': {
      const [k] = rest;
      if (rest.length !== 1 || k === undefined || !WHOLE.test(k)) {
        return fail('regular needs a whole number of peers per node: regular:K, e.g. regular:8.');
      }
      return { ok: true, value: { kind: 'regular', k: Number(k) } };
    }
    case 'small-world': {
      const [k, p] = rest;
      if (rest.length !== 2 || k === undefined || p === undefined || !WHOLE.test(k)) {
        return fail('small-world needs K and P: small-world:K:P, e.g. small-world:8:0.1.');
      }
      if (!FRACTION.test(p)) return fail(`small-world's P must be between 0 and 1, got "${p}".`);
      return { ok: true, value: { kind: 'small-world', k: Number(k), p: Number(p) } };
    }
    default:
      return fail(
        `Unknown topology "${text}": use full, regular:K or small-world:K:P (e.g. small-world:8:0.1).`,
      );
  }
}

/** The text form `parseTopology` reads. */
export function formatTopology(t: Topology): string {
  switch (t.kind) {
    case 'full':
      return 'full';
    case 'regular':
      return `regular:${t.k}`;
    case 'small-world':
      return `small-world:${t.k}:${plainDecimal(t.p)}`;
  }
}

/** Why this topology cannot be drawn over `nodes` nodes, or null when it can. */
export function topologyProblem(t: Topology, nodes: number): string | null {
  if (t.kind === 'full') return null;
  if (t.k < 1) return `K must be at least 1, got ${t.k}.`;
  if (t.k >= nodes) return `K must be smaller than the number of nodes (${nodes}), got ${t.k}.`;
  if (t.kind === 'regular') {
    if ((t.k * nodes) % 2 !== 0) {
      return `regular:${t.k} over ${nodes} nodes is impossible: K times the number of nodes must be even.`;
    }
    if (t.k === 1 && nodes > 2) return 'regular:1 pairs nodes off and cannot connect them all.';
    return null;
  }
  if (t.k % 2 !== 0)
    return `small-world's K must be even (K/2 neighbours on each side), got ${t.k}.`;
  if (!(t.p >= 0 && t.p <= 1)) return `small-world's P must be between 0 and 1, got ${t.p}.`;
  return null;
}

/**
 * Draw the graph over `ids`: each node's peers, in the order of `ids`. Throws when
 * {@link topologyProblem} says the topology is impossible (callers validate first).
 */
export function buildTopology(
  t: Topology,
  ids: readonly NodeId[],
  rng: Rng,
): Map<NodeId, NodeId[]> {
  const problem = topologyProblem(t, ids.length);
  if (problem) throw new RangeError(problem);
  const n = ids.length;
  let edges: Set<number>[] | null = null;
  if (t.kind === 'full') {
    edges = ids.map((_, i) => new Set(Array.from(ids.keys()).filter((j) => j !== i)));
  } else {
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !edges; attempt++) {
      const drawn =
        t.kind === 'regular' ? randomRegular(n, t.k, rng) : smallWorld(n, t.k, t.p, rng);
      if (drawn && isConnected(drawn)) edges = drawn;
    }
  }
  if (!edges) {
    throw new RangeError(
      `could not draw a connected ${formatTopology(t)} graph over ${n} nodes; try a larger K`,
    );
  }
  const graph = edges;
  return new Map(
    ids.map((id, i) => [
      id,
      [...(graph[i] ?? [])].sort((a, b) => a - b).map((j) => ids[j] as NodeId),
    ]),
  );
}

/** A random k-regular graph, or null when this draw got stuck. */
function randomRegular(n: number, k: number, rng: Rng): Set<number>[] | null {
  // A dense graph is the complement of a sparse one, which pairing draws far more easily.
  if (k > (n - 1) / 2) {
    const sparse = n - 1 - k === 0 ? emptyGraph(n) : randomRegular(n, n - 1 - k, rng);
    if (!sparse) return null;
    return sparse.map((peers, i) => {
      const out = new Set<number>();
      for (let j = 0; j < n; j++) if (j !== i && !peers.has(j)) out.add(j);
      return out;
    });
  }
  // Steger and Wormald (1999): pair free link ends at random, refusing loops and double links.
  const graph = emptyGraph(n);
  const ends: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) ends.push(i);
  while (ends.length > 0) {
    let paired = false;
    for (let tries = 0; tries < 50 && !paired; tries++) {
      const a = rng.int(ends.length);
      const b = rng.int(ends.length);
      const u = ends[a] as number;
      const v = ends[b] as number;
      if (a === b || u === v || graph[u]?.has(v)) continue;
      graph[u]?.add(v);
      graph[v]?.add(u);
      // Remove the higher index first so the lower one stays valid.
      for (const i of a > b ? [a, b] : [b, a]) {
        ends[i] = ends[ends.length - 1] as number;
        ends.pop();
      }
      paired = true;
    }
    if (!paired) return null;
  }
  return graph;
}

/** Watts–Strogatz: a ring lattice of degree k, each link rewired with probability p. */
function smallWorld(n: number, k: number, p: number, rng: Rng): Set<number>[] {
  const graph = emptyGraph(n);
  const link = (u: number, v: number): void => {
    graph[u]?.add(v);
    graph[v]?.add(u);
  };
  for (let i = 0; i < n; i++) for (let j = 1; j <= k / 2; j++) link(i, (i + j) % n);
  for (let j = 1; j <= k / 2; j++) {
    for (let i = 0; i < n; i++) {
      const v = (i + j) % n;
      // Draw for every link, rewired or not, so a run's later draws do not depend on p's outcome.
      const rewire = rng.float() < p;
      const w = rng.int(n);
      if (!rewire || w === i || graph[i]?.has(w) || !graph[i]?.has(v)) continue;
      graph[i]?.delete(v);
      graph[v]?.delete(i);
      link(i, w);
    }
  }
  return graph;
}

function emptyGraph(n: number): Set<number>[] {
  return Array.from({ length: n }, () => new Set<number>());
}

function isConnected(graph: readonly Set<number>[]): boolean {
  if (graph.length <= 1) return true;
  const seen = new Set<number>([0]);
  const stack = [0];
  for (let u = stack.pop(); u !== undefined; u = stack.pop()) {
    for (const v of graph[u] ?? []) {
      if (!seen.has(v)) {
        seen.add(v);
        stack.push(v);
      }
    }
  }
  return seen.size === graph.length;
}

/**
 * The mean number of hops between two distinct nodes of a connected graph, over shortest paths
 * (breadth-first search from every node): how many relays a block needs, on average, to reach a
 * node. 0 for a single node; Infinity when some node cannot be reached.
 */
export function meanPathLength(graph: ReadonlyMap<NodeId, readonly NodeId[]>): number {
  const n = graph.size;
  if (n <= 1) return 0;
  let total = 0;
  for (const source of graph.keys()) {
    const hops = new Map<NodeId, number>([[source, 0]]);
    const queue: NodeId[] = [source];
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i] as NodeId;
      const next = (hops.get(u) ?? 0) + 1;
      for (const v of graph.get(u) ?? []) {
        if (hops.has(v)) continue;
        hops.set(v, next);
        total += next;
        queue.push(v);
      }
    }
    if (hops.size < n) return Infinity;
  }
  return total / (n * (n - 1));
}
