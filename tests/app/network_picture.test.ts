/**
 * The network view's geometry: nodes on a ring, a partition as separate rings with the cut links
 * marked, messages placed along their links at a moment, the cap on how many are drawn; and the
 * node table's order and the remembered layout choices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/core/types.ts';
import {
  MAX_DRAWN_MESSAGES,
  PICTURE_SIZE,
  countTraces,
  inFlight,
  messageDots,
  networkPicture,
  partitionSides,
} from '../../src/app/network/picture.ts';
import type { MessageTrace, NodeStatus } from '../../src/app/sim/worker-simulation.ts';
import { sortNodes } from '../../src/app/state/node-sort.ts';
import { parseDisplayChoice } from '../../src/app/state/display.svelte.ts';
import { MIN_VISIBLE_MS } from '../../src/app/timeline/replay.ts';

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => `n${i + 1}` as NodeId);

/** Every node peered with every other, as the simulator registers them. */
function fullMesh(n: number): { id: NodeId; peers: NodeId[] }[] {
  const all = ids(n);
  return all.map((id) => ({ id, peers: all.filter((p) => p !== id) }));
}

function trace(over: Partial<MessageTrace> = {}): MessageTrace {
  return {
    from: 'n1' as NodeId,
    to: 'n2' as NodeId,
    kind: 'block',
    sentAt: 1_000,
    arriveAt: 2_000,
    fate: 'delivered',
    ...over,
  };
}

describe('network picture', () => {
  it('puts a whole network on one ring inside the box, each link once and none cut', () => {
    for (const n of [1, 2, 3, 8, 16]) {
      const p = networkPicture(fullMesh(n), []);
      expect(p.nodes.map((x) => x.id)).toEqual(ids(n));
      expect(p.links).toHaveLength((n * (n - 1)) / 2);
      expect(p.links.every((l) => !l.cut)).toBe(true);
      expect(p.sides).toEqual([]);
      for (const node of p.nodes) {
        expect(node.x).toBeGreaterThanOrEqual(p.markerRadius);
        expect(node.x).toBeLessThanOrEqual(PICTURE_SIZE.width - p.markerRadius);
        expect(node.y).toBeGreaterThanOrEqual(p.markerRadius);
        expect(node.y).toBeLessThanOrEqual(PICTURE_SIZE.height - p.markerRadius);
      }
      // No two nodes on the same spot.
      const spots = new Set(p.nodes.map((x) => `${x.x.toFixed(1)},${x.y.toFixed(1)}`));
      expect(spots.size).toBe(n);
    }
  });

  it('sends each name outwards from its ring, so names on a ring of many nodes spread apart', () => {
    const centre = { x: PICTURE_SIZE.width / 2, y: PICTURE_SIZE.height / 2 };
    for (const n of [2, 3, 8, 12]) {
      for (const node of networkPicture(fullMesh(n), []).nodes) {
        expect(Math.hypot(node.outX, node.outY)).toBeCloseTo(1, 9);
        // Pointing away from the ring's centre, along the radius.
        const along = (node.x - centre.x) * node.outX + (node.y - centre.y) * node.outY;
        expect(along).toBeCloseTo(Math.hypot(node.x - centre.x, node.y - centre.y), 6);
      }
    }
    const [alone] = networkPicture(fullMesh(1), []).nodes;
    expect([alone?.outX, alone?.outY]).toEqual([0, 1]);
  });

  it('draws only links between registered peers', () => {
    const nodes = [
      { id: 'n1' as NodeId, peers: ['n2' as NodeId] },
      { id: 'n2' as NodeId, peers: ['n1' as NodeId] },
      { id: 'n3' as NodeId, peers: [] },
    ];
    const p = networkPicture(nodes, []);
    expect(p.links.map((l) => l.key)).toEqual(['n1|n2']);
  });

  it('splits a partition into separate rings, the cut links dashed between them', () => {
    const groups = [['n1', 'n2'] as NodeId[], ['n3', 'n4', 'n5'] as NodeId[]];
    const p = networkPicture(fullMesh(5), groups);
    expect(p.sides.map((s) => s.nodes)).toEqual(groups);
    const left = p.nodes.filter((n) => n.side === 0);
    const right = p.nodes.filter((n) => n.side === 1);
    // Two sides sit left and right of the middle.
    expect(Math.max(...left.map((n) => n.x))).toBeLessThan(PICTURE_SIZE.width / 2);
    expect(Math.min(...right.map((n) => n.x))).toBeGreaterThan(PICTURE_SIZE.width / 2);
    // Exactly the links across the cut are cut: 2 × 3 of the 10.
    expect(p.links.filter((l) => l.cut)).toHaveLength(6);
    for (const l of p.links) {
      const across = groups[0]?.includes(l.a) !== groups[0]?.includes(l.b);
      expect(l.cut).toBe(across);
    }
  });

  it('counts nodes left out of every group as one more side, as the delivery rule does', () => {
    const sides = partitionSides(ids(5), [['n1', 'n2'] as NodeId[]]);
    expect(sides).toEqual([
      ['n1', 'n2'],
      ['n3', 'n4', 'n5'],
    ]);
    expect(partitionSides(ids(3), [])).toEqual([]);
    const p = networkPicture(fullMesh(5), [['n1', 'n2'] as NodeId[]]);
    expect(p.links.filter((l) => l.cut)).toHaveLength(6);
  });
});

