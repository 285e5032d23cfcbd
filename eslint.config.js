import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Everything the pure core must never reach for (CONTRIBUTING.md, Core purity). */
const coreForbiddenImports = {
  patterns: [
    {
      group: ['../*', 'node:*', 'dexie', 'dexie/*', 'svelte', 'svelte/*', 'comlink', 'd3', 'd3-*'],
      message:
        'src/core is pure: it imports only its own modules and @noble crypto (no storage, UI, workers or Node).',
    },
  ],
};

/**
 * The lab runs headless and in a worker alike: it builds on the core and the engine only
 * (CONTRIBUTING.md, Layers).
 */
const labForbiddenImports = {
  patterns: [
    {
      group: [
        '../app/*',
        '../runtime/*',
        '../worker/*',
        '../server/*',
        'node:*',
        'dexie',
        'dexie/*',
        'svelte',
        'svelte/*',
        'comlink',
        'd3',
        'd3-*',
      ],
      message:
        'src/lab builds on src/core and src/sim only, so experiments run in Node and in a worker alike.',
    },
  ],
};

/** The simulation the page opens: its one entry to the runtime (CONTRIBUTING.md, Layers). */
const APP_RUNTIME_ENTRY = 'src/app/sim/worker-simulation.ts';

/** The lab's runner: the page's one entry to the lab worker, where experiments run. */
const APP_LAB_ENTRY = 'src/app/lab/lab-runner.ts';

/** What the rest of the page must not reach into: the runtime and the worker entries. */
const appForbiddenImports = {
  patterns: [
    {
      group: ['**/runtime/*', '**/worker/*'],
      message:
        'src/app reaches the runtime only through the simulation it opens (src/app/sim/worker-simulation.ts), and the lab worker only through src/app/lab/lab-runner.ts: import from there.',
    },
  ],
};

/** The lab's runner reaches its own worker, and nothing else of the runtime or the workers. */
const labEntryForbiddenImports = {
  patterns: [
    {
      group: ['**/runtime/*', '**/worker/*', '!**/worker/lab.worker.ts'],
      message:
        'src/app/lab/lab-runner.ts imports only the lab worker (src/worker/lab.worker.ts); the nodes are reached through src/app/sim/worker-simulation.ts.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // State classes hold big collections in $state.raw and replace them whole (never mutate),
    // which is how Svelte recommends large immutable data; private bookkeeping maps are not state.
    files: ['**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    files: ['src/app/**', 'src/**/*.svelte'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['scripts/**', 'tests/**', '*.config.*', 'src/sim/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', coreForbiddenImports],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'self',
          'indexedDB',
          'BroadcastChannel',
          'Worker',
          'localStorage',
        ].map((name) => ({ name, message: 'src/core is pure: no DOM, storage or workers.' })),
        { name: 'setTimeout', message: 'src/core takes time from an injected scheduler.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'src/core uses the injected seeded RNG (CONTRIBUTING.md, Determinism).',
        },
        {
          object: 'Date',
          property: 'now',
          message: 'src/core uses the injected clock (CONTRIBUTING.md, Determinism).',
        },
        {
          object: 'JSON',
          property: 'stringify',
          message:
            'src/core hashes canonical bytes, never JSON (CONTRIBUTING.md, Canonical bytes).',
        },
      ],
    },
  },
  {
    files: ['src/lab/**'],
    rules: { 'no-restricted-imports': ['error', labForbiddenImports] },
  },
  {
    files: ['src/app/**'],
    ignores: [APP_RUNTIME_ENTRY, APP_LAB_ENTRY],
    rules: { 'no-restricted-imports': ['error', appForbiddenImports] },
  },
  {
    files: [APP_LAB_ENTRY],
    rules: { 'no-restricted-imports': ['error', labEntryForbiddenImports] },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
