/**
 * A real HTTP server in front of the route table, so the tutorial's cURL and Postman steps work
 * as written against a headless simulation. It only translates: read a bounded JSON body, hand
 * (method, path, body) to `sim.request`, write the answer as pretty JSON. Every error it answers
 * itself, down to a request line Node cannot parse, has the route table's shape, `{ "error": … }`
 * (docs/api.md, Errors). It never listens by itself; the caller picks the port (see
 * scripts/serve.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer, maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_BODY_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from '../api/bounded.ts';
import { methodsFor } from '../api/routes.ts';

/** What the server needs from a simulation: the route table's one entry point. */
export interface RequestTarget {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /**
   * The methods a path answers, where they are not the route table's own for that path (a
   * tutorial port's `/mine` answers as `/node/n1/mine`, see src/api/tutorial.ts).
   */
  methodsFor?(path: string): readonly string[];
}

export interface ServerOptions {
  /** Largest accepted request body in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Called with anything that turned into a 500 (default: printed to stderr). */
  readonly onError?: (error: unknown) => void;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * How much of a too-large body is read and thrown away so that the 413 reaches the client: a
 * client still sending when the server closes gets a reset instead of the answer. Beyond this the
 * server answers and drops the connection.
 */
const DISCARD_LIMIT_BYTES = 1024 * 1024;

/** How long a connection refused below the route table may stay half-closed. */
const LINGER_MS = 5_000;

/** Methods that reach the route table; HEAD is answered by it for GET routes that change nothing. */
const ROUTED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

/** The answer's JSON error shape, as the route table writes it. */
type ErrorBody = { readonly error: string } & Readonly<Record<string, unknown>>;

function sizeLabel(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/**
 * Answer 413 and close; `dropSocket` ends the connection once the answer is out, when the rest of
 * the body was not (or will not be) read.
 */
function refuseTooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  dropSocket: boolean,
): void {
  send(
    res,
    413,
    { error: `The request body is larger than ${sizeLabel(limit)}.` },
    {
      Connection: 'close',
    },
  );
  if (dropSocket) {
    res.once('finish', () => {
      req.socket.destroy();
    });
  }
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

/** The methods this path answers, for the Allow header: the route table's, plus OPTIONS. */
function allowedMethods(sim: RequestTarget, pathname: string): string {
  const methods = sim.methodsFor?.(pathname) ?? methodsFor(pathname);
  return [...(methods.length > 0 ? methods : ROUTED_METHODS), 'OPTIONS'].join(', ');
}

/** What reading a body came to. */
type BodyRead =
  | { readonly kind: 'body'; readonly bytes: Buffer }
  /** Larger than the limit; `drained` when all of it was read (and thrown away). */
  | { readonly kind: 'too-large'; readonly drained: boolean }
  /** The client went away mid-body: nobody is left to answer, and nothing went wrong here. */
  | { readonly kind: 'gone' };

function declaredLength(req: IncomingMessage): number {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) ? declared : 0;
}

/** The whole body, keeping at most `limit` bytes; past that it reads on up to the discard limit. */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = declaredLength(req);
  if (declared > DISCARD_LIMIT_BYTES) return Promise.resolve({ kind: 'too-large', drained: false });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > limit;
    let settled = false;
    const settle = (read: BodyRead): void => {
      if (settled) return;
      settled = true;
      resolve(read);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size <= limit) {
        chunks.push(chunk);
        return;
      }
      over = true;
      chunks.length = 0;
      if (size > DISCARD_LIMIT_BYTES) {
        req.pause();
        settle({ kind: 'too-large', drained: false });
      }
    });
    req.on('end', () => {
      settle(
        over
          ? { kind: 'too-large', drained: true }
          : { kind: 'body', bytes: Buffer.concat(chunks) },
      );
    });
    // An aborted upload: 'error' (ECONNRESET) then 'close', or only 'close'.
    req.on('error', () => {
      settle({ kind: 'gone' });
    });
    req.on('close', () => {
      settle({ kind: 'gone' });
    });
  });
}

