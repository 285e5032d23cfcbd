/**
 * `npm run classroom -- --join <learners' link | room code>`: headless learners in an existing
 * room, each run exactly as a learner's page runs: the page's workers runtime and engine
 * (src/app/sim/worker-simulation.ts) on Node's worker_threads, the page's chain parameters
 * (`joinRoom`), its room client for presence and the teacher's controls, its naming
 * (`uniquePrefix`) and its one way of applying a control (`applyRoomControl`). Only the
 * connection differs: Node 20 has no WebSocket, so they reach the server's NATS port over TCP.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_RESET } from '../src/api/backend.ts';
import type { NatsConnection } from '@nats-io/nats-core';
import { AuthorizationError } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { RoomControl } from '../src/app/sim/worker-simulation.ts';
import { applyRoomControl, WorkerSimulation } from '../src/app/sim/worker-simulation.ts';
import type { Room } from '../src/runtime/room.ts';
import {
  LISTEN_BEFORE_NAMING_MS,
  MAX_ROOM_NODES,
  parseLearnerName,
  parseRoomCode,
  readRoomLinkFragment,
  roomConnectOptions,
  roomOf,
  uniquePrefix,
} from '../src/runtime/room.ts';
import type { RoomJoinProblem } from '../src/runtime/room-client.ts';
import { RoomClient, RoomJoinError } from '../src/runtime/room-client.ts';
import { fail, parseOptions } from './cli-args.ts';
import { nodeThreads } from './node-threads.ts';

/** The room's NATS port when neither the link nor --server says otherwise. */
export const DEFAULT_NATS_PORT = 4222;
/** Most learners one command starts (each runs its nodes' worker threads). */
export const MAX_LEARNERS = 10;
/** Longest wait for the nodes to find each other and catch up before they mine. */
const CATCH_UP_LIMIT_MS = 15_000;
/** How often the status line is printed. */
const STATUS_EVERY_MS = 5_000;

/** What `--join` is given, read: the room and where its NATS port is. */
export interface JoinTarget {
  readonly code: string;
  /** The server a link names (`ws://…`), to find its host; null for a bare code. */
  readonly linkServer: string | null;
  /** A teacher's link carries the key; headless learners never use it. */
  readonly hadTeacherKey: boolean;
}

/** Read a learners' link or a room code; a problem when it is neither. */
export function readJoinTarget(text: string): JoinTarget | { readonly problem: string } {
  const trimmed = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let hash: string;
    try {
      hash = new URL(trimmed).hash;
    } catch {
      return { problem: `"${trimmed}" is not a link.` };
    }
    const fields = readRoomLinkFragment(hash);
    if (!fields) {
      return { problem: "That link names no room: a learners' link ends in #server=…&room=…." };
    }
    const code = parseRoomCode(fields.code);
    if (!code)
      return { problem: `The link's room code is malformed: ${problemSentence('bad-code')}` };
    return { code, linkServer: fields.server, hadTeacherKey: fields.teacherKey !== '' };
  }
  const code = parseRoomCode(trimmed);
  if (!code) return { problem: problemSentence('bad-code') };
  return { code, linkServer: null, hadTeacherKey: false };
}

/** A `nats://host[:port]` address written `nats://host:port`; null when it is not one. */
export function parseNatsServer(typed: string): string | null {
  try {
    const url = new URL(typed.trim());
    if (url.protocol !== 'nats:' || url.hostname === '' || url.pathname.replace(/\/$/, '') !== '') {
      return null;
    }
    if (url.username || url.password || url.search || url.hash) return null;
    return `nats://${url.hostname}:${url.port || String(DEFAULT_NATS_PORT)}`;
  } catch {
    return null;
  }
}

/** The NATS port next to a room's WebSocket address: the same host, port 4222. */
export function natsServerBeside(linkServer: string | null): string {
  let host = 'localhost';
  try {
    if (linkServer) host = new URL(linkServer).hostname || host;
  } catch {
    // A link's server that is no address: the local server is the best guess, and --server says.
  }
  return `nats://${host}:${String(DEFAULT_NATS_PORT)}`;
}

