/**
 * Bounded looks at untrusted JSON: how deep a body nests, and a short preview of a value for an
 * error message. Both cost little however hostile the input (CONTRIBUTING.md, Types and
 * messages): neither recurses without a bound, so 5,000 nested arrays cannot overflow the stack.
 */

/**
 * The deepest nesting of arrays and objects a body may have. The route table's deepest body is
 * a partition, `{"groups": [["n1"], ["n2"]]}`: 3 levels.
 */
export const MAX_BODY_DEPTH = 32;

/** The sentence a body nested deeper than MAX_BODY_DEPTH gets, over HTTP and in the page. */
export const TOO_DEEP_MESSAGE = `The body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep; no route needs more than 3.`;

/**
 * Does `value` nest arrays and objects deeper than `limit` levels? A bare value is level 0,
 * `{}` and `[]` level 1. Walks with its own stack, and a cycle (possible in a body handed over
 * by a script in the page) counts as too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Characters of a string shown before it is cut. */
const PREVIEW_STRING = 24;
/** Items of an array or entries of an object shown before "…". */
const PREVIEW_ITEMS = 3;
/** Levels shown before a nested array or object becomes `[…]` or `{…}`. */
const PREVIEW_DEPTH = 2;
/** The longest preview, in characters. */
const PREVIEW_LENGTH = 60;

/**
 * A short rendering of any value for an error message: JSON-like (`"n9"`, `2`, `["a",[…]]`), with
 * long strings, long lists and deep nesting cut and marked "…". Never longer than 60 characters.
 */
export function preview(value: unknown): string {
  const text = render(value, PREVIEW_DEPTH);
  return text.length > PREVIEW_LENGTH ? `${cut(text, PREVIEW_LENGTH - 1)}…` : text;
}

function render(v: unknown, depth: number): string {
  if (typeof v === 'string') {
    return JSON.stringify(v.length > PREVIEW_STRING ? `${cut(v, PREVIEW_STRING)}…` : v);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  const list = Array.isArray(v);
  const [open, close] = list ? ['[', ']'] : ['{', '}'];
  if (depth === 0) return `${open}…${close}`;
  const entries = list ? (v as unknown[]) : Object.entries(v);
  const shown = entries
    .slice(0, PREVIEW_ITEMS)
    .map((e) =>
      list
        ? render(e, depth - 1)
        : `${JSON.stringify(cut((e as [string, unknown])[0], PREVIEW_STRING))}:${render((e as [string, unknown])[1], depth - 1)}`,
    );
  if (entries.length > PREVIEW_ITEMS) shown.push('…');
  return `${open}${shown.join(',')}${close}`;
}

/** The first `n` UTF-16 units of a string, without splitting a surrogate pair. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
