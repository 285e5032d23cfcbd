/**
 * The route table: one HTTP-shaped entry point, request(method, path, body) → { status, body },
 * shared by the headless simulator, the browser page, Playwright and the HTTP server. Every input
 * is parsed from `unknown`; a bad one gets a 4xx with a message a learner understands and changes
 * nothing.
 */
import { fromHex } from '../core/bytes.ts';
import { MAX_AMOUNT } from '../core/amount.ts';
import type { Address, NodeId } from '../core/types.ts';
import { parseAddress, parseBlockHash, parseNodeId, parseTxId } from '../core/types.ts';
import type { RejectReason } from '../core/validation.ts';
import type { NodeBackend, ResetOptions, SimulationBackend } from './backend.ts';
import { DEFAULT_RESET, MAX_NODES, NodeStoppedError } from './backend.ts';
import { MAX_BODY_DEPTH, nestsDeeperThan, preview, TOO_DEEP_MESSAGE } from './bounded.ts';
import type { RouteId, RouteInfo, RouteMethod } from './route-list.ts';
import { ROUTE_LIST } from './route-list.ts';

/** What every route answers. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A failed request: status plus a sentence. */
class ApiError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

const bad = (message: string): ApiError => new ApiError(400, message);

/**
 * Which status each rejection maps to: the one place a reason meets HTTP (CONTRIBUTING.md,
 * Rejection as data).
 */
const REJECTION_STATUS: Record<RejectReason, number> = {
  malformed: 400,
  oversize: 400,
  'bad-version': 400,
  'bad-pow': 400,
  'bad-target': 400,
  'bad-merkle-root': 400,
  'bad-previous-hash': 400,
  'bad-index': 400,
  'time-too-old': 400,
  'time-too-new': 400,
  'bad-coinbase': 400,
  'bad-reward': 400,
  'wrong-chain': 400,
  'bad-amount': 400,
  'bad-fee': 400,
  'bad-signature': 400,
  'bad-nonce': 409,
  'insufficient-funds': 400,
  'double-spend': 409,
  duplicate: 409,
  'invalid-parent': 400,
  'orphan-too-easy': 409,
  'mempool-full': 429,
};

type Body = Record<string, unknown>;

/**
 * The body as a JSON object with only the allowed fields; no body at all reads as `{}`. A JSON
 * `null` is not an object and is refused like any other non-object, on every route: "no body"
 * means leaving the body out.
 */
function objectBody(body: unknown, allowed: readonly string[]): Body {
  if (body === undefined) return {};
  if (body === null) {
    throw bad('The request body must be a JSON object, not null: send {} or leave the body out.');
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw bad('The request body must be a JSON object, like {"recipient": "…", "amount": 5}.');
  }
  const record = body as Body;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      throw bad(
        allowed.length === 0
          ? `This route takes no body fields, but got "${key}".`
          : `Unknown field "${key}". Allowed fields: ${allowed.join(', ')}.`,
      );
    }
  }
  return record;
}

function wholeNumber(v: unknown, name: string, min: number, max: number): number {
  if (typeof v === 'string')
    throw bad(`"${name}" must be a number, not text: write ${name}: 5, not "5".`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`"${name}" must be a number.`);
  if (!Number.isInteger(v)) throw bad(`"${name}" must be a whole number, got ${v}.`);
  if (v < min || v > max) throw bad(`"${name}" must be between ${min} and ${max}, got ${v}.`);
  return v;
}

function fraction(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw bad(`"${name}" must be a number from 0 to 1.`);
  }
  return v;
}

function oneOf<T extends string>(v: unknown, name: string, options: readonly T[]): T {
  const found = options.find((o) => o === v);
  if (found === undefined) {
    throw bad(`"${name}" must be one of ${options.map((o) => `"${o}"`).join(', ')}.`);
  }
  return found;
}

function coins(v: unknown, name: string, min: 0 | 1): bigint {
  if (typeof v === 'string') throw bad(`"${name}" must be a number of coins, not text.`);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw bad(`"${name}" must be a number of coins.`);
  if (!Number.isInteger(v)) throw bad(`"${name}" must be a whole number of coins, got ${v}.`);
  if (v < min) {
    throw bad(min === 1 ? `"${name}" must be at least 1 coin.` : `"${name}" cannot be negative.`);
  }
  if (BigInt(v) > MAX_AMOUNT) throw bad(`"${name}" is too large.`);
  return BigInt(v);
}

