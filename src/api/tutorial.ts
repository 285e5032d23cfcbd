/**
 * The tutorial, word for word. Its Flask app is one node per port (`python blockchain.py -p
 * 5001`) answering five routes at the root: `GET /mine`, `POST /transactions/new`, `GET /chain`,
 * `POST /nodes/register` with peers named by URL (`{"nodes": ["http://localhost:5001"]}`) and
 * `GET /nodes/resolve`. A tutorial port gives one node of the simulation that face: port
 * `first + i` is node `ids[i]`.
 *
 * It is a mapping onto the one route table, never a second one (CONTRIBUTING.md, One place for
 * each fact): `/mine` on n1's port is `/node/n1/mine`, answered by the same handler with the same
 * body. Only the peers' names are translated, URLs in and the tutorial's `localhost:5001` out.
 */
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';
import type { NodeId } from '../core/types.ts';
import { preview } from './bounded.ts';
import type { RouteId, RouteInfo, RouteMethod } from './route-list.ts';
import { ROUTE_LIST } from './route-list.ts';
import type { ApiResponse } from './routes.ts';
import { methodsFor, pathSegments } from './routes.ts';

/** Which node each tutorial port serves: port `first + i` serves `ids[i]`. */
export interface TutorialPorts {
  readonly first: number;
  readonly ids: readonly NodeId[];
}

/** A tutorial route: one of the route list's, with the root path a tutorial port serves it at. */
export type TutorialRoute = RouteInfo & { readonly tutorialPath: string };

/** The tutorial's routes, in the route list's order. */
export const TUTORIAL_ROUTES: readonly TutorialRoute[] = ROUTE_LIST.filter(
  (r): r is TutorialRoute => r.tutorialPath !== undefined,
);

/** The host a tutorial port names its nodes by; the server listens on 127.0.0.1 only. */
const HOST = 'localhost';

/** The host names that reach the tutorial ports: this machine, by name or by IPv4 loopback. */
const LOCAL_HOSTS: readonly string[] = [HOST, '127.0.0.1'];

/** Peer addresses longer than this are refused unread (no real URL of a local node comes close). */
const MAX_ADDRESS_LENGTH = 256;

/** The node served on `port`, or null when the port is not one of the tutorial's. */
export function nodeAtPort(ports: TutorialPorts, port: number): NodeId | null {
  return ports.ids[port - ports.first] ?? null;
}

/** The port node `id` is served on, or null when it has none (added after the start, say). */
export function portOfNode(ports: TutorialPorts, id: NodeId): number | null {
  const i = ports.ids.indexOf(id);
  return i < 0 ? null : ports.first + i;
}

/** A tutorial port's base URL: `http://localhost:5000`. */
export function tutorialUrl(port: number): string {
  return `http://${HOST}:${port}`;
}

/**
 * How a tutorial port lists a peer in `total_nodes`: the tutorial keeps `urlparse(address).netloc`,
 * so `localhost:5001`, however the peer was written. A peer without a tutorial port keeps its id.
 */
export function peerNetloc(ports: TutorialPorts, id: NodeId): string {
  const port = portOfNode(ports, id);
  return port === null ? id : `${HOST}:${port}`;
}

/** A peer address to show in examples: the second node's, as the tutorial registers 5001 on 5000. */
function examplePeer(ports: TutorialPorts): string {
  return tutorialUrl(ports.first + (ports.ids.length > 1 ? 1 : 0));
}

/** "http://localhost:5000 (n1) to http://localhost:5002 (n3)": where the nodes are. */
function whereNodesAre(ports: TutorialPorts): string {
  const named = (i: number): string => `${tutorialUrl(ports.first + i)} (${ports.ids[i] ?? ''})`;
  const last = ports.ids.length - 1;
  return last <= 0 ? named(0) : `${named(0)} to ${named(last)}`;
}

/**
 * The node a peer address names: `http://localhost:5001`, `http://127.0.0.1:5001/` or the bare
 * `localhost:5001` (the tutorial's repository accepts an address without a scheme too). As in the
 * tutorial, only the host and port count; a path is ignored. Anything else is refused with one
 * sentence.
 */
