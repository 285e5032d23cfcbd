/**
 * Downloads of an experiment's result: CSV (the command line's columns, src/lab/csv.ts), JSON
 * (the `ExperimentResult` itself), and the chart as SVG or PNG. The chart is drawn with
 * presentation attributes only, so its serialised SVG looks the same outside the page; the PNG
 * is that SVG drawn on a canvas from a `data:` URL, which the production CSP allows for images
 * (`img-src 'self' data:`, deploy/headers.json) where a `blob:` URL would be refused.
 */
import type { ExperimentResult } from '../../lab/experiment.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A file name for a result: `chainlab-double-spend-seed-1.csv`. */
export function fileName(
  result: Pick<ExperimentResult, 'experiment' | 'seed'>,
  ext: string,
): string {
  return `chainlab-${result.experiment}-seed-${result.seed}.${ext}`;
}

/** The result as the JSON the command line prints with `--json`, indented for people. */
export function resultJson(result: ExperimentResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Offer a file to the learner: a temporary link, clicked, then released. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the file to the browser; release the URL once it has read it.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** The chart as a standalone SVG document. */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  const box = svg.viewBox.baseVal;
  copy.setAttribute('width', String(box.width));
  copy.setAttribute('height', String(box.height));
  copy.removeAttribute('class');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/**
 * The chart as a PNG, `scale` times its SVG size (2 by default, sharp on high-density screens
 * and in slides).
 */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgText(svg);
  const box = svg.viewBox.baseVal;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(box.width * scale);
  canvas.height = Math.round(box.height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on a canvas.');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new Error('The chart could not be turned into a PNG.'));
    }, 'image/png');
  });
}
