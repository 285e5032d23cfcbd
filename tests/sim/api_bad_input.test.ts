/**
 * Every bad input on every route is answered 4xx with a clear `error` sentence, and changes
 * nothing: a snapshot of the whole simulation (tips, mempools, balances, peers, mining settings,
 * network, parameters) is the same before and after. Each case gets a quiet simulation (no
 * mining, nothing in flight) with a pending payment, so mempools are not trivially empty.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeBackend, SimulationBackend } from '../../src/api/backend.ts';
import { MAX_NODES } from '../../src/api/backend.ts';
import { MAX_BODY_DEPTH, nestsDeeperThan } from '../../src/api/bounded.ts';
import { ROUTE_LIST } from '../../src/api/route-list.ts';
import { handleRequest } from '../../src/api/routes.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import {
  addressOf,
  call,
  createSim,
  mempoolIds,
  mineOn,
  nodeId,
  pay,
  snapshot,
  syncBlocks,
  tipOf,
} from './framework.ts';

interface Case {
  readonly name: string;
  readonly method: unknown;
  readonly path: unknown;
  readonly body?: unknown;
  readonly status: number;
  /** What the `error` sentence must say. */
  readonly error: RegExp;
}

let sim: Simulation;
let n2Address: string;
let tip: string;
/** The id of n1's pending payment. */
let pending: string;

// A fresh simulation per case, so a request that does change something fails only its own case.
beforeEach(async () => {
  sim = await createSim({ seed: 5, nodes: 3 });
  await mineOn(sim, 'n1', 2);
  pending = (await pay(sim, 'n1', 'n2', 1)).id;
  await syncBlocks(sim);
  await sim.settle();
  n2Address = await addressOf(sim, 'n2');
  tip = tipOf(sim, 'n1');
  expect(sim.nodeById(nodeId('n1')).mempool.size).toBe(1);
});

/** Paths and bodies that need the case's simulation are built lazily. */
type LazyCase = Omit<Case, 'path' | 'body'> & {
  readonly path: unknown;
  readonly body?: unknown;
  readonly lazy?: () => { path?: unknown; body?: unknown };
};