/** Known node ids, checked for existence and repeats. */
async function nodeIds(
  backend: SimulationBackend,
  v: unknown,
  name: string,
  seen = new Set<NodeId>(),
): Promise<NodeId[]> {
  if (!Array.isArray(v) || v.length === 0) {
    throw bad(`"${name}" must be a non-empty list of node ids, like ["n2", "n3"].`);
  }
  const known = new Set((await backend.listNodes()).map((n) => n.id));
  const out: NodeId[] = [];
  for (const raw of v) {
    const id = parseNodeId(raw);
    if (!id || !known.has(id)) throw bad(`Unknown node ${preview(raw)} in "${name}".`);
    if (seen.has(id)) throw bad(`Node ${id} appears more than once in "${name}".`);
    seen.add(id);
    out.push(id);
  }
  return out;
}

function json(status: number, body: unknown): ApiResponse {
  return { status, body };
}

type Handler = (ctx: {
  backend: SimulationBackend;
  params: readonly string[];
  body: unknown;
}) => Promise<ApiResponse>;

/** A route of the list with its handler and its pattern split into segments. */
interface Route extends RouteInfo {
  readonly pattern: readonly string[];
  readonly handler: Handler;
}

function nodeOf(backend: SimulationBackend, raw: string | undefined): NodeBackend {
  const id = parseNodeId(raw);
  const node = id ? backend.node(id) : null;
  if (!node) throw new ApiError(404, `There is no node "${raw ?? ''}". GET /sim/nodes lists them.`);
  return node;
}

const BAD_RECIPIENT =
  '"recipient" must be an address (40 hex digits) or the id of a node, like "n2".';

/** The address a recipient names: an address, or a node's id; null when it names neither. */
async function recipientOf(backend: SimulationBackend, v: unknown): Promise<Address | null> {
  const address = parseAddress(v);
  if (address) return address;
  const id = parseNodeId(v);
  if (id) {
    const node = (await backend.listNodes()).find((n) => n.id === id);
    if (node) return node.address;
  }
  return null;
}

/**
 * The refusal of a payment from someone else's address. The tutorial's own example does exactly
 * that (`"sender": "d4ee26eee15148ee92c6cd394edd974e"`, `"recipient": "someone-other-address"`),
 * because its transactions are unsigned; here the node signs with its own key, so the sentence
 * says why and how to write the payment instead, the recipient too when it names no one, so the
 * tutorial's body, typed as printed, is answered once with everything to change.
 */
function foreignSender(own: Address, sender: unknown, badRecipient?: unknown): string {
  const recipient =
    badRecipient === undefined
      ? ''
      : `, and name the recipient by an address (40 hex digits) or a node id like "n2", not ${preview(badRecipient)}`;
  return `This node signs only for its own address ${own}; it cannot spend for ${preview(sender)}, since every payment carries its sender's signature: leave "sender" out to pay from the node's own address${recipient}.`;
}

/**
 * One handler per route id. The type asks for exactly the ids of the route list, so a route
 * without a handler, or a handler without a route, does not compile.
 */
