/**
 * The classroom in Chromium: three browser contexts (the teacher and two learners) join one room
 * on a real nats-server, configured as `npm run classroom` configures it. They mine and pay on
 * one network; the teacher splits the room and heals it; a learner who closes the page and comes
 * back catches up; a hostile browser's junk and forgeries change nothing; and every joining
 * mistake gets one sentence and joins nothing.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import type { NodeId } from '../../src/core/types.ts';
import { newTeacherKey, roomLinkFragment, teacherKeyExpiry } from '../../src/runtime/room.ts';
import { pureSignatures, walletFromSecret } from '../../src/core/wallet.ts';
import { encodeMessage, sealEnvelope } from '../../src/core/wire.ts';
import type { RoomServer } from '../../scripts/nats-server.ts';
import { NATS_SERVER_INSTALLED, startRoomServer } from '../../scripts/nats-server.ts';
import { call, seriousViolations } from './helpers.ts';

test.skip(!NATS_SERVER_INSTALLED, 'nats-server is not installed: apt-get install -y nats-server');

// Each test has a room of its own, and closes every browser it opened.
let server: RoomServer;
const contexts: BrowserContext[] = [];
test.beforeEach(async () => {
  server = await startRoomServer();
});
test.afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  await server.stop();
});

/** The room's address as the page reaches it (the preview's CSP allows 127.0.0.1). */
const socket = (): string => `ws://127.0.0.1:${server.wsPort}`;

/** Open the page with the room's link, as a learner (or the teacher) would. */
async function openRoomLink(browser: Browser, teacher: boolean): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.addInitScript(() => {
    localStorage.setItem('chainlab.tour', 'seen');
  });
  const fragment = roomLinkFragment({
    server: socket(),
    code: server.room.code,
    teacherKey: teacher ? server.teacherKey : '',
  });
  await page.goto(`./#${fragment}`);
  await page.evaluate(() => window.chainlab.ready);
  return page;
}

async function join(browser: Browser, name: string, teacher = false): Promise<Page> {
  const page = await openRoomLink(browser, teacher);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  // Typed, as a learner would (a number field's value is a number: it used to break the join).
  await page.getByRole('spinbutton', { name: 'Nodes in this browser' }).fill('2');
  await page.getByRole('button', { name: 'Join the room' }).click();
  await expect(page.getByText(`as ${name}.`)).toBeVisible();
  return page;
}

interface Row {
  readonly id: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
}

async function nodesOf(page: Page): Promise<Row[]> {
  return (await call(page, 'GET', '/sim/nodes')).nodes as Row[];
}

