/**
 * The network view, computed: where each node sits, which links join them, which of those a
 * partition cuts, and where each message in flight is at a moment. No DOM here: D3 computes,
 * Svelte draws (CONTRIBUTING.md, D3 computes, Svelte draws), so the picture is tested in Node and
 * the same numbers draw the live view and a replayed moment.
 *
 * Nodes sit on a fixed ring rather than a force layout: a class watching the projector keeps its
 * bearings when nothing moves unless the network itself changes. A partition splits the ring
 * into one small ring per side, pulled apart, so the cut is visible from the back of the room.
 */
import { reachable } from '../../core/delivery.ts';
import type { NodeId } from '../../core/types.ts';
import type { MessageTrace, TraceKind } from '../sim/worker-simulation.ts';
import { POLL_MS, traceEnd } from '../timeline/recording.ts';
import { MIN_VISIBLE_MS } from '../timeline/replay.ts';

/** The drawing box of the network view, in SVG user units (the SVG scales to its container). */
export const PICTURE_SIZE = { width: 480, height: 270 } as const;

/**
 * How far behind the clock a live view runs. The page hears of messages when it polls the nodes
 * (every POLL_MS), so a view that ran on time would see most of them only after they had landed;
 * a little behind, it draws each one from its start.
 */
export const LIVE_DELAY_MS = POLL_MS + 200;

/** Most messages drawn at once: beyond it the newest are kept, so drawing never costs the tree its frames. */
export const MAX_DRAWN_MESSAGES = 120;

/**
 * Each kind of message's glyph, centred on (0, 0), about 10 units across: filled for what carries
 * a body (a block, a payment), outlined for what only names or asks. One shape per kind, so they
 * read without colour (WCAG 1.4.1); the legend and the animation draw the same paths.
 */
export const GLYPHS: Readonly<
  Record<TraceKind, { readonly path: string; readonly filled: boolean }>
> = {
  block: { path: 'M-5,-5H5V5H-5Z', filled: true },
  tx: { path: 'M0,-4.5L4.5,0L0,4.5L-4.5,0Z', filled: true },
  inv: { path: 'M-3.6,0A3.6,3.6 0 1,0 3.6,0A3.6,3.6 0 1,0 -3.6,0Z', filled: false },
  getdata: { path: 'M0,-4.5L4.5,3.8L-4.5,3.8Z', filled: false },
  sync: { path: 'M-1.5,-3H1.5A3,3 0 0,1 1.5,3H-1.5A3,3 0 0,1 -1.5,-3Z', filled: false },
};

/** The cross drawn where a lost or cut message stopped. */
export const STOPPED_PATH = 'M-5,-5L5,5M-5,5L5,-5';

/** What the picture needs of a node. */
export interface PictureNode {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
}

/** A node placed on the picture. */
export interface PlacedNode {
  readonly id: NodeId;
  /** Creation order: the node's marker (src/app/tree/markers.ts). */
  readonly index: number;
  /** Which side of a partition it is on (0 when the network is whole). */
  readonly side: number;
  readonly x: number;
  readonly y: number;
  /**
   * Which way its name goes (a unit vector): out from its ring's centre, so that on a ring of
   * many nodes the names spread outwards instead of piling under one another. Straight down for
   * a node alone on its ring.
   */
  readonly outX: number;
  readonly outY: number;
}

/** A link between two peers; `cut` when a partition separates them. */
export interface PlacedLink {
  readonly key: string;
  readonly a: NodeId;
  readonly b: NodeId;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly cut: boolean;
}

/** One side of a partition, drawn as a ring around its nodes. */
export interface PlacedSide {
  readonly side: number;
  readonly nodes: readonly NodeId[];
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
}

/** Where everything sits. */
export interface NetworkPicture {
  readonly nodes: readonly PlacedNode[];
  readonly links: readonly PlacedLink[];
  /** The sides of a partition; empty when the network is whole. */
  readonly sides: readonly PlacedSide[];
  /** Radius of a node's marker, smaller when there are many nodes. */
  readonly markerRadius: number;
}

/**
 * The sides of a partition as the delivery rule sees them (src/core/delivery.ts): each group is a
 * side, and nodes named in no group share one more side. Empty when the network is whole.
 */
export function partitionSides(
  ids: readonly NodeId[],
  groups: readonly (readonly NodeId[])[],
): NodeId[][] {
  if (groups.length === 0) return [];
  const sides: NodeId[][] = groups.map((g) => ids.filter((id) => g.includes(id)));
  const rest = ids.filter((id) => !groups.some((g) => g.includes(id)));
  if (rest.length > 0) sides.push(rest);
  return sides.filter((s) => s.length > 0);
}

/** Points evenly on a circle, the first at the top, going clockwise, each with its outward way. */
function ring(
  count: number,
  cx: number,
  cy: number,
  r: number,
): { x: number; y: number; outX: number; outY: number }[] {
  if (count === 1 || r === 0) {
    return Array.from({ length: count }, () => ({ x: cx, y: cy, outX: 0, outY: 1 }));
  }
  return Array.from({ length: count }, (_, k) => {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / count;
    const outX = Math.cos(a);
    const outY = Math.sin(a);
    return { x: cx + r * outX, y: cy + r * outY, outX, outY };
  });
}

