/**
 * The page reaches the runtime only through the simulation it opens, and the lab worker only
 * through the lab's runner (CONTRIBUTING.md, Layers): outside src/app/sim/worker-simulation.ts
 * and src/app/lab/lab-runner.ts, nothing under src/app imports from src/runtime or src/worker,
 * types included, and the runner imports the lab worker alone. The ESLint rules that keep it so
 * are checked here through ESLint's Node API, linting text as if it were a page file.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/** Existing page files, so the typed-lint project service knows where the text lives. */
const STATE_FILE = 'src/app/state/answers.ts';
const COMPONENT_FILE = 'src/app/components/TreeTable.svelte';
/** The one entry: the same imports are allowed there. */
const ENTRY_FILE = 'src/app/sim/worker-simulation.ts';
/** The lab's one entry: the lab worker's type is allowed there, and only there. */
const LAB_ENTRY_FILE = 'src/app/lab/lab-runner.ts';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('ESLint returned no result');
  return result.messages
    .filter((m) => m.severity === 2 && m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

/** Imports a page file must not make, each with the path the report must name. */
const FORBIDDEN: readonly (readonly [string, string])[] = [
  [
    "import type { NodeStatus } from '../../runtime/protocol.ts';\nexport type S = NodeStatus;\n",
    '../../runtime/protocol.ts',
  ],
  [
    "import type { NodeHost } from '../../runtime/node-host.ts';\nexport type H = NodeHost;\n",
    '../../runtime/node-host.ts',
  ],
  [
    "import { names } from '../../runtime/protocol.ts';\nexport const n = names.tabsChannel;\n",
    '../../runtime/protocol.ts',
  ],
  [
    "import { publishNetworkSettings } from '../../runtime/broadcast-transport.ts';\nexport const p = publishNetworkSettings;\n",
    '../../runtime/broadcast-transport.ts',
  ],
  [
    "import type { NodeWorkerApi } from '../../worker/node.worker.ts';\nexport type W = NodeWorkerApi;\n",
    '../../worker/node.worker.ts',
  ],
  [
    "import type { LabWorkerApi } from '../../worker/lab.worker.ts';\nexport type L = LabWorkerApi;\n",
    '../../worker/lab.worker.ts',
  ],
];

describe('ESLint keeps the page out of the runtime', () => {
  it.each(FORBIDDEN)('%j is an error in a page module', async (code, path) => {
    const messages = await restricted(code, STATE_FILE);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(path);
    expect(messages[0]).toContain('worker-simulation.ts');
    expect(messages[0]).toContain('lab-runner.ts');
  });

  it('a component importing a runtime type is an error', async () => {
    const code = [
      '<script lang="ts">',
      "  import type { NodeStatus } from '../../runtime/protocol.ts';",
      '  let { node }: { node: NodeStatus } = $props();',
      '</script>',
      '',
      '<p>{node.id}</p>',
      '',
    ].join('\n');
    const messages = await restricted(code, COMPONENT_FILE);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('../../runtime/protocol.ts');
  });

  it('the same types through the entry are clean', async () => {
    const code = [
      "import type { BlockSummary, NodeStatus } from '../sim/worker-simulation.ts';",
      'export type Pair = readonly [NodeStatus, BlockSummary];',
      '',
    ].join('\n');
    expect(await restricted(code, STATE_FILE)).toEqual([]);
  });

  it('the entry itself may import the runtime', async () => {
    // The real entry, linted as itself: it imports src/runtime and src/worker.
    const source = readFileSync(ENTRY_FILE, 'utf8');
    expect(source).toContain("from '../../runtime/protocol.ts'");
    expect(await restricted(source, ENTRY_FILE)).toEqual([]);
    // The same text anywhere else in the page is refused.
    expect((await restricted(source, STATE_FILE)).length).toBeGreaterThan(0);
  });

  it('the lab entry may import the lab worker, and the same text elsewhere is refused', async () => {
    const source = readFileSync(LAB_ENTRY_FILE, 'utf8');
    expect(source).toContain("from '../../worker/lab.worker.ts'");
    expect(await restricted(source, LAB_ENTRY_FILE)).toEqual([]);
    expect((await restricted(source, STATE_FILE)).length).toBeGreaterThan(0);
  });

  it.each([
    "import type { NodeStatus } from '../../runtime/protocol.ts';\nexport type S = NodeStatus;\n",
    "import type { NodeWorkerApi } from '../../worker/node.worker.ts';\nexport type W = NodeWorkerApi;\n",
  ])('the lab entry reaching past its worker is an error: %j', async (code) => {
    const messages = await restricted(code, LAB_ENTRY_FILE);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('imports only the lab worker');
  });
});
