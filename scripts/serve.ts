/**
 * The route table over real HTTP, in front of a headless simulation, so the tutorial's cURL and
 * Postman steps work as written. Listens on 127.0.0.1 only.
 *
 *   npm run serve -- [--port P] [--nodes N] [--seed S]
 */
import { parseOptions } from './cli-args.ts';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { DEFAULT_RESET, MAX_NODES } from '../src/api/backend.ts';
import { createServer } from '../src/server/http.ts';
import { Simulation } from '../src/sim/simulation.ts';

const HOST = '127.0.0.1';

const USAGE = `Usage: npm run serve -- [--port P] [--nodes N] [--seed S]
  --port   TCP port on 127.0.0.1, 0 to 65535; 0 picks a free one (default 3000)
  --nodes  number of nodes, 1 to ${MAX_NODES} (default ${DEFAULT_RESET.nodes})
  --seed   any whole number from 0 to 4294967295; the same seed gives the same keys (default 1)`;

export interface ServeArgs {
  readonly port: number;
  readonly nodes: number;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): ServeArgs {
  return parseOptions(argv, USAGE, {
    port: { default: 3000, min: 0, max: 65_535 },
    nodes: { default: DEFAULT_RESET.nodes, min: 1, max: MAX_NODES },
    seed: { default: 1, min: 0, max: 0xffffffff },
  }).values;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await Simulation.create({
    nodes: args.nodes,
    seed: args.seed,
    startTimeMs: Date.now(),
  });
  const server = createServer(sim);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Live: gossip, continuous mining and timeouts run between requests, in real time.
  const stopLive = sim.runLive(() => Date.now());
  const { port } = server.address() as AddressInfo;
  const base = `http://localhost:${port}`;
  const [first = 'n1', second = first] = sim.ids;
  process.stdout.write(
    [
      `Chainlab is listening on http://${HOST}:${port} (${sim.ids.length} node${sim.ids.length === 1 ? '' : 's'}: ${sim.ids.join(', ')}; seed ${args.seed}).`,
      'Try:',
      `  curl ${base}/sim/nodes`,
      `  curl ${base}/node/${first}/mine`,
      `  curl -X POST -H "Content-Type: application/json" -d '{"recipient":"${second}","amount":1}' ${base}/node/${first}/transactions/new`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      void stopLive().then(() => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      });
    });
    // Idle keep-alive connections would hold close() open; requests in flight still finish.
    server.closeIdleConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `That port is already in use: pick another with --port.\n`
        : `${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
