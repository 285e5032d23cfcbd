/**
 * The route table over real HTTP, in front of a headless simulation, so the tutorial's cURL and
 * Postman steps work as written. Listens on 127.0.0.1 only.
 *
 *   npm run serve -- [--port P] [--nodes N] [--seed S] [--tutorial-ports T]
 *
 * With `--tutorial-ports T` each node also answers the tutorial's own routes at the root of a
 * port of its own, n1 on T, n2 on T+1, … (src/api/tutorial.ts), and the network starts as the
 * tutorial's does: no node knows another until registered, and nothing travels until resolve.
 */
import { parseOptions, fail } from './cli-args.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { DEFAULT_RESET, MAX_NODES } from '../src/api/backend.ts';
import type { TutorialPorts } from '../src/api/tutorial.ts';
import { peerNetloc, tutorialPort, tutorialUrl } from '../src/api/tutorial.ts';
import type { NodeId } from '../src/core/types.ts';
import { createServer } from '../src/server/http.ts';
import { Simulation } from '../src/sim/simulation.ts';

const HOST = '127.0.0.1';

/** The highest TCP port. */
const MAX_PORT = 65_535;

/** The tutorial's own first port (Flask's default, `python blockchain.py` runs on 5000). */
const TUTORIAL_FIRST_PORT = 5000;

const USAGE = `Usage: npm run serve -- [--port P] [--nodes N] [--seed S] [--tutorial-ports T]
  --port            TCP port on 127.0.0.1, 0 to ${MAX_PORT}; 0 picks a free one (default 3000)
  --nodes           number of nodes, 1 to ${MAX_NODES} (default ${DEFAULT_RESET.nodes})
  --seed            any whole number from 0 to 4294967295; the same seed gives the same keys (default 1)
  --tutorial-ports  also serve each node alone on its own port, n1 on T, n2 on T+1, …, with the
                    tutorial's routes at the root (GET /mine, POST /transactions/new, GET /chain,
                    POST /nodes/register, GET /nodes/resolve), as in the tutorial: nodes start with
                    no peers and share blocks only on resolve; 1 to ${MAX_PORT} (the tutorial's is ${TUTORIAL_FIRST_PORT})`;

export interface ServeArgs {
  readonly port: number;
  readonly nodes: number;
  readonly seed: number;
  /** The first tutorial port, or null when there are none. */
  readonly tutorialPorts: number | null;
}

/** `--tutorial-ports T`: a whole number from 1 (0 cannot pick several ports side by side). */
function parseFirstPort(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= 1 && value <= MAX_PORT
    ? { ok: true, value }
    : {
        ok: false,
        error: `use a whole number from 1 to ${MAX_PORT}, the first node's port, got "${text}".`,
      };
}

/** The options, checked against each other: every tutorial port fits, none is the main one. */
function parseArgs(argv: readonly string[]): ServeArgs {
  const { values, texts } = parseOptions<
    'port' | 'nodes' | 'seed',
    never,
    { 'tutorial-ports': number | null }
  >(
    argv,
    USAGE,
    {
      port: { default: 3000, min: 0, max: MAX_PORT },
      nodes: { default: DEFAULT_RESET.nodes, min: 1, max: MAX_NODES },
      seed: { default: 1, min: 0, max: 0xffffffff },
    },
    [],
    { 'tutorial-ports': { default: null, parse: parseFirstPort } },
  );
  const first = texts['tutorial-ports'];
  if (first !== null) {
    const last = first + values.nodes - 1;
    if (last > MAX_PORT) {
      fail(
        USAGE,
        `--tutorial-ports ${first} with ${values.nodes} nodes needs ports up to ${last}, past the highest, ${MAX_PORT}.`,
      );
    }
    if (values.port >= first && values.port <= last) {
      fail(
        USAGE,
        `--port ${values.port} is one of the tutorial ports, ${first} to ${last}: give the route table another.`,
      );
    }
  }
  return { ...values, tutorialPorts: first };
}

