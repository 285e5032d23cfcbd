import { describe, expect, it } from 'vitest';
import { markerFor, markerPath } from '../../src/app/tree/markers.ts';

describe('node markers', () => {
  it('gives the first eight nodes distinct colours and distinct shapes', () => {
    const first = Array.from({ length: 8 }, (_, i) => markerFor(i));
    expect(new Set(first.map((m) => m.colour)).size).toBe(8);
    expect(new Set(first.map((m) => m.shape)).size).toBe(8);
  });

  it('never repeats a colour and shape pair within 64 nodes', () => {
    const pairs = Array.from({ length: 64 }, (_, i) => {
      const m = markerFor(i);
      return `${m.colour}/${m.shape}`;
    });
    expect(new Set(pairs).size).toBe(64);
  });

  it('draws every shape as a closed SVG path', () => {
    for (let i = 0; i < 8; i++) {
      const path = markerPath(markerFor(i).shape, 10);
      expect(path).toMatch(/^M.*Z$/);
      expect(path).not.toContain('NaN');
    }
  });
});
