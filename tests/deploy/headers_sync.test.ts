/**
 * The production headers are kept in one place, deploy/headers.json; every host's configuration
 * carries exactly those (Azure Static Web Apps, the nginx container, vite preview).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import headers from '../../deploy/headers.json' with { type: 'json' };

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('production headers', () => {
  it('Azure Static Web Apps sends the same security headers and caching', () => {
    const swa = JSON.parse(read('public/staticwebapp.config.json')) as {
      globalHeaders: Record<string, string>;
      navigationFallback: { rewrite: string };
      routes: { route: string; headers: Record<string, string> }[];
    };
    expect(swa.globalHeaders).toEqual(headers.security);
    expect(swa.navigationFallback.rewrite).toBe('/index.html');
    const cache = Object.fromEntries(swa.routes.map((r) => [r.route, r.headers['Cache-Control']]));
    expect(cache['/assets/*']).toBe(headers.cache.hashedAssets);
    expect(cache['/index.html']).toBe(headers.cache.html);
  });

  it('the nginx container sends the same security headers and caching', () => {
    const include = read('deploy/chainlab-headers.inc');
    const sent: Record<string, string> = {};
    for (const m of include.matchAll(/^add_header ([\w-]+) "([^"]*)" always;$/gm)) {
      sent[m[1] ?? ''] = m[2] ?? '';
    }
    expect(sent).toEqual(headers.security);
    const conf = read('deploy/nginx.conf');
    expect(conf).toContain(`add_header Cache-Control "${headers.cache.hashedAssets}" always;`);
    expect(conf).toContain(`add_header Cache-Control "${headers.cache.html}" always;`);
    expect(conf).toContain('try_files $uri $uri/ /index.html;');
    expect(conf.match(/include \/etc\/nginx\/conf\.d\/chainlab-headers\.inc;/g)).toHaveLength(2);
  });

  it('the CSP allows the module workers and nothing beyond the site itself', () => {
    const csp = headers.security['Content-Security-Policy'];
    expect(csp).toContain("worker-src 'self'");
    // 'wasm-unsafe-eval' lets the workers compile the proof-of-work kernel they generate
    // (src/runtime/pow-wasm-kernel.ts); it allows WebAssembly compilation and no JavaScript eval.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