/** Listen on `port`, or fail with one sentence a learner can act on. */
function listen(server: Server, port: number, whose: string, remedy: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const refused = (error: Error & { code?: unknown }): void => {
      const why =
        error.code === 'EADDRINUSE'
          ? `Port ${port} (${whose}) is already in use: ${remedy}`
          : error.code === 'EACCES'
            ? `Port ${port} (${whose}) needs privileges this user does not have: pick one from 1024 up.`
            : error.message;
      reject(new Error(why, { cause: error }));
    };
    server.once('error', refused);
    server.listen(port, HOST, () => {
      server.off('error', refused);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The banner's lines for the tutorial ports: who listens where, and the tutorial's calls. */
function tutorialLines(ports: TutorialPorts): string[] {
  const [first = 'n1' as NodeId, second = first] = ports.ids;
  const at = (i: number): string => tutorialUrl(ports.first + i);
  const json = 'curl -X POST -H "Content-Type: application/json" -d';
  return [
    'The tutorial, word for word: each node alone on its own port, with no peers until registered, sharing blocks only on resolve.',
    ...ports.ids.map((id, i) => `  ${id} on ${at(i)}`),
    'Try, as the tutorial does:',
    `  curl ${at(0)}/mine`,
    `  ${json} '{"recipient": "${second}", "amount": 1}' "${at(0)}/transactions/new"`,
    `  curl ${at(0)}/chain`,
    ...(ports.ids.length > 1
      ? [
          `  ${json} '{"nodes": ["http://${peerNetloc(ports, second)}"]}' "${at(0)}/nodes/register"`,
          `  curl ${at(1)}/mine`,
          `  curl ${at(1)}/mine`,
          `  curl ${at(0)}/nodes/resolve`,
        ]
      : []),
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await Simulation.create({
    nodes: args.nodes,
    seed: args.seed,
    startTimeMs: Date.now(),
    // The tutorial's network: nobody registered, nothing propagates until resolve.
    ...(args.tutorialPorts === null ? {} : { peers: 'none', gossip: 'manual' }),
  });
  const server = createServer(sim);
  const port = await listen(server, args.port, 'the route table', 'pick another with --port.');
  const base = `http://localhost:${port}`;
  const servers = [server];
  const ports: TutorialPorts | null =
    args.tutorialPorts === null ? null : { first: args.tutorialPorts, ids: sim.ids };
  try {
    if (ports !== null) {
      for (const [i, id] of ports.ids.entries()) {
        const tutorial = createServer(
          tutorialPort((method, path, body) => sim.request(method, path, body), ports, id, base),
        );
        servers.push(tutorial);
        await listen(
          tutorial,
          ports.first + i,
          `${id}'s tutorial port`,
          'pick other ports with --tutorial-ports.',
        );
      }
    }
  } catch (error) {
    for (const s of servers) s.close();
    throw error;
  }
  // Live: gossip, continuous mining and timeouts run between requests, in real time.
  const stopLive = sim.runLive(() => Date.now());
  const [first = 'n1', second = first] = sim.ids;
  process.stdout.write(
    [
      `Chainlab is listening on http://${HOST}:${port} (${sim.ids.length} node${sim.ids.length === 1 ? '' : 's'}: ${sim.ids.join(', ')}; seed ${args.seed}).`,
      ...(ports === null
        ? [
            'Try:',
            `  curl ${base}/sim/nodes`,
            `  curl ${base}/node/${first}/mine`,
            `  curl -X POST -H "Content-Type: application/json" -d '{"recipient":"${second}","amount":1}' ${base}/node/${first}/transactions/new`,
          ]
        : [...tutorialLines(ports), `The whole route table: curl ${base}/sim/nodes`]),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    let open = servers.length;
    for (const s of servers) {
      s.close(() => {
        open -= 1;
        if (open > 0) return;
        void stopLive().then(() => {
          process.stdout.write('Stopped.\n');
          process.exit(0);
        });
      });
      // Idle keep-alive connections would hold close() open; requests in flight still finish.
      s.closeIdleConnections();
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