export function peerAt(ports: TutorialPorts, address: unknown): Result<NodeId, string> {
  const example = `write one like "${examplePeer(ports)}"`;
  if (typeof address !== 'string' || address.length === 0) {
    return err(`${preview(address)} is not a peer address: ${example}.`);
  }
  if (address.length > MAX_ADDRESS_LENGTH) {
    return err(`${preview(address)} is too long for a peer address: ${example}.`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address)?.[1];
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `http://${address}` : address);
  } catch {
    return err(`${preview(address)} is not a peer address: ${example}.`);
  }
  if (url.protocol !== 'http:') {
    return err(
      `${preview(address)} names no node here: the nodes speak plain HTTP, at ${whereNodesAre(ports)}.`,
    );
  }
  // URL gives '' for a scheme's default port (80 for http).
  const port = url.port === '' ? 80 : Number(url.port);
  const id = LOCAL_HOSTS.includes(url.hostname) ? nodeAtPort(ports, port) : null;
  if (id === null) {
    return err(`${preview(address)} names no node here: the nodes are at ${whereNodesAre(ports)}.`);
  }
  return ok(id);
}

/** The route table's path for a path typed on node `id`'s tutorial port, with its route. */
function tableRoute(path: string, id: NodeId): { route: TutorialRoute; path: string } | null {
  const typed = pathSegments(path)?.join('/');
  const route = TUTORIAL_ROUTES.find((r) => r.tutorialPath.slice(1) === typed);
  return route === undefined ? null : { route, path: `/node/${id}${route.tutorialPath}` };
}

/** The route table's one entry point, as a tutorial port calls it. */
export type Forward = (method: string, path: string, body?: unknown) => Promise<ApiResponse>;

/** What a tutorial port answers with: requests, and the methods a path allows (for Allow). */
export interface TutorialPort {
  /** The node this port serves. */
  readonly id: NodeId;
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  methodsFor(path: string): ('HEAD' | RouteMethod)[];
}

/** Routes whose body or answer name peers, translated between URLs and node ids. */
const NAMES_PEERS: RouteId = 'register';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body of `POST /nodes/register` with its peer URLs turned into node ids, each once (the
 * tutorial keeps a set); a body that is not an object goes through as it is, for the route table
 * to refuse.
 */
function registerBody(ports: TutorialPorts, body: unknown): Result<unknown, string> {
  if (!isObject(body)) return ok(body);
  const { nodes } = body;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    return err(
      `"nodes" must be a non-empty list of peer addresses, like ["${examplePeer(ports)}"].`,
    );
  }
  const ids: NodeId[] = [];
  for (const address of nodes) {
    const id = peerAt(ports, address);
    if (!id.ok) return id;
    if (!ids.includes(id.value)) ids.push(id.value);
  }
  return ok({ ...body, nodes: ids });
}

/** `total_nodes` as the tutorial lists it: `["localhost:5001"]` rather than node ids. */
function registerAnswer(ports: TutorialPorts, answer: ApiResponse): ApiResponse {
  const { body } = answer;
  if (!isObject(body) || !Array.isArray(body.total_nodes)) return answer;
  const peers = (body.total_nodes as NodeId[]).map((id) => peerNetloc(ports, id));
  return { status: answer.status, body: { ...body, total_nodes: peers } };
}

/**
 * Node `id`'s tutorial port in front of the route table: the tutorial's five routes at the root,
 * each answered by `forward` at `/node/<id>/…`. `tableUrl`, where the whole route table is
 * served, is named to anyone who asks this port for another route.
 */
export function tutorialPort(
  forward: Forward,
  ports: TutorialPorts,
  id: NodeId,
  tableUrl: string,
): TutorialPort {
  const routes = TUTORIAL_ROUTES.map((r) => `${r.method} ${r.tutorialPath}`);
  const list = `${routes.slice(0, -1).join(', ')} and ${routes.at(-1) ?? ''}`;
  return {
    id,
    async request(method, path, body) {
      const hit = tableRoute(path, id);
      if (hit === null) {
        return {
          status: 404,
          body: {
            error: `No route ${method.toUpperCase()} ${path} here: this port is node ${id}, as in the tutorial, and answers ${list}; every other route is on the route table at ${tableUrl}.`,
          },
        };
      }
      if (hit.route.id !== NAMES_PEERS) return forward(method, hit.path, body);
      const translated = registerBody(ports, body);
      if (!translated.ok) return { status: 400, body: { error: translated.error } };
      return registerAnswer(ports, await forward(method, hit.path, translated.value));
    },
    methodsFor(path) {
      const hit = tableRoute(path, id);
      return hit === null ? [] : methodsFor(hit.path);
    },
  };
}
