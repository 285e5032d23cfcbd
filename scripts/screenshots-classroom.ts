/**
 * The classroom's screenshots for the docs, taken in Chromium from the built site while a room
 * runs on a local nats-server configured as `npm run classroom` configures one (the preview's
 * Content-Security-Policy lets the page reach it, as CHAINLAB_ROOM_ORIGINS does on a host):
 * the teacher and two learners, four nodes each, share a chain, so twelve markers sit on one tip.
 *
 *   npm run screenshots -- --classroom    writes docs/images/classroom-*.png
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { roomLinkFragment } from '../src/runtime/room.ts';
import { E2E_ROOM_ORIGINS } from './csp.ts';
import type { RoomServer } from './nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomServer } from './nats-server.ts';
import { call, withBuiltSite } from './site.ts';

const PORT = 4176;
const OUT = fileURLToPath(new URL('../docs/images/', import.meta.url));
/** Nodes in each browser: the most a browser may run, so the tip is crowded. */
const NODES_EACH = 4;
const WAIT_MS = 60_000;

interface Row {
  readonly id: string;
  readonly height: number;
  readonly tip: string;
}

async function nodesOf(page: Page): Promise<Row[]> {
  return ((await call(page, 'GET', '/sim/nodes')) as { nodes: Row[] }).nodes;
}

/** Wait until every page's nodes, taken together, satisfy `ok`. */
async function until(pages: readonly Page[], what: string, ok: (rows: Row[]) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rows = (await Promise.all(pages.map(nodesOf))).flat();
    if (ok(rows)) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A fresh browser on the room's link (the teacher's carries the teacher key). */
async function openLink(
  browser: Browser,
  server: RoomServer,
  origin: string,
  options: { teacher: boolean; viewport: { width: number; height: number }; language?: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport });
  const page = await context.newPage();
  const language = options.language ?? 'en';
  await page.addInitScript((lang) => {
    localStorage.setItem('chainlab.tour', 'seen');
    localStorage.setItem('chainlab.locale', lang);
  }, language);
  const fragment = roomLinkFragment({
    server: `ws://127.0.0.1:${String(server.wsPort)}`,
    code: server.room.code,
    teacherKey: options.teacher ? server.teacherKey : '',
  });
  await page.goto(`${origin}#${fragment}`);
  await page.evaluate(() => window.chainlab.ready);
  await page.locator('.lang select').selectOption(language);
  return { context, page };
}

async function join(page: Page, name: string): Promise<void> {
  await page.locator('input[name="learner"]').fill(name);
  await page.locator('input[name="nodes"]').fill(String(NODES_EACH));
  await page
    .locator('section[aria-labelledby="classroom-title"] form button[type="submit"]')
    .click();
  try {
    await page.getByText(`as ${name}.`).waitFor({ timeout: WAIT_MS });
  } catch (e) {
    const alerts = await page.getByRole('alert').allTextContents();
    throw new Error(`${name} could not join the room: ${alerts.join(' ') || String(e)}`);
  }
}

/** Scroll the node table to its list of the room's other nodes. */
async function showRoomNodes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const title = document.getElementById('room-nodes-title');
    const scroll = title?.closest('.scroll');
    if (!title || !scroll) throw new Error('no list of the room nodes in the node table');
    scroll.scrollTop += title.getBoundingClientRect().top - scroll.getBoundingClientRect().top - 8;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${OUT}${name}` });
  process.stdout.write(`docs/images/${name}\n`);
}

/** Take the classroom's screenshots (`npm run screenshots -- --classroom`). */
export async function classroomScreenshots(): Promise<void> {
  if (!NATS_SERVER_INSTALLED) {
    throw new Error('nats-server is not installed: apt-get install -y nats-server');
  }
  await mkdir(OUT, { recursive: true });
  // The preview's policy lets the page reach the local room (as the e2e tests' does).
  process.env.CHAINLAB_ROOM_ORIGINS = E2E_ROOM_ORIGINS.join(' ');
  const server = await startRoomServer();
  const contexts: BrowserContext[] = [];
  try {
    await withBuiltSite(PORT, async (browser, origin) => {
      const open = async (
        teacher: boolean,
        viewport: { width: number; height: number },
        language?: string,
      ): Promise<Page> => {
        const { context, page } = await openLink(browser, server, origin, {
          teacher,
          viewport,
          ...(language ? { language } : {}),
        });
        contexts.push(context);
        return page;
      };
      // The join form as a learner sees it on a tablet, in French, before joining.
      const tablet = await open(false, { width: 820, height: 1180 }, 'fr');
      await tablet.locator('input[name="learner"]').fill('Zoé');
      await tablet.locator('input[name="learner"]').blur();
      await tablet.evaluate(() => {
        document.getElementById('classroom-title')?.scrollIntoView({ block: 'start' });
      });
      await shoot(tablet, 'classroom-join-820x1180-fr.png');
      await tablet.context().close();

      const teacher = await open(true, { width: 1280, height: 720 });
      await join(teacher, 'Teacher');
      const alice = await open(false, { width: 1280, height: 720 });
      await join(alice, 'Alice');
      const bob = await open(false, { width: 1280, height: 720 });
      await join(bob, 'Bob');
      const pages = [teacher, alice, bob];
      const all = 3 * NODES_EACH;
      // A few blocks from different browsers; then every node on one tip.
      for (const [page, id] of [
        [alice, 'alice-1'],
        [bob, 'bob-2'],
        [teacher, 'teacher-3'],
      ] as const) {
        await call(page, 'GET', `/node/${id}/mine`);
        await until(
          pages,
          `${id}'s block everywhere`,
          (rows) => rows.length === all && rows.every((r) => r.tip === rows[0]?.tip),
        );
      }
      // The room's markers follow presences: wait until each page lists every node.
      for (const page of pages) {
        await page.getByRole('tab', { name: 'Nodes' }).click();
        await page
          .locator('[data-room-node]')
          .nth(2 * NODES_EACH - 1)
          .waitFor({ timeout: WAIT_MS });
        await page
          .locator('.marker')
          .nth(all - 1)
          .waitFor({ timeout: WAIT_MS });
      }
      // A node picked in the teacher's and Alice's tables: its marker is named in the tree.
      await teacher.locator('tr[data-node="teacher-2"] button.name').click();
      await alice.locator('tr[data-node="alice-1"] button.name').click();
      await teacher.waitForTimeout(1_500);
      await showRoomNodes(teacher);
      await showRoomNodes(alice);
      await shoot(teacher, 'classroom-teacher-1280x720.png');
      await shoot(alice, 'classroom-learner-1280x720.png');
      await teacher.setViewportSize({ width: 1920, height: 1080 });
      // The teacher's Classroom tab: the key's expiry, the roster, the controls and the QR code.
      await teacher.getByRole('tab', { name: 'Classroom' }).click();
      await teacher.locator('.qr svg').waitFor({ timeout: WAIT_MS });
      await shoot(teacher, 'classroom-teacher-controls-1920x1080.png');
      await teacher.locator('.projector-switch').click();
      await teacher.waitForTimeout(1_500);
      await shoot(teacher, 'classroom-teacher-1920x1080-projector.png');
    });
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server.stop();
  }
}
