/**
 * The route table over real HTTP, in front of a headless simulation, so the tutorial's cURL and
 * Postman steps work as written. Listens on 127.0.0.1 only.
 *
 *   npm run serve -- [--port P] [--nodes N] [--seed S]
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createServer } from '../src/server/http.ts';
import { Simulation } from '../src/sim/simulation.ts';

const HOST = '127.0.0.1';

const USAGE = `Usage: npm run serve -- [--port P] [--nodes N] [--seed S]
  --port   TCP port on 127.0.0.1, 0 to 65535; 0 picks a free one (default 3000)
  --nodes  number of nodes, 1 to 16 (default 3)
  --seed   any whole number from 0 to 4294967295; the same seed gives the same keys (default 1)`;

export interface ServeArgs {
  readonly port: number;
  readonly nodes: number;
  readonly seed: number;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): ServeArgs {
  const values: Record<string, number> = { port: 3000, nodes: 3, seed: 1 };
  const limits: Record<string, [number, number]> = {
    port: [0, 65_535],
    nodes: [1, 16],
    seed: [0, 0xffffffff],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const name = arg.replace(/^--/, '');
    const range = limits[name];
    if (!arg.startsWith('--') || !Object.hasOwn(limits, name) || !range) {
      fail(`Unknown option "${arg}".`);
    }
    const raw = argv[++i];
    const value = Number(raw);
    if (raw === undefined || !/^\d+$/.test(raw) || value < range[0] || value > range[1]) {
      fail(`--${name} needs a whole number from ${range[0]} to ${range[1]}, got "${raw ?? ''}".`);
    }
    values[name] = value;
  }
  return { port: values.port ?? 3000, nodes: values.nodes ?? 3, seed: values.seed ?? 1 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await Simulation.create({ nodes: args.nodes, seed: args.seed });
  const server = createServer(sim);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://localhost:${port}`;
  const [first = 'n1', second = first] = sim.ids;
  process.stdout.write(
    [
      `Chainlab is listening on http://${HOST}:${port} (${sim.ids.length} node${sim.ids.length === 1 ? '' : 's'}: ${sim.ids.join(', ')}; seed ${args.seed}).`,
      'Try:',
      `  curl ${base}/sim/nodes`,
      `  curl ${base}/node/${first}/mine`,
      `  curl -X POST -H "Content-Type: application/json" -d '{"recipient":"${second}","amount":5}' ${base}/node/${first}/transactions/new`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      process.stdout.write('Stopped.\n');
      process.exit(0);
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