/** Learners' names: the name alone, or numbered when there are several (`robot 1`, `robot 2`). */
export function learnerNames(name: string, count: number): string[] {
  if (count === 1) return [name];
  return Array.from({ length: count }, (_, i) => `${name} ${String(i + 1)}`);
}

/** The sentence for a reason joining failed. */
export function problemSentence(problem: RoomJoinProblem, server = 'the server'): string {
  switch (problem) {
    case 'bad-code':
      return 'A room code has 16 letters and digits, like 7K2M-Q9XD-4HRT-B1ZP: give the learners\u2019 link or the code.';
    case 'bad-address':
      return '--server must be a nats:// address, like nats://192.168.1.20:4222.';
    case 'bad-name':
      return '--learner must be 1 to 32 printable characters (with its number when --learners is above 1).';
    case 'unreachable':
      return `The room's server does not answer at ${server}: check the address and that nats-server runs there (npm run classroom prints its NATS port).`;
    case 'wrong-code':
      return `The server at ${server} refused that room code: it is wrong, or from an earlier room (each npm run classroom makes a new one).`;
    default:
      return `Joining failed (${problem}).`;
  }
}

/** What the headless learners are to do. */
export interface JoinSettings {
  readonly server: string;
  readonly code: string;
  readonly learners: readonly string[];
  /** Nodes per learner, 1 to MAX_ROOM_NODES. */
  readonly nodes: number;
  /** Start without mining: the teacher's "Everyone mines" starts them. */
  readonly idle: boolean;
}

/** One headless learner: its page's simulation and its page's room client. */
export interface HeadlessLearner {
  readonly name: string;
  readonly prefix: string;
  readonly sim: WorkerSimulation;
  readonly client: RoomClient;
}

/** Headless learners in a room; close them to leave. */
export interface HeadlessRoom {
  readonly room: Room;
  readonly server: string;
  readonly learners: readonly HeadlessLearner[];
  /** Every node's height, tip, peers heard and mining, on one line. */
  statusLine(): Promise<string>;
  /** Leave the room: close the connections and end the workers. */
  close(): Promise<void>;
}

/** How {@link startLearners} reports. */
export interface JoinHooks {
  /** A teacher's control arrived (said once, though every learner applies it). */
  readonly onControl?: (control: RoomControl) => void;
  /** Applying a control failed on one learner's nodes. */
  readonly onProblem?: (message: string) => void;
}

/** Connect to the room as its learners' user, as a page's nodes do (reconnecting for ever). */
async function connectLearner(
  server: string,
  room: Room,
  learner: string,
): Promise<NatsConnection> {
  try {
    return await connect({
      ...roomConnectOptions({ server, learner: `headless ${learner}` }, room),
      // The first connection must succeed now: a wrong address or code is said at once.
      waitOnFirstConnect: false,
    });
  } catch (e) {
    if (e instanceof AuthorizationError || /authorization/i.test(String(e))) {
      throw new RoomJoinError('wrong-code');
    }
    throw new RoomJoinError('unreachable', String(e));
  }
}

/**
 * Start the learners: each connects its room client (checked before any node starts, so a
 * mistake leaves nothing behind), listens to the room before naming its nodes, then joins with
 * its nodes and starts them mining (unless idle). Rejects with a {@link RoomJoinError}, or an
 * error saying why the nodes could not start; either way nothing is left running.
 */
