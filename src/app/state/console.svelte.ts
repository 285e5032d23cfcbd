/**
 * The API console's state: the chosen route, its path parameters, the JSON body being written,
 * the last answer and a history of requests, each of which can be copied as the equivalent
 * `window.chainlab.request` line. No DOM here, so it runs (and is tested) in Node; the request
 * function comes in from outside (window.chainlab.request on the page, a headless simulation or a
 * fake in tests).
 */
import type { RouteInfo, RouteParam } from '../../api/route-list.ts';
import {
  ROUTE_LIST,
  ROUTE_PARAMS,
  routeKey,
  routeParams,
  takesBody,
} from '../../api/route-list.ts';
import type { MessageKey, MessageParams } from '../i18n/catalog.ts';

/** What a request answers: a status and a JSON body. */
export interface ConsoleAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The route table's entry point, as the console calls it. */
export type ConsoleRequest = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<ConsoleAnswer>;

/** One request the console sent, with its answer. */
export interface HistoryEntry {
  /** Unique within one console, for keyed lists. */
  readonly id: number;
  readonly method: string;
  /** The path as sent, parameters filled in. */
  readonly path: string;
  /** The parsed body, or undefined when the request went without one. */
  readonly body: unknown;
  readonly status: number;
  readonly response: unknown;
  /** Wall-clock time the answer came, Unix milliseconds. */
  readonly at: number;
}

/** A message for the learner, translated by the component in the page's language. */
export interface ConsoleMessage {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

/** Requests kept in the history. */
export const HISTORY_LIMIT = 50;

const FIRST_ROUTE: RouteInfo = (() => {
  const first = ROUTE_LIST[0];
  if (first === undefined) throw new Error('The route list is empty');
  return first;
})();

/** The catalogue key of a route's one-line summary. */
export function summaryKey(route: RouteInfo): MessageKey {
  return `console.about.${route.id}`;
}

/** The catalogue key of a path parameter's label. */
export function paramKey(param: RouteParam): MessageKey {
  return `console.param.${param}`;
}

/** A JSON value laid out for reading (two-space indent); bigints become decimal strings. */
export function prettyJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    2,
  ) as string | undefined;
  return text ?? '';
}

