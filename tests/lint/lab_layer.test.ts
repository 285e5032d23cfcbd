/**
 * src/lab builds on the core and the engine only (CONTRIBUTING.md, Layers), so the same
 * experiments run from the command line and in the page's worker: the ESLint rule scoped to
 * src/lab refuses the page, the runtime, Node and the UI libraries, and lets the engine through.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const LAB_FILE = 'src/lab/params.ts';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function importErrors(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: LAB_FILE });
  if (!result) throw new Error('ESLint returned no result');
  return result.messages
    .filter((m) => m.severity === 2 && m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('the lab layer', () => {
  it.each([
    "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    "import { SimulationState } from '../app/state/simulation.svelte.ts';\nexport const s = SimulationState;\n",
    "import { NodeHost } from '../runtime/node-host.ts';\nexport const h = NodeHost;\n",
    "import * as Comlink from 'comlink';\nexport const c = Comlink;\n",
    "import { select } from 'd3-selection';\nexport const s = select;\n",
  ])(
    'refuses %j',
    async (code) => {
      const errors = await importErrors(code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('src/lab builds on src/core and src/sim only');
    },
    120_000,
  );

  it('lets the core and the engine through', async () => {
    const code =
      "import { createRng } from '../core/rng.ts';\nimport { Simulation } from '../sim/simulation.ts';\nexport const both = [createRng, Simulation];\n";
    expect(await importErrors(code)).toEqual([]);
  }, 120_000);
});