export async function startLearners(
  settings: JoinSettings,
  hooks: JoinHooks = {},
): Promise<HeadlessRoom> {
  const room = roomOf(settings.code);
  const learners: HeadlessLearner[] = [];
  const sims: WorkerSimulation[] = [];
  const clients: RoomClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(sims.map((s) => s.close().catch(() => undefined)));
  };
  try {
    const platform = nodeThreads(settings.learners.length);
    const pages = settings.learners.map((name, i) => {
      const simId = `headless-${randomBytes(6).toString('hex')}`;
      const sim = WorkerSimulation.headless(simId, platform);
      sims.push(sim);
      return { name, sim, first: i === 0 };
    });
    for (const page of pages) {
      const nc = await connectLearner(settings.server, room, page.name);
      const client = RoomClient.over(nc, {
        server: settings.server,
        code: room.code,
        learner: page.name,
        teacherKey: null,
        onControl: (control) => {
          if (page.first) hooks.onControl?.(control);
          applyRoomControl(page.sim, control).catch((e: unknown) => {
            hooks.onProblem?.(`${page.name}: the control failed: ${String(e)}`);
          });
        },
      });
      clients.push(client);
    }
    await new Promise((r) => setTimeout(r, LISTEN_BEFORE_NAMING_MS));
    const heard = clients[0]?.members() ?? [];
    // Names taken in the room, and those this command just gave, so every learner's are unique.
    const taken: { id: string }[] = [...heard];
    for (const [i, page] of pages.entries()) {
      const client = clients[i];
      if (!client) continue;
      const prefix = uniquePrefix(page.name, taken);
      taken.push({ id: `${prefix}1` });
      await page.sim.joinRoom(
        { server: settings.server, code: room.code, learner: page.name, page: page.sim.simId },
        settings.nodes,
        prefix,
      );
      learners.push({ name: page.name, prefix, sim: page.sim, client });
    }
    if (!settings.idle) {
      const roomHeight = Math.max(0, ...heard.map((m) => m.height));
      await catchUp(learners, roomHeight);
      for (const l of learners) {
        for (const id of l.sim.ids) await l.sim.node(id)?.setMining(true, undefined);
      }
    }
  } catch (e) {
    await close();
    if (e instanceof RoomJoinError) throw e;
    // The room let the learners in but not their nodes (too many connections, a worker failing).
    throw new Error(
      `The nodes could not start in the room: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
  return {
    room,
    server: settings.server,
    learners,
    statusLine: async () => {
      const parts: string[] = [];
      for (const l of learners) {
        for (const s of await l.sim.statuses()) {
          const peers = s.room?.nodes.filter((n) => n.id !== s.id).length ?? 0;
          const link = s.room && !s.room.connected ? ' (reconnecting)' : '';
          parts.push(
            `${s.id} #${String(s.height)} ${s.tip.slice(0, 8)} peers ${String(peers)} ${s.mining ? 'mining' : 'idle'}${link}`,
          );
        }
      }
      return parts.length > 0 ? parts.join(' | ') : 'no nodes (removed by the teacher)';
    },
    close,
  };
}

/**
 * Wait, up to {@link CATCH_UP_LIMIT_MS}, until every node has every other node of this command
 * as a peer and holds a chain as high as the room's was, as a learner looks at the room before
 * pressing Mine. Learners that mined apart for long would build chains so far apart in difficulty
 * that each refuses the other's blocks (src/core/chain.ts, ORPHAN_TARGET_SLACK).
 */
