/**
 * What a hostile client tried against `npm run serve`, over real sockets: bodies nested 5,000
 * deep, requests Node cannot parse, an upload cut off halfway, bodies far past the limit, HEAD on
 * a route that mines, a JSON null body. Every refusal is the route table's `{ error }` JSON,
 * nothing is logged as a server fault, and nothing changes.
 */
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/http.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** An answer as read off the socket. */
interface RawAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** Did the server close the connection after answering? */
  readonly closed: boolean;
}

function parseAnswer(raw: string, closed: boolean): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no complete answer: ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, text: raw.slice(split + 4), closed };
}

/**
 * Send raw bytes and read everything until the server closes, or, with `untilAnswer`, until one
 * whole answer (headers and Content-Length bytes) has arrived.
 */
function rawRequest(
  port: number,
  chunks: readonly (string | Buffer)[],
  untilAnswer = false,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      try {
        resolve(parseAnswer(raw, closed));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      } finally {
        socket.destroy();
      }
    };
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (data: string) => {
      raw += data;
      if (!untilAnswer) return;
      const split = raw.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(raw.slice(0, split))?.[1]);
      if (split >= 0 && raw.length - split - 4 >= length) finish(false);
    });
    socket.on('end', () => {
      finish(true);
    });
    socket.on('close', () => {
      finish(true);
    });
    // A reset after the answer arrived still leaves the answer to read.
    socket.on('error', () => undefined);
  });
}

/** The answer's body as the JSON error shape. */
function errorOf(answer: RawAnswer): string {
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text, 'latin1'));
  const body = JSON.parse(answer.text) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    }),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

