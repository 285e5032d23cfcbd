/**
 * The node markers on one block of the tree: nothing overlaps (markers, the picked one's ring,
 * names) for any number of markers and any names, everything stays in the block's column and
 * above the block, picking never moves a marker, and bad input is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Box, MarkerPlacement } from '../../src/app/tree/marker-layout.ts';
import {
  labelBox,
  MARKER_LAYOUT_ERRORS,
  markerBox,
  placeMarkers,
  shortName,
  TREE_MARKER_GEOMETRY,
} from '../../src/app/tree/marker-layout.ts';

const G = TREE_MARKER_GEOMETRY;

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Every box drawn for one block: each marker (ring included) and each name. */
function boxes(markers: readonly MarkerPlacement[]): { what: string; box: Box }[] {
  const out: { what: string; box: Box }[] = [];
  for (const m of markers) {
    out.push({ what: `marker ${m.id}`, box: markerBox(m) });
    const label = labelBox(m);
    if (label) out.push({ what: `name ${m.id}`, box: label });
  }
  return out;
}

function collisions(markers: readonly MarkerPlacement[]): string[] {
  const all = boxes(markers);
  const found: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i];
      const b = all[j];
      if (a && b && overlaps(a.box, b.box)) found.push(`${a.what} / ${b.what}`);
    }
  }
  return found;
}

const NAMINGS: Record<string, (i: number) => string> = {
  page: (i) => `n${i + 1}`,
  classroom: (i) => `${['alice', 'bob', 'teacher', 'zoe-m'][i % 4] ?? 'x'}-${i + 1}`,
  longest: (i) => `abcdefghijklmnopqrstuvwx-${i + 1}`,
  wide: (i) => `mmmmmm-${i + 1}`,
};

describe('node markers on one block', () => {
  for (const [naming, name] of Object.entries(NAMINGS)) {
    it(`never overlap, with ${naming} names, from 1 to 64 markers, whichever is picked`, () => {
      const problems: string[] = [];
      for (let n = 1; n <= 64; n++) {
        const ids = Array.from({ length: n }, (_, i) => name(i));
        for (const picked of [null, ...ids]) {
          const { markers } = placeMarkers(ids, picked);
          const at = `${n} markers, ${picked ?? 'none'} picked`;
          if (markers.map((m) => m.id).join() !== ids.join()) problems.push(`${at}: order`);
          for (const c of collisions(markers)) problems.push(`${at}: ${c}`);
          for (const { what, box } of boxes(markers)) {
            // Inside the column (neighbouring blocks' markers never meet) and above the block.
            const inside =
              box.x0 >= -G.columnWidth / 2 &&
              box.x1 <= G.columnWidth / 2 &&
              box.y1 <= -G.blockHeight / 2;
            if (!inside) problems.push(`${at}: ${what} outside its column or on the block`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('puts six markers in two rows with the picked name above both (the reported overlap)', () => {
    const ids = ['alice-1', 'alice-2', 'bob-1', 'bob-2', 'teacher-1', 'teacher-2'];
    const { crowded, markers } = placeMarkers(ids, 'alice-1');
    expect(crowded).toBe(true);
    expect(new Set(markers.map((m) => m.y)).size).toBe(2);
    const named = markers.filter((m) => m.label !== null);
    expect(named.map((m) => m.id)).toEqual(['alice-1']);
    const name = labelBox(named[0] as MarkerPlacement) as Box;
    const highestMarker = Math.min(...markers.map((m) => markerBox(m).y0));
    expect(name.y1).toBeLessThanOrEqual(highestMarker);
  });

  it('names up to four short-named markers side by side, every one of them', () => {
    const { crowded, markers } = placeMarkers(['n1', 'n2', 'n3', 'n4'], 'n2');
    expect(crowded).toBe(false);
    expect(markers.map((m) => m.label?.text)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(markers.map((m) => m.halo !== null)).toEqual([false, true, false, false]);
  });

  it('packs long names side by side, as the classroom has them', () => {
    expect(placeMarkers(['alice-1', 'teacher-2'], null).crowded).toBe(true);
    expect(placeMarkers(['n1', 'n2', 'n3', 'n4', 'n5'], null).crowded).toBe(true);
  });

  it('never moves a marker when a node is picked', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `zoe-${i + 1}`);
    const where = (picked: string | null): string[] =>
      placeMarkers(ids, picked).markers.map((m) => `${m.x},${m.y}`);
    const unpicked = where(null);
    for (const id of ids) expect(where(id)).toEqual(unpicked);
  });

  it('shortens a name too long for the column, keeping its number', () => {
    const id = 'abcdefghijklmnopqrstuvwx-12';
    const { markers } = placeMarkers([id, 'bob-1'], id);
    const text = markers[0]?.label?.text ?? '';
    expect(text.length).toBeLessThan(id.length);
    expect(text.endsWith('x-12')).toBe(true);
    expect(text).toContain('…');
    expect(shortName('bob-1', 12)).toBe('bob-1');
  });

  it('draws nothing for a block no node holds, and names a lone node however long its name', () => {
    expect(placeMarkers([], null).markers).toEqual([]);
    const lone = placeMarkers(['teacher-12'], null);
    expect(lone.crowded).toBe(false);
    expect(lone.markers[0]?.label?.text).toBe('teacher-12');
  });

  it('refuses a node twice on one block, and a geometry with no room', () => {
    expect(() => placeMarkers(['n1', 'n1'], null)).toThrow(MARKER_LAYOUT_ERRORS.duplicateNode);
    expect(() => placeMarkers(['n1'], null, { ...G, columnWidth: 20 })).toThrow(
      MARKER_LAYOUT_ERRORS.geometry,
    );
    expect(() => placeMarkers(['n1'], null, { ...G, blockHeight: Number.NaN })).toThrow(
      MARKER_LAYOUT_ERRORS.geometry,
    );
  });
});
