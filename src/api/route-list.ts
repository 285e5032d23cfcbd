/**
 * The route table as the API console lists it: each route's method, path pattern, a one-line
 * summary and, for routes that take a body, an example body (the README's, e.g. a payment of 1
 * coin to n2). Pure data, no Svelte. tests/app/api_console.test.ts checks it against ROUTE_TABLE
 * in routes.ts (every route listed, nothing extra) and against the README's route table.
 */
import type { ROUTE_TABLE } from './routes.ts';

/** An HTTP method the route table answers. */
export type RouteMethod = (typeof ROUTE_TABLE)[number]['method'];

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
 * A short name for each route; the page finds its summary in the catalogue under
 * `console.about.<id>` (checked at compile time in src/app/state/console.svelte.ts).
 */
export type RouteId =
  | 'listNodes'
  | 'addNode'
  | 'removeNode'
  | 'reset'
  | 'partition'
  | 'heal'
  | 'network'
  | 'setNetwork'
  | 'mine'
  | 'newTransaction'
  | 'transaction'
  | 'chain'
  | 'register'
  | 'resolve'
  | 'mining'
  | 'wallet'
  | 'balance'
  | 'mempool'
  | 'block';

/** One route, as the console lists it. */
export interface RouteInfo {
  readonly id: RouteId;
  readonly method: RouteMethod;
  /** The pattern, with parameters as `:id`, `:hash`, `:address`. */
  readonly path: string;
  /** `sim` for the simulation's routes, `node` for one node's. */
  readonly group: 'sim' | 'node';
  /** What the route does, in English. */
  readonly summary: string;
  /** A body to start from; present exactly when the route takes body fields. */
  readonly exampleBody?: unknown;
}

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

/** Every route, in the README's order. */
export const ROUTE_LIST: readonly RouteInfo[] = [
  {
    id: 'listNodes',
    method: 'GET',
    path: '/sim/nodes',
    group: 'sim',
    summary: 'List every node with its height, tip, peers and mining.',
  },
  {
    id: 'addNode',
    method: 'POST',
    path: '/sim/nodes',
    group: 'sim',
    summary: 'Add a node, with a name if you like.',
    exampleBody: { name: 'alice' },
  },
  {
    id: 'removeNode',
    method: 'DELETE',
    path: '/sim/nodes/:id',
    group: 'sim',
    summary: 'Remove a node.',
  },
  {
    id: 'reset',
    method: 'POST',
    path: '/sim/reset',
    group: 'sim',
    summary: 'Start a fresh simulation (every chain is wiped).',
    exampleBody: { nodes: 3, fork_choice: 'most-work', gossip: 'auto' },
  },
  {
    id: 'partition',
    method: 'POST',
    path: '/sim/network/partition',
    group: 'sim',
    summary: 'Split the network into groups that cannot hear each other.',
    exampleBody: { groups: [['n1'], ['n2', 'n3']] },
  },
  {
    id: 'heal',
    method: 'POST',
    path: '/sim/network/heal',
    group: 'sim',
    summary: 'Reconnect every node.',
  },
  {
    id: 'network',
    method: 'GET',
    path: '/sim/network',
    group: 'sim',
    summary: 'Read the latency, message loss and partitions.',
  },
  {
    id: 'setNetwork',
    method: 'PUT',
    path: '/sim/network',
    group: 'sim',
    summary: 'Change the latency and message loss.',
    exampleBody: { latency_ms: 100, loss: 0 },
  },
  {
    id: 'mine',
    method: 'GET',
    path: '/node/:id/mine',
    group: 'node',
    summary: 'Mine one block (the miner earns the reward).',
  },
  {
    id: 'newTransaction',
    method: 'POST',
    path: '/node/:id/transactions/new',
    group: 'node',
    summary: "Sign and send a payment from this node's wallet.",
    exampleBody: { recipient: 'n2', amount: 1 },
  },
  {
    id: 'transaction',
    method: 'GET',
    path: '/node/:id/tx/:txid',
    group: 'node',
    summary: 'What happened to a payment: pending, confirmed in a block, or dropped and why.',
  },
  {
    id: 'chain',
    method: 'GET',
    path: '/node/:id/chain',
    group: 'node',
    summary: "Read this node's best chain, genesis first.",
  },
  {
    id: 'register',
    method: 'POST',
    path: '/node/:id/nodes/register',
    group: 'node',
    summary: 'Register the peers this node talks to.',
    exampleBody: { nodes: ['n2', 'n3'] },
  },
  {
    id: 'resolve',
    method: 'GET',
    path: '/node/:id/nodes/resolve',
    group: 'node',
    summary: "Compare with the peers' chains and follow the best one (consensus).",
  },
  {
    id: 'mining',
    method: 'POST',
    path: '/node/:id/mining',
    group: 'node',
    summary: 'Turn continuous mining on or off.',
    exampleBody: { enabled: true },
  },
  {
    id: 'wallet',
    method: 'GET',
    path: '/node/:id/wallet',
    group: 'node',
    summary: "Read this node's address, balance and nonce.",
  },
  {
    id: 'balance',
    method: 'GET',
    path: '/node/:id/balance/:address',
    group: 'node',
    summary: "Read an address's balance as this node sees it.",
  },
  {
    id: 'mempool',
    method: 'GET',
    path: '/node/:id/mempool',
    group: 'node',
    summary: 'List the payments waiting for a block, highest fee first.',
  },
  {
    id: 'block',
    method: 'GET',
    path: '/node/:id/blocks/:hash',
    group: 'node',
    summary: 'Read one block by its hash.',
  },
];

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
