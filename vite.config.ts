import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import headers from './deploy/headers.json' with { type: 'json' };
import { roomOriginsFromEnv, withRoomOrigins } from './scripts/csp.ts';

/**
 * `vite preview` serves dist/ with the production headers (deploy/headers.json, the one place
 * they are kept), so every end-to-end test runs under the production Content-Security-Policy.
 * CHAINLAB_ROOM_ORIGINS (space-separated, e.g. `wss://room.example.org`) adds classroom rooms to
 * its connect-src, as a host serving a class would (docs/classroom.md).
 */
function productionHeaders(): Plugin {
  const security: Record<string, string> = {
    ...headers.security,
    'Content-Security-Policy': withRoomOrigins(
      headers.security['Content-Security-Policy'],
      roomOriginsFromEnv(process.env.CHAINLAB_ROOM_ORIGINS),
    ),
  };
  return {
    name: 'chainlab-production-headers',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
        const hashed = (req.url ?? '').includes('/assets/');
        res.setHeader('Cache-Control', hashed ? headers.cache.hashedAssets : headers.cache.html);
        next();
      });
    },
  };
}

export default defineConfig({
  // Relative asset paths so dist/ works from the root or any sub-path of a static host.
  base: './',
  plugins: [svelte(), productionHeaders()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // The JSON report feeds the one-line total that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
