/**
 * The built site served locally for the scripts that drive it in Chromium (the browser bench and
 * the screenshots): built with Vite into a temporary directory (never dist/, which the e2e tests
 * serve), served by `vite preview` on 127.0.0.1, and removed afterwards.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const HOST = '127.0.0.1';

/** Chromium to use (CHROMIUM_PATH, else Debian's, as playwright.config.ts), or why there is none. */
export function chromiumPath(): { path: string } | { reason: string } {
  const path = CHROMIUM_PATH;
  if (existsSync(path)) return { path };
  const hint = process.env.CHROMIUM_PATH
    ? 'the path comes from CHROMIUM_PATH'
    : "install Debian's chromium package or set CHROMIUM_PATH";
  return { reason: `Chromium not found at ${path} (${hint})` };
}

/**
 * Build the site, serve it on `port`, launch Chromium, and run `use` with the browser and the
 * site's address; everything is stopped and removed afterwards, whatever happens.
 */
export async function withBuiltSite<T>(
  port: number,
  use: (browser: Browser, origin: string) => Promise<T>,
): Promise<T> {
  const chrome = chromiumPath();
  if ('reason' in chrome) throw new Error(chrome.reason);
  const origin = `http://${HOST}:${port}/`;
  const outDir = await mkdtemp(join(tmpdir(), 'chainlab-site-'));
  let server: ChildProcess | null = null;
  const killServer = (): void => {
    server?.kill();
  };
  process.once('exit', killServer);
  try {
    await runVite(['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']);
    server = await startPreview(outDir, port, origin);
    const browser = await chromium.launch({
      executablePath: chrome.path,
      args: [...CHROMIUM_ARGS],
    });
    try {
      return await use(browser, origin);
    } finally {
      await browser.close();
    }
  } finally {
    killServer();
    process.off('exit', killServer);
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Run the Vite CLI to completion; its output is shown only if it fails. */
function runVite(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, ...args], { cwd: ROOT, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`vite ${args[0] ?? ''} exited with ${code}:\n${output}`));
    });
  });
}

/** Start `vite preview` on `port` and wait until it answers. */
async function startPreview(outDir: string, port: number, origin: string): Promise<ChildProcess> {
  if (await answers(origin)) throw new Error(`something already serves ${origin}; stop it first`);
  const args = [
    'preview',
    '--host',
    HOST,
    '--port',
    String(port),
    '--strictPort',
    '--outDir',
    outDir,
  ];
  const child = spawn(process.execPath, [VITE, ...args], { cwd: ROOT, stdio: 'pipe' });
  let output = '';
  const state: { exited: number | null } = { exited: null };
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', (code) => (state.exited = code ?? -1));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (state.exited !== null) {
      throw new Error(`vite preview exited with ${state.exited}:\n${output}`);
    }
    if (await answers(origin)) return child;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`vite preview did not answer on ${origin} within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Does a server answer at `url`? */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** One route-table call in the page (`window.chainlab.request`); throws unless it answered 2xx. */
export async function call(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const r = await page.evaluate(
    async ([m, p, b]) => {
      const answer = await window.chainlab.request(m, p, b);
      return { status: answer.status, body: answer.body };
    },
    [method, path, body] as const,
  );
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${method} ${path} answered ${String(r.status)}: ${JSON.stringify(r.body)}`);
  }
  return r.body;
}
