/**
 * The route table's documents keep up with the code: docs/openapi.yaml describes exactly the
 * routes of ROUTE_TABLE and the tutorial ports' root routes (every `$ref` resolving), and
 * docs/api.md has a heading and a cURL example for each of them.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { MAX_NODES } from '../../src/api/backend.ts';
import { MAX_BODY_DEPTH } from '../../src/api/bounded.ts';
import { ROUTE_LIST } from '../../src/api/route-list.ts';
import { ROUTE_TABLE } from '../../src/api/routes.ts';
import { TUTORIAL_ROUTES } from '../../src/api/tutorial.ts';

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;
const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
const expected = [
  ...ROUTE_TABLE.map((r) => routeKey(r.method, r.path)),
  ...TUTORIAL_ROUTES.map((r) => routeKey(r.method, r.tutorialPath)),
].sort();

interface Operation {
  readonly operationId?: string;
  readonly tags?: readonly string[];
  readonly responses?: Record<string, unknown>;
  readonly requestBody?: {
    content: Record<string, { schema: { properties: Record<string, { maximum?: number }> } }>;
  };
}

interface OpenApi {
  readonly openapi: string;
  readonly info: { readonly description: string };
  readonly paths: Record<
    string,
    Record<string, Operation> & {
      readonly servers?: readonly {
        url: string;
        variables?: Record<string, { default: string }>;
      }[];
    }
  >;
}

describe('docs/openapi.yaml', () => {
  const text = read('docs/openapi.yaml');
  const doc = load(text) as OpenApi;

  it('is OpenAPI 3.1 and lists exactly the routes of the route table', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const listed: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        listed.push(routeKey(method, path.replace(/\{(\w+)\}/g, ':$1')));
        expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).not.toHaveLength(0);
      }
    }
    expect(listed.sort()).toEqual(expected);
  });

  it("names each operation by its route's id", () => {
    for (const route of ROUTE_LIST) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation?.operationId, routeKey(route.method, route.path)).toBe(route.id);
    }
  });

  it("gives each tutorial route its root path, the tutorial's tag and server, and the route's answers", () => {
    for (const route of TUTORIAL_ROUTES) {
      const item = doc.paths[route.tutorialPath];
      const operation = item?.[route.method.toLowerCase()];
      const name = routeKey(route.method, route.tutorialPath);
      expect(operation?.operationId, name).toBe(`tutorial_${route.id}`);
      expect(operation?.tags, name).toEqual(['tutorial']);
      expect(item?.servers?.[0]?.url, name).toBe('http://localhost:{port}');
      expect(item?.servers?.[0]?.variables?.port?.default, name).toBe('5000');
      // A mapping onto the route, never a second one: the very same answers.
      const table = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation?.responses, name).toEqual(table?.responses);
    }
  });

  it('states the limits the code has: nodes, nesting depth', () => {
    const reset = doc.paths['/sim/reset']?.post?.requestBody?.content['application/json'];
    expect(reset?.schema.properties.nodes?.maximum).toBe(MAX_NODES);
    expect(doc.info.description).toContain(`at most ${MAX_NODES} nodes`);
    expect(doc.info.description).toContain(`${MAX_BODY_DEPTH} levels of nesting`);
  });

  it('resolves every $ref inside the document', () => {
    const refs = [...text.matchAll(/\$ref: '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\//);
      let node: unknown = doc;
      for (const part of ref.slice(2).split('/')) {
        node = (node as Record<string, unknown> | undefined)?.[part];
      }
      expect(node, `${ref} resolves`).toBeTypeOf('object');
    }
  });
});

describe('docs/api.md', () => {
  const text = read('docs/api.md');

  it('states the limits the code has: nodes, nesting depth', () => {
    expect(text).toContain(`at most ${MAX_NODES} nodes`);
    expect(text).toContain(`${MAX_BODY_DEPTH} levels of nested arrays`);
  });

  it('says which GET routes HEAD refuses: exactly those that change state', () => {
    const changing = ROUTE_LIST.filter((r) => r.method === 'GET' && r.changesState);
    const sentence =
      /The\s+two `GET` routes\s+that\s+change\s+state,\s+([^.]*?),\s+answer\s+`HEAD`\s+with\s+`405`/.exec(
        text,
      );
    const named = [...(sentence?.[1] ?? '').matchAll(/`GET ([^`]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(changing.map((r) => r.path));
  });

  const lines = text.split('\n');
  const headings = lines.filter((line) => line.startsWith('### '));
  const curls = lines.filter((line) => line.startsWith('curl '));

  it.each(ROUTE_TABLE.map((r) => [r.method, r.path] as const))(
    '%s %s has a heading and a cURL example',
    (method, path) => {
      expect(headings.some((h) => h.includes(`\`${method} ${path}\``))).toBe(true);
      // The path with its parameters filled in, called with the right method.
      const pattern = new RegExp(
        `http://localhost:\\d+${path.replace(/:\w+/g, '[^/\\s]+')}(\\s|$)`,
      );
      const calls = curls.filter((c) => pattern.test(c));
      const right = calls.filter((c) =>
        method === 'GET' ? !c.includes(' -X ') : c.includes(`-X ${method} `),
      );
      expect(right, `${method} ${path} in ${calls.join(' | ') || 'no cURL line'}`).not.toHaveLength(
        0,
      );
    },
  );

  it.each(TUTORIAL_ROUTES.map((r) => [r.method, r.tutorialPath, r.path] as const))(
    "the tutorial port's %s %s is in the mapping table and has a cURL example",
    (method, root, path) => {
      const row = lines.find((l) => l.startsWith(`| \`${method} ${root}\``));
      expect(row, `${method} ${root}`).toContain(`\`${method} ${path.replace(':id', 'n1')}\``);
      const pattern = new RegExp(`http://localhost:\\d+${root}"?(\\s|$)`);
      const right = curls.filter(
        (c) =>
          pattern.test(c) && (method === 'GET' ? !c.includes(' -X ') : c.includes(`-X ${method} `)),
      );
      expect(right, `${method} ${root}`).not.toHaveLength(0);
    },
  );
});