const HANDLERS: { readonly [Id in RouteId]: Handler } = {
  listNodes: async ({ backend, body }) => {
    objectBody(body, []);
    return json(200, { nodes: await backend.listNodes() });
  },
  addNode: async ({ backend, body }) => {
    const b = objectBody(body, ['name']);
    let id: NodeId | undefined;
    if (b.name !== undefined) {
      id = parseNodeId(b.name) ?? undefined;
      if (!id) {
        throw bad('"name" must start with a letter and use only a-z, 0-9 and "-" (at most 32).');
      }
    }
    const nodes = await backend.listNodes();
    if (nodes.length >= MAX_NODES) {
      throw new ApiError(
        409,
        `The simulation already has ${MAX_NODES} nodes, the most it runs: remove one first (DELETE /sim/nodes/:id).`,
      );
    }
    if (id !== undefined && nodes.some((n) => n.id === id)) {
      throw new ApiError(409, `A node named "${id}" already exists.`);
    }
    return json(201, await backend.addNode(id));
  },
  removeNode: async ({ backend, params, body }) => {
    objectBody(body, []);
    const id = parseNodeId(params[0]);
    if (!id || !(await backend.removeNode(id))) {
      throw new ApiError(404, `There is no node "${params[0] ?? ''}".`);
    }
    return json(200, { message: `Node ${id} was removed` });
  },
  reset: async ({ backend, body }) => {
    const b = objectBody(body, [
      'nodes',
      'difficulty_bits',
      'block_time_ms',
      'fork_choice',
      'gossip',
      'peers',
      'reward',
    ]);
    const options: ResetOptions = {
      nodes:
        b.nodes === undefined ? DEFAULT_RESET.nodes : wholeNumber(b.nodes, 'nodes', 1, MAX_NODES),
      difficultyBits:
        b.difficulty_bits === undefined
          ? DEFAULT_RESET.difficultyBits
          : wholeNumber(b.difficulty_bits, 'difficulty_bits', 1, 32),
      blockTimeMs:
        b.block_time_ms === undefined
          ? DEFAULT_RESET.blockTimeMs
          : wholeNumber(b.block_time_ms, 'block_time_ms', 100, 600_000),
      forkChoice:
        b.fork_choice === undefined
          ? DEFAULT_RESET.forkChoice
          : oneOf(b.fork_choice, 'fork_choice', ['most-work', 'longest']),
      gossip:
        b.gossip === undefined
          ? DEFAULT_RESET.gossip
          : oneOf(b.gossip, 'gossip', ['auto', 'manual']),
      peers: b.peers === undefined ? DEFAULT_RESET.peers : oneOf(b.peers, 'peers', ['all', 'none']),
      reward:
        b.reward === undefined ? DEFAULT_RESET.reward : wholeNumber(b.reward, 'reward', 0, 1_000),
    };
    await backend.reset(options);
    return json(200, { message: 'A fresh simulation started', nodes: await backend.listNodes() });
  },
  partition: async ({ backend, body }) => {
    const b = objectBody(body, ['groups']);
    if (!Array.isArray(b.groups) || b.groups.length === 0) {
      throw bad('"groups" must be a list of groups of node ids, like [["n1"], ["n2", "n3"]].');
    }
    const seen = new Set<NodeId>();
    const groups: NodeId[][] = [];
    for (const g of b.groups) groups.push(await nodeIds(backend, g, 'groups', seen));
    await backend.partition(groups);
    return json(200, { message: 'The network is partitioned', groups });
  },
  heal: async ({ backend, body }) => {
    objectBody(body, []);
    await backend.heal();
    return json(200, { message: 'The network is whole again' });
  },
  network: async ({ backend, body }) => {
    objectBody(body, []);
    return json(200, await backend.networkSettings());
  },
  setNetwork: async ({ backend, body }) => {
    const b = objectBody(body, ['latency_ms', 'loss']);
    const settings: { latencyMs?: number; loss?: number } = {};
    if (b.latency_ms !== undefined)
      settings.latencyMs = wholeNumber(b.latency_ms, 'latency_ms', 0, 10_000);
    if (b.loss !== undefined) settings.loss = fraction(b.loss, 'loss');
    await backend.setNetwork(settings);
    return json(200, { message: 'Network settings updated' });
  },
  mine: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const block = await node.mine();
    return json(200, { message: 'New Block Forged', ...block });
  },
  newTransaction: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['recipient', 'amount', 'fee', 'sender']);
    if (b.recipient === undefined || b.amount === undefined) {
      throw bad('Missing values: a transaction needs "recipient" and "amount".');
    }
    const recipient = await recipientOf(backend, b.recipient);
    // The sender first: spending from another address is the tutorial's habit this refuses.
    if (b.sender !== undefined) {
      const own = (await node.wallet()).address;
      if (b.sender !== own) {
        throw bad(foreignSender(own, b.sender, recipient === null ? b.recipient : undefined));
      }
    }
    if (recipient === null) throw bad(BAD_RECIPIENT);
    const amount = coins(b.amount, 'amount', 1);
    const fee = b.fee === undefined ? 0n : coins(b.fee, 'fee', 0);
    const r = await node.pay(recipient, amount, fee);
    if (!r.ok)
      throw new ApiError(REJECTION_STATUS[r.error.reason], r.error.message, r.error.reason);
    return json(201, {
      message: `Transaction will be added to Block ${r.value.nextIndex}`,
      transaction: r.value.transaction,
    });
  },
  signTransaction: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['recipient', 'amount', 'fee']);
    if (b.recipient === undefined || b.amount === undefined) {
      throw bad('Missing values: a payment needs "recipient" and "amount".');
    }
    const recipient = await recipientOf(backend, b.recipient);
    if (recipient === null) throw bad(BAD_RECIPIENT);
    const amount = coins(b.amount, 'amount', 1);
    const fee = b.fee === undefined ? 0n : coins(b.fee, 'fee', 0);
    const r = await node.signPayment(recipient, amount, fee);
    if (!r.ok)
      throw new ApiError(REJECTION_STATUS[r.error.reason], r.error.message, r.error.reason);
    return json(200, {
      message: 'Signed, not sent: hand "raw" to a node with POST /node/:id/transactions/submit.',
      ...r.value,
    });
  },
  submitTransaction: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['raw']);
    if (typeof b.raw !== 'string') {
      throw bad('Missing value: "raw" is the signed payment in hex, from /transactions/sign.');
    }
    const raw = fromHex(b.raw);
    if (!raw.ok) throw bad(`"raw" must be hex: ${raw.error}.`);
    const r = await node.submitPayment(raw.value);
    if (!r.ok)
      throw new ApiError(REJECTION_STATUS[r.error.reason], r.error.message, r.error.reason);
    return json(201, {
      message: 'Payment accepted and passed on to the peers.',
      transaction: r.value,
    });
  },
  transaction: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const id = parseTxId(params[1]);
    if (!id) throw bad('A transaction id is 64 hex digits.');
    if (!node.transaction) {
      throw new ApiError(501, 'This runtime cannot look payments up yet.');
    }
    const status = await node.transaction(id);
    if (!status) {
      throw new ApiError(
        404,
        `This node has no record of payment ${id}: it never saw it, or it was dropped too long ago to remember.`,
      );
    }
    return json(200, status);
  },
  chain: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const chain = await node.chain();
    return json(200, { chain, length: chain.length });
  },
  register: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['nodes']);
    const ids = await nodeIds(backend, b.nodes, 'nodes');
    // The tutorial answers the list of registered peers, list(blockchain.nodes), not a count.
    const peers = await node.register(ids);
    return json(201, { message: 'New nodes have been added', total_nodes: peers });
  },
  resolve: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const r = await node.resolve();
    const tie = r.tie === undefined ? {} : { tie: r.tie };
    return json(
      200,
      r.replaced
        ? { message: 'Our chain was replaced', new_chain: r.chain, ...tie }
        : { message: 'Our chain is authoritative', chain: r.chain, ...tie },
    );
  },
  mining: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['enabled', 'hashrate']);
    if (typeof b.enabled !== 'boolean') throw bad('"enabled" must be true or false.');
    const hashrate = b.hashrate === undefined ? undefined : fraction(b.hashrate, 'hashrate');
    return json(200, await node.setMining(b.enabled, hashrate));
  },
  gossip: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    const b = objectBody(body, ['mode']);
    if (b.mode !== 'auto' && b.mode !== 'manual') {
      throw bad('"mode" must be "auto" (gossip at once) or "manual" (keep to itself until asked).');
    }
    return json(200, { id: params[0], gossip: await node.setGossip(b.mode) });
  },
  wallet: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    return json(200, await node.wallet());
  },
  balance: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const address = parseAddress(params[1]);
    if (!address) throw bad('The address must be 40 hex digits.');
    return json(200, { address, balance: await node.balance(address) });
  },
  mempool: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    return json(200, { transactions: await node.mempool() });
  },
  block: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const hash = parseBlockHash(params[1]);
    if (!hash) throw bad('A block hash is 64 hex digits.');
    const block = await node.block(hash);
    if (!block) throw new ApiError(404, `This node does not know block ${hash}.`);
    return json(200, block);
  },
  publish: async ({ backend, params, body }) => {
    const node = nodeOf(backend, params[0]);
    objectBody(body, []);
    const hash = parseBlockHash(params[1]);
    if (!hash) throw bad('A block hash is 64 hex digits.');
    const to = await node.publish(hash);
    if (!to) throw new ApiError(404, `This node does not know block ${hash}.`);
    return json(200, { published: hash, to });
  },
};