/** A request the server refuses itself, before the route table sees it. */
class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
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
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(
      400,
      `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  // Refused once, here, before anything walks the value (CONTRIBUTING.md, Types and messages).
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw new HttpError(400, TOO_DEEP_MESSAGE);
  return body;
}

/** A JSON answer's text: pretty-printed, with a final newline. */
function jsonText(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
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
  const text = jsonText(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  // Node writes no body for a HEAD request, but keeps Content-Length as GET would send it.
  res.end(text);
}

/**
 * A whole answer written straight to a socket, for what Node refuses before there is a request
 * or a response object (a request line or headers it cannot parse). The connection closes after.
 */
function rawAnswer(status: number, body: ErrorBody, headers: Record<string, string> = {}): string {
  const text = jsonText(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Cache-Control: no-store',
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}

/** End a refused connection: flush the answer, then close, waiting at most LINGER_MS for the peer. */
function closeWith(socket: Duplex, text: string): void {
  socket.end(text);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => {
    clearTimeout(timer);
  });
}

/** The status and sentence for a request Node's parser refused (llhttp's error codes). */
function clientErrorAnswer(error: Error & { code?: unknown }): [number, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, `The request's headers are larger than ${sizeLabel(maxHeaderSize)} in all.`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'The request took too long to arrive.'];
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
      return [
        400,
        'The request says two different things about its body length: send one Content-Length, or Transfer-Encoding: chunked alone.',
      ];
    case 'HPE_INVALID_METHOD':
    case 'HPE_INVALID_URL':
    case 'HPE_INVALID_VERSION':
      return [400, 'The request line is not valid HTTP/1.1, like "GET /sim/nodes HTTP/1.1".'];
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_LF_EXPECTED':
    case 'HPE_CR_EXPECTED':
      return [
        400,
        'A request header is not valid HTTP/1.1, like "Content-Type: application/json".',
      ];
    default:
      return [400, 'The request is not valid HTTP/1.1.'];
  }
}

/** A client that might still be able to read an answer, or should just be let go. */
function isGone(error: Error & { code?: unknown }, socket: Duplex): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE' || !socket.writable;
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
  const read = await readBody(req, limit);
  if (read.kind === 'gone') return;
  if (read.kind === 'too-large') {
    refuseTooLarge(req, res, limit, !read.drained);
    return;
  }
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    send(res, 400, { error: 'An HTTP/1.1 request needs a Host header.' }, { Connection: 'close' });
    return;
  }
  if (method === 'OPTIONS') {
    send(res, 204, undefined, { Allow: allowedMethods(sim, pathname) });
    return;
  }
  if (!(ROUTED_METHODS as readonly string[]).includes(method)) {
    send(
      res,
      405,
      { error: `This server does not answer ${method}.` },
      { Allow: allowedMethods(sim, pathname) },
    );
    return;
  }
  let body: unknown;
  try {
    body = parseBody(req, read.bytes);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    send(res, e.status, { error: e.message });
    return;
  }
  try {
    const answer = await sim.request(method, pathname, body);
    const headers: Record<string, string> =
      answer.status === 405 ? { Allow: allowedMethods(sim, pathname) } : {};
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
  /** The answer each connection is writing, if any: a refusal must not cut into it. */
  const inFlight = new WeakMap<Duplex, { req: IncomingMessage; res: ServerResponse }>();

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight.set(req.socket, { req, res });
    res.once('close', () => {
      if (inFlight.get(req.socket)?.res === res) inFlight.delete(req.socket);
    });
    void handle(sim, req, res, limit, onError);
  };

  // Node's own Host check answers 400 with an empty body; handle() answers it as JSON instead.
  const server = createHttpServer({ requireHostHeader: false }, serve);

  // A request Node cannot parse (bad request line or headers, conflicting lengths, headers too
  // large): there is no response object, so the answer is written on the socket (Node's docs for
  // the 'clientError' event), unless the client is gone or an answer is already under way.
  server.on('clientError', (error: Error & { code?: unknown }, socket: Duplex) => {
    if (isGone(error, socket)) {
      socket.destroy();
      return;
    }
    const [status, message] = clientErrorAnswer(error);
    const text = rawAnswer(status, { error: message });
    const current = inFlight.get(socket);
    if (current === undefined || !current.req.complete) {
      // Nothing answered yet on this connection, or the error is in the body of the request
      // being read: that request gets this answer.
      if (current?.res.headersSent === true) socket.destroy();
      else closeWith(socket, text);
      return;
    }
    // A pipelined request broke while an earlier one is still being answered: answer in order.
    current.res.once('close', () => {
      if (socket.writable) closeWith(socket, text);
      else socket.destroy();
    });
  });

  // Expect: 100-continue with a body already declared too large: refuse before it is sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredLength(req) > limit) {
      refuseTooLarge(req, res, limit, true);
      return;
    }
    res.writeContinue();
    serve(req, res);
  });

  // Any other Expect value: Node would answer 417 with an empty body.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const expect = req.headers.expect ?? '';
    send(
      res,
      417,
      { error: `This server cannot meet "Expect: ${expect}"; it knows only "100-continue".` },
      { Connection: 'close' },
    );
  });

  // CONNECT (a proxy tunnel) would otherwise be dropped without a word.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    closeWith(
      socket,
      rawAnswer(
        405,
        { error: 'This server does not answer CONNECT: it is not a proxy.' },
        { Allow: allowedMethods(sim, pathnameOf(req.url)) },
      ),
    );
  });
  return server;
}
