/**
 * The API console: the route list matches the route table (and the README), the console state
 * fills paths, refuses bad JSON, caps its history and writes `window.chainlab.request` lines
 * that are valid JavaScript, every example body is accepted by a real headless simulation, and
 * the component renders a labelled, live form.
 */
import { readFileSync } from 'node:fs';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../src/api/route-list.ts';
import {
  ROUTE_LIST,
  routeKey,
  routeParams,
  statusKind,
  statusText,
  takesBody,
} from '../../src/api/route-list.ts';
import { ROUTE_TABLE } from '../../src/api/routes.ts';
import ApiConsole from '../../src/app/components/ApiConsole.svelte';
import { en, fr, translate } from '../../src/app/i18n/catalog.ts';
import type { ConsoleAnswer, HistoryEntry } from '../../src/app/state/console.svelte.ts';
import {
  ApiConsoleState,
  HISTORY_LIMIT,
  jsString,
  paramKey,
  prettyJson,
  requestLine,
  summaryKey,
} from '../../src/app/state/console.svelte.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** A call the fake request function received. */
interface Call {
  readonly args: readonly unknown[];
}

/** A request function that records its calls and answers `answer` (by default 200 `{ ok }`). */
function fakeRequest(answer: (method: string, path: string) => ConsoleAnswer = () => okAnswer) {
  const calls: Call[] = [];
  const request = (...args: [string, string, unknown?]): Promise<ConsoleAnswer> => {
    calls.push({ args });
    return Promise.resolve(answer(args[0], args[1]));
  };
  return { calls, request };
}
const okAnswer: ConsoleAnswer = { status: 200, body: { ok: true } };

function route(method: string, path: string): RouteInfo {
  const found = ROUTE_LIST.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
}