describe('messages in flight', () => {
  const picture = networkPicture(fullMesh(3), []);
  const n1 = picture.nodes[0];
  const n2 = picture.nodes[1];

  it('runs a delivered message along its link over its delay', () => {
    const t = trace();
    const [start] = messageDots(picture, [t], 1_000);
    const [middle] = messageDots(picture, [t], 1_500);
    expect(start).toMatchObject({ kind: 'block', x: n1?.x, y: n1?.y, stopped: false });
    expect(middle?.x).toBeCloseTo(((n1?.x ?? 0) + (n2?.x ?? 0)) / 2, 6);
    expect(middle?.y).toBeCloseTo(((n1?.y ?? 0) + (n2?.y ?? 0)) / 2, 6);
    expect(messageDots(picture, [t], 2_000)).toEqual([]);
    expect(messageDots(picture, [t], 999)).toEqual([]);
  });

  it('draws a quick message for the shortest visible time', () => {
    const quick = trace({ arriveAt: 1_003 });
    expect(inFlight(quick, 1_000 + MIN_VISIBLE_MS - 1)).toBe(true);
    expect(inFlight(quick, 1_000 + MIN_VISIBLE_MS)).toBe(false);
  });

  it('stops a lost or cut message half way, with a cross', () => {
    for (const fate of ['lost', 'cut'] as const) {
      const t = trace({ fate, arriveAt: 1_000 });
      const [early] = messageDots(picture, [t], 1_100);
      const [late] = messageDots(picture, [t], 1_000 + MIN_VISIBLE_MS - 1);
      expect(early?.stopped).toBe(false);
      expect(late?.stopped).toBe(true);
      expect(late?.x).toBeCloseTo(((n1?.x ?? 0) + (n2?.x ?? 0)) / 2, 6);
    }
  });

  it('draws at most the cap, keeping the newest', () => {
    const many = Array.from({ length: MAX_DRAWN_MESSAGES + 50 }, (_, i) =>
      trace({ sentAt: 1_000 + i, arriveAt: 5_000 }),
    );
    const dots = messageDots(picture, many, 1_500);
    expect(dots).toHaveLength(MAX_DRAWN_MESSAGES);
    const newest = Math.max(...many.map((t) => t.sentAt));
    const drawnSent = dots.map((d) => Number(/@(\d+)#/.exec(d.key)?.[1]));
    expect(Math.min(...drawnSent)).toBe(newest - MAX_DRAWN_MESSAGES + 1);
  });

  it('skips messages between nodes not in the picture', () => {
    expect(messageDots(picture, [trace({ to: 'n9' as NodeId })], 1_200)).toEqual([]);
  });

  it('counts messages in a window by kind and fate', () => {
    const counts = countTraces(
      [
        trace({ kind: 'inv', sentAt: 10 }),
        trace({ kind: 'inv', sentAt: 20, fate: 'cut' }),
        trace({ kind: 'tx', sentAt: 30, fate: 'lost' }),
        trace({ kind: 'block', sentAt: 99 }),
      ],
      0,
      50,
    );
    expect(counts.inv).toEqual({ delivered: 1, lost: 0, cut: 1 });
    expect(counts.tx).toEqual({ delivered: 0, lost: 1, cut: 0 });
    expect(counts.block).toEqual({ delivered: 0, lost: 0, cut: 0 });
  });

  it('never places a dot outside its link (any time, any fate)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.constantFrom('delivered', 'lost', 'cut'),
        (now, delay, fate) => {
          const t = trace({ sentAt: 0, arriveAt: delay, fate });
          for (const d of messageDots(picture, [t], now)) {
            const lo = Math.min(n1?.x ?? 0, n2?.x ?? 0) - 1e-9;
            const hi = Math.max(n1?.x ?? 0, n2?.x ?? 0) + 1e-9;
            expect(d.x).toBeGreaterThanOrEqual(lo);
            expect(d.x).toBeLessThanOrEqual(hi);
          }
        },
      ),
    );
  });
});

describe('node table order', () => {
  const status = (id: string, height: number, hashes: number): NodeStatus =>
    ({
      id,
      height,
      hashesPerSecond: hashes,
      tip: id,
      mining: true,
      hashrate: 1,
      peers: [],
      mempoolSize: 0,
    }) as unknown as NodeStatus;
  const nodes = [
    status('n1', 5, 10),
    status('n2', 7, 30),
    status('n3', 5, 20),
    status('n10', 7, 0),
  ];

  it('keeps creation order by name (n2 before n10), either way', () => {
    expect(sortNodes(nodes, { column: 'node', descending: false }).map((n) => n.id)).toEqual([
      'n1',
      'n2',
      'n3',
      'n10',
    ]);
    expect(sortNodes(nodes, { column: 'node', descending: true }).map((n) => n.id)).toEqual([
      'n10',
      'n3',
      'n2',
      'n1',
    ]);
  });

  it('sorts by a number, ties in creation order', () => {
    expect(sortNodes(nodes, { column: 'height', descending: true }).map((n) => n.id)).toEqual([
      'n2',
      'n10',
      'n1',
      'n3',
    ]);
    expect(sortNodes(nodes, { column: 'hashes', descending: false }).map((n) => n.id)).toEqual([
      'n10',
      'n1',
      'n3',
      'n2',
    ]);
  });
});

describe('remembered layout', () => {
  it('reads what storage held, and falls back for anything else', () => {
    expect(parseDisplayChoice({ projector: true, sideFolded: false, bottomFolded: true })).toEqual({
      projector: true,
      sideFolded: false,
      bottomFolded: true,
    });
    expect(parseDisplayChoice({ projector: 'yes' })).toEqual({
      projector: false,
      sideFolded: false,
      bottomFolded: false,
    });
    expect(parseDisplayChoice(null).projector).toBe(false);
    expect(parseDisplayChoice([1, 2]).projector).toBe(false);
  });
});