async function catchUp(learners: readonly HeadlessLearner[], roomHeight: number): Promise<void> {
  const ours = learners.flatMap((l) => l.sim.ids);
  const deadline = Date.now() + CATCH_UP_LIMIT_MS;
  while (Date.now() < deadline) {
    const statuses = (await Promise.all(learners.map((l) => l.sim.statuses()))).flat();
    const ready = statuses.every(
      (s) => s.height >= roomHeight && ours.every((id) => id === s.id || s.peers.includes(id)),
    );
    if (ready) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A control as one line of the log. */
export function describeControl(control: RoomControl): string {
  switch (control.type) {
    case 'network': {
      const split =
        control.groups.length > 0
          ? `split into ${String(control.groups.length)} groups (${control.groups.map((g) => g.join(' ')).join(' / ')})`
          : 'the room whole';
      return `network: latency ${String(control.latencyMs)} ms, loss ${String(Math.round(control.loss * 100))}%, ${split}`;
    }
    case 'mining':
      return control.enabled ? 'everyone mines' : 'everyone stops mining';
    case 'reset':
      return 'reset: fresh nodes on a new chain (they mine again when the teacher says everyone mines)';
    case 'remove':
      return `remove ${control.node}`;
  }
}

const stamp = (): string => new Date().toTimeString().slice(0, 8);

/** Read `--join …` and its options (argv as given to npm run classroom); exits 2 on a mistake. */
export function readJoinSettings(
  argv: readonly string[],
  usage: string,
): JoinSettings & {
  readonly hadTeacherKey: boolean;
} {
  const text = { default: '', parse: (s: string) => ({ ok: true as const, value: s }) };
  const { values, flags, texts } = parseOptions<
    'learners' | 'nodes',
    'idle',
    { join: string; server: string; learner: string }
  >(
    argv,
    usage,
    {
      learners: { default: 1, min: 1, max: MAX_LEARNERS },
      nodes: { default: 2, min: 1, max: MAX_ROOM_NODES },
    },
    ['idle'],
    { join: text, server: text, learner: text },
  );
  const target = readJoinTarget(texts.join);
  if ('problem' in target) fail(usage, target.problem);
  const server =
    texts.server === '' ? natsServerBeside(target.linkServer) : parseNatsServer(texts.server);
  if (!server) fail(usage, problemSentence('bad-address'));
  const name = parseLearnerName(texts.learner === '' ? 'robot' : texts.learner);
  const learners = name ? learnerNames(name, values.learners) : [];
  if (!name || learners.some((l) => parseLearnerName(l) !== l)) {
    fail(usage, problemSentence('bad-name'));
  }
  return {
    server,
    code: target.code,
    learners,
    nodes: values.nodes,
    idle: flags.has('idle'),
    hadTeacherKey: target.hadTeacherKey,
  };
}

/** Run `npm run classroom -- --join …` until Ctrl-C. */
export async function joinMain(argv: readonly string[], usage: string): Promise<void> {
  const settings = readJoinSettings(argv, usage);
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`Joining room ${settings.code} at ${settings.server} as ${settings.learners.join(', ')}…`);
  if (settings.hadTeacherKey)
    out('(The link carries a teacher key: headless learners join as learners and never use it.)');
  // Ctrl-C while the nodes start: leave once they have, so nothing is left half-joined.
  let joined: HeadlessRoom | null = null;
  const state = { asked: false, closing: false };
  let timer: ReturnType<typeof setInterval> | null = null;
  const leave = (): void => {
    state.asked = true;
    if (state.closing) return;
    if (timer) clearInterval(timer);
    if (!joined) {
      out('\nLeaving the room once the nodes have started…');
      return;
    }
    state.closing = true;
    out('\nLeaving the room…');
    void joined.close().finally(() => {
      out('Left the room.');
      process.exit(0);
    });
  };
  process.on('SIGINT', leave);
  process.on('SIGTERM', leave);
  try {
    joined = await startLearners(settings, {
      onControl: (control) => {
        out(`${stamp()}  teacher: ${describeControl(control)}`);
      },
      onProblem: (message) => {
        process.stderr.write(`${message}\n`);
      },
    });
  } catch (e) {
    const sentence =
      e instanceof RoomJoinError
        ? problemSentence(e.problem, settings.server)
        : e instanceof Error
          ? e.message
          : String(e);
    process.stderr.write(`${sentence}\n`);
    process.exit(2);
  }
  const room = joined;
  if (state.asked) {
    leave();
    return;
  }
  out(`Room:      ${room.room.code} (id ${room.room.id})`);
  out(`Server:    ${room.server}`);
  for (const l of room.learners) {
    out(`Learner:   ${l.name}: ${l.sim.ids.join(', ')}`);
  }
  out(
    `Chain:     a page's (${String(DEFAULT_RESET.difficultyBits)} zero bits to start, a block every ${String(DEFAULT_RESET.blockTimeMs / 1000)} s); the nodes ${settings.idle ? 'wait for the teacher to start mining' : 'mine'}`,
  );
  out('Ctrl-C leaves the room.\n');
  let printing = false;
  timer = setInterval(() => {
    if (printing) return;
    printing = true;
    room
      .statusLine()
      .then((line) => {
        out(`${stamp()}  ${line}`);
      })
      .catch(() => undefined)
      .finally(() => {
        printing = false;
      });
  }, STATUS_EVERY_MS);
}
