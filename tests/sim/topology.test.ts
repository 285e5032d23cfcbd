/**
 * Who is linked to whom (src/sim/topology.ts): the text form of a topology, the topologies that
 * cannot be drawn, and the graphs drawn: every node's degree, no self-links, links both ways,
 * always connected, the exact ring lattice at P = 0, and the same graph for the same seed; the mean
 * shortest-path length of a graph.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { Topology } from '../../src/sim/topology.ts';
import {
  buildTopology,
  FULL_TOPOLOGY,
  formatTopology,
  meanPathLength,
  parseTopology,
  topologyProblem,
} from '../../src/sim/topology.ts';

type Graph = Map<NodeId, NodeId[]>;

const idsOf = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => `n${i + 1}` as NodeId);

/**
 * What is wrong with a graph as a set of two-way links over `ids`: a self-link, a peer listed
 * twice, an unknown peer, a link listed at one end only, or peers out of the order of ids. Plain
 * checks gathered into one list: an `expect` per link made the property tests 20 times slower.
 */
function graphFaults(graph: Graph, ids: readonly NodeId[]): string[] {
  const faults: string[] = [];
  if (JSON.stringify([...graph.keys()]) !== JSON.stringify(ids)) faults.push('keys are not ids');
  const index = new Map(ids.map((id, i) => [id, i]));
  for (const [id, peers] of graph) {
    if (peers.includes(id)) faults.push(`${id} is its own peer`);
    if (new Set(peers).size !== peers.length) faults.push(`${id} lists a peer twice`);
    let previous = -1;
    for (const p of peers) {
      const i = index.get(p);
      if (i === undefined) faults.push(`${id} lists unknown ${p}`);
      else if (i <= previous) faults.push(`${id}'s peers are out of order`);
      previous = i ?? previous;
      if (!graph.get(p)?.includes(id)) faults.push(`${id}-${p} is listed at one end only`);
    }
  }
  return faults;
}

/** The nodes reachable from the first one, by breadth-first search. */
function reachableFromFirst(graph: Graph, ids: readonly NodeId[]): Set<NodeId> {
  const first = ids[0];
  if (first === undefined) return new Set();
  const seen = new Set([first]);
  for (const queue = [first]; queue.length > 0;) {
    const u = queue.shift() as NodeId;
    for (const v of graph.get(u) ?? []) {
      if (!seen.has(v)) {
        seen.add(v);
        queue.push(v);
      }
    }
  }
  return seen;
}

function linkCount(graph: Graph): number {
  let ends = 0;
  for (const peers of graph.values()) ends += peers.length;
  return ends / 2;
}

/** The Watts–Strogatz ring lattice: node i linked to the K/2 nearest on each side. */
function ringLattice(ids: readonly NodeId[], k: number): Graph {
  const n = ids.length;
  return new Map(
    ids.map((id, i) => {
      const peers = new Set<number>();
      for (let j = 1; j <= k / 2; j++) peers.add((i + j) % n).add((i - j + n) % n);
      return [id, [...peers].sort((a, b) => a - b).map((j) => ids[j] as NodeId)];
    }),
  );
}

/** A drawable regular:K over N ≤ 60 nodes: N·K even, K < N, and K = 1 only for two nodes. */
const arbRegular = fc
  .integer({ min: 2, max: 60 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 })))
  .filter(([n, k]) => (n * k) % 2 === 0 && (k > 1 || n === 2));

/** A drawable small-world:K:P over N ≤ 60 nodes: K even and below N. */
const arbSmallWorld = fc.integer({ min: 3, max: 60 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.integer({ min: 1, max: Math.floor((n - 1) / 2) }).map((half) => 2 * half),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ),
);

const arbSeed = fc.integer({ min: 0, max: 0xffffffff });