const ROUTES: readonly Route[] = ROUTE_LIST.map((route) => ({
  ...route,
  pattern: route.path.split('/').filter((s) => s.length > 0),
  handler: HANDLERS[route.id],
}));

/** The routes the table dispatches on, in order: the route list, each bound to its handler. */
export const ROUTE_TABLE: readonly RouteInfo[] = ROUTES;

function match(pattern: readonly string[], segments: readonly string[]): string[] | null {
  if (pattern.length !== segments.length) return null;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segments[i] ?? '';
    if (p?.startsWith(':')) params.push(s);
    else if (p !== s) return null;
  }
  return params;
}

/**
 * A path as the route table matches it: query cut, empty segments dropped, each segment
 * percent-decoded; null when a segment cannot be decoded.
 */
export function pathSegments(path: string): string[] | null {
  const clean = path.split('?')[0] ?? '';
  try {
    return clean
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/**
 * Which of two fitting patterns is more specific: the first segment where they differ decides, and
 * an exact segment beats a parameter there. Negative when `a` wins, 0 when they rank the same.
 */
function bySpecificity(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const aParam = a[i]?.startsWith(':') ?? false;
    const bParam = b[i]?.startsWith(':') ?? false;
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

/**
 * The routes whose pattern fits these segments, with their parameters. Where patterns of
 * different shapes fit, only the most specific answers: /node/n1/transactions/new belongs to
 * POST /node/:id/transactions/new, so a GET there is a 405 (Allow: POST), not a look-up of a
 * payment whose id is "new". Dispatch, Allow and HEAD all come through here, so they agree.
 */
function candidatesFor(segments: readonly string[]): { route: Route; params: string[] }[] {
  const fits = ROUTES.flatMap((route) => {
    const params = match(route.pattern, segments);
    return params ? [{ route, params }] : [];
  });
  let best: readonly string[] | undefined;
  for (const { route } of fits) {
    if (best === undefined || bySpecificity(route.pattern, best) < 0) best = route.pattern;
  }
  return fits.filter(({ route }) => best !== undefined && bySpecificity(route.pattern, best) === 0);
}

/**
 * The methods the route table answers on a path, HEAD included (it is answered for GET routes
 * that change nothing), in route order; empty when no route has this path. The HTTP server's
 * Allow header comes from here.
 */
export function methodsFor(path: string): ('HEAD' | RouteMethod)[] {
  const segments = pathSegments(path);
  if (!segments) return [];
  return candidatesFor(segments).flatMap(({ route }) =>
    route.method === 'GET' && !route.changesState
      ? [route.method, 'HEAD' as const]
      : [route.method],
  );
}

/**
 * Answer one request against a simulation. Never throws for bad input. HEAD is answered as GET
 * on routes that change nothing; on a GET route that does (mine, resolve) it is refused with 405,
 * so a HEAD never changes state (RFC 9110, section 9.2.1: HEAD is safe).
 */
export async function handleRequest(
  backend: SimulationBackend,
  method: unknown,
  path: unknown,
  body?: unknown,
): Promise<ApiResponse> {
  if (typeof method !== 'string' || typeof path !== 'string') {
    return json(400, { error: 'A request needs a method and a path, like ("GET", "/sim/nodes").' });
  }
  const segments = pathSegments(path);
  if (!segments) return json(400, { error: 'The path is not valid.' });
  const verb = method.toUpperCase();
  const candidates = candidatesFor(segments);
  if (candidates.length === 0) {
    return json(404, { error: `No route ${verb} ${path}. See the route table in the README.` });
  }
  const hit = candidates.find((c) => c.route.method === (verb === 'HEAD' ? 'GET' : verb));
  // Only the two refusals below name what the path allows.
  const allowedOf = (): string => candidates.map((c) => c.route.method).join(', ');
  if (!hit) {
    const allowed = allowedOf();
    return json(405, { error: `${path} answers ${allowed}, not ${verb}.`, allowed });
  }
  if (verb === 'HEAD' && hit.route.changesState) {
    const allowed = allowedOf();
    return json(405, {
      error: `HEAD never changes state, and GET ${path} does: send GET to run it.`,
      allowed,
    });
  }
  // Bodies from the page's window.chainlab.request arrive here without passing the HTTP
  // server's check, so the route table checks depth itself.
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) return json(400, { error: TOO_DEEP_MESSAGE });
  try {
    return await hit.route.handler({ backend, params: hit.params, body });
  } catch (e) {
    if (e instanceof ApiError) {
      return json(
        e.status,
        e.reason ? { error: e.message, reason: e.reason } : { error: e.message },
      );
    }
    if (e instanceof NodeStoppedError) return json(503, { error: e.message });
    throw e;
  }
}
