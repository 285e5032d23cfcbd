/**
 * The tutorial, word for word: `npm run serve -- --tutorial-ports P` started for real, and the
 * tutorial's own sequence of cURL calls, as docs/api.md prints it ("The tutorial's calls, in
 * order"), replayed in order with only the ports changed. With cURL on the machine the lines run
 * in a shell exactly as written; without it, fetch sends the same method, headers and body. Each
 * answer has the tutorial's shape, and after `/nodes/resolve` the two nodes hold one chain. The
 * flag's own checks (ranges, a port in use) run the script too.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The tutorial's first two ports, as docs/api.md writes them. */
const DOC_PORTS = [5000, 5001] as const;

/** The tutorial's transaction body, character for character. */
const TUTORIAL_BODY = `{
 "sender": "d4ee26eee15148ee92c6cd394edd974e",
 "recipient": "someone-other-address",
 "amount": 5
}`;

/** One cURL command line of the docs, read the way a shell reads it. */
interface CurlCall {
  /** The text as printed (continuation lines joined with their newlines). */
  readonly line: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** The words of a command as sh splits them: single and double quotes, backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) i++;
        word += line[i] ?? '';
      }
      if (i >= line.length) throw new Error(`unclosed " in ${line}`);
    } else if (c === '\\') {
      i++;
      if (line[i] !== '\n') word = (word ?? '') + (line[i] ?? '');
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** What a cURL line sends: `-X`, `-H` and `-d` as cURL reads them (`-d` alone means POST). */
function parseCurl(line: string): CurlCall {
  const [command, ...words] = shellWords(line);
  if (command !== 'curl') throw new Error(`not a cURL line: ${line}`);
  let method: string | undefined;
  let url: string | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-X') method = words[++i];
    else if (word === '-H') {
      const [name = '', ...value] = (words[++i] ?? '').split(':');
      headers[name.trim()] = value.join(':').trim();
    } else if (word === '-d') body = words[++i];
    else if (word.startsWith('-')) throw new Error(`an option this test does not know: ${word}`);
    else url = word;
  }
  if (url === undefined) throw new Error(`no URL in ${line}`);
  return { line, method: method ?? (body === undefined ? 'GET' : 'POST'), url, headers, body };
}

/** The sequence docs/api.md prints under "The tutorial's calls, in order", one call per command. */
function tutorialCalls(): CurlCall[] {
  const text = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf("### The tutorial's calls, in order"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  // A line that does not start with curl goes on the command before it (the multi-line body).
  const commands: string[][] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('curl ')) commands.push([line]);
    else if (line !== '') commands.at(-1)?.push(line);
  }
  return commands.map((lines) => parseCurl(lines.join('\n')));
}

/** Is `port` free on 127.0.0.1 right now? The server is closed again before answering. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe: NetServer = createNetServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

/**
 * A first port with `count` free ports from it, below the ephemeral range (32768 and up on
 * Linux), so that the route table's `--port 0` cannot land on one of them.
 */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 10_000);
    let free = true;
    for (let p = first; p < first + count && free; p++) free = await isFree(p);
    if (free) return first;
  }
  throw new Error('no free ports in 50 tries');
}

/** Is cURL installed? */
function hasCurl(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('curl', ['--version'], (error) => {
      resolve(error === null);
    });
  });
}

/** An answer: status and the parsed JSON body. */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function json(text: string): Record<string, unknown> {
  const body: unknown = JSON.parse(text);
  if (!isRecord(body)) throw new Error(`not a JSON object: ${text}`);
  return body;
}

/**
 * Run a cURL line as a shell would, unchanged. The status comes from a configuration file of
 * its own (CURL_HOME), which also keeps the user's own .curlrc out of the run: `silent`, and
 * `write-out` puts the status on a last line of its own.
 */
