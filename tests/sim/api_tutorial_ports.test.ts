/**
 * The tutorial ports (src/api/tutorial.ts) on the seeded in-memory network: which node a port
 * and a peer address name, and that a port is only a mapping onto the route table. Its five
 * routes answer what `/node/<id>/…` answers, peers go in as URLs and come out as the tutorial's
 * `localhost:5001`, and every bad address or other route is refused in one sentence with nothing
 * changed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { TutorialPort, TutorialPorts } from '../../src/api/tutorial.ts';
import {
  nodeAtPort,
  peerAt,
  peerNetloc,
  portOfNode,
  TUTORIAL_ROUTES,
  tutorialPort,
} from '../../src/api/tutorial.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import { call, chainOf, createSim, nodeId, snapshot } from './framework.ts';

const N1 = nodeId('n1');
const N2 = nodeId('n2');
const N3 = nodeId('n3');
const PORTS: TutorialPorts = { first: 5000, ids: [N1, N2, N3] };
const TABLE = 'http://localhost:3000';

describe('api_tutorial_ports: ports and peer addresses', () => {
  it('serves the tutorial five routes, at the root, each the route table’s own', () => {
    expect(TUTORIAL_ROUTES.map((r) => [r.id, r.method, r.tutorialPath, r.path])).toEqual([
      ['mine', 'GET', '/mine', '/node/:id/mine'],
      ['newTransaction', 'POST', '/transactions/new', '/node/:id/transactions/new'],
      ['chain', 'GET', '/chain', '/node/:id/chain'],
      ['register', 'POST', '/nodes/register', '/node/:id/nodes/register'],
      ['resolve', 'GET', '/nodes/resolve', '/node/:id/nodes/resolve'],
    ]);
  });

  it('puts n1 on the first port, n2 on the next, and nothing outside them', () => {
    expect([4999, 5000, 5001, 5002, 5003].map((p) => nodeAtPort(PORTS, p))).toEqual([
      null,
      N1,
      N2,
      N3,
      null,
    ]);
    expect(portOfNode(PORTS, N3)).toBe(5002);
    expect(portOfNode(PORTS, nodeId('alice'))).toBeNull();
    expect(peerNetloc(PORTS, N2)).toBe('localhost:5001');
    // A node added after the start has no port: it is listed by its id.
    expect(peerNetloc(PORTS, nodeId('alice'))).toBe('alice');
  });

  it.each([
    ['http://localhost:5001', N2],
    ['http://127.0.0.1:5001', N2],
    ['localhost:5001', N2],
    ['127.0.0.1:5002', N3],
    ['http://localhost:5001/', N2],
    // Only the host and port count, as urlparse(address).netloc in the tutorial.
    ['http://localhost:5001/chain?x=1', N2],
    ['HTTP://LOCALHOST:5000', N1],
  ])('%s names %s', (address, id) => {
    expect(peerAt(PORTS, address)).toEqual({ ok: true, value: id });
  });

  const nowhere =
    /names no node here: the nodes are at http:\/\/localhost:5000 \(n1\) to http:\/\/localhost:5002 \(n3\)\.$/;
  it.each<[unknown, RegExp]>([
    ['http://localhost:3000', nowhere],
    ['http://localhost:5003', nowhere],
    ['http://localhost:4999', nowhere],
    ['localhost', nowhere],
    ['http://192.168.0.5:5001', nowhere],
    ['http://example.com:5001', nowhere],
    ['http://[::1]:5001', nowhere],
    ['https://localhost:5001', /names no node here: the nodes speak plain HTTP, at http:\/\//],
    ['ftp://localhost:5001', /the nodes speak plain HTTP/],
    ['', /^"" is not a peer address: write one like "http:\/\/localhost:5001"\.$/],
    ['localhost:port', /is not a peer address/],
    ['http://local host:5001', /is not a peer address/],
    [5001, /^5001 is not a peer address/],
    [null, /^null is not a peer address/],
    [['http://localhost:5001'], /^\["http:\/\/localhost:5001"\] is not a peer address/],
    [`http://localhost:5001/${'x'.repeat(300)}`, /is too long for a peer address/],
  ])('%j is refused in one sentence', (address, message) => {
    const r = peerAt(PORTS, address);
    expect(r.ok).toBe(false);
    const error = r.ok ? '' : r.error;
    expect(error).toMatch(message);
    // One sentence: it ends with a full stop and no other sentence starts inside it.
    expect(error).toMatch(/\.$/);
    expect(error).not.toMatch(/[.:;] [A-Z]/);
    expect(error.length).toBeLessThan(200);
  });

  it('a one-node network names its only node in its examples', () => {
    const alone: TutorialPorts = { first: 5000, ids: [N1] };
    expect(peerAt(alone, 'x y')).toEqual({
      ok: false,
      error: '"x y" is not a peer address: write one like "http://localhost:5000".',
    });
    expect(peerAt(alone, 'http://localhost:5001')).toEqual({
      ok: false,
      error:
        '"http://localhost:5001" names no node here: the nodes are at http://localhost:5000 (n1).',
    });
  });
});

describe('api_tutorial_ports: a port is a mapping onto the route table', () => {
  let sim: Simulation;
  let port: (id: typeof N1) => TutorialPort;

  beforeEach(async () => {
    // The tutorial's network: nobody registered, nothing travels until resolve.
    sim = await createSim({ nodes: 3, peers: 'none', gossip: 'manual' });
    port = (id) =>
      tutorialPort((method, path, body) => sim.request(method, path, body), PORTS, id, TABLE);
  });

  it('GET /mine on n1’s port is GET /node/n1/mine: the same answer, on n1', async () => {
    const r = await port(N1).request('GET', '/mine');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ message: 'New Block Forged', index: 2 });
    expect(Object.keys(r.body as object)).toEqual(
      expect.arrayContaining(['message', 'index', 'transactions', 'proof', 'previous_hash']),
    );
    const chain = await chainOf(sim, 'n1');
    expect(r.body).toEqual({ message: 'New Block Forged', ...chain.at(-1) });
    expect(await chainOf(sim, 'n2')).toHaveLength(1);
    // The same chain, read from the port and from the route table.
    const viaPort = await port(N1).request('GET', '/chain');
    expect(viaPort).toEqual({ status: 200, body: await call(sim, 'GET', '/node/n1/chain') });
    expect(viaPort.body).toMatchObject({ length: 2 });
  });

  it('matches paths as the route table does: the query is ignored, empty segments too', async () => {
    expect((await port(N2).request('GET', '/chain?pretty=1')).status).toBe(200);
    expect((await port(N2).request('GET', '//nodes//resolve/')).status).toBe(200);
    expect((await port(N2).request('GET', '/nodes/%72esolve')).status).toBe(200);
  });

  it('answers exactly the five routes: any other path gets a 404 naming them, and nothing changes', async () => {
    const before = snapshot(sim);
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/wallet'],
      ['GET', '/node/n1/mine'],
      ['GET', '/sim/nodes'],
      ['POST', '/transactions/sign'],
      ['GET', '/mine/again'],
      ['GET', '/%E0%A4%A'],
    ] as const) {
      const r = await port(N1).request(method, path);
      expect(r, `${method} ${path}`).toEqual({
        status: 404,
        body: {
          error: `No route ${method} ${path} here: this port is node n1, as in the tutorial, and answers GET /mine, POST /transactions/new, GET /chain, POST /nodes/register and GET /nodes/resolve; every other route is on the route table at http://localhost:3000.`,
        },
      });
    }
    expect(snapshot(sim)).toEqual(before);
  });

  it('leaves methods to the route table: a wrong one is its 405, HEAD never mines', async () => {
    const before = snapshot(sim);
    const post = await port(N1).request('POST', '/mine');
    expect(post).toEqual(await sim.request('POST', '/node/n1/mine'));
    expect(post.status).toBe(405);
    expect((await port(N1).request('HEAD', '/mine')).status).toBe(405);
    expect((await port(N1).request('GET', '/transactions/new')).status).toBe(405);
    expect(snapshot(sim)).toEqual(before);
    // The Allow header comes from the route the path stands for.
    expect(port(N1).methodsFor('/mine')).toEqual(['GET']);
    expect(port(N1).methodsFor('/chain')).toEqual(['GET', 'HEAD']);
    expect(port(N1).methodsFor('/nodes/register')).toEqual(['POST']);
    expect(port(N1).methodsFor('/wallet')).toEqual([]);
  });

  it('registers peers named by URL and lists them as the tutorial does, localhost:5001', async () => {
    const first = await port(N1).request('POST', '/nodes/register', {
      nodes: ['http://localhost:5001'],
    });
    expect(first).toEqual({
      status: 201,
      body: { message: 'New nodes have been added', total_nodes: ['localhost:5001'] },
    });
    expect(sim.nodeById(N1).peers).toEqual([N2]);
    // Two spellings of one peer are one peer (the tutorial keeps a set); the node itself is
    // never its own peer; the list is every peer, in the order added.
    const again = await port(N1).request('POST', '/nodes/register', {
      nodes: [
        '127.0.0.1:5002',
        'http://127.0.0.1:5001/',
        'localhost:5002',
        'http://localhost:5000',
      ],
    });
    expect(again.body).toEqual({
      message: 'New nodes have been added',
      total_nodes: ['localhost:5001', 'localhost:5002'],
    });
    expect(sim.nodeById(N1).peers).toEqual([N2, N3]);
    // The route table lists the same peers by id.
    expect(await call(sim, 'POST', '/node/n1/nodes/register', { nodes: ['n2'] }, 201)).toEqual({
      message: 'New nodes have been added',
      total_nodes: ['n2', 'n3'],
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['the route table’s port', { nodes: ['http://localhost:3000'] }, /names no node here/],
    [
      'one good, one bad',
      { nodes: ['http://localhost:5001', 'localhost:6000'] },
      /"localhost:6000"/,
    ],
    [
      'a node id',
      { nodes: ['n2'] },
      /^"n2" names no node here: the nodes are at http:\/\/localhost:5000 \(n1\)/,
    ],
    [
      'no list',
      {},
      /^"nodes" must be a non-empty list of peer addresses, like \["http:\/\/localhost:5001"\]\.$/,
    ],
    ['an empty list', { nodes: [] }, /non-empty list of peer addresses/],
    ['a string', { nodes: 'http://localhost:5001' }, /non-empty list of peer addresses/],
    ['a list of numbers', { nodes: [5001] }, /^5001 is not a peer address/],
  ])(
    'a bad registration (%s) is a 400 in one sentence and changes nothing',
    async (_, body, error) => {
      const before = snapshot(sim);
      const r = await port(N1).request('POST', '/nodes/register', body);
      expect(r.status).toBe(400);
      expect((r.body as { error: string }).error).toMatch(error);
      expect(Object.keys(r.body as object)).toEqual(['error']);
      expect(snapshot(sim)).toEqual(before);
      expect(sim.nodeById(N1).peers).toEqual([]);
    },
  );

  it('leaves bodies that are not objects, and unknown fields, to the route table', async () => {
    const before = snapshot(sim);
    for (const body of [null, ['http://localhost:5001'], 'nodes']) {
      const viaPort = await port(N1).request('POST', '/nodes/register', body);
      expect(viaPort).toEqual(await sim.request('POST', '/node/n1/nodes/register', body));
      expect(viaPort.status).toBe(400);
    }
    const extra = await port(N1).request('POST', '/nodes/register', {
      nodes: ['localhost:5001'],
      weight: 2,
    });
    expect(extra).toEqual({
      status: 400,
      body: { error: 'Unknown field "weight". Allowed fields: nodes.' },
    });
    expect(snapshot(sim)).toEqual(before);
  });

  it('answers the tutorial’s own payment body as the route table does: refused, with why', async () => {
    await port(N1).request('GET', '/mine');
    const before = snapshot(sim);
    const body = {
      sender: 'd4ee26eee15148ee92c6cd394edd974e',
      recipient: 'someone-other-address',
      amount: 5,
    };
    const r = await port(N1).request('POST', '/transactions/new', body);
    expect(r).toEqual(await sim.request('POST', '/node/n1/transactions/new', body));
    expect(r.status).toBe(400);
    expect((r.body as { error: string }).error).toMatch(
      /^This node signs only for its own address [0-9a-f]{40}; it cannot spend for "d4ee26eee15148ee92c6cd39…", since every payment carries its sender's signature: leave "sender" out to pay from the node's own address, and name the recipient by an address \(40 hex digits\) or a node id like "n2", not "someone-other-address"\.$/,
    );
    expect(snapshot(sim)).toEqual(before);
    // Written as Chainlab asks, the same payment goes through.
    const paid = await port(N1).request('POST', '/transactions/new', {
      recipient: 'n2',
      amount: 1,
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ message: 'Transaction will be added to Block 3' });
  });

  it('resolve on n1’s port adopts the longer chain of the peer registered by URL', async () => {
    await port(N1).request('GET', '/mine');
    for (let i = 0; i < 3; i++) expect((await port(N2).request('GET', '/mine')).status).toBe(200);
    await sim.runFor(60_000);
    // Manual gossip, no peers: nothing moved by itself.
    expect(await chainOf(sim, 'n1')).toHaveLength(2);
    await port(N1).request('POST', '/nodes/register', { nodes: ['http://localhost:5001'] });
    const resolved = await port(N1).request('GET', '/nodes/resolve');
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ message: 'Our chain was replaced' });
    const n2Chain = await chainOf(sim, 'n2');
    expect(n2Chain).toHaveLength(4);
    expect((resolved.body as { new_chain: unknown }).new_chain).toEqual(n2Chain);
    expect(await chainOf(sim, 'n1')).toEqual(n2Chain);
    const again = await port(N1).request('GET', '/nodes/resolve');
    expect(again.body).toMatchObject({ message: 'Our chain is authoritative', chain: n2Chain });
  });

  it('a port whose node is gone answers the route table’s 404', async () => {
    await call(sim, 'DELETE', '/sim/nodes/n3');
    const r = await port(N3).request('GET', '/chain');
    expect(r).toEqual({
      status: 404,
      body: { error: 'There is no node "n3". GET /sim/nodes lists them.' },
    });
    const register = await port(N1).request('POST', '/nodes/register', {
      nodes: ['http://localhost:5002'],
    });
    expect(register.status).toBe(400);
    expect((register.body as { error: string }).error).toBe('Unknown node "n3" in "nodes".');
  });
});
