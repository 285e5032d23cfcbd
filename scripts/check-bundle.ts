/**
 * Bundle budget: the JavaScript the page loads before it can start (the entry module and what it
 * imports statically, as listed in dist/index.html and the modulepreload links) must stay under
 * 250 KB gzipped. Worker chunks load later and are reported but not counted.
 *
 *   npm run build && npm run check:bundle
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? ''),
);
if (initial.size === 0) {
  process.stderr.write('No script found in dist/index.html: run npm run build first.\n');
  process.exit(2);
}
const gz = (file: string): number => gzipSync(readFileSync(join(dist, file))).length;
let total = 0;
for (const file of initial) {
  const size = gz(file);
  total += size;
  process.stdout.write(`initial  ${file}  ${(size / 1024).toFixed(1)} KB gzipped\n`);
}
for (const file of readdirSync(join(dist, 'assets'))) {
  const path = `assets/${file}`;
  if (file.endsWith('.js') && !initial.has(path)) {
    process.stdout.write(`later    ${path}  ${(gz(path) / 1024).toFixed(1)} KB gzipped\n`);
  }
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `Initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped, ${verdict} the ${BUDGET_BYTES / 1024} KB budget.\n`,
);
if (total > BUDGET_BYTES) process.exitCode = 1;