/** Run a copied line the way the browser's console would, against a stub `chainlab`. */
async function runLine(line: string): Promise<unknown[][]> {
  const received: unknown[][] = [];
  const chainlab = {
    request: (...args: unknown[]): Promise<ConsoleAnswer> => {
      received.push(args);
      return Promise.resolve(okAnswer);
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: is the line valid JS?
  const run = new Function('chainlab', 'return (async () => { ' + line + ' })()') as (
    c: typeof chainlab,
  ) => Promise<void>;
  await run(chainlab);
  return received;
}

/** The README's route table: "METHOD /path" and the body column, in order. */
function readmeRoutes(): { key: string; body: string }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows: { key: string; body: string }[] = [];
  for (const line of readme.split('\n')) {
    const m = /^\| `(GET|POST|PUT|DELETE) (\/[^`]*)`\s*\|((?:[^|\\]|\\.)*)\|/.exec(line);
    if (m) rows.push({ key: `${m[1] ?? ''} ${m[2] ?? ''}`, body: (m[3] ?? '').trim() });
  }
  return rows;
}

/** The field names a README body column mentions: `{ recipient, amount, fee?, sender? }`. */
function readmeFields(body: string): string[] {
  return [...body.matchAll(/([a-z_]+)\??(?=\s*[:,}])/g)].map((m) => m[1] ?? '');
}

describe('route list', () => {
  it('lists every route of the route table once, in its order, and nothing else', () => {
    expect(ROUTE_TABLE.length).toBeGreaterThanOrEqual(18);
    expect(ROUTE_LIST.map(routeKey)).toEqual(ROUTE_TABLE.map(routeKey));
    expect(new Set(ROUTE_LIST.map(routeKey)).size).toBe(ROUTE_LIST.length);
    expect(new Set(ROUTE_LIST.map((r) => r.id)).size).toBe(ROUTE_LIST.length);
  });

  it('matches the README route table, with example bodies exactly where it shows a body', () => {
    const rows = readmeRoutes();
    expect(rows.map((r) => r.key)).toEqual(ROUTE_LIST.map(routeKey));
    for (const row of rows) {
      const r = ROUTE_LIST.find((x) => routeKey(x) === row.key);
      expect(r, row.key).toBeDefined();
      if (!r) continue;
      expect(takesBody(r), row.key).toBe(row.body !== '');
      if (r.exampleBody === undefined) continue;
      expect(typeof r.exampleBody, row.key).toBe('object');
      const allowed = readmeFields(row.body);
      for (const field of Object.keys(r.exampleBody as object)) {
        expect(allowed, `${row.key} field ${field}`).toContain(field);
      }
    }
  });

  it("uses the README's example payment and partition", () => {
    expect(route('POST', '/node/:id/transactions/new').exampleBody).toEqual({
      recipient: 'n2',
      amount: 1,
    });
    expect(route('POST', '/sim/network/partition').exampleBody).toEqual({
      groups: [['n1'], ['n2', 'n3']],
    });
  });

  it('groups routes by their first segment and names their parameters', () => {
    for (const r of ROUTE_LIST) expect(r.path.startsWith(`/${r.group}/`), r.path).toBe(true);
    expect(routeParams('/node/:id/balance/:address')).toEqual(['id', 'address']);
    expect(routeParams('/node/:id/blocks/:hash')).toEqual(['id', 'hash']);
    expect(routeParams('/sim/nodes')).toEqual([]);
    expect(() => routeParams('/node/:nope')).toThrow(/Unknown route parameter/);
  });

  it('has each summary in the catalogue, in English and French', () => {
    for (const r of ROUTE_LIST) {
      expect(en[summaryKey(r)], r.id).toBe(r.summary);
      expect(fr[summaryKey(r)], r.id).not.toBe(r.summary);
      expect(translate('fr', summaryKey(r)).length, r.id).toBeGreaterThan(0);
    }
    for (const p of ['id', 'hash', 'address'] as const) {
      expect(translate('en', paramKey(p))).toContain(`:${p}`);
      expect(translate('fr', paramKey(p))).toContain(`:${p}`);
    }
  });

  it('writes statuses as HTTP tools do', () => {
    expect(statusText(200)).toBe('200 OK');
    expect(statusText(201)).toBe('201 Created');
    expect(statusText(400)).toBe('400 Bad Request');
    expect(statusText(404)).toBe('404 Not Found');
    expect(statusText(405)).toBe('405 Method Not Allowed');
    expect(statusText(409)).toBe('409 Conflict');
    expect(statusText(429)).toBe('429 Too Many Requests');
    expect(statusText(299)).toBe('299');
    expect([201, 409, 500].map(statusKind)).toEqual(['success', 'refused', 'failed']);
  });
});

describe('ApiConsoleState', () => {
  it('starts on the first route, with :id defaulting to the first node', () => {
    const c = new ApiConsoleState({ nodeIds: ['n1', 'n2'] });
    expect(c.routeKey).toBe('GET /sim/nodes');
    expect(c.params.id).toBe('n1');
    expect(c.takesBody).toBe(false);
    expect(c.history).toEqual([]);
    expect(c.latest).toBeNull();
  });

  it('keeps a typed :id, and moves a default whose node went away', () => {
    const c = new ApiConsoleState();
    expect(c.params.id).toBe('');
    c.syncNodes([]);
    expect(c.params.id).toBe('');
    c.syncNodes(['n1', 'n2']);
    expect(c.params.id).toBe('n1');
    c.syncNodes(['n2', 'n3']);
    expect(c.params.id).toBe('n2');
    c.params.id = 'ghost';
    c.syncNodes(['n3']);
    expect(c.params.id).toBe('ghost');
  });

  it('fills the path, parses the body and records the answer', async () => {
    const { calls, request } = fakeRequest(() => ({
      status: 201,
      body: { message: 'Transaction will be added to Block 3' },
    }));
    const c = new ApiConsoleState({ nodeIds: ['n1', 'n2', 'n3'], now: () => 1_234 });
    expect(c.select('POST /node/:id/transactions/new')).toBe(true);
    expect(JSON.parse(c.bodyText)).toEqual({ recipient: 'n2', amount: 1 });
    expect(c.path).toBe('/node/n1/transactions/new');

    const entry = await c.send(request);
    expect(calls).toEqual([
      { args: ['POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 1 }] },
    ]);
    expect(entry).toEqual({
      id: 1,
      method: 'POST',
      path: '/node/n1/transactions/new',
      body: { recipient: 'n2', amount: 1 },
      status: 201,
      response: { message: 'Transaction will be added to Block 3' },
      at: 1_234,
    });
    expect(c.history).toEqual([entry]);
    expect(c.latest).toBe(entry);
    expect(c.pending).toBe(false);
    expect(c.problem).toBeNull();
  });

  it('fills every parameter, trimmed and URL-encoded', async () => {
    const { calls, request } = fakeRequest();
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    c.select('GET /node/:id/balance/:address');
    expect(c.path).toBe('/node/n1/balance/:address');
    c.params.id = ' n2 ';
    c.params.address = 'ab/c d?';
    await c.send(request);
    expect(calls[0]?.args).toEqual(['GET', '/node/n2/balance/ab%2Fc%20d%3F']);
    c.select('GET /node/:id/blocks/:hash');
    c.params.hash = 'f'.repeat(64);
    await c.send(request);
    expect(calls[1]?.args).toEqual(['GET', `/node/n2/blocks/${'f'.repeat(64)}`]);
  });

  it('sends nothing while a parameter is empty', async () => {
    const { calls, request } = fakeRequest();
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    c.select('GET /node/:id/blocks/:hash');
    expect(await c.send(request)).toBeNull();
    expect(calls).toEqual([]);
    expect(c.problem).toEqual({ key: 'console.param.missing', params: { param: ':hash' } });
    expect(translate('en', 'console.param.missing', c.problem?.params)).toBe(
      'Fill in :hash first.',
    );
    expect(c.history).toEqual([]);
  });

  it('refuses bad JSON with a clear message and sends nothing', async () => {
    const { calls, request } = fakeRequest();
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    c.select('POST /node/:id/transactions/new');
    await c.send(request);
    expect(c.history).toHaveLength(1);

    c.bodyText = '{ recipient: "n2", amount: 1 }';
    expect(await c.send(request)).toBeNull();
    expect(calls).toHaveLength(1);
    expect(c.history).toHaveLength(1);
    expect(c.problem?.key).toBe('console.body.invalid');
    const message = translate('en', 'console.body.invalid', c.problem?.params);
    expect(message).toMatch(/^The body is not valid JSON: \S/);
    expect(message).not.toContain('{error}');
    expect(translate('fr', 'console.body.invalid', c.problem?.params)).toMatch(
      /^Le corps n'est pas du JSON valide\u00a0: \S/,
    );

    // Fixing it clears the message on the next send.
    c.restoreExample();
    expect(c.problem).toBeNull();
    await c.send(request);
    expect(calls).toHaveLength(2);
    expect(c.problem).toBeNull();
  });

  it('sends routes without a body, and an empty body, with no body argument', async () => {
    const { calls, request } = fakeRequest();
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    c.select('GET /node/:id/mine');
    c.bodyText = 'not even JSON';
    await c.send(request);
    c.select('POST /sim/reset');
    c.bodyText = '   ';
    await c.send(request);
    expect(calls).toEqual([{ args: ['GET', '/node/n1/mine'] }, { args: ['POST', '/sim/reset'] }]);
    expect(c.history.map((e) => e.body)).toEqual([undefined, undefined]);
  });

  it('keeps each route its own draft body, and can restore the example', () => {
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    c.select('POST /node/:id/transactions/new');
    c.bodyText = '{"recipient": "n3", "amount": 2}';
    c.select('POST /sim/reset');
    expect(JSON.parse(c.bodyText)).toEqual(route('POST', '/sim/reset').exampleBody);
    c.select('POST /node/:id/transactions/new');
    expect(c.bodyText).toBe('{"recipient": "n3", "amount": 2}');
    c.restoreExample();
    expect(JSON.parse(c.bodyText)).toEqual({ recipient: 'n2', amount: 1 });
    expect(c.select('PATCH /nowhere')).toBe(false);
    expect(c.routeKey).toBe('POST /node/:id/transactions/new');
  });

  it('reports a request that throws, and records nothing', async () => {
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    const failing = (): Promise<ConsoleAnswer> => Promise.reject(new Error('worker crashed'));
    expect(await c.send(failing)).toBeNull();
    expect(c.problem).toEqual({ key: 'console.failed', params: { error: 'worker crashed' } });
    expect(c.pending).toBe(false);
    expect(c.history).toEqual([]);
  });

  it('ignores a second Send while the first is on its way', async () => {
    let release: (a: ConsoleAnswer) => void = () => undefined;
    let count = 0;
    const slow = (): Promise<ConsoleAnswer> => {
      count++;
      return new Promise((resolve) => (release = resolve));
    };
    const c = new ApiConsoleState({ nodeIds: ['n1'] });
    const first = c.send(slow);
    expect(c.pending).toBe(true);
    expect(await c.send(slow)).toBeNull();
    release(okAnswer);
    expect((await first)?.status).toBe(200);
    expect(count).toBe(1);
  });

  it('keeps the newest 50 requests, newest first', async () => {
    let t = 0;
    const { request } = fakeRequest((_m, path) => ({ status: 200, body: { path } }));
    const c = new ApiConsoleState({ nodeIds: ['n1'], now: () => ++t });
    c.select('DELETE /sim/nodes/:id');
    for (let i = 1; i <= HISTORY_LIMIT + 5; i++) {
      c.params.id = `n${String(i)}`;
      await c.send(request);
    }
    expect(HISTORY_LIMIT).toBe(50);
    expect(c.history).toHaveLength(50);
    expect(c.history[0]?.path).toBe('/sim/nodes/n55');
    expect(c.history[49]?.path).toBe('/sim/nodes/n6');
    expect(c.history.map((e) => e.at)).toEqual(
      [...c.history.map((e) => e.at)].sort((a, b) => b - a),
    );
    expect(new Set(c.history.map((e) => e.id)).size).toBe(50);
    expect(c.latest).toBe(c.history[0]);
  });
});

describe('copyLine', () => {
  const c = new ApiConsoleState();

  it('writes the line the README shows, body omitted when there is none', () => {
    expect(
      c.copyLine({
        method: 'POST',
        path: '/node/n1/transactions/new',
        body: { recipient: 'n2', amount: 1 },
      }),
    ).toBe(
      `await chainlab.request('POST', '/node/n1/transactions/new', {"recipient":"n2","amount":1})`,
    );
    expect(c.copyLine({ method: 'GET', path: '/node/n1/mine', body: undefined })).toBe(
      "await chainlab.request('GET', '/node/n1/mine')",
    );
  });

  it('is valid JavaScript that makes the same call', async () => {
    const entries: Pick<HistoryEntry, 'method' | 'path' | 'body'>[] = [
      { method: 'POST', path: '/node/n1/transactions/new', body: { recipient: 'n2', amount: 1 } },
      { method: 'GET', path: '/node/n1/chain', body: undefined },
      { method: 'POST', path: '/sim/reset', body: null },
      { method: 'POST', path: '/sim/network/partition', body: { groups: [['n1'], ['n2']] } },
      // Quotes, backslashes, line separators and a closing script tag survive.
      { method: 'GET', path: "/node/o'brien\\x/wallet", body: undefined },
      {
        method: 'POST',
        path: '/sim/nodes',
        body: { name: 'it\'s "quoted" \\ \n \u2028 \u2029 </script> ${x} `tick`', n: [1, 2.5] },
      },
    ];
    for (const entry of entries) {
      const received = await runLine(c.copyLine(entry));
      const expected =
        entry.body === undefined
          ? [entry.method, entry.path]
          : [entry.method, entry.path, entry.body];
      expect(received, c.copyLine(entry)).toEqual([expected]);
    }
  });

  it('copies what the console actually sent', async () => {
    const { request } = fakeRequest();
    const s = new ApiConsoleState({ nodeIds: ['n1'] });
    s.select('POST /node/:id/mining');
    s.bodyText = '{"enabled": true, "hashrate": 0.5}';
    const entry = await s.send(request);
    expect(entry).not.toBeNull();
    if (!entry) return;
    expect(s.copyLine(entry)).toBe(
      `await chainlab.request('POST', '/node/n1/mining', {"enabled":true,"hashrate":0.5})`,
    );
    expect(await runLine(s.copyLine(entry))).toEqual([
      ['POST', '/node/n1/mining', { enabled: true, hashrate: 0.5 }],
    ]);
  });

  it('builds its parts safely', () => {
    expect(jsString("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(requestLine('GET', '/sim/nodes')).toBe("await chainlab.request('GET', '/sim/nodes')");
    expect(prettyJson({ a: 1n, b: [1] })).toBe('{\n  "a": "1",\n  "b": [\n    1\n  ]\n}');
    expect(prettyJson(undefined)).toBe('');
  });
});

describe('every example against a real headless simulation', () => {
  it('is accepted by the route table', async () => {
    const sim = await Simulation.create({ seed: 3, difficultyBits: 8, latencyMs: 50, loss: 0 });
    const request = (method: string, path: string, body?: unknown) =>
      sim.request(method, path, body);
    const c = new ApiConsoleState({ nodeIds: sim.ids });
    const sent = new Set<string>();

    async function sendExample(key: string, params: Partial<typeof c.params> = {}) {
      expect(c.select(key), key).toBe(true);
      Object.assign(c.params, params);
      const entry = await c.send(request);
      expect(c.problem, key).toBeNull();
      expect(entry, key).not.toBeNull();
      expect(entry?.status, `${key} → ${JSON.stringify(entry?.response)}`).toBeLessThan(400);
      sent.add(key);
      return entry?.response;
    }

    // One node's routes, in the tutorial's order: mine, pay, read, register, resolve.
    const mined = (await sendExample('GET /node/:id/mine')) as { hash: string };
    // A payment signed but not sent, then handed to a node as raw hex; one more block confirms
    // it and pays n1 the coin its next payment spends.
    const signed = (await sendExample('POST /node/:id/transactions/sign')) as { raw: string };
    expect(c.select('POST /node/:id/transactions/submit')).toBe(true);
    c.bodyText = JSON.stringify({ raw: signed.raw });
    const submitted = await c.send(request);
    expect(submitted?.status, JSON.stringify(submitted?.response)).toBe(201);
    sent.add('POST /node/:id/transactions/submit');
    await sendExample('GET /node/:id/mine');
    const paid = (await sendExample('POST /node/:id/transactions/new')) as {
      transaction: { id: string };
    };
    await sendExample('GET /node/:id/transactions/:txid', { txid: paid.transaction.id });
    await sendExample('GET /node/:id/chain');
    await sendExample('GET /node/:id/mempool');
    const wallet = (await sendExample('GET /node/:id/wallet', { id: 'n2' })) as {
      address: string;
    };
    await sendExample('GET /node/:id/balance/:address', { id: 'n1', address: wallet.address });
    await sendExample('GET /node/:id/blocks/:hash', { hash: mined.hash });
    await sendExample('POST /node/:id/blocks/:hash/publish', { hash: mined.hash });
    await sendExample('POST /node/:id/nodes/register');
    await sendExample('GET /node/:id/nodes/resolve');
    await sendExample('POST /node/:id/mining');
    await sendExample('POST /node/:id/gossip');
    // The simulation's routes; reset last.
    await sendExample('GET /sim/nodes');
    const added = (await sendExample('POST /sim/nodes')) as { id: string };
    expect(added.id).toBe('alice');
    await sendExample('DELETE /sim/nodes/:id', { id: 'alice' });
    await sendExample('POST /sim/network/partition', { id: 'n1' });
    await sendExample('POST /sim/network/heal');
    await sendExample('GET /sim/network');
    await sendExample('PUT /sim/network');
    await sendExample('POST /sim/reset');

    expect([...sent].sort()).toEqual(ROUTE_LIST.map(routeKey).sort());
    // Every route once, and the second block mined.
    expect(c.history).toHaveLength(ROUTE_LIST.length + 1);
  });
});

describe('ApiConsole component (server render)', () => {
  it('labels every control, groups the routes and announces the status', async () => {
    const state = new ApiConsoleState({ nodeIds: ['n1', 'n2'] });
    state.select('POST /node/:id/transactions/new');
    const { request } = fakeRequest(() => ({ status: 400, body: { error: 'Not enough coins' } }));
    await state.send(request);
    const { body: html } = render(ApiConsole, {
      props: { state, request, nodeIds: ['n1', 'n2'] },
    });

    // Every route is an option, in two groups.
    for (const r of ROUTE_LIST) expect(html).toContain(`value="${routeKey(r)}"`);
    expect(html.match(/<optgroup/g)).toHaveLength(2);
    // Every select, input and textarea has a label pointing at it.
    const ids = [...html.matchAll(/<(?:select|input|textarea)[^>]*\sid="([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(ids.length).toBe(3); // route, :id, body
    for (const id of ids) expect(html).toContain(`for="${id}"`);
    // The status is live and spelled out, not only coloured.
    expect(html).toMatch(/role="status" aria-live="polite"/);
    expect(html).toContain('400 Bad Request');
    expect(html).toContain('Not enough coins');
    expect(html).toContain(
      `await chainlab.request('POST', '/node/n1/transactions/new', {"recipient":"n2","amount":1})`,
    );
    expect(html).toContain(en['console.copy']);
  });
});