/** Let every pending callback, tick and promise job run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the HTTP server against a hostile client', () => {
  let server: Server;
  let port = 0;
  let base = '';
  const errors: unknown[] = [];

  beforeAll(async () => {
    const sim = await Simulation.create({ nodes: 2, seed: 1, difficultyBits: 8 });
    server = createServer(sim, { onError: (e) => errors.push(e) });
    port = await listen(server);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await close(server);
    // Nothing any test sent was a fault of the server.
    expect(errors).toEqual([]);
  });

  /** Everything a refusal must leave alone: n1's chain, both mempools, the node list. */
  async function state(): Promise<unknown[]> {
    const paths = ['/node/n1/chain', '/node/n1/mempool', '/node/n2/mempool', '/sim/nodes'];
    return Promise.all(paths.map(async (p): Promise<unknown> => (await fetch(base + p)).json()));
  }

  function postJson(path: string, text: string): Promise<Response> {
    return fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
  }

  const deep = (levels: number, inner: string): string =>
    '['.repeat(levels) + inner + ']'.repeat(levels);

  it.each([
    ['/node/n1/nodes/register', `{"nodes": ${deep(5_000, '"n2"')}}`],
    ['/sim/network/partition', `{"groups": ${deep(5_000, '"n2"')}}`],
    [
      '/node/n1/transactions/new',
      `{"recipient": "n2", "amount": 1, "sender": ${deep(5_000, '0')}}`,
    ],
  ])('POST %s with JSON nested 5,000 deep → 400, not a 500', async (path, text) => {
    const before = await state();
    const res = await postJson(path, text);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error:
        'The body nests arrays and objects more than 32 levels deep; no route needs more than 3.',
    });
    expect(await state()).toEqual(before);
  });

  it('a JSON null body → 400 where a body is needed, and on a route that takes none', async () => {
    const before = await state();
    for (const path of ['/node/n1/transactions/new', '/sim/network/heal']) {
      const res = await postJson(path, 'null');
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/not null/);
    }
    expect(await state()).toEqual(before);
  });

  describe('HEAD', () => {
    it('HEAD /node/n1/mine → 405 with Allow: GET, and no block is mined', async () => {
      const height = ((await (await fetch(`${base}/node/n1/chain`)).json()) as { length: number })
        .length;
      const res = await fetch(`${base}/node/n1/mine`, { method: 'HEAD' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, OPTIONS');
      expect(await res.text()).toBe('');
      const after = ((await (await fetch(`${base}/node/n1/chain`)).json()) as { length: number })
        .length;
      expect(after).toBe(height);
    });

    it('HEAD on a read-only route answers with GET’s status and headers, without the body', async () => {
      const get = await fetch(`${base}/node/n1/wallet`);
      const head = await fetch(`${base}/node/n1/wallet`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
      expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
      expect(await head.text()).toBe('');
    });

    it('OPTIONS lists HEAD only where it changes nothing', async () => {
      const allow = async (path: string): Promise<string | null> =>
        (await fetch(base + path, { method: 'OPTIONS' })).headers.get('allow');
      expect(await allow('/node/n1/mine')).toBe('GET, OPTIONS');
      expect(await allow('/node/n1/nodes/resolve')).toBe('GET, OPTIONS');
      expect(await allow('/node/n1/chain')).toBe('GET, HEAD, OPTIONS');
      expect(await allow('/sim/nodes')).toBe('GET, HEAD, POST, OPTIONS');
    });

    it('GET and HEAD on /transactions/new → 405 with Allow: POST, not a look-up of payment "new"', async () => {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(`${base}/node/n1/transactions/new`, { method });
        expect(res.status, method).toBe(405);
        expect(res.headers.get('allow'), method).toBe('POST, OPTIONS');
      }
      const payment = `/node/n1/transactions/${'00'.repeat(32)}`;
      expect((await fetch(base + payment, { method: 'OPTIONS' })).headers.get('allow')).toBe(
        'GET, HEAD, OPTIONS',
      );
    });
  });

  describe('requests Node refuses before the route table', () => {
    it.each<[string, string, number, RegExp]>([
      ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400, /request line is not valid/],
      [
        'a method with a bad character',
        'G@T /sim/nodes HTTP/1.1\r\nHost: x\r\n\r\n',
        400,
        /request line is not valid/,
      ],
      [
        'a header name with a space',
        'GET /sim/nodes HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
        400,
        /header is not valid/,
      ],
      [
        'Content-Length and Transfer-Encoding together',
        'POST /sim/network/heal HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
        /two different things about its body length/,
      ],
      [
        'two different Content-Lengths',
        'POST /sim/network/heal HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
        400,
        /two different things about its body length/,
      ],
      [
        'headers larger than 16 KiB',
        `GET /sim/nodes HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        /headers are larger than 16 KiB/,
      ],
      [
        'a bad chunk size in the body',
        'POST /sim/network/heal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        400,
        /not valid HTTP/,
      ],
      [
        'an Expect the server cannot meet',
        'GET /sim/nodes HTTP/1.1\r\nHost: x\r\nExpect: coffee\r\n\r\n',
        417,
        /cannot meet "Expect: coffee"/,
      ],
      ['no Host header', 'GET /sim/nodes HTTP/1.1\r\n\r\n', 400, /needs a Host header/],
      [
        'CONNECT',
        'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n',
        405,
        /does not answer CONNECT/,
      ],
    ])('%s → %i with a JSON error', async (_name, request, status, error) => {
      const before = await state();
      const answer = await rawRequest(port, [request]);
      expect(answer.status).toBe(status);
      expect(errorOf(answer)).toMatch(error);
      expect(answer.headers.connection).toBe('close');
      expect(answer.closed).toBe(true);
      expect(await state()).toEqual(before);
    });

    it('the same server still answers a well-formed request on a new connection', async () => {
      const answer = await rawRequest(port, ['GET /sim/nodes HTTP/1.1\r\nHost: x\r\n\r\n'], true);
      expect(answer.status).toBe(200);
    });
  });

  describe('bodies past the limit', () => {
    const head = (length: number, extra = ''): string =>
      `POST /node/n1/transactions/new HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

    it('200 KiB sent at once: the rest is read and dropped, and the 413 reaches the client', async () => {
      const before = await state();
      const size = 200 * 1024;
      const answer = await rawRequest(port, [head(size), Buffer.alloc(size, 0x20)]);
      expect(answer.status).toBe(413);
      expect(errorOf(answer)).toBe('The request body is larger than 64 KiB.');
      expect(answer.headers.connection).toBe('close');
      expect(await state()).toEqual(before);
    });

    it('a chunked body that grows past the limit gets the same 413', async () => {
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const framed = Array.from({ length: 6 }, () => [
        `${chunk.length.toString(16)}\r\n`,
        chunk,
        '\r\n',
      ]).flat();
      const answer = await rawRequest(port, [
        'POST /node/n1/transactions/new HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        ...framed,
        '0\r\n\r\n',
      ]);
      expect(answer.status).toBe(413);
      expect(errorOf(answer)).toBe('The request body is larger than 64 KiB.');
    });

    it('2 MiB declared: answered at once, without waiting for the body, then closed', async () => {
      const answer = await rawRequest(port, [head(2 * 1024 * 1024)]);
      expect(answer.status).toBe(413);
      expect(errorOf(answer)).toBe('The request body is larger than 64 KiB.');
      expect(answer.closed).toBe(true);
    });

    it('Expect: 100-continue with too large a body: 413 instead of 100 Continue', async () => {
      const answer = await rawRequest(port, [head(100 * 1024, 'Expect: 100-continue\r\n')]);
      expect(answer.status).toBe(413);
      expect(errorOf(answer)).toBe('The request body is larger than 64 KiB.');
    });

    it('Expect: 100-continue with a small body: 100 Continue, then the answer', async () => {
      const body = '{"recipient":"n2","amount":1,"fee":"x"}';
      const prefix = 'HTTP/1.1 100 Continue\r\n\r\n';
      const raw = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.setEncoding('latin1');
        socket.on('connect', () => socket.write(head(body.length, 'Expect: 100-continue\r\n')));
        socket.on('data', (data: string) => {
          text += data;
          if (text === prefix) {
            socket.write(body);
            return;
          }
          const rest = text.slice(prefix.length);
          const split = rest.indexOf('\r\n\r\n');
          const length = Number(/\r\ncontent-length: (\d+)/i.exec(rest)?.[1]);
          if (split >= 0 && rest.length - split - 4 >= length) {
            socket.destroy();
            resolve(text);
          }
        });
      });
      expect(raw.startsWith(prefix)).toBe(true);
      const answer = parseAnswer(raw.slice(prefix.length), false);
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toBe('"fee" must be a number of coins, not text.');
    });
  });
});

