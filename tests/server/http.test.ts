/**
 * The HTTP server in front of the route table: real sockets, real fetch, a real Simulation. The
 * tutorial's calls answer as the route table does; bad bodies (too large, not JSON, wrong
 * content type) get a 4xx with `{ error }` and change nothing; and `npm run serve` starts,
 * answers, and stops cleanly on SIGINT.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NODES } from '../../src/api/backend.ts';
import { createServer } from '../../src/server/http.ts';
import { Simulation } from '../../src/sim/simulation.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: Record<string, unknown>;
}

describe('createServer', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const sim = await Simulation.create({ nodes: 2, seed: 1, difficultyBits: 8 });
    server = createServer(sim, { onError: () => undefined });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  async function call(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await fetch(base + path, init);
    const body: unknown = await res.json();
    if (!isRecord(body)) throw new Error(`not a JSON object: ${JSON.stringify(body)}`);
    return { status: res.status, contentType: res.headers.get('content-type'), body };
  }

  function post(path: string, body: string, contentType = 'application/json'): Promise<Answer> {
    return call(path, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  }

  async function chainLength(): Promise<number> {
    const r = await call('/node/n1/chain');
    return r.body.length as number;
  }

  it('GET /sim/nodes lists the nodes as pretty JSON', async () => {
    const res = await fetch(`${base}/sim/nodes`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('\n  "nodes": [');
    const body = JSON.parse(text) as { nodes: { id: string }[] };
    expect(body.nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('GET /node/n1/mine forges a block', async () => {
    const before = await chainLength();
    const r = await call('/node/n1/mine');
    expect(r.status).toBe(200);
    expect(r.body.message).toBe('New Block Forged');
    expect(r.body.index).toBe(before + 1);
    expect(r.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await chainLength()).toBe(before + 1);
  });

  it('POST /node/n1/transactions/new with JSON answers 201', async () => {
    const r = await post('/node/n1/transactions/new', '{"recipient":"n2","amount":1}');
    expect(r.status).toBe(201);
    expect(r.body.message).toMatch(/^Transaction will be added to Block \d+$/);
    expect(isRecord(r.body.transaction) && r.body.transaction.amount).toBe(1);
  });

  it('ignores the query string when matching routes', async () => {
    const r = await call('/node/n1/chain?verbose=1');
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.chain)).toBe(true);
  });

  it('refuses bad requests with { error } and changes nothing', async () => {
    const before = await chainLength();
    const mempool = (await call('/node/n1/mempool')).body.transactions;

    const malformed = await post('/node/n1/transactions/new', '{"recipient": "n2", amount: 5');
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toBe('application/json; charset=utf-8');
    expect(malformed.body.error).toMatch(/^The body is not valid JSON: /);

    const wrongType = await post(
      '/node/n1/transactions/new',
      '{"recipient":"n2","amount":1}',
      'text/plain',
    );
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error).toContain('Content-Type: application/json');

    const huge = JSON.stringify({ recipient: 'n2', amount: 1, pad: 'x'.repeat(70 * 1024) });
    const tooLarge = await post('/node/n1/transactions/new', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({ error: 'The request body is larger than 64 KiB.' });

    const unknown = await call('/node/n1/nowhere');
    expect(unknown.status).toBe(404);
    expect(typeof unknown.body.error).toBe('string');

    const wrongMethod = await call('/node/n1/mine', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(typeof wrongMethod.body.error).toBe('string');

    const badField = await post('/node/n1/transactions/new', '{"recipient":"n2","amount":"5"}');
    expect(badField.status).toBe(400);

    expect(await chainLength()).toBe(before);
    expect((await call('/node/n1/mempool')).body.transactions).toEqual(mempool);
  });

  it('takes a missing body as no body, even on POST', async () => {
    const r = await call('/sim/network/heal', { method: 'POST' });
    expect(r.status).toBe(200);
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await fetch(`${base}/node/n1/transactions/new`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('turns an exception into a 500 and keeps serving', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const flaky = createServer(
      {
        request: (method, path) => {
          if (fail) return Promise.reject(new Error('boom'));
          return Promise.resolve({ status: 200, body: { method, path } });
        },
      },
      { onError: (e) => errors.push(e) },
    );
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/x?y=1`;
    try {
      const first = await fetch(url);
      expect(first.status).toBe(500);
      expect(await first.json()).toEqual({ error: 'boom' });
      expect(errors).toHaveLength(1);
      fail = false;
      const second = await fetch(url);
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual({ method: 'GET', path: '/x' });
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) =>
        flaky.close(() => {
          resolve();
        }),
      );
    }
  });
});

describe('npm run serve', () => {
  it('listens, answers, and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/serve.ts', '--port', '0', '--nodes', '2'],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no "listening" line; stdout: ${stdout}; stderr: ${stderr}`));
        }, 60_000);
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.on('exit', () => {
          reject(new Error(`exited early; stderr: ${stderr}`));
        });
      });
      expect(stdout).toContain('curl http://localhost:');
      const res = await fetch(`http://localhost:${port}/node/n1/chain`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { length: number };
      expect(body.length).toBe(1);
      // The network runs live: n1's block reaches n2 between requests, stamped with today's time.
      const mined = (await (await fetch(`http://localhost:${port}/node/n1/mine`)).json()) as {
        index: number;
        timestamp: number;
      };
      expect(mined.index).toBe(2);
      expect(Math.abs(mined.timestamp * 1000 - Date.now())).toBeLessThan(60_000);
      await expect
        .poll(
          async () => {
            const chain = await fetch(`http://localhost:${port}/node/n2/chain`);
            return ((await chain.json()) as { length: number }).length;
          },
          { timeout: 20_000 },
        )
        .toBe(2);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopped.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad option with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--port', 'x'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--port needs a whole number from 0 to 65535, got "x".');
  });

  it(`refuses more than MAX_NODES nodes, the route table's own limit`, async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/serve.ts', '--nodes', String(MAX_NODES + 1)],
      { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--nodes needs a whole number from 1 to 16, got "17".');
  });
});