/** Place the nodes and their links for the given partition groups. */
export function networkPicture(
  nodes: readonly PictureNode[],
  groups: readonly (readonly NodeId[])[],
): NetworkPicture {
  const { width, height } = PICTURE_SIZE;
  const ids = nodes.map((n) => n.id);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const markerRadius = nodes.length > 10 ? 8 : 11;
  const sides = partitionSides(ids, groups);
  const placed = new Map<NodeId, PlacedNode>();
  const placedSides: PlacedSide[] = [];
  const margin = markerRadius + 16;

  if (sides.length <= 1) {
    const r = Math.min(width, height) / 2 - margin;
    ring(ids.length, width / 2, height / 2, r).forEach((p, k) => {
      const id = ids[k];
      if (id) placed.set(id, { id, index: k, side: 0, ...p });
    });
  } else {
    // Side centres on a circle of their own; each side's ring sized to its share of the nodes.
    const centres = ring(sides.length, width / 2, height / 2, Math.min(width, height) / 2 - 70);
    if (sides.length === 2) {
      // Two sides read best left and right, with the cut down the middle.
      centres[0] = { x: width * 0.25, y: height / 2, outX: -1, outY: 0 };
      centres[1] = { x: width * 0.75, y: height / 2, outX: 1, outY: 0 };
    }
    const room = sides.length === 2 ? Math.min(width / 4, height / 2) : 68;
    sides.forEach((members, s) => {
      const c = centres[s] ?? { x: width / 2, y: height / 2 };
      const r = Math.max(0, room - margin);
      const inner = members.length === 1 ? 0 : r * Math.min(1, 0.45 + members.length / 12);
      ring(members.length, c.x, c.y, inner).forEach((p, k) => {
        const id = members[k];
        if (id) placed.set(id, { id, index: indexOf.get(id) ?? 0, side: s, ...p });
      });
      placedSides.push({ side: s, nodes: members, cx: c.x, cy: c.y, r: inner + markerRadius + 8 });
    });
  }

  const links: PlacedLink[] = [];
  const seen = new Set<string>();
  for (const n of nodes) {
    for (const peer of n.peers) {
      const [a, b] = n.id < peer ? [n.id, peer] : [peer, n.id];
      const key = `${a}|${b}`;
      const pa = placed.get(a);
      const pb = placed.get(b);
      if (seen.has(key) || !pa || !pb) continue;
      seen.add(key);
      links.push({
        key,
        a,
        b,
        x1: pa.x,
        y1: pa.y,
        x2: pb.x,
        y2: pb.y,
        cut: !reachable(groups, a, b),
      });
    }
  }
  return {
    nodes: ids.flatMap((id) => placed.get(id) ?? []),
    links,
    sides: placedSides,
    markerRadius,
  };
}

/** A message drawn at one moment. */
export interface MessageDot {
  readonly key: string;
  readonly kind: TraceKind;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly x: number;
  readonly y: number;
  /** A lost or cut message that has stopped where it died (drawn with a cross). */
  readonly stopped: boolean;
  readonly fate: MessageTrace['fate'];
}

/**
 * How long a message is drawn: its real delay, but never less than MIN_VISIBLE_MS (real
 * deliveries on a quick network take a few milliseconds, too fast for anyone to see).
 */
export function visibleDuration(t: MessageTrace): number {
  return traceEnd(t, MIN_VISIBLE_MS) - t.sentAt;
}

/** Whether a message is drawn at `now`: the same window a replayed frame keeps it in. */
export function inFlight(t: MessageTrace, now: number): boolean {
  return now >= t.sentAt && now < traceEnd(t, MIN_VISIBLE_MS);
}

/**
 * Where each message in flight is at `now`, the newest {@link MAX_DRAWN_MESSAGES} of them. A
 * delivered message runs the whole link; a lost or cut one runs half of it and stops there.
 * Messages between nodes the picture does not show are skipped.
 */
export function messageDots(
  picture: NetworkPicture,
  traces: readonly MessageTrace[],
  now: number,
): MessageDot[] {
  const at = new Map(picture.nodes.map((n) => [n.id, n]));
  const out: MessageDot[] = [];
  // Newest first, so the cap keeps what is happening now.
  for (let i = traces.length - 1; i >= 0 && out.length < MAX_DRAWN_MESSAGES; i--) {
    const t = traces[i];
    if (!t || !inFlight(t, now)) continue;
    const a = at.get(t.from);
    const b = at.get(t.to);
    if (!a || !b) continue;
    const progress = (now - t.sentAt) / visibleDuration(t);
    const dies = t.fate !== 'delivered';
    const p = dies ? Math.min(progress, 0.5) : progress;
    out.push({
      key: `${t.from}>${t.to}@${t.sentAt}#${i}`,
      kind: t.kind,
      from: t.from,
      to: t.to,
      x: a.x + (b.x - a.x) * p,
      y: a.y + (b.y - a.y) * p,
      stopped: dies && progress >= 0.5,
      fate: t.fate,
    });
  }
  return out;
}

/** Messages heard in a window, counted by kind and fate: the view's words for reduced motion. */
export function countTraces(
  traces: readonly MessageTrace[],
  from: number,
  to: number,
): Record<TraceKind, { delivered: number; lost: number; cut: number }> {
  const zero = (): { delivered: number; lost: number; cut: number } => ({
    delivered: 0,
    lost: 0,
    cut: 0,
  });
  const counts = { inv: zero(), getdata: zero(), block: zero(), tx: zero(), sync: zero() };
  for (const t of traces) if (t.sentAt >= from && t.sentAt < to) counts[t.kind][t.fate]++;
  return counts;
}