describe('a body nested too deep, in front of any route table', () => {
  it('is refused where it is parsed, before the route table is called', async () => {
    const bodies: unknown[] = [];
    const server = createServer({
      request: (_method, _path, body) => {
        bodies.push(body);
        return Promise.resolve({ status: 200, body: { ok: true } });
      },
    });
    const port = await listen(server);
    try {
      const send = (text: string): Promise<Response> =>
        fetch(`http://127.0.0.1:${port}/anything`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: text,
        });
      const refused = await send('['.repeat(33) + ']'.repeat(33));
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(/more than 32 levels/);
      expect(bodies).toEqual([]);
      // 32 levels is within the limit and reaches the target.
      const passed = await send('['.repeat(32) + ']'.repeat(32));
      expect(passed.status).toBe(200);
      expect(bodies).toHaveLength(1);
    } finally {
      await close(server);
    }
  });
});

describe('an upload cut off halfway', () => {
  it('is not a server fault: nothing logged, nothing answered, and the server keeps serving', async () => {
    const errors: unknown[] = [];
    const calls: string[] = [];
    const server = createServer(
      {
        request: (method, path) => {
          calls.push(`${method} ${path}`);
          return Promise.resolve({ status: 200, body: { ok: true } });
        },
      },
      { onError: (e) => errors.push(e) },
    );
    const port = await listen(server);
    try {
      const started = new Promise<IncomingMessage>((resolve) => server.once('request', resolve));
      const client = connect(port, '127.0.0.1');
      client.on('error', () => undefined);
      client.write(
        'POST /sim/network/heal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"nodes": [',
      );
      const req = await started;
      const closed = new Promise<void>((resolve) => req.once('close', resolve));
      client.destroy();
      await closed;
      await settle();
      await settle();
      expect(errors).toEqual([]);
      expect(calls).toEqual([]);
      const next = await fetch(`http://127.0.0.1:${port}/sim/nodes`);
      expect(next.status).toBe(200);
      expect(calls).toEqual(['GET /sim/nodes']);
    } finally {
      await close(server);
    }
  });
});
