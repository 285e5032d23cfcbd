/**
 * A real HTTP server in front of the route table, so the tutorial's cURL and Postman steps work
 * as written against a headless simulation. It only translates: read a bounded JSON body, hand
 * (method, path, body) to `sim.request`, write the answer as pretty JSON. It never listens by
 * itself; the caller picks the port (see scripts/serve.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { ROUTE_TABLE } from '../api/routes.ts';

/** What the server needs from a simulation: the route table's one entry point. */
export interface RequestTarget {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export interface ServerOptions {
  /** Largest accepted request body in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Called with anything that turned into a 500 (default: printed to stderr). */
  readonly onError?: (error: unknown) => void;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Methods that reach the route table (HEAD is answered as GET without a body). */
const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);

/** A request the server answers itself, before the route table sees it. */
class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sizeLabel(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** The request's path without query or fragment; absolute-form targets are reduced to their path. */
function pathnameOf(url: string | undefined): string {
  const raw = url ?? '/';
  if (raw.startsWith('/')) return raw.split(/[?#]/, 1)[0] ?? '/';
  try {
    return new URL(raw).pathname;
  } catch {
    return raw.split(/[?#]/, 1)[0] ?? '/';
  }
}

/** The methods the route table answers on this path, plus OPTIONS (and HEAD next to GET). */
function allowedMethods(pathname: string): string[] {
  const segments = pathname.split('/').filter((s) => s.length > 0);
  const methods = new Set<string>();
  for (const route of ROUTE_TABLE) {
    const pattern = route.path.split('/').filter((s) => s.length > 0);
    if (
      pattern.length === segments.length &&
      pattern.every((p, i) => p.startsWith(':') || p === segments[i])
    ) {
      methods.add(route.method);
      if (route.method === 'GET') methods.add('HEAD');
    }
  }
  if (methods.size === 0) for (const m of ROUTED_METHODS) methods.add(m);
  methods.add('OPTIONS');
  return [...methods];
}

/** The whole body, refusing more than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (): HttpError =>
    new HttpError(413, `The request body is larger than ${sizeLabel(limit)}.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** The parsed JSON body, or undefined when there is none. */
function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const contentType = req.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    throw new HttpError(
      415,
      `The body must be JSON sent with "Content-Type: application/json", not ${
        contentType === undefined ? 'no Content-Type' : `"${contentType}"`
      }. With cURL add -H "Content-Type: application/json".`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, 'The body is not valid UTF-8 text.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(
      400,
      `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  if (status === 204 || body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

async function handle(
  sim: RequestTarget,
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  onError: (error: unknown) => void,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const pathname = pathnameOf(req.url);
  try {
    if (method === 'OPTIONS') {
      req.resume();
      send(res, 204, undefined, { Allow: allowedMethods(pathname).join(', ') });
      return;
    }
    if (!ROUTED_METHODS.has(method)) {
      req.resume();
      send(
        res,
        405,
        { error: `This server does not answer ${method}.` },
        { Allow: allowedMethods(pathname).join(', ') },
      );
      return;
    }
    let body: unknown;
    try {
      body = parseBody(req, await readBody(req, limit));
    } catch (e) {
      // The rest of an unread body is not worth reading: answer, then close the connection.
      if (e instanceof HttpError) {
        req.resume();
        send(res, e.status, { error: e.message }, { Connection: 'close' });
        return;
      }
      throw e;
    }
    const answer = await sim.request(method === 'HEAD' ? 'GET' : method, pathname, body);
    const headers: Record<string, string> =
      answer.status === 405 ? { Allow: allowedMethods(pathname).join(', ') } : {};
    send(res, answer.status, answer.body, headers);
  } catch (e) {
    onError(e);
    send(res, 500, { error: e instanceof Error ? e.message : String(e) });
  }
}

/** An HTTP server answering the route table from `sim`; call `listen` on it yourself. */
export function createServer(sim: RequestTarget, options: ServerOptions = {}): Server {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    });
  return createHttpServer((req, res) => {
    void handle(sim, req, res, limit, onError);
  });
}