/** A single-quoted JavaScript string literal for any text. */
export function jsString(text: string): string {
  const escaped = text
    .replace(/[\\']/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${escaped}'`;
}

/**
 * The browser-console line that sends the same request:
 * `await chainlab.request('POST', '/node/n1/transactions/new', {"recipient":"n2","amount":1})`.
 * The body is left out when there is none.
 */
export function requestLine(method: string, path: string, body?: unknown): string {
  const args = [jsString(method), jsString(path)];
  if (body !== undefined) args.push(JSON.stringify(body));
  return `await chainlab.request(${args.join(', ')})`;
}

/** The console: route, parameters, body text, last answer, history. */
export class ApiConsoleState {
  /** The chosen route. */
  route = $state.raw<RouteInfo>(FIRST_ROUTE);
  /** Values for `:id`, `:hash`, `:address` and `:txid`; only the chosen route's are used. */
  params = $state<Record<RouteParam, string>>(
    Object.fromEntries(ROUTE_PARAMS.map((p) => [p, ''])) as Record<RouteParam, string>,
  );
  /** The body as typed, JSON text. */
  bodyText = $state('');
  /** Requests sent, newest first, at most HISTORY_LIMIT. */
  history = $state.raw<readonly HistoryEntry[]>([]);
  /** The answer on show: the last request's. */
  latest = $state.raw<HistoryEntry | null>(null);
  /** A request is on its way. */
  pending = $state(false);
  /** Why the last Send did not go (bad JSON, a missing parameter) or failed. */
  problem = $state.raw<ConsoleMessage | null>(null);

  readonly #now: () => number;
  /** Body text per route, so switching routes and back keeps what was typed. */
  #drafts = new Map<string, string>();
  /** The node id filled in by default (not typed), replaced if that node goes away. */
  #defaultId: string | null = null;
  #nextId = 1;

  constructor(options: { readonly now?: () => number; readonly nodeIds?: readonly string[] } = {}) {
    this.#now = options.now ?? Date.now;
    this.bodyText = exampleText(this.route);
    if (options.nodeIds) this.syncNodes(options.nodeIds);
  }

  /** The chosen route's identity, "METHOD /pattern", as the route picker's value. */
  get routeKey(): string {
    return routeKey(this.route);
  }

  /** The chosen route's parameters, in path order. */
  get routeParams(): RouteParam[] {
    return routeParams(this.route.path);
  }

  /** Does the chosen route take a body? */
  get takesBody(): boolean {
    return takesBody(this.route);
  }

  /** The path as it would be sent now; an empty parameter shows as its `:name`. */
  get path(): string {
    return fillPath(this.route.path, (p) => this.params[p].trim() || `:${p}`);
  }

  /** Choose a route by its key ("POST /sim/reset"); false for an unknown key. */
  select(key: string): boolean {
    const route = ROUTE_LIST.find((r) => routeKey(r) === key);
    if (!route) return false;
    if (route === this.route) return true;
    if (this.takesBody) this.#drafts.set(this.routeKey, this.bodyText);
    this.route = route;
    this.bodyText = this.#drafts.get(key) ?? exampleText(route);
    this.problem = null;
    return true;
  }

  /** Put the chosen route's example body back. */
  restoreExample(): void {
    this.bodyText = exampleText(this.route);
    this.#drafts.delete(this.routeKey);
    if (this.problem?.key === 'console.body.invalid') this.problem = null;
  }

  /**
   * Follow the simulation's nodes: `:id` starts as the first node, and a default whose node was
   * removed moves to the first node again. An id the learner typed is left alone (asking for an
   * unknown node is worth trying).
   */
  syncNodes(nodeIds: readonly string[]): void {
    const current = this.params.id;
    const isDefault = current === '' || current === this.#defaultId;
    if (!isDefault || nodeIds.includes(current)) return;
    const first = nodeIds[0] ?? '';
    this.params.id = first;
    this.#defaultId = first === '' ? null : first;
  }

  /**
   * Send the chosen route: check the parameters, parse the body (bad JSON sends nothing), fill
   * the path, call `request` and record the answer. Resolves to the history entry, or null when
   * nothing was sent or the request failed (`problem` says why).
   */
  async send(request: ConsoleRequest): Promise<HistoryEntry | null> {
    if (this.pending) return null;
    this.problem = null;
    const route = this.route;
    const missing = routeParams(route.path).find((p) => this.params[p].trim() === '');
    if (missing !== undefined) {
      this.problem = { key: 'console.param.missing', params: { param: `:${missing}` } };
      return null;
    }
    const path = fillPath(route.path, (p) => encodeURIComponent(this.params[p].trim()));
    let body: unknown = undefined;
    if (takesBody(route) && this.bodyText.trim() !== '') {
      try {
        body = JSON.parse(this.bodyText);
      } catch (e) {
        this.problem = { key: 'console.body.invalid', params: { error: errorText(e) } };
        return null;
      }
    }
    this.pending = true;
    let answer: ConsoleAnswer;
    try {
      answer = await (body === undefined
        ? request(route.method, path)
        : request(route.method, path, body));
    } catch (e) {
      this.problem = { key: 'console.failed', params: { error: errorText(e) } };
      return null;
    } finally {
      this.pending = false;
    }
    const entry: HistoryEntry = {
      id: this.#nextId++,
      method: route.method,
      path,
      body,
      status: answer.status,
      response: answer.body,
      at: this.#now(),
    };
    this.history = [entry, ...this.history].slice(0, HISTORY_LIMIT);
    this.latest = entry;
    return entry;
  }

  /** The `await chainlab.request(…)` line that repeats a request from the browser's console. */
  copyLine(entry: Pick<HistoryEntry, 'method' | 'path' | 'body'>): string {
    return requestLine(entry.method, entry.path, entry.body);
  }
}

/** A route's example body as editable text, or nothing for a route without a body. */
function exampleText(route: RouteInfo): string {
  return route.exampleBody === undefined ? '' : prettyJson(route.exampleBody);
}

/** Replace each `:param` segment of a pattern. */
function fillPath(pattern: string, value: (param: RouteParam) => string): string {
  return pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment;
      const [param] = routeParams(`/${segment}`);
      return param === undefined ? segment : value(param);
    })
    .join('/');
}

/** The message of whatever was thrown. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