/** Wait until every page's nodes satisfy `ok` (given all of them at once). */
async function until(
  pages: readonly Page[],
  what: string,
  ok: (rows: Row[]) => boolean,
): Promise<Row[]> {
  let rows: Row[] = [];
  const deadline = Date.now() + 45_000;
  for (;;) {
    rows = (await Promise.all(pages.map(nodesOf))).flat();
    if (ok(rows)) return rows;
    if (Date.now() > deadline) {
      const seen = rows.map((r) => `${r.id} at ${r.height} on ${r.tip.slice(0, 8)}`).join(', ');
      throw new Error(`gave up waiting for ${what}; the nodes: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const sameTip = (rows: Row[]): boolean =>
  rows.length > 0 && rows.every((r) => r.tip === rows[0]?.tip);

test('three browsers mine, pay, split and heal as one room; a learner who comes back catches up', async ({
  browser,
}) => {
  const teacher = await join(browser, 'Teacher', true);
  const alice = await join(browser, 'Alice');
  const bob = await join(browser, 'Bob');
  const pages = [teacher, alice, bob];
  // Everyone is listed in the teacher's room table.
  for (const name of ['Alice', 'Bob', 'Teacher']) {
    await expect(teacher.getByRole('cell', { name, exact: true })).toBeVisible();
  }
  // The teacher's node table lists the other browsers' nodes below its own, by learner, and
  // offers nothing that would act on them.
  await teacher.getByRole('tab', { name: 'Nodes' }).click();
  const others = teacher.getByRole('table', { name: "The room's nodes in other browsers" });
  await expect(others.locator('[data-room-node]')).toHaveCount(4);
  expect(
    await others
      .locator('[data-room-node]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.roomNode)),
  ).toEqual(['alice-1', 'alice-2', 'bob-1', 'bob-2']);
  await expect(others.getByRole('button')).toHaveCount(0);
  await expect(teacher.locator('tr[data-node]')).toHaveCount(2);
  await teacher.getByRole('tab', { name: 'Classroom' }).click();

  // A block mined in Alice's browser reaches every node of the room.
  await call(alice, 'GET', '/node/alice-1/mine');
  await until(
    pages,
    'the block everywhere',
    (rows) => rows.length === 6 && rows.every((r) => r.height === 2) && sameTip(rows),
  );

  // Alice pays Bob; Bob's node mines it, and Bob's balance shows it in every browser.
  const bobAddress = (await nodesOf(bob))[0]?.address ?? '';
  await call(
    alice,
    'POST',
    '/node/alice-1/transactions/new',
    { recipient: bobAddress, amount: 1 },
    201,
  );
  // The payment reaches Bob's node before Bob mines.
  await expect
    .poll(
      async () =>
        ((await call(bob, 'GET', '/node/bob-1/mempool')).transactions as unknown[]).length,
      { timeout: 30_000 },
    )
    .toBe(1);
  await call(bob, 'GET', '/node/bob-1/mine');
  await until(
    pages,
    'the payment confirmed everywhere',
    (rows) => rows.every((r) => r.height === 3) && sameTip(rows),
  );
  const balance = await call(teacher, 'GET', `/node/teacher-1/balance/${bobAddress}`);
  expect(balance.balance).toBe(2); // Bob's block reward and Alice's coin

  // The teacher puts Bob alone in group 2 and splits the room: each side mines its own branch.
  await teacher.getByRole('combobox', { name: 'Group of Bob' }).selectOption('2');
  await teacher.getByRole('button', { name: 'Split the room' }).click();
  // Every page applies the teacher's split to its own nodes.
  for (const page of pages) {
    await expect.poll(async () => (await call(page, 'GET', '/sim/network')).groups).toHaveLength(2);
  }
  await call(alice, 'GET', '/node/alice-1/mine');
  await call(bob, 'GET', '/node/bob-1/mine');
  // bob-2 builds on bob-1's block once it has it (100 ms away, as every link).
  await until(
    [bob],
    "bob-1's block at bob-2",
    (rows) => rows.every((r) => r.height === 4) && sameTip(rows),
  );
  await call(bob, 'GET', '/node/bob-2/mine');
  const split = await until(pages, 'two branches', (rows) => {
    const bobs = rows.filter((r) => r.id.startsWith('bob'));
    const others = rows.filter((r) => !r.id.startsWith('bob'));
    return (
      bobs.every((r) => r.height === 5) &&
      others.every((r) => r.height === 4) &&
      sameTip(bobs) &&
      sameTip(others)
    );
  });
  expect(new Set(split.map((r) => r.tip)).size).toBe(2);

  // Latency and loss change for everyone and the split stays; a bad value is refused in one
  // sentence and sends nothing.
  const latency = teacher.getByRole('textbox', { name: 'Latency for everyone (ms)' });
  const setNetwork = teacher.getByRole('button', { name: 'Set latency and loss' });
  await latency.fill('fast');
  await setNetwork.click();
  await expect(teacher.getByRole('alert')).toHaveText(
    'Latency is a whole number of milliseconds, from 0 to 10000.',
  );
  expect((await call(alice, 'GET', '/sim/network')).latency_ms).toBe(100);
  await latency.fill('150');
  await setNetwork.click();
  for (const page of pages) {
    await expect
      .poll(async () => {
        const network = await call(page, 'GET', '/sim/network');
        return [network.latency_ms, (network.groups as unknown[]).length];
      })
      .toEqual([150, 2]);
  }

  // Healed, the room converges on Bob's longer branch.
  await teacher.getByRole('button', { name: 'Heal the room' }).click();
  await until(
    pages,
    'one chain again',
    (rows) => rows.every((r) => r.height === 5) && sameTip(rows),
  );

  // Bob closes his browser; the others go on; Bob comes back and catches up.
  await bob.context().close();
  await call(alice, 'GET', '/node/alice-1/mine');
  await until(
    [teacher, alice],
    'height 6',
    (rows) => rows.every((r) => r.height === 6) && sameTip(rows),
  );
  await call(alice, 'GET', '/node/alice-2/mine');
  const back = await join(browser, 'Bob');
  await until(
    [teacher, alice, back],
    'Bob caught up',
    (rows) => rows.every((r) => r.height === 7) && sameTip(rows),
  );
  await teacher.screenshot({ path: 'test-results/screenshots/classroom-teacher.png' });
  // The teacher's tab, with its controls and QR code, passes axe like the rest of the page.
  await expect(teacher.getByRole('img', { name: /Learners scan this code/ })).toBeVisible();
  expect(await seriousViolations(teacher)).toEqual([]);
});

test('a hostile browser sends junk and forgeries: counted and dropped, and nobody else is affected', async ({
  browser,
}) => {
  const alice = await join(browser, 'Ada');
  const bob = await join(browser, 'Ben');
  await until([alice, bob], 'peers', (rows) => rows.length === 4 && sameTip(rows));
  const before = await nodesOf(alice);
  const height = before[0]?.height ?? 0;

  // A learner's code, a raw socket, and no node of its own: junk, then an envelope claiming to
  // be Ben's node with a signature that is not his, then an invalid block signed by itself.
  const mallory = walletFromSecret(new Uint8Array(randomBytes(32)));
  const inbox = server.room.subjects.node('ada-1');
  const forged = await sealEnvelope(
    {
      room: server.room.id,
      from: 'ben-1' as NodeId,
      to: 'ada-1' as NodeId,
      seq: 10n ** 18n,
      sentAt: Date.now(),
      // Not Ben's key: the room knows his, so this is an impersonation.
      publicKey: mallory.publicKey,
      payload: encodeMessage({ type: 'inv', blocks: ['ab'.repeat(32) as never], txs: [] }),
    },
    mallory.secretKey,
    pureSignatures,
  );
  const junkBlock = await sealEnvelope(
    {
      room: server.room.id,
      from: 'mallory-1' as NodeId,
      to: 'ada-1' as NodeId,
      seq: 1n,
      sentAt: Date.now(),
      publicKey: mallory.publicKey,
      payload: encodeMessage({ type: 'block', bytes: new Uint8Array([1, 2, 3]) }),
    },
    mallory.secretKey,
    pureSignatures,
  );
  const hostile = await openRoomLink(browser, false);
  const sent = await hostile.evaluate(
    async ({ url, user, pass, subject, messages }) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const text = new TextEncoder();
      ws.send(
        text.encode(
          `CONNECT ${JSON.stringify({ user, pass, verbose: false, pedantic: false })}\r\n`,
        ),
      );
      for (const m of messages) {
        const body = new Uint8Array(m);
        const head = text.encode(`PUB ${subject} ${body.length}\r\n`);
        const frame = new Uint8Array(head.length + body.length + 2);
        frame.set(head);
        frame.set(body, head.length);
        frame.set([13, 10], head.length + body.length);
        ws.send(frame);
      }
      ws.send(text.encode('PING\r\n'));
      // The server answers INFO first; PONG means it read everything before the PING.
      let heard = '';
      const pong = await new Promise<string>((resolve) => {
        ws.onmessage = (e) => {
          heard += new TextDecoder().decode(e.data as ArrayBuffer);
          if (heard.includes('PONG') || heard.includes('-ERR')) resolve(heard);
        };
      });
      ws.close();
      return pong;
    },
    {
      url: socket(),
      user: server.room.learnerUser,
      pass: server.room.code,
      subject: inbox,
      messages: [[1, 2, 3], [...forged], [...junkBlock]],
    },
  );
  expect(sent).toContain('PONG');

  // Ada's page counts what it dropped (an unreadable message, a forged one, the junk block).
  await alice.getByRole('tab', { name: 'Classroom' }).click();
  await expect(
    alice.getByText(/Messages dropped \(forged, replayed or junk\): [1-9]/),
  ).toBeVisible();
  // Nothing changed, and the room still works.
  expect((await nodesOf(alice)).map((r) => r.tip)).toEqual(before.map((r) => r.tip));
  await call(bob, 'GET', '/node/ben-1/mine');
  await until(
    [alice, bob],
    'the room still converges',
    (rows) => rows.every((r) => r.height === height + 1) && sameTip(rows),
  );
});

test('a reloaded page rejoins its room with the same nodes, keys and chain', async ({
  browser,
}) => {
  const dee = await join(browser, 'Dee');
  const eve = await join(browser, 'Eve');
  await until([dee, eve], 'peers', (rows) => rows.length === 4 && sameTip(rows));
  await call(eve, 'GET', '/node/eve-1/mine');
  const before = await until(
    [dee, eve],
    'the block',
    (rows) => rows.every((r) => r.height === 2) && sameTip(rows),
  );
  await dee.reload();
  await dee.evaluate(() => window.chainlab.ready);
  await expect(dee.getByText('as Dee.')).toBeVisible();
  // The same nodes with the same addresses (their stored keys) and their chain.
  const again = await nodesOf(dee);
  expect(again.map((r) => [r.id, r.address, r.height])).toEqual(
    before.filter((r) => r.id.startsWith('dee')).map((r) => [r.id, r.address, 2]),
  );
  // And still in the room: Eve's next block reaches them.
  await call(eve, 'GET', '/node/eve-2/mine');
  await until(
    [dee, eve],
    'the next block after the reload',
    (rows) => rows.every((r) => r.height === 3) && sameTip(rows),
  );
});

test('joining mistakes get one sentence each and join nothing', async ({ browser }) => {
  const page = await openRoomLink(browser, false);
  const name = page.getByRole('textbox', { name: 'Your name' });
  const code = page.getByRole('textbox', { name: 'Room code' });
  const join = page.getByRole('button', { name: 'Join the room' });
  const alert = page.getByRole('alert');
  const before = await nodesOf(page);
  await name.fill('Cleo');

  // The number of nodes, typed: too many, or none at all.
  const count = page.getByRole('spinbutton', { name: 'Nodes in this browser' });
  for (const typed of ['9', '']) {
    await count.fill(typed);
    await join.click();
    await expect(alert).toHaveText('Choose 1 to 4 nodes for this browser.');
  }
  await count.fill('2');

  await code.fill('not a code');
  await join.click();
  await expect(alert).toHaveText(
    'A room code has 16 letters and digits, like 7K2M-Q9XD-4HRT-B1ZP.',
  );

  await code.fill('0000-0000-0000-0000');
  await join.click();
  await expect(alert).toHaveText('That room code is wrong: check it with your teacher.');

  await code.fill(server.room.code);
  await page.getByText('Server and teacher key').click();
  const address = page.getByRole('textbox', { name: 'Server address' });
  await address.fill('http://127.0.0.1:1');
  await join.click();
  await expect(alert).toHaveText(
    'The server address must start with ws:// or wss://, like ws://192.168.1.10:8443.',
  );
  // Nothing listens on port 9 of 127.0.0.1 (which the site's policy allows).
  await address.fill('ws://127.0.0.1:9');
  await join.click();
  await expect(alert).toHaveText(
    "The room's server does not answer at that address: check it with your teacher, and that this computer is on the same network.",
  );
  // localhost is not in the site's connect-src: the browser refuses the socket.
  await address.fill(`ws://localhost:${server.wsPort}`);
  await join.click();
  await expect(alert).toHaveText(
    "This site's security policy does not allow connecting to that server: its connect-src must name the room's address (see docs/classroom.md).",
  );
  await address.fill(socket());
  await page
    .getByRole('textbox', { name: 'Teacher key (the teacher only)' })
    .fill('AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA');
  await join.click();
  await expect(alert).toHaveText(
    'That teacher key is wrong, or belongs to an earlier room: each npm run classroom makes a new room and key.',
  );
  const expired = newTeacherKey((n) => new Uint8Array(randomBytes(n)), Date.now() - 3_600_000);
  await page.getByRole('textbox', { name: 'Teacher key (the teacher only)' }).fill(expired);
  await join.click();
  await expect(alert).toHaveText(
    /^This teacher key expired at .+\. For a new key to the same room, run npm run classroom -- --room followed by the room code\.$/,
  );
  expect(await seriousViolations(page)).toEqual([]);
  // Nothing was joined: the same nodes as before, in no room.
  expect(await nodesOf(page)).toEqual(before);
  await expect(page.getByRole('button', { name: 'Leave the room' })).toHaveCount(0);
});

test('a teacher whose key expires stays in the room as a learner, without the controls', async ({
  browser,
}) => {
  const teacher = await join(browser, 'Teacher', true);
  await expect(teacher.getByText(/Your teacher key lasts until .+\./)).toBeVisible();
  await expect(teacher.getByRole('heading', { name: "Teacher's controls" })).toBeVisible();

  // The key runs out: the server withdraws it and the page's clock passes its expiry.
  await server.withdrawTeacherKey();
  await teacher.clock.setFixedTime(teacherKeyExpiry(server.teacherKey) + 60_000);

  await expect(teacher.getByRole('alert')).toHaveText(
    /^Your teacher key expired at .+: you stay in the room as a learner, without the controls\./,
  );
  await expect(teacher.getByRole('heading', { name: "Teacher's controls" })).toHaveCount(0);
  await expect(teacher.getByText('Connected.')).toBeVisible();
  // Still in the room, as a learner: its own nodes are listed among the room's members.
  await expect(teacher.getByRole('cell', { name: 'teacher-1, teacher-2' })).toBeVisible();
  expect(await seriousViolations(teacher)).toEqual([]);
});
