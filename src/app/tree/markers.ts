/**
 * Each node's marker: a colour and a shape, so nodes are told apart without relying on colour
 * (WCAG 1.4.1). Colours are the Okabe–Ito palette, distinguishable with the common colour-vision
 * deficiencies; shapes repeat only after eight nodes, and never with the same colour.
 */

/** A marker shape. */
export type MarkerShape =
  'circle' | 'square' | 'triangle' | 'diamond' | 'pentagon' | 'hexagon' | 'star' | 'cross';

/** How one node is drawn. */
export interface Marker {
  readonly colour: string;
  readonly shape: MarkerShape;
}

const COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];
const SHAPES: readonly MarkerShape[] = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'pentagon',
  'hexagon',
  'star',
  'cross',
];

/** The marker of the node at `index` in creation order. */
export function markerFor(index: number): Marker {
  const i = Math.max(0, Math.trunc(index));
  const colour = COLOURS[i % COLOURS.length] ?? '#000000';
  // Past eight nodes, shift shapes against colours so no (colour, shape) pair repeats before 64.
  const shape = SHAPES[(i + Math.floor(i / SHAPES.length)) % SHAPES.length] ?? 'circle';
  return { colour, shape };
}

/** SVG path of a shape centred on (0, 0) with radius `r`. */
export function markerPath(shape: MarkerShape, r: number): string {
  const polygon = (points: number, rotate: number, inner?: number): string => {
    const n = inner === undefined ? points : points * 2;
    const coords: string[] = [];
    for (let k = 0; k < n; k++) {
      const radius = inner !== undefined && k % 2 === 1 ? inner : r;
      const a = rotate + (k * 2 * Math.PI) / n;
      coords.push(`${(radius * Math.cos(a)).toFixed(2)},${(radius * Math.sin(a)).toFixed(2)}`);
    }
    return `M${coords.join('L')}Z`;
  };
  const up = -Math.PI / 2;
  switch (shape) {
    case 'circle':
      return `M${-r},0A${r},${r} 0 1,0 ${r},0A${r},${r} 0 1,0 ${-r},0Z`;
    case 'square':
      return polygon(4, Math.PI / 4);
    case 'triangle':
      return polygon(3, up);
    case 'diamond':
      return polygon(4, up);
    case 'pentagon':
      return polygon(5, up);
    case 'hexagon':
      return polygon(6, 0);
    case 'star':
      return polygon(5, up, r * 0.45);
    case 'cross': {
      const t = r / 3;
      return `M${-t},${-r}H${t}V${-t}H${r}V${t}H${t}V${r}H${-t}V${t}H${-r}V${-t}H${-t}Z`;
    }
  }
}