function runCurl(line: string, curlHome: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', line],
      { env: { ...process.env, CURL_HOME: curlHome }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${line} failed: ${error.message} ${stderr}`));
          return;
        }
        const cut = stdout.lastIndexOf('\n');
        resolve({ status: Number(stdout.slice(cut + 1)), body: json(stdout.slice(0, cut)) });
      },
    );
  });
}

/** The same request with fetch: the line's method, headers and body. */
async function runFetch(call: CurlCall): Promise<Answer> {
  const res = await fetch(call.url, {
    method: call.method,
    headers: call.headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  return { status: res.status, body: json(await res.text()) };
}

/** The script `npm run serve` runs, started with `args`. */
function serve(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', ...args], {
    cwd: process.cwd(),
  });
}

/** Run the script to its end; its exit code and what it printed. */
async function serveToExit(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = serve(args);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

describe("the tutorial's cURL sequence, as docs/api.md prints it", () => {
  const calls = tutorialCalls();

  it("is the tutorial's: mine, its transaction, mine, chain, register, mine on node 2, resolve", () => {
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET http://localhost:5000/mine',
      'POST http://localhost:5000/transactions/new',
      'GET http://localhost:5000/mine',
      'GET http://localhost:5000/chain',
      'POST http://localhost:5000/nodes/register',
      'GET http://localhost:5001/mine',
      'GET http://localhost:5001/mine',
      'GET http://localhost:5001/mine',
      'GET http://localhost:5000/nodes/resolve',
    ]);
    expect(calls[1]?.body).toBe(TUTORIAL_BODY);
    expect(calls[1]?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(calls[4]?.body).toBe('{"nodes": ["http://localhost:5001"]}');
    expect(calls[4]?.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('reads shell quoting as sh does', () => {
    expect(shellWords(`curl -d '{"a": 1}' "http://x/\\"y\\"" a\\ b c\\\nd`)).toEqual([
      'curl',
      '-d',
      '{"a": 1}',
      'http://x/"y"',
      'a b',
      'cd',
    ]);
    expect(parseCurl('curl -d \'{"a":1}\' http://x/y')).toMatchObject({
      method: 'POST',
      url: 'http://x/y',
      body: '{"a":1}',
    });
    expect(() => parseCurl("curl -d '{ http://x")).toThrow(/unclosed '/);
  });
});

describe('npm run serve -- --tutorial-ports, replaying the tutorial', () => {
  let child: ChildProcessWithoutNullStreams;
  let exited: Promise<number | null>;
  let stdout = '';
  let stderr = '';
  let first = 0;
  let tableUrl = '';
  let curlHome = '';
  let curl = false;

  beforeAll(async () => {
    curl = await hasCurl();
    curlHome = mkdtempSync(join(tmpdir(), 'chainlab-curl-'));
    writeFileSync(join(curlHome, '.curlrc'), 'silent\nwrite-out = "\\n%{http_code}"\n');
    first = await freePorts(2);
    child = serve(['--port', '0', '--nodes', '2', '--tutorial-ports', String(first)]);
    exited = new Promise((resolve) => child.on('exit', resolve));
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no banner; stdout: ${stdout}; stderr: ${stderr}`));
      }, 60_000);
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Press Ctrl\+C/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', () => {
        reject(new Error(`exited early; stderr: ${stderr}`));
      });
    });
    tableUrl = `http://localhost:${port}`;
  });

  afterAll(async () => {
    rmSync(curlHome, { recursive: true, force: true });
    if (child.exitCode !== null) return;
    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, 20_000);
    });
    const code = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (code === 'late') child.kill('SIGKILL');
    // Ctrl+C stops every port cleanly.
    expect(code).toBe(0);
    expect(stdout).toContain('Stopped.');
  });

  /** A docs line with the tutorial's ports swapped for this run's, and nothing else changed. */
  function onOurPorts(text: string): string {
    return DOC_PORTS.reduce(
      (t, docPort, i) => t.replaceAll(`localhost:${docPort}`, `localhost:${first + i}`),
      text,
    );
  }

  function run(call: CurlCall): Promise<Answer> {
    const line = onOurPorts(call.line);
    return curl ? runCurl(line, curlHome) : runFetch(parseCurl(line));
  }

  async function get(url: string): Promise<Answer> {
    const res = await fetch(url);
    return { status: res.status, body: json(await res.text()) };
  }

  it('says which node listens where, and prints the tutorial’s calls on those ports', () => {
    expect(stdout).toContain(`  n1 on http://localhost:${first}\n`);
    expect(stdout).toContain(`  n2 on http://localhost:${first + 1}\n`);
    expect(stdout).toContain(`  curl http://localhost:${first}/mine\n`);
    expect(stdout).toContain(
      `-d '{"nodes": ["http://localhost:${first + 1}"]}' "http://localhost:${first}/nodes/register"`,
    );
    expect(stdout).toContain(`  curl http://localhost:${first}/nodes/resolve\n`);
    expect(stdout).toContain(`The whole route table: curl ${tableUrl}/sim/nodes`);
  });

  it('answers each call in turn as the tutorial does, and the nodes agree after resolve', async () => {
    const calls = tutorialCalls();
    const answers: Answer[] = [];
    for (const call of calls) answers.push(await run(call));
    const [mined, refused, minedAgain, chain, registered, n2First, n2Second, n2Third, resolved] =
      answers;
    const tutorialBlock = ['message', 'index', 'transactions', 'proof', 'previous_hash'];

    // GET /mine: the tutorial's fields, the reward to the miner from sender "0".
    expect(mined?.status).toBe(200);
    expect(Object.keys(mined?.body ?? {})).toEqual(expect.arrayContaining(tutorialBlock));
    expect(mined?.body).toMatchObject({ message: 'New Block Forged', index: 2 });
    expect(mined?.body.transactions).toMatchObject([{ sender: '0', amount: 1 }]);

    // The tutorial's transaction, typed as printed: refused in a sentence, and nothing changed.
    expect(refused?.status).toBe(400);
    expect(Object.keys(refused?.body ?? {})).toEqual(['error']);
    expect(refused?.body.error).toMatch(
      /^This node signs only for its own address [0-9a-f]{40}; it cannot spend for "d4ee26eee15148ee92c6cd39…", since every payment carries its sender's signature: leave "sender" out to pay from the node's own address, and name the recipient by an address \(40 hex digits\) or a node id like "n2", not "someone-other-address"\.$/,
    );

    expect(minedAgain?.status).toBe(200);
    expect(minedAgain?.body).toMatchObject({
      message: 'New Block Forged',
      index: 3,
      previous_hash: mined?.body.hash,
      transactions: [{ sender: '0' }],
    });

    // GET /chain: 3 blocks, as in the tutorial, each linked to the one before.
    expect(chain?.status).toBe(200);
    expect(Object.keys(chain?.body ?? {})).toEqual(['chain', 'length']);
    expect(chain?.body.length).toBe(3);
    const blocks = chain?.body.chain as { index: number; hash: string; previous_hash: string }[];
    expect(blocks.map((b) => b.index)).toEqual([1, 2, 3]);
    expect(blocks[2]?.previous_hash).toBe(blocks[1]?.hash);
    expect(blocks[2]?.hash).toBe(minedAgain?.body.hash);

    // POST /nodes/register: the peer as the tutorial lists it, its netloc.
    expect(registered).toEqual({
      status: 201,
      body: { message: 'New nodes have been added', total_nodes: [`localhost:${first + 1}`] },
    });

    // Node 2 mines three blocks on its own chain: it never heard of node 1's.
    expect([n2First, n2Second, n2Third].map((a) => [a?.status, a?.body.index])).toEqual([
      [200, 2],
      [200, 3],
      [200, 4],
    ]);
    expect(n2First?.body.previous_hash).toBe(blocks[0]?.hash);

    // GET /nodes/resolve on node 1: node 2's chain has more work, so it replaces node 1's.
    expect(resolved?.status).toBe(200);
    expect(Object.keys(resolved?.body ?? {})).toEqual(['message', 'new_chain']);
    expect(resolved?.body.message).toBe('Our chain was replaced');
    const adopted = resolved?.body.new_chain as { index: number; hash: string }[];
    expect(adopted.map((b) => b.index)).toEqual([1, 2, 3, 4]);
    expect(adopted.at(-1)?.hash).toBe(n2Third?.body.hash);

    // The two nodes hold one chain now, read on their own ports and on the route table.
    const n1 = await get(`http://localhost:${first}/chain`);
    const n2 = await get(`http://localhost:${first + 1}/chain`);
    expect(n1.body).toEqual(n2.body);
    expect(n1.body.chain).toEqual(adopted);
    expect((await get(`${tableUrl}/node/n1/chain`)).body).toEqual(n1.body);
    const again = await get(`http://localhost:${first}/nodes/resolve`);
    expect(again.body).toMatchObject({ message: 'Our chain is authoritative', chain: adopted });
    const nodes = (await get(`${tableUrl}/sim/nodes`)).body.nodes as {
      id: string;
      peers: string[];
    }[];
    expect(nodes.map((n) => [n.id, n.peers])).toEqual([
      ['n1', ['n2']],
      ['n2', []],
    ]);
  });

  it('answers only the five routes, with the route table’s Allow and errors', async () => {
    const options = await fetch(`http://localhost:${first}/chain`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const post = await fetch(`http://localhost:${first}/mine`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, OPTIONS');
    const other = await get(`http://localhost:${first + 1}/sim/nodes`);
    expect(other.status).toBe(404);
    expect(other.body.error).toBe(
      `No route GET /sim/nodes here: this port is node n2, as in the tutorial, and answers GET /mine, POST /transactions/new, GET /chain, POST /nodes/register and GET /nodes/resolve; every other route is on the route table at ${tableUrl}.`,
    );
    const table = await fetch(`${tableUrl}/mine`);
    expect(table.status).toBe(404);
  });

  it('refuses a peer URL that names no tutorial port, in one sentence, registering nothing', async () => {
    const before = (await get(`${tableUrl}/sim/nodes`)).body;
    const res = await fetch(`http://localhost:${first + 1}/nodes/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nodes: [tableUrl] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `"${tableUrl}" names no node here: the nodes are at http://localhost:${first} (n1) to http://localhost:${first + 1} (n2).`,
    });
    expect((await get(`${tableUrl}/sim/nodes`)).body).toEqual(before);
  });
});

