/**
 * Where the node markers on one block of the tree go, and where their names go: a pure function
 * of the node ids on the block and the picked node (CONTRIBUTING.md, D3 computes, Svelte draws).
 *
 * Few nodes with short names are named side by side in one row over the block. More, or names too
 * long to sit side by side (a classroom's `alice-1` beside `teacher-2`), are packed in rows
 * stacked upwards, told apart by shape and colour as in the node table, and only the picked one is
 * named, on a line of its own above the top row. Nothing overlaps anything else, for any number of
 * markers, and everything stays within the block's column, so neighbouring blocks' markers and
 * names never meet either (tests/app/marker_layout.test.ts).
 */

/** The sizes the tree draws with, in layout units (the tree's zoom scales them all alike). */
export interface MarkerGeometry {
  /** Width and height of a block. */
  readonly blockWidth: number;
  readonly blockHeight: number;
  /** Horizontal distance between consecutive heights: the width each block's markers may use. */
  readonly columnWidth: number;
}

/** A marker's place and what is drawn with it; x and y from the block's centre. */
export interface MarkerPlacement {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** Radius of the marker's shape. */
  readonly radius: number;
  /** Radius of the ring around the picked marker; null when not picked. */
  readonly halo: number | null;
  /** The name drawn for it (shortened when too long), from the marker's centre; null when none. */
  readonly label: {
    readonly text: string;
    readonly dx: number;
    readonly dy: number;
    readonly fontSize: number;
  } | null;
}

/** The markers of one block. */
export interface BlockMarkers {
  /** Packed in rows, only the picked one named. */
  readonly crowded: boolean;
  /** In the order of the ids given. */
  readonly markers: readonly MarkerPlacement[];
}

/** An axis-aligned box, from the block's centre. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Every error message the marker layout throws. */
export const MARKER_LAYOUT_ERRORS = {
  duplicateNode: 'duplicate node id on one block',
  geometry: 'invalid marker geometry',
} as const;

/** Up to this many nodes on one block may be named side by side. */
export const MARKERS_NAMED = 4;
/** Marker radius and ring radius, named and packed. */
const NAMED_RADIUS = 8;
const NAMED_HALO = 11;
const PACKED_RADIUS = 6.5;
const PACKED_HALO = 9;
/** Half the width of the white outline of a marker, and of the picked one's ring. */
const MARKER_STROKE = 0.75;
const HALO_STROKE = 1.5;
/** Font sizes of a name, and of the picked node's name. */
export const NAME_FONT = 11;
export const PICKED_NAME_FONT = 13;
/**
 * About how wide a character of a bold name is, per pixel of font size; a little over the
 * average of the page's sans-serif, measured in Chromium (`n3` is 18.3 px wide at 13 px, 0.70 a pixel a character).
 */
const CHAR_WIDTH_PER_PX = 0.72;
/** How far above its baseline a name's letters reach, and below it, per pixel of font size. */
const ASCENT_PER_PX = 0.8;
const DESCENT_PER_PX = 0.25;
/** Clear space between two things drawn, and at each side of a column. */
const GAP = 2;
const MARGIN = 6;
/** Distance from the block's top edge to the centre of the named row. */
const NAMED_ABOVE = 14;

/** The default geometry of the tree (BlockTree.svelte). */
export const TREE_MARKER_GEOMETRY: MarkerGeometry = {
  blockWidth: 84,
  blockHeight: 52,
  columnWidth: 120,
};

/** About how wide `text` is drawn in bold at `fontSize` (node ids are ASCII: `parseNodeId`). */
export function nameWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH_PER_PX;
}

/**
 * `id` shortened to at most `chars` characters, keeping its end (the node's number): `zoe-martin-
 * dupont-2` → `zoe-mar…nt-2`.
 */
export function shortName(id: string, chars: number): string {
  if (id.length <= chars) return id;
  const keep = Math.max(1, chars - 1);
  const tail = Math.min(4, Math.floor(keep / 2));
  return `${id.slice(0, keep - tail)}…${id.slice(id.length - tail)}`;
}

/** The box a marker covers, ring and outline included. */
export function markerBox(m: MarkerPlacement): Box {
  const r = m.halo === null ? m.radius + MARKER_STROKE : m.halo + HALO_STROKE;
  return { x0: m.x - r, y0: m.y - r, x1: m.x + r, y1: m.y + r };
}

/** The box a marker's name covers; null when it has none. */
export function labelBox(m: MarkerPlacement): Box | null {
  if (!m.label) return null;
  const { text, dx, dy, fontSize } = m.label;
  const half = nameWidth(text, fontSize) / 2;
  const x = m.x + dx;
  const baseline = m.y + dy;
  return {
    x0: x - half,
    y0: baseline - fontSize * ASCENT_PER_PX,
    x1: x + half,
    y1: baseline + fontSize * DESCENT_PER_PX,
  };
}