async function expectRefused(c: LazyCase): Promise<void> {
  const extra = c.lazy?.() ?? {};
  const path = extra.path ?? c.path;
  const body = 'body' in extra ? extra.body : c.body;
  const before = snapshot(sim);
  const now = sim.now;
  const res = await sim.request(c.method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(c.status);
  const { error } = res.body as { error: unknown };
  expect(typeof error).toBe('string');
  expect(error).toMatch(c.error);
  expect(snapshot(sim)).toEqual(before);
  expect(sim.now).toBe(now);
}

const ADDR = 'ab'.repeat(20);
const HASH = '00'.repeat(32);

describe('api_bad_input: unknown nodes, routes and methods', () => {
  const nodeRoutes: readonly (readonly [string, string, unknown?])[] = [
    ['GET', '/node/n9/mine'],
    ['POST', '/node/n9/transactions/new', { recipient: 'n1', amount: 1 }],
    ['GET', '/node/n9/chain'],
    ['POST', '/node/n9/nodes/register', { nodes: ['n1'] }],
    ['GET', '/node/n9/nodes/resolve'],
    ['POST', '/node/n9/mining', { enabled: true }],
    ['GET', '/node/n9/wallet'],
    ['GET', `/node/n9/balance/${ADDR}`],
    ['GET', '/node/n9/mempool'],
    ['GET', `/node/n9/blocks/${HASH}`],
    ['GET', `/node/n9/transactions/${HASH}`],
    ['DELETE', '/sim/nodes/n9'],
  ];
  const unknownNode: LazyCase[] = nodeRoutes.map(([method, path, body]) => ({
    name: `${method} ${path}`,
    method,
    path,
    body,
    status: 404,
    error: /no node "n9"/,
  }));
  unknownNode.push(
    {
      name: 'an id that is not a node id',
      method: 'GET',
      path: '/node/N1/chain',
      status: 404,
      error: /no node "N1"/,
    },
    {
      name: 'an encoded space',
      method: 'GET',
      path: '/node/%20/wallet',
      status: 404,
      error: /no node/,
    },
  );

  it.each(unknownNode)('unknown node: $name → 404', expectRefused);

  it.each<LazyCase>(
    [
      '/',
      '/sim',
      '/node/n1',
      '/node/n1/unknown',
      '/node/n1/chain/extra',
      '/sim/nodes/n1/extra',
      '/transactions/new',
      '/nodes/resolve',
      '/node/n1/balance',
    ].map((path) => ({ name: path, method: 'GET', path, status: 404, error: /No route GET/ })),
  )('unknown route: GET $name → 404', expectRefused);

  it.each<LazyCase & { allowed: string }>(
    [
      ['POST', '/node/n1/mine', 'GET'],
      ['POST', '/node/n1/chain', 'GET'],
      ['GET', '/node/n1/transactions/new', 'POST'],
      // An exact segment wins over a parameter: "new" is not taken for a payment id, and a
      // payment's path answers only GET.
      ['PUT', '/node/n1/transactions/new', 'POST'],
      ['POST', `/node/n1/transactions/${HASH}`, 'GET'],
      ['GET', '/node/n1/nodes/register', 'POST'],
      ['POST', '/node/n1/nodes/resolve', 'GET'],
      ['GET', '/node/n1/mining', 'POST'],
      ['DELETE', '/node/n1/wallet', 'GET'],
      ['PUT', '/node/n1/mempool', 'GET'],
      ['DELETE', '/sim/nodes', 'GET, POST'],
      ['PATCH', '/sim/nodes', 'GET, POST'],
      ['GET', '/sim/nodes/n1', 'DELETE'],
      ['GET', '/sim/reset', 'POST'],
      ['GET', '/sim/network/partition', 'POST'],
      ['GET', '/sim/network/heal', 'POST'],
      ['POST', '/sim/network', 'GET, PUT'],
    ].map(([method, path, allowed]) => ({
      name: `${method ?? ''} ${path ?? ''}`,
      method,
      path,
      status: 405,
      error: /answers .* not /,
      allowed: allowed ?? '',
    })),
  )('wrong method: $name → 405', async (c) => {
    await expectRefused(c);
    const res = await sim.request(c.method, c.path);
    expect(res.body).toHaveProperty('allowed', c.allowed);
  });

  it.each<LazyCase>([
    {
      name: 'method not a string',
      method: 5,
      path: '/sim/nodes',
      status: 400,
      error: /method and a path/,
    },
    {
      name: 'path not a string',
      method: 'GET',
      path: null,
      status: 400,
      error: /method and a path/,
    },
    {
      name: 'bad percent-encoding',
      method: 'GET',
      path: '/node/%E0%A4%A/chain',
      status: 400,
      error: /path is not valid/,
    },
  ])('bad request line: $name → 400', expectRefused);
});

describe('api_bad_input: bodies', () => {
  /** Every route with a valid body: non-objects and extra fields must be refused on each. */
  const routes: readonly (readonly [string, string, Record<string, unknown>])[] = [
    ['GET', '/sim/nodes', {}],
    ['POST', '/sim/nodes', { name: 'fresh' }],
    ['DELETE', '/sim/nodes/n3', {}],
    ['POST', '/sim/reset', { nodes: 2 }],
    ['POST', '/sim/network/partition', { groups: [['n1'], ['n2', 'n3']] }],
    ['POST', '/sim/network/heal', {}],
    ['PUT', '/sim/network', { latency_ms: 10 }],
    ['GET', '/node/n1/mine', {}],
    ['POST', '/node/n1/transactions/new', { recipient: 'n2', amount: 1 }],
    ['GET', '/node/n1/chain', {}],
    ['POST', '/node/n1/nodes/register', { nodes: ['n2'] }],
    ['GET', '/node/n1/nodes/resolve', {}],
    ['POST', '/node/n1/mining', { enabled: true }],
    ['GET', '/node/n1/wallet', {}],
    ['GET', `/node/n1/balance/${ADDR}`, {}],
    ['GET', '/node/n1/mempool', {}],
    ['GET', `/node/n1/blocks/${HASH}`, {}],
    ['GET', `/node/n1/transactions/${HASH}`, {}],
  ];

  const notObjects: readonly [string, unknown][] = [
    ['a string', '{"recipient": "n2", "amount": 1}'],
    ['an array', [{ recipient: 'n2', amount: 1 }]],
    ['a number', 42],
    ['a boolean', true],
  ];

  it.each<LazyCase>(
    routes.flatMap(([method, path]) =>
      notObjects.map(([what, body]) => ({
        name: `${method} ${path} with ${what}`,
        method,
        path,
        body,
        status: 400,
        error: /must be a JSON object/,
      })),
    ),
  )('body not an object: $name → 400', expectRefused);

  it.each<LazyCase>(
    routes.map(([method, path, valid]) => ({
      name: `${method} ${path}`,
      method,
      path,
      body: { ...valid, colour: 'blue' },
      status: 400,
      error: /"colour"/,
    })),
  )('unknown field: $name → 400', expectRefused);
});

describe('api_bad_input: POST /node/:id/transactions/new', () => {
  const path = '/node/n1/transactions/new';
  const tx = (name: string, body: Record<string, unknown>, error: RegExp, status = 400) => ({
    name,
    method: 'POST',
    path,
    body,
    status,
    error,
  });

  it.each<LazyCase>([
    tx('no body', {}, /needs "recipient" and "amount"/),
    tx('missing recipient', { amount: 1 }, /needs "recipient" and "amount"/),
    tx('missing amount', { recipient: 'n2' }, /needs "recipient" and "amount"/),
    tx(
      'amount as text',
      { recipient: 'n2', amount: '5' },
      /"amount" must be a number of coins, not text/,
    ),
    tx('amount as a float', { recipient: 'n2', amount: 1.5 }, /whole number/),
    tx('amount zero', { recipient: 'n2', amount: 0 }, /at least 1 coin/),
    tx('amount negative', { recipient: 'n2', amount: -1 }, /at least 1 coin/),
    tx('amount 2^53', { recipient: 'n2', amount: 2 ** 53 }, /too large/),
    tx('amount 1e300', { recipient: 'n2', amount: 1e300 }, /too large/),
    tx('amount Infinity', { recipient: 'n2', amount: Infinity }, /must be a number of coins/),
    tx('amount NaN', { recipient: 'n2', amount: NaN }, /must be a number of coins/),
    tx('amount null', { recipient: 'n2', amount: null }, /must be a number of coins/),
    tx('amount boolean', { recipient: 'n2', amount: true }, /must be a number of coins/),
    tx('amount object', { recipient: 'n2', amount: { coins: 1 } }, /must be a number of coins/),
    tx('fee as text', { recipient: 'n2', amount: 1, fee: '1' }, /"fee" must be a number of coins/),
    tx('fee negative', { recipient: 'n2', amount: 1, fee: -1 }, /"fee" cannot be negative/),
    tx('fee a float', { recipient: 'n2', amount: 1, fee: 0.5 }, /whole number/),
    tx('fee 2^53', { recipient: 'n2', amount: 1, fee: 2 ** 53 }, /"fee" is too large/),
    tx('recipient not a node', { recipient: 'n9', amount: 1 }, /"recipient" must be an address/),
    tx('recipient gibberish', { recipient: 'hello world', amount: 1 }, /"recipient" must be/),
    tx('recipient a number', { recipient: 42, amount: 1 }, /"recipient" must be/),
    tx('recipient null', { recipient: null, amount: 1 }, /"recipient" must be/),
    tx('recipient 39 hex digits', { recipient: 'a'.repeat(39), amount: 1 }, /"recipient" must be/),
    tx(
      'recipient upper-case hex',
      { recipient: 'AB'.repeat(20), amount: 1 },
      /"recipient" must be/,
    ),
    tx('recipient 0x-prefixed', { recipient: `0x${'ab'.repeat(20)}`, amount: 1 }, /"recipient"/),
    tx(
      'sender "0" (minting)',
      { recipient: 'n2', amount: 1, sender: '0' },
      /signs only for its own/,
    ),
    tx('sender an unknown address', { recipient: 'n2', amount: 1, sender: ADDR }, /signs only/),
    tx(
      "the tutorial's own body, as printed: someone else's sender, a recipient that is no one",
      {
        sender: 'd4ee26eee15148ee92c6cd394edd974e',
        recipient: 'someone-other-address',
        amount: 5,
      },
      /cannot spend for "d4ee26eee15148ee92c6cd39…", since every payment carries its sender's signature: leave "sender" out to pay from the node's own address, and name the recipient by an address \(40 hex digits\) or a node id like "n2", not "someone-other-address"\.$/,
    ),
    tx('insufficient funds', { recipient: 'n2', amount: 1000 }, /Insufficient funds/),
    tx(
      'insufficient funds once the fee is added',
      { recipient: 'n2', amount: 1, fee: 1 },
      /Insufficient funds/,
    ),
  ])('$name → 400', expectRefused);

  it("sender another node's address → 400", async () => {
    await expectRefused({
      name: 'sender n2',
      method: 'POST',
      path,
      status: 400,
      error: /signs only for its own address/,
      lazy: () => ({ body: { recipient: 'n3', amount: 1, sender: n2Address } }),
    });
  });

  it('a node with no coins → 400 insufficient-funds, with the reason', async () => {
    const res = await sim.request('POST', '/node/n3/transactions/new', {
      recipient: 'n1',
      amount: 1,
    });
    expect(res).toMatchObject({ status: 400, body: { reason: 'insufficient-funds' } });
  });

  it('a payment that overspends once the pending one confirms → 400', async () => {
    // n1 has 2 coins and 1 is already promised to n2: 2 more would overspend.
    const before = snapshot(sim);
    const res = await sim.request('POST', path, { recipient: 'n2', amount: 2 });
    expect(res.status).toBe(400);
    expect(snapshot(sim)).toEqual(before);
  });
});

describe('api_bad_input: the other routes', () => {
  const bad = (
    name: string,
    method: string,
    path: string,
    body: unknown,
    error: RegExp,
    status = 400,
  ): LazyCase => ({ name, method, path, body, status, error });

  it.each<LazyCase>([
    bad('register: no list', 'POST', '/node/n1/nodes/register', {}, /non-empty list/),
    bad('register: empty list', 'POST', '/node/n1/nodes/register', { nodes: [] }, /non-empty list/),
    bad('register: a string', 'POST', '/node/n1/nodes/register', { nodes: 'n2' }, /non-empty list/),
    bad(
      'register: unknown id',
      'POST',
      '/node/n1/nodes/register',
      { nodes: ['n9'] },
      /Unknown node "n9"/,
    ),
    bad(
      'register: a URL',
      'POST',
      '/node/n1/nodes/register',
      { nodes: ['http://127.0.0.1:5001'] },
      /Unknown node/,
    ),
    bad('register: a number', 'POST', '/node/n1/nodes/register', { nodes: [2] }, /Unknown node 2/),
    bad(
      'register: repeated id',
      'POST',
      '/node/n1/nodes/register',
      { nodes: ['n2', 'n2'] },
      /more than once/,
    ),
    bad(
      'register: one good, one unknown',
      'POST',
      '/node/n2/nodes/register',
      { nodes: ['n3', 'n9'] },
      /Unknown node "n9"/,
    ),
    bad('partition: no groups', 'POST', '/sim/network/partition', {}, /"groups" must be a list/),
    bad(
      'partition: empty',
      'POST',
      '/sim/network/partition',
      { groups: [] },
      /"groups" must be a list/,
    ),
    bad(
      'partition: an empty group',
      'POST',
      '/sim/network/partition',
      { groups: [['n1'], []] },
      /non-empty list/,
    ),
    bad(
      'partition: flat list',
      'POST',
      '/sim/network/partition',
      { groups: ['n1', 'n2'] },
      /non-empty list/,
    ),
    bad(
      'partition: unknown id',
      'POST',
      '/sim/network/partition',
      { groups: [['n1'], ['n9']] },
      /Unknown node "n9"/,
    ),
    bad(
      'partition: id in two groups',
      'POST',
      '/sim/network/partition',
      {
        groups: [
          ['n1', 'n2'],
          ['n2', 'n3'],
        ],
      },
      /more than once/,
    ),
    bad(
      'partition: id twice in a group',
      'POST',
      '/sim/network/partition',
      { groups: [['n1', 'n1']] },
      /more than once/,
    ),
    bad(
      'network: latency negative',
      'PUT',
      '/sim/network',
      { latency_ms: -1 },
      /"latency_ms" must be between 0 and 10000/,
    ),
    bad(
      'network: latency too high',
      'PUT',
      '/sim/network',
      { latency_ms: 10_001 },
      /between 0 and 10000/,
    ),
    bad('network: latency a float', 'PUT', '/sim/network', { latency_ms: 1.5 }, /whole number/),
    bad('network: latency as text', 'PUT', '/sim/network', { latency_ms: '100' }, /not text/),
    bad(
      'network: loss negative',
      'PUT',
      '/sim/network',
      { loss: -0.1 },
      /"loss" must be a number from 0 to 1/,
    ),
    bad('network: loss above 1', 'PUT', '/sim/network', { loss: 1.1 }, /from 0 to 1/),
    bad('network: loss as text', 'PUT', '/sim/network', { loss: '0.5' }, /from 0 to 1/),
    bad(
      'network: good latency, bad loss',
      'PUT',
      '/sim/network',
      { latency_ms: 5, loss: 2 },
      /"loss"/,
    ),
    bad('reset: 0 nodes', 'POST', '/sim/reset', { nodes: 0 }, /"nodes" must be between 1 and 16/),
    bad('reset: 17 nodes', 'POST', '/sim/reset', { nodes: 17 }, /between 1 and 16/),
    bad('reset: nodes as text', 'POST', '/sim/reset', { nodes: '3' }, /not text/),
    bad('reset: difficulty 0', 'POST', '/sim/reset', { difficulty_bits: 0 }, /"difficulty_bits"/),
    bad('reset: difficulty 33', 'POST', '/sim/reset', { difficulty_bits: 33 }, /"difficulty_bits"/),
    bad(
      'reset: block time too short',
      'POST',
      '/sim/reset',
      { block_time_ms: 99 },
      /"block_time_ms"/,
    ),
    bad(
      'reset: block time a float',
      'POST',
      '/sim/reset',
      { block_time_ms: 1000.5 },
      /whole number/,
    ),
    bad(
      'reset: unknown fork choice',
      'POST',
      '/sim/reset',
      { fork_choice: 'heaviest' },
      /"fork_choice" must be one of "most-work", "longest"/,
    ),
    bad(
      'reset: unknown gossip',
      'POST',
      '/sim/reset',
      { gossip: 'push' },
      /"gossip" must be one of/,
    ),
    bad('reset: unknown peers', 'POST', '/sim/reset', { peers: 'some' }, /"peers" must be one of/),
    bad(
      'reset: good nodes, bad gossip',
      'POST',
      '/sim/reset',
      { nodes: 2, gossip: true },
      /"gossip"/,
    ),
    bad(
      'mining: enabled missing',
      'POST',
      '/node/n1/mining',
      {},
      /"enabled" must be true or false/,
    ),
    bad(
      'mining: enabled as text',
      'POST',
      '/node/n1/mining',
      { enabled: 'true' },
      /"enabled" must be true or false/,
    ),
    bad('mining: enabled as 1', 'POST', '/node/n1/mining', { enabled: 1 }, /"enabled"/),
    bad(
      'mining: hashrate negative',
      'POST',
      '/node/n1/mining',
      { enabled: true, hashrate: -0.1 },
      /"hashrate" must be a number from 0 to 1/,
    ),
    bad(
      'mining: hashrate above 1',
      'POST',
      '/node/n1/mining',
      { enabled: true, hashrate: 1.5 },
      /"hashrate"/,
    ),
    bad(
      'mining: hashrate as text',
      'POST',
      '/node/n1/mining',
      { enabled: false, hashrate: '0.5' },
      /"hashrate"/,
    ),
    bad(
      'mining: hashrate null',
      'POST',
      '/node/n1/mining',
      { enabled: true, hashrate: null },
      /"hashrate"/,
    ),
    bad('block: short hash', 'GET', '/node/n1/blocks/abc', undefined, /64 hex digits/),
    bad('block: 63 digits', 'GET', `/node/n1/blocks/${'0'.repeat(63)}`, undefined, /64 hex digits/),
    bad(
      'block: upper-case hash',
      'GET',
      `/node/n1/blocks/${'AB'.repeat(32)}`,
      undefined,
      /64 hex digits/,
    ),
    bad(
      'block: unknown hash',
      'GET',
      `/node/n1/blocks/${'ab'.repeat(32)}`,
      undefined,
      /does not know block/,
      404,
    ),
    bad('tx: short id', 'GET', '/node/n1/transactions/abc', undefined, /64 hex digits/),
    bad(
      'tx: upper-case id',
      'GET',
      `/node/n1/transactions/${'AB'.repeat(32)}`,
      undefined,
      /64 hex digits/,
    ),
    bad(
      'tx: unknown id',
      'GET',
      `/node/n1/transactions/${HASH}`,
      undefined,
      /no record of payment/,
      404,
    ),
    bad('balance: short address', 'GET', '/node/n1/balance/abc', undefined, /40 hex digits/),
    bad(
      'balance: node id instead of address',
      'GET',
      '/node/n1/balance/n2',
      undefined,
      /40 hex digits/,
    ),
    bad(
      'balance: 41 digits',
      'GET',
      `/node/n1/balance/${'a'.repeat(41)}`,
      undefined,
      /40 hex digits/,
    ),
    bad(
      'add node: bad name',
      'POST',
      '/sim/nodes',
      { name: 'Node 1' },
      /"name" must start with a letter/,
    ),
    bad('add node: empty name', 'POST', '/sim/nodes', { name: '' }, /"name"/),
    bad('add node: name too long', 'POST', '/sim/nodes', { name: 'n'.repeat(33) }, /at most 32/),
    bad('add node: name a number', 'POST', '/sim/nodes', { name: 4 }, /"name"/),
    bad('add node: name taken', 'POST', '/sim/nodes', { name: 'n2' }, /already exists/, 409),
    bad('remove node: unknown', 'DELETE', '/sim/nodes/n9', undefined, /no node "n9"/, 404),
  ])('$name → 4xx', expectRefused);

  it('a known payment is found (the unknown-id case above is not vacuous)', async () => {
    const [waiting] = await mempoolIds(sim, 'n1');
    expect(await call(sim, 'GET', `/node/n1/transactions/${waiting ?? ''}`)).toEqual({
      id: waiting,
      status: 'pending',
    });
  });

  it('a runtime without payment look-ups answers 501, and nothing changes', async () => {
    // The route needs only `node` from the simulation.
    const backend = {
      node: (id: NodeId): NodeBackend | null => {
        const node = sim.node(id);
        if (!node) return null;
        const older: NodeBackend = { ...node };
        delete older.transaction;
        return older;
      },
    } as unknown as SimulationBackend;
    const before = snapshot(sim);
    const res = await handleRequest(backend, 'GET', `/node/n1/transactions/${HASH}`);
    expect(res.status).toBe(501);
    expect(res.body).toEqual({ error: 'This runtime cannot look payments up yet.' });
    expect(snapshot(sim)).toEqual(before);
  });

  it('a known block hash is found (the unknown-hash case above is not vacuous)', async () => {
    const block = (await call(sim, 'GET', `/node/n2/blocks/${tip}`)) as { hash: string };
    expect(block.hash).toBe(tip);
  });
});

describe('api_bad_input: a busy simulation', () => {
  it('bad requests while every node mines change nothing and take no virtual time', async () => {
    const busy = await createSim({ seed: 6, nodes: 3 });
    for (const id of busy.ids) await call(busy, 'POST', `/node/${id}/mining`, { enabled: true });
    await busy.runFor(5_000);
    for (const [method, path, body] of [
      ['POST', '/node/n1/transactions/new', { recipient: 'n2', amount: '1' }],
      ['POST', '/sim/reset', { nodes: 99 }],
      ['GET', '/node/n9/chain', undefined],
      ['GET', '/node/n1/mine', { force: true }],
      ['PUT', '/sim/network', { loss: 7 }],
    ] as const) {
      const before = snapshot(busy);
      const now = busy.now;
      const res = await busy.request(method, path, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(snapshot(busy)).toEqual(before);
      expect(busy.now).toBe(now);
    }
  });
});

/** `value` wrapped in `levels` arrays: nest(5, "n2") is [[[[["n2"]]]]]. */
function nest(levels: number, value: unknown): unknown {
  let out = value;
  for (let i = 0; i < levels; i++) out = [out];
  return out;
}

/** A concrete path for a route pattern, on node n1 and its tip. */
function concrete(path: string): string {
  return path
    .replace(':id', 'n1')
    .replace(':hash', tip)
    .replace(':address', n2Address)
    .replace(':txid', pending);
}

describe('api_bad_input: hostile bodies', () => {
  const deep = nest(5_000, 'n2');
  const tooDeep = /nests arrays and objects more than 32 levels deep/;

  it.each<LazyCase>([
    {
      name: 'register: 5,000 levels in "nodes"',
      method: 'POST',
      path: '/node/n1/nodes/register',
      body: { nodes: deep },
      status: 400,
      error: tooDeep,
    },
    {
      name: 'partition: 5,000 levels in "groups"',
      method: 'POST',
      path: '/sim/network/partition',
      body: { groups: deep },
      status: 400,
      error: tooDeep,
    },
    {
      name: 'payment: 5,000 levels in "sender"',
      method: 'POST',
      path: '/node/n1/transactions/new',
      body: { recipient: 'n2', amount: 1, sender: deep },
      status: 400,
      error: tooDeep,
    },
    {
      name: 'a read-only route: 5,000 levels in an unknown field',
      method: 'GET',
      path: '/node/n1/chain',
      body: { colour: deep },
      status: 400,
      error: tooDeep,
    },
    {
      name: 'one level past the limit',
      method: 'POST',
      path: '/node/n1/nodes/register',
      body: { nodes: nest(MAX_BODY_DEPTH, 'n2') },
      status: 400,
      error: tooDeep,
    },
  ])('$name → 400', expectRefused);

  it('the refusal says no route needs more than 3 levels: true of every example body', () => {
    for (const r of ROUTE_LIST) expect(nestsDeeperThan(r.exampleBody, 3), r.id).toBe(false);
    const partition = ROUTE_LIST.find((r) => r.id === 'partition');
    expect(nestsDeeperThan(partition?.exampleBody, 2)).toBe(true);
  });

  it('a body that refers to itself (possible from a script in the page) → 400', async () => {
    const groups: unknown[] = [];
    groups.push(groups);
    await expectRefused({
      name: 'cycle',
      method: 'POST',
      path: '/sim/network/partition',
      body: { groups },
      status: 400,
      error: tooDeep,
    });
  });

  it('a body exactly at the limit reaches the route, which quotes it in a short preview', async () => {
    // The object is level 1, so 31 arrays inside it make 32 levels: allowed through.
    const body = { recipient: 'n2', amount: 1, sender: nest(MAX_BODY_DEPTH - 1, 'n2') };
    await expectRefused({
      name: 'at the limit',
      method: 'POST',
      path: '/node/n1/transactions/new',
      body,
      status: 400,
      error:
        /^This node signs only for its own address [0-9a-f]{40}; it cannot spend for \[\[\[…\]\]\], since every payment carries its sender's signature: leave "sender" out to pay from the node's own address\.$/,
    });
  });

  it.each<LazyCase>([
    {
      name: 'register: a 10,000-character id',
      method: 'POST',
      path: '/node/n1/nodes/register',
      body: { nodes: ['x'.repeat(10_000)] },
      status: 400,
      error: /^Unknown node "x{24}…" in "nodes"\.$/,
    },
    {
      name: 'partition: a wide, nested group member',
      method: 'POST',
      path: '/sim/network/partition',
      body: { groups: [[{ a: [1, 2, 3, 4, 5], b: 'y'.repeat(500), c: null, d: true }]] },
      status: 400,
      error: /^Unknown node \{"a":\[1,2,3,…\],"b":"y{24}…","c":null,…\} in "groups"\.$/,
    },
    {
      name: 'payment: a 10,000-character sender',
      method: 'POST',
      path: '/node/n1/transactions/new',
      body: { recipient: 'n2', amount: 1, sender: 'z'.repeat(10_000) },
      status: 400,
      error: /cannot spend for "z{24}…", since /,
    },
  ])('previews, not the whole value: $name → 400', expectRefused);

  it.each<LazyCase>(
    ROUTE_LIST.map((r) => ({
      name: `${r.method} ${r.path}`,
      method: r.method,
      path: r.path,
      lazy: () => ({ path: concrete(r.path) }),
      body: null,
      status: 400,
      error:
        /^The request body must be a JSON object, not null: send \{\} or leave the body out\.$/,
    })),
  )('a JSON null body is not "no body": $name → 400', expectRefused);

  it('a null body is refused where a body is required, and {} reads as no fields', async () => {
    // Not vacuous: the same route with {} gets past the body check to the missing fields.
    const res = await sim.request('POST', '/node/n1/transactions/new', {});
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(/needs "recipient" and "amount"/);
  });
});

describe('api_bad_input: HEAD never changes state', () => {
  const changing = ROUTE_LIST.filter((r) => r.method === 'GET' && r.changesState);
  const readOnly = ROUTE_LIST.filter((r) => r.method === 'GET' && !r.changesState);

  it('the route list marks mine and resolve as changing state, and every other route that is not GET', () => {
    expect(changing.map((r) => r.id)).toEqual(['mine', 'resolve']);
    for (const r of ROUTE_LIST) if (r.method !== 'GET') expect(r.changesState, r.id).toBe(true);
  });

  it.each<LazyCase>(
    changing.map((r) => ({
      name: r.path,
      method: 'HEAD',
      path: r.path,
      lazy: () => ({ path: concrete(r.path) }),
      status: 405,
      error: /^HEAD never changes state, and GET \/node\/n1\/\S+ does: send GET to run it\.$/,
    })),
  )('HEAD $name → 405, and the chain height is unchanged', async (c) => {
    const height = sim.nodeById(nodeId('n1')).tree.tip.height;
    await expectRefused(c);
    expect(sim.nodeById(nodeId('n1')).tree.tip.height).toBe(height);
    const res = await sim.request('HEAD', concrete(c.path as string));
    expect(res.body).toHaveProperty('allowed', 'GET');
  });

  it('GET /node/n1/mine does change the chain (the HEAD case above is not vacuous)', async () => {
    const height = sim.nodeById(nodeId('n1')).tree.tip.height;
    expect((await sim.request('GET', '/node/n1/mine')).status).toBe(200);
    expect(sim.nodeById(nodeId('n1')).tree.tip.height).toBe(height + 1);
  });

  it.each(readOnly.map((r) => [r.path] as const))(
    'GET %s changes nothing, and HEAD answers exactly as GET',
    async (pattern) => {
      const path = concrete(pattern);
      const before = snapshot(sim);
      const get = await sim.request('GET', path);
      expect(get.status).toBe(200);
      expect(await sim.request('HEAD', path)).toEqual(get);
      expect(snapshot(sim)).toEqual(before);
    },
  );

  it('HEAD where there is no GET → 405 with the methods the path answers', async () => {
    await expectRefused({
      name: 'HEAD /sim/reset',
      method: 'HEAD',
      path: '/sim/reset',
      status: 405,
      error: /answers POST, not HEAD/,
    });
  });
});

describe('api_bad_input: at most MAX_NODES nodes', () => {
  it(`POST /sim/nodes stops at ${MAX_NODES} nodes with 409, and changes nothing`, async () => {
    for (let n = sim.ids.length; n < MAX_NODES; n++) {
      expect((await sim.request('POST', '/sim/nodes', {})).status).toBe(201);
    }
    expect(sim.ids).toHaveLength(MAX_NODES);
    for (const body of [undefined, {}, { name: 'one-more' }]) {
      await expectRefused({
        name: 'full',
        method: 'POST',
        path: '/sim/nodes',
        body,
        status: 409,
        error:
          /^The simulation already has 16 nodes, the most it runs: remove one first \(DELETE \/sim\/nodes\/:id\)\.$/,
      });
    }
    // Room again after a removal.
    expect((await sim.request('DELETE', '/sim/nodes/n2')).status).toBe(200);
    expect((await sim.request('POST', '/sim/nodes', { name: 'one-more' })).status).toBe(201);
  });

  it(`POST /sim/reset takes ${MAX_NODES} nodes but not one more`, async () => {
    await expectRefused({
      name: 'reset',
      method: 'POST',
      path: '/sim/reset',
      body: { nodes: MAX_NODES + 1 },
      status: 400,
      error: /"nodes" must be between 1 and 16, got 17/,
    });
    expect((await sim.request('POST', '/sim/reset', { nodes: MAX_NODES })).status).toBe(200);
    expect(sim.ids).toHaveLength(MAX_NODES);
  });
});