describe('npm run serve -- --tutorial-ports: bad input', () => {
  it.each([
    [
      ['--tutorial-ports', 'x'],
      '--tutorial-ports: use a whole number from 1 to 65535, the first node\'s port, got "x".',
    ],
    [
      ['--tutorial-ports', '0'],
      '--tutorial-ports: use a whole number from 1 to 65535, the first node\'s port, got "0".',
    ],
    [['--tutorial-ports'], '--tutorial-ports needs a value.'],
    [
      ['--tutorial-ports', '65534', '--nodes', '3'],
      '--tutorial-ports 65534 with 3 nodes needs ports up to 65536, past the highest, 65535.',
    ],
    [
      ['--port', '5001', '--tutorial-ports', '5000'],
      '--port 5001 is one of the tutorial ports, 5000 to 5002: give the route table another.',
    ],
  ])('%j exits with code 2 and one sentence, then the usage', async (args, sentence) => {
    const run = await serveToExit(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(sentence);
    expect(run.stderr).toContain('--tutorial-ports  also serve each node alone on its own port');
  });

  it('names the tutorial port already in use, and exits with code 1', async () => {
    const first = await freePorts(2);
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(first + 1, '127.0.0.1', resolve));
    try {
      const run = await serveToExit([
        '--port',
        '0',
        '--nodes',
        '2',
        '--tutorial-ports',
        String(first),
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Port ${first + 1} (n2's tutorial port) is already in use: pick other ports with --tutorial-ports.\n`,
      );
    } finally {
      await new Promise<void>((resolve) => {
        holder.close(() => {
          resolve();
        });
      });
    }
  });
});