function checkGeometry(g: MarkerGeometry): void {
  const ok = [g.blockWidth, g.blockHeight, g.columnWidth].every((v) => Number.isFinite(v) && v > 0);
  // The column must hold at least a packed marker with its ring, and a block with its gap.
  if (!ok || g.columnWidth < g.blockWidth || g.columnWidth < 2 * (MARGIN + PACKED_HALO + GAP)) {
    throw new Error(MARKER_LAYOUT_ERRORS.geometry);
  }
}

/**
 * Place the markers of the nodes `ids` whose tip is one block, `picked` being the node picked
 * anywhere on the page (or null). Whether the block is crowded and where each marker sits depend
 * only on `ids`, so picking a node never moves a marker. Throws on a repeated id.
 */
export function placeMarkers(
  ids: readonly string[],
  picked: string | null,
  geometry: MarkerGeometry = TREE_MARKER_GEOMETRY,
): BlockMarkers {
  checkGeometry(geometry);
  if (new Set(ids).size !== ids.length) throw new Error(MARKER_LAYOUT_ERRORS.duplicateNode);
  const usable = geometry.columnWidth - 2 * MARGIN;
  const top = -geometry.blockHeight / 2;
  const named = namedRow(ids, usable);
  if (named !== null) {
    const y = top - NAMED_ABOVE;
    // Every name on one baseline, clear of the picked marker's ring and of the marker below.
    const dy = -(NAMED_HALO + HALO_STROKE + PICKED_NAME_FONT * DESCENT_PER_PX + 1);
    return {
      crowded: false,
      markers: ids.map((id, i) => {
        const isPicked = id === picked;
        return {
          id,
          x: (i - (ids.length - 1) / 2) * named,
          y,
          radius: NAMED_RADIUS,
          halo: isPicked ? NAMED_HALO : null,
          label: { text: id, dx: 0, dy, fontSize: isPicked ? PICKED_NAME_FONT : NAME_FONT },
        };
      }),
    };
  }
  // Packed: a picked marker's ring clears its neighbours' outlines, across and up.
  const pitch = PACKED_HALO + HALO_STROKE + PACKED_RADIUS + MARKER_STROKE + GAP;
  const ring = PACKED_HALO + HALO_STROKE;
  const perRow = Math.max(1, Math.floor((usable - 2 * ring) / pitch) + 1);
  const columns = Math.min(ids.length, perRow);
  const rows = Math.ceil(ids.length / perRow);
  const rowY = (row: number): number => top - GAP - ring - row * pitch;
  const maxChars = Math.max(1, Math.floor(usable / (PICKED_NAME_FONT * CHAR_WIDTH_PER_PX)));
  // The picked name's baseline: above the top row's rings.
  const baseline = rowY(rows - 1) - ring - PICKED_NAME_FONT * DESCENT_PER_PX - GAP;
  return {
    crowded: true,
    markers: ids.map((id, i) => {
      const x = ((i % perRow) - (columns - 1) / 2) * pitch;
      const y = rowY(Math.floor(i / perRow));
      if (id !== picked) return { id, x, y, radius: PACKED_RADIUS, halo: null, label: null };
      const text = shortName(id, maxChars);
      // Over its marker, moved in as far as needed to stay within the column.
      const half = nameWidth(text, PICKED_NAME_FONT) / 2;
      const labelX = Math.min(Math.max(x, -usable / 2 + half), usable / 2 - half);
      return {
        id,
        x,
        y,
        radius: PACKED_RADIUS,
        halo: PACKED_HALO,
        label: { text, dx: labelX - x, dy: baseline - y, fontSize: PICKED_NAME_FONT },
      };
    }),
  };
}

/**
 * The spacing of a named row for `ids`, or null when they cannot be named side by side: too many,
 * or names too wide for the column. Wide enough for any of them to be the picked one (larger
 * name, ring), so picking never changes the layout.
 */
function namedRow(ids: readonly string[], usable: number): number | null {
  if (ids.length === 0 || ids.length > MARKERS_NAMED) return null;
  const widest = Math.max(...ids.map((id) => nameWidth(id, PICKED_NAME_FONT)));
  const ring = NAMED_HALO + HALO_STROKE + NAMED_RADIUS + MARKER_STROKE + GAP;
  const pitch = Math.max(ring, widest + GAP);
  const span = (ids.length - 1) * pitch + Math.max(widest, 2 * (NAMED_HALO + HALO_STROKE));
  return span <= usable ? pitch : null;
}
