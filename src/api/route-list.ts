/**
 * The routes, each defined once: method, path pattern, id, a one-line English summary, whether it
 * changes state, and for routes that take a body an example (the README's, e.g. a payment of 1
 * coin to n2). Pure data, no handlers and no Svelte, so the page's API console imports it without
 * the server. Everything else derives from this list (CONTRIBUTING.md, One place for each fact):
 * routes.ts binds one handler per id (a record the compiler checks both ways), the HTTP server's
 * Allow headers and HEAD rule come from the same matcher, the English catalogue's
 * `console.about.<id>` entries are these summaries, the tutorial ports serve the routes marked
 * `tutorial` at their root (src/api/tutorial.ts), and tests/server/docs_sync.test.ts holds the docs
 * to it.
 */

/** An HTTP method the route table answers (HEAD is answered for read-only GET routes). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A path parameter a route pattern can hold. */
export type RouteParam = 'id' | 'hash' | 'address' | 'txid';

/** Every path parameter, in the order the console shows inputs for them. */
export const ROUTE_PARAMS = [
  'id',
  'hash',
  'address',
  'txid',
] as const satisfies readonly RouteParam[];

/**
 * How a route is written below. Only a GET route may leave state alone: every POST, PUT and
 * DELETE changes something, so the type refuses `changesState: false` on them.
 */
type RouteSpec = {
  readonly id: string;
  readonly path: string;
  readonly summary: string;
  readonly exampleBody?: unknown;
  /** One of the tutorial's own five routes, which a tutorial port serves at its root. */
  readonly tutorial?: true;
} & (
  | { readonly method: 'GET'; readonly changesState: boolean }
  | { readonly method: Exclude<RouteMethod, 'GET'>; readonly changesState: true }
);

/** Every route, in the README's order. */
const SPECS = [
  {
    id: 'listNodes',
    method: 'GET',
    path: '/sim/nodes',
    summary: 'List every node with its height, tip, peers and mining.',
    changesState: false,
  },
  {
    id: 'addNode',
    method: 'POST',
    path: '/sim/nodes',
    summary: 'Add a node, with a name if you like.',
    exampleBody: { name: 'alice' },
    changesState: true,
  },
  {
    id: 'removeNode',
    method: 'DELETE',
    path: '/sim/nodes/:id',
    summary: 'Remove a node.',
    changesState: true,
  },
  {
    id: 'reset',
    method: 'POST',
    path: '/sim/reset',
    summary: 'Start a fresh simulation (every chain is wiped).',
    exampleBody: { nodes: 3, fork_choice: 'most-work', gossip: 'auto' },
    changesState: true,
  },
  {
    id: 'partition',
    method: 'POST',
    path: '/sim/network/partition',
    summary: 'Split the network into groups that cannot hear each other.',
    exampleBody: { groups: [['n1'], ['n2', 'n3']] },
    changesState: true,
  },
  {
    id: 'heal',
    method: 'POST',
    path: '/sim/network/heal',
    summary: 'Reconnect every node.',
    changesState: true,
  },
  {
    id: 'network',
    method: 'GET',
    path: '/sim/network',
    summary: 'Read the latency, message loss and partitions.',
    changesState: false,
  },
  {
    id: 'setNetwork',
    method: 'PUT',
    path: '/sim/network',
    summary: 'Change the latency and message loss.',
    exampleBody: { latency_ms: 100, loss: 0 },
    changesState: true,
  },
  {
    id: 'mine',
    method: 'GET',
    path: '/node/:id/mine',
    summary: 'Mine one block (the miner earns the reward).',
    tutorial: true,
    // The tutorial's GET that forges a block: HEAD must not run it.
    changesState: true,
  },
  {
    id: 'newTransaction',
    method: 'POST',
    path: '/node/:id/transactions/new',
    summary: "Sign and send a payment from this node's wallet.",
    exampleBody: { recipient: 'n2', amount: 1 },
    tutorial: true,
    changesState: true,
  },
  {
    id: 'signTransaction',
    method: 'POST',
    path: '/node/:id/transactions/sign',
    summary: "Sign a payment from this node's wallet without sending it (hand it to anyone).",
    exampleBody: { recipient: 'n2', amount: 1 },
    // Signing changes no state, but it is a POST with a body: the type counts it as a change.
    changesState: true,
  },
  {
    id: 'submitTransaction',
    method: 'POST',
    path: '/node/:id/transactions/submit',
    summary: 'Hand this node a signed payment (its raw hex) to check, keep and pass on.',
    exampleBody: { raw: '…the raw hex from /transactions/sign…' },
    changesState: true,
  },
  {
    id: 'transaction',
    method: 'GET',
    path: '/node/:id/transactions/:txid',
    summary: 'What happened to a payment: pending, confirmed in a block, or dropped and why.',
    changesState: false,
  },
  {
    id: 'chain',
    method: 'GET',
    path: '/node/:id/chain',
    summary: "Read this node's best chain, genesis first.",
    tutorial: true,
    changesState: false,
  },
  {
    id: 'register',
    method: 'POST',
    path: '/node/:id/nodes/register',
    summary: 'Register the peers this node talks to.',
    exampleBody: { nodes: ['n2', 'n3'] },
    tutorial: true,
    changesState: true,
  },
  {
    id: 'resolve',
    method: 'GET',
    path: '/node/:id/nodes/resolve',
    summary: "Compare with the peers' chains and follow the best one (consensus).",
    tutorial: true,
    // It may replace the node's chain.
    changesState: true,
  },
  {
    id: 'mining',
    method: 'POST',
    path: '/node/:id/mining',
    summary: 'Turn continuous mining on or off.',
    exampleBody: { enabled: true },
    changesState: true,
  },
  {
    id: 'gossip',
    method: 'POST',
    path: '/node/:id/gossip',
    summary: 'Gossip automatically, or keep new blocks and payments to itself (manual).',
    exampleBody: { mode: 'manual' },
    changesState: true,
  },
  {
    id: 'wallet',
    method: 'GET',
    path: '/node/:id/wallet',
    summary: "Read this node's address, balance and nonce.",
    changesState: false,
  },
  {
    id: 'balance',
    method: 'GET',
    path: '/node/:id/balance/:address',
    summary: "Read an address's balance as this node sees it.",
    changesState: false,
  },
  {
    id: 'mempool',
    method: 'GET',
    path: '/node/:id/mempool',
    summary: 'List the payments waiting for a block, highest fee first.',
    changesState: false,
  },
  {
    id: 'block',
    method: 'GET',
    path: '/node/:id/blocks/:hash',
    summary: 'Read one block by its hash.',
    changesState: false,
  },
  {
    id: 'publish',
    method: 'POST',
    path: '/node/:id/blocks/:hash/publish',
    summary: 'Send one of its blocks straight to every peer, as a withholding miner reveals one.',
    changesState: true,
  },
] as const satisfies readonly RouteSpec[];