describe('parseTopology and formatTopology', () => {
  it.each([
    ['full', FULL_TOPOLOGY],
    ['regular:8', { kind: 'regular', k: 8 }],
    ['small-world:8:0.1', { kind: 'small-world', k: 8, p: 0.1 }],
    ['small-world:4:0', { kind: 'small-world', k: 4, p: 0 }],
    ['small-world:4:1', { kind: 'small-world', k: 4, p: 1 }],
  ] as const)('reads %j and writes it back', (text, topology) => {
    expect(parseTopology(text)).toEqual({ ok: true, value: topology });
    expect(formatTopology(topology)).toBe(text);
  });

  it('round-trips any topology with a whole K and P in decimals', () => {
    const arbTopology: fc.Arbitrary<Topology> = fc.oneof(
      fc.constant(FULL_TOPOLOGY),
      fc.nat({ max: 1000 }).map((k) => ({ kind: 'regular', k }) as const),
      fc
        .tuple(fc.nat({ max: 1000 }), fc.integer({ min: 0, max: 1_000_000 }))
        .map(([k, p]) => ({ kind: 'small-world', k, p: p / 1_000_000 }) as const),
    );
    fc.assert(
      fc.property(arbTopology, (t) => {
        expect(parseTopology(formatTopology(t))).toEqual({ ok: true, value: t });
      }),
      { numRuns: 500 },
    );
  });

  it('formatTopology writes every accepted P in a form parseTopology reads back', () => {
    // "small-world:4:0.0000001" is accepted; String(1e-7) is "1e-7", which the parser refuses,
    // so the CLI report names a topology the CLI would not take.
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,9}$/), (digits) => {
        const first = parseTopology(`small-world:4:0.${digits}`);
        if (!first.ok) throw new Error(first.error);
        expect(parseTopology(formatTopology(first.value))).toEqual(first);
      }),
      { examples: [['0000001']] },
    );
  });

  it.each([
    ['ring', /^Unknown topology "ring"/],
    ['regular', /^regular needs a whole number of peers per node/],
    ['regular:x', /^regular needs a whole number of peers per node/],
    ['regular:-2', /^regular needs a whole number of peers per node/],
    ['small-world:4', /^small-world needs K and P/],
    ['small-world:4:2', /^small-world's P must be between 0 and 1, got "2"\.$/],
    ['small-world:4:-0.5', /^small-world's P must be between 0 and 1/],
    ['small-world:4:1.5', /^small-world's P must be between 0 and 1/],
    ['full:3', /^"full" takes no K\.$/],
    ['', /^Unknown topology ""/],
  ])('refuses %j with one sentence', (text, message) => {
    const parsed = parseTopology(text);
    if (parsed.ok) throw new Error(`accepted ${JSON.stringify(text)}`);
    expect(parsed.error).toMatch(message);
    expect(parsed.error).not.toContain('\n');
    expect(parsed.error).toMatch(/\.$/);
  });
});

describe('topologyProblem', () => {
  it.each([
    [
      { kind: 'regular', k: 10 },
      10,
      /^K must be smaller than the number of nodes \(10\), got 10\.$/,
    ],
    [{ kind: 'regular', k: 12 }, 10, /^K must be smaller than the number of nodes/],
    [{ kind: 'regular', k: 0 }, 10, /^K must be at least 1, got 0\.$/],
    [{ kind: 'regular', k: 3 }, 7, /K times the number of nodes must be even/],
    [{ kind: 'regular', k: 1 }, 4, /^regular:1 pairs nodes off/],
    [{ kind: 'small-world', k: 3, p: 0.1 }, 10, /^small-world's K must be even/],
    [{ kind: 'small-world', k: 10, p: 0.1 }, 10, /^K must be smaller than the number of nodes/],
    [{ kind: 'small-world', k: 0, p: 0.1 }, 10, /^K must be at least 1/],
    [{ kind: 'small-world', k: 4, p: 1.5 }, 10, /^small-world's P must be between 0 and 1/],
    [{ kind: 'small-world', k: 4, p: -0.1 }, 10, /^small-world's P must be between 0 and 1/],
    [{ kind: 'small-world', k: 4, p: NaN }, 10, /^small-world's P must be between 0 and 1/],
  ] as const)('refuses %j over %i nodes, and buildTopology throws it', (t, n, message) => {
    const problem = topologyProblem(t, n);
    expect(problem).toMatch(message);
    expect(() => buildTopology(t, idsOf(n), createRng(1))).toThrow(problem ?? 'a problem');
  });

  it.each([
    [FULL_TOPOLOGY, 1],
    [{ kind: 'regular', k: 1 }, 2],
    [{ kind: 'regular', k: 3 }, 8],
    [{ kind: 'regular', k: 9 }, 10],
    [{ kind: 'small-world', k: 2, p: 0 }, 3],
    [{ kind: 'small-world', k: 8, p: 1 }, 9],
  ] as const)('accepts %j over %i nodes', (t, n) => {
    expect(topologyProblem(t, n)).toBeNull();
  });
});

describe('buildTopology', () => {
  it('the graph checks are not vacuous: each fault they look for is found', () => {
    const [a, b, c] = idsOf(3) as [NodeId, NodeId, NodeId];
    const ids = [a, b, c];
    expect(
      graphFaults(
        new Map([
          [a, [b]],
          [b, [a]],
          [c, []],
        ]),
        ids,
      ),
    ).toEqual([]);
    expect(
      graphFaults(
        new Map([
          [a, [a]],
          [b, []],
          [c, []],
        ]),
        ids,
      ),
    ).toContain('n1 is its own peer');
    expect(
      graphFaults(
        new Map([
          [a, [b]],
          [b, []],
          [c, []],
        ]),
        ids,
      ),
    ).toEqual(['n1-n2 is listed at one end only']);
    expect(
      graphFaults(
        new Map([
          [a, [c, b]],
          [b, [a]],
          [c, [a]],
        ]),
        ids,
      ),
    ).toEqual(["n1's peers are out of order"]);
    expect(
      reachableFromFirst(
        new Map([
          [a, [b]],
          [b, [a]],
          [c, []],
        ]),
        ids,
      ).size,
    ).toBe(2);
  });

  it('full: every node lists everyone else, in the order of ids', () => {
    const ids = idsOf(7);
    const graph = buildTopology(FULL_TOPOLOGY, ids, createRng(1));
    for (const id of ids) expect(graph.get(id)).toEqual(ids.filter((x) => x !== id));
  });

  it('regular:K: every node has exactly K distinct peers, links both ways, all connected', () => {
    fc.assert(
      fc.property(arbRegular, arbSeed, ([n, k], seed) => {
        const ids = idsOf(n);
        const graph = buildTopology({ kind: 'regular', k }, ids, createRng(seed));
        expect(graphFaults(graph, ids)).toEqual([]);
        expect([...graph.values()].filter((peers) => peers.length !== k)).toEqual([]);
        expect(linkCount(graph)).toBe((n * k) / 2);
        expect(reachableFromFirst(graph, ids).size).toBe(n);
      }),
      { numRuns: 150 },
    );
  });

  it('small-world:K:P: N·K/2 links both ways, all connected, each node keeps K/2 of its own', () => {
    fc.assert(
      fc.property(arbSmallWorld, arbSeed, ([n, k, p], seed) => {
        const ids = idsOf(n);
        const graph = buildTopology({ kind: 'small-world', k, p }, ids, createRng(seed));
        expect(graphFaults(graph, ids)).toEqual([]);
        // Rewiring moves one end of a link, never adds or removes one.
        expect(linkCount(graph)).toBe((n * k) / 2);
        expect(reachableFromFirst(graph, ids).size).toBe(n);
        // Each node rewires only its own K/2 clockwise links, and keeps them (rewired or not).
        expect(
          Math.min(...[...graph.values()].map((peers) => peers.length)),
        ).toBeGreaterThanOrEqual(k / 2);
      }),
      { numRuns: 150 },
    );
  });

  it('small-world:K:0 is the exact ring lattice, whatever the seed', () => {
    fc.assert(
      fc.property(arbSmallWorld, arbSeed, ([n, k], seed) => {
        const ids = idsOf(n);
        const graph = buildTopology({ kind: 'small-world', k, p: 0 }, ids, createRng(seed));
        expect(graph).toEqual(ringLattice(ids, k));
      }),
      { numRuns: 100 },
    );
  });

  it('small-world:K:P with P > 0 rewires some links away from the ring', () => {
    const ids = idsOf(40);
    const graph = buildTopology({ kind: 'small-world', k: 4, p: 0.5 }, ids, createRng(3));
    expect(graph).not.toEqual(ringLattice(ids, 4));
  });

  it.each([
    { kind: 'regular', k: 4 },
    { kind: 'small-world', k: 4, p: 0.2 },
  ] as const)('%j: the same seed draws the same graph 40 times; another seed another', (t) => {
    const ids = idsOf(30);
    const first = buildTopology(t, ids, createRng(7));
    for (let i = 0; i < 40; i++) expect(buildTopology(t, ids, createRng(7))).toEqual(first);
    expect(buildTopology(t, ids, createRng(8))).not.toEqual(first);
  });

  it('the draw depends only on the seed, not on the node names', () => {
    // Same seed, other names: the same shape, named after the new ids.
    const t: Topology = { kind: 'regular', k: 3 };
    const a = idsOf(10);
    const b = a.map((id) => `peer-${id}` as NodeId);
    const ga = buildTopology(t, a, createRng(5));
    const gb = buildTopology(t, b, createRng(5));
    const renamed = new Map(
      [...ga].map(([id, peers]) => [`peer-${id}` as NodeId, peers.map((p) => `peer-${p}`)]),
    );
    expect(gb).toEqual(renamed);
  });
});

describe('meanPathLength', () => {
  it('is 1 when everyone is linked to everyone', () => {
    const ids = idsOf(12);
    expect(meanPathLength(buildTopology(FULL_TOPOLOGY, ids, createRng(1)))).toBe(1);
  });

  it('on a ring of 7 the distances to the others are 1, 1, 2, 2, 3, 3: mean 2', () => {
    expect(meanPathLength(ringLattice(idsOf(7), 2))).toBe(2);
  });

  it('on a ring of 8 they are 1, 1, 2, 2, 3, 3, 4: mean 16/7', () => {
    expect(meanPathLength(ringLattice(idsOf(8), 2))).toBeCloseTo(16 / 7, 12);
  });

  it('is 0 for one node and Infinity when a node cannot be reached', () => {
    const [a, b, c] = idsOf(3) as [NodeId, NodeId, NodeId];
    expect(meanPathLength(new Map([[a, []]]))).toBe(0);
    expect(
      meanPathLength(
        new Map([
          [a, [b]],
          [b, [a]],
          [c, []],
        ]),
      ),
    ).toBe(Infinity);
  });
});
