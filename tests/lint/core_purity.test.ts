/**
 * src/core is pure (CONTRIBUTING.md: Core purity, Canonical bytes, Determinism): no storage, UI, worker or Node imports, no reaching
 * outside the core, no ambient randomness, clock or JSON hashing, no DOM globals. Two guards keep
 * it so, and both are checked here: the ESLint rules scoped to src/core (through ESLint's Node API,
 * linting text as if it were a core file), and the core tsconfig, whose lib has no DOM.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/** An existing core file, so the typed-lint project service knows where the text lives. */
const CORE_FILE = 'src/core/result.ts';
/** A file outside the core: the same text must pass the purity rules there. */
const SIM_FILE = 'src/sim/memory-store.ts';
const CORE_RESTRICTION = /^no-restricted-(imports|globals|properties)$/;
const SLOW = 120_000;

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function lint(code: string, filePath: string): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('ESLint returned no result');
  return result;
}

function restrictionErrors(result: ESLint.LintResult): { rule: string; message: string }[] {
  return result.messages
    .filter((m) => m.severity === 2 && m.ruleId !== null && CORE_RESTRICTION.test(m.ruleId))
    .map((m) => ({ rule: m.ruleId ?? '', message: m.message }));
}

/** Snippet, the rule that must report it, and text the report must contain. */
const FORBIDDEN: readonly (readonly [string, string, string])[] = [
  ["import Dexie from 'dexie';\nexport const db = Dexie;\n", 'no-restricted-imports', 'dexie'],
  ["import { mount } from 'svelte';\nexport const m = mount;\n", 'no-restricted-imports', 'svelte'],
  [
    "import * as Comlink from 'comlink';\nexport const c = Comlink;\n",
    'no-restricted-imports',
    'comlink',
  ],
  ["import * as d3 from 'd3';\nexport const chart = d3;\n", 'no-restricted-imports', 'd3'],
  [
    "import { x } from '../sim/memory-store.ts';\nexport const y = x;\n",
    'no-restricted-imports',
    '../sim/memory-store.ts',
  ],
  ["import fs from 'node:fs';\nexport const f = fs;\n", 'no-restricted-imports', 'node:fs'],
  ['export const r = Math.random();\n', 'no-restricted-properties', 'Math.random'],
  ['export const t = Date.now();\n', 'no-restricted-properties', 'Date.now'],
  ['export const s = JSON.stringify({});\n', 'no-restricted-properties', 'JSON.stringify'],
  ['export const a = window.alert;\n', 'no-restricted-globals', 'window'],
  ["export const db = indexedDB.open('x');\n", 'no-restricted-globals', 'indexedDB'],
  ["export const ch = new BroadcastChannel('x');\n", 'no-restricted-globals', 'BroadcastChannel'],
];

describe('ESLint keeps src/core pure', () => {
  it.each(FORBIDDEN)('%j is an error from %s', async (code, rule, mention) => {
    const result = await lint(code, CORE_FILE);
    const errors = restrictionErrors(result);
    expect(errors.map((e) => e.rule)).toContain(rule);
    const reported = errors.filter((e) => e.rule === rule);
    expect(reported.some((e) => e.message.includes(mention))).toBe(true);
    expect(reported.some((e) => e.message.includes('src/core') || /rule \d/.test(e.message))).toBe(
      true,
    );
    expect(result.errorCount).toBeGreaterThan(0);
  });

  it('a core module using its own modules and @noble crypto is clean', async () => {
    // Linted as hash.ts so that './result.ts' is a real sibling, not the file importing itself.
    const code = [
      "import { sha256 } from '@noble/hashes/sha2.js';",
      "import type { Result } from './result.ts';",
      "import { ok } from './result.ts';",
      '',
      '/** SHA-256 of some bytes, wrapped in a Result. */',
      'export function digest(data: Uint8Array): Result<Uint8Array, never> {',
      '  return ok(sha256(data));',
      '}',
      '',
    ].join('\n');
    // The project service keeps the last text linted for a path: give result.ts its own back.
    await lint(readFileSync(CORE_FILE, 'utf8'), CORE_FILE);
    const result = await lint(code, 'src/core/hash.ts');
    expect(restrictionErrors(result)).toEqual([]);
    expect(result.messages).toEqual([]);
  });

  it('the purity rules apply to src/core only', async () => {
    const code = [
      "import fs from 'node:fs';",
      'export const r = Math.random();',
      'export const t = Date.now();',
      'export const s = JSON.stringify({ r, t });',
      'export const exists = fs.existsSync;',
      '',
    ].join('\n');
    expect(restrictionErrors(await lint(code, SIM_FILE))).toEqual([]);
    const inCore = restrictionErrors(await lint(code, CORE_FILE)).map((e) => e.rule);
    expect(inCore.sort()).toEqual([
      'no-restricted-imports',
      'no-restricted-properties',
      'no-restricted-properties',
      'no-restricted-properties',
    ]);
  });
});

interface Run {
  readonly code: number | null;
  readonly output: string;
}

/** `npx tsc -p src/core/tsconfig.json --noEmit`; resolves with the exit code, never throws on it. */
function tscCore(): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['tsc', '-p', 'src/core/tsconfig.json', '--noEmit'],
      { cwd: process.cwd(), encoding: 'utf8', timeout: SLOW },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`could not run: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr });
      },
    );
  });
}

describe('the core tsconfig has no DOM', () => {
  it('type-checks the real core', { timeout: SLOW }, async () => {
    const run = await tscCore();
    expect(run.output).toBe('');
    expect(run.code).toBe(0);
  });

  it('refuses a core file that touches document', { timeout: SLOW }, async () => {
    const name = `__purity_probe_${randomUUID().replaceAll('-', '')}`;
    const probe = `src/core/${name}.ts`;
    let run: Run;
    try {
      writeFileSync(probe, 'export const title: unknown = document.title;\n', { flag: 'wx' });
      run = await tscCore();
    } finally {
      rmSync(probe, { force: true });
    }
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("Cannot find name 'document'");
    expect(run.output).toContain(name);
  });
});