/** A short name for each route; the page finds its summary under `console.about.<id>`. */
export type RouteId = (typeof SPECS)[number]['id'];

/** One route, as every part of the code sees it. */
export interface RouteInfo {
  readonly id: RouteId;
  readonly method: RouteMethod;
  /** The pattern, with parameters as `:id`, `:hash`, `:address`, `:txid`. */
  readonly path: string;
  /** `sim` for the simulation's routes, `node` for one node's: the path's first segment. */
  readonly group: 'sim' | 'node';
  /** What the route does, in English (the English catalogue's `console.about.<id>`). */
  readonly summary: string;
  /** A body to start from; present exactly when the route takes body fields. */
  readonly exampleBody?: unknown;
  /** Does answering it change the simulation? A HEAD never runs such a route. */
  readonly changesState: boolean;
  /**
   * For the tutorial's own routes, the path a tutorial port serves it at: the pattern without
   * `/node/:id` (`/mine` for `/node/:id/mine`), since a tutorial port is one node.
   */
  readonly tutorialPath?: string;
}

function groupOf(path: string): RouteInfo['group'] {
  if (path.startsWith('/sim/')) return 'sim';
  if (path.startsWith('/node/')) return 'node';
  throw new Error(`A route path starts with /sim/ or /node/, not ${path}`);
}

/** The pattern's start that names the node, which a tutorial port leaves out. */
const NODE_PREFIX = '/node/:id/';

function tutorialPathOf(spec: {
  readonly path: string;
  readonly tutorial?: true;
}): { tutorialPath: string } | Record<string, never> {
  if (spec.tutorial !== true) return {};
  if (!spec.path.startsWith(NODE_PREFIX)) {
    throw new Error(`A tutorial route is one node's, under ${NODE_PREFIX}: not ${spec.path}`);
  }
  return { tutorialPath: spec.path.slice(NODE_PREFIX.length - 1) };
}

/** Every route, in the README's order. */
export const ROUTE_LIST: readonly RouteInfo[] = SPECS.map((spec) => ({
  ...spec,
  group: groupOf(spec.path),
  ...tutorialPathOf(spec),
}));

/** The English summaries, keyed as the catalogue keys them: `console.about.<id>`. */
export const ROUTE_SUMMARIES = Object.fromEntries(
  ROUTE_LIST.map((r) => [`console.about.${r.id}`, r.summary]),
) as { readonly [Id in RouteId as `console.about.${Id}`]: string };

/** A route's identity: "POST /node/:id/transactions/new". */
export function routeKey(route: Pick<RouteInfo, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The parameters a pattern holds, in path order (e.g. ["id", "address"]). */
export function routeParams(path: string): RouteParam[] {
  const out: RouteParam[] = [];
  for (const segment of path.split('/')) {
    if (!segment.startsWith(':')) continue;
    const name = ROUTE_PARAMS.find((p) => p === segment.slice(1));
    if (name === undefined) throw new Error(`Unknown route parameter ${segment} in ${path}`);
    out.push(name);
  }
  return out;
}

/** Does this route take a body? */
export function takesBody(route: RouteInfo): boolean {
  return route.exampleBody !== undefined;
}

/** The standard reason phrases of the statuses the route table answers (and a few more). */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** A status with its reason phrase, as HTTP tools show it: "201 Created", "400 Bad Request". */
export function statusText(status: number): string {
  const phrase = REASON_PHRASES[status];
  return phrase === undefined ? String(status) : `${String(status)} ${phrase}`;
}

/** How a status went, for colour and wording: success, refusal (4xx) or failure (5xx). */
export function statusKind(status: number): 'success' | 'refused' | 'failed' {
  if (status >= 200 && status < 300) return 'success';
  if (status >= 400 && status < 500) return 'refused';
  return 'failed';
}
