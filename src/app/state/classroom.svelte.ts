/**
 * The page in a classroom's room: joining (checked by the page's own connection before any node
 * joins, so a mistake changes nothing), who else is in the room, the teacher's controls, and
 * leaving. The room's blocks reach the page through its own nodes, like every other block.
 */
import { DEFAULT_RESET } from '../../api/backend.ts';
import type { NodeId } from '../../core/types.ts';
import type {
  RoomClient,
  RoomControl,
  RoomJoinProblem,
  RoomMember,
} from '../sim/worker-simulation.ts';
import type { RoomLinkFields } from '../sim/worker-simulation.ts';
import {
  applyRoomControl,
  LISTEN_BEFORE_NAMING_MS,
  loadRoomClient,
  MAX_ROOM_NODES,
  parseTeacherKey,
  readRoomLinkFragment,
  teacherKeyExpiry,
  uniquePrefix,
} from '../sim/worker-simulation.ts';
import type { SimulationState } from './simulation.svelte.ts';

/** What a learner or the teacher types to join. */
export interface JoinForm {
  readonly server: string;
  readonly code: string;
  readonly learner: string;
  /** Nodes this browser runs in the room, as typed. */
  readonly nodes: string;
  /** Empty for a learner. */
  readonly teacherKey: string;
}

/** What the room's link carries in its fragment (`#server=…&room=…&teacher=…`). */
export type RoomLink = RoomLinkFields;

/** How often the list of the room's members is refreshed. */
const MEMBERS_EVERY_MS = 1_000;

/** Why joining failed: the client's reasons, and a node count out of range. */
export type JoinProblem = RoomJoinProblem | 'bad-nodes';

/** Read a room link's fragment; null when it names no room. */
export const readRoomLink = readRoomLinkFragment;

/** One learner of the room: their nodes and the highest chain among them. */
export interface RoomLearner {
  readonly name: string;
  readonly ids: readonly NodeId[];
  readonly height: number;
}

/** The room's members grouped by learner, in the members' order. */
export function learnersOf(members: readonly RoomMember[]): RoomLearner[] {
  const by = new Map<string, { ids: NodeId[]; height: number }>();
  for (const m of members) {
    const row = by.get(m.learner) ?? { ids: [], height: 0 };
    row.ids.push(m.id);
    row.height = Math.max(row.height, m.height);
    by.set(m.learner, row);
  }
  return [...by].map(([name, row]) => ({ name, ...row }));
}

/** The page's standing in a classroom. */
export class ClassroomState {
  /** The room the page is in; null outside any. */
  client = $state.raw<RoomClient | null>(null);
  joining = $state(false);
  problem = $state<JoinProblem | null>(null);
  members = $state.raw<readonly RoomMember[]>([]);
  connected = $state(false);
  /** When the teacher key typed or held expires (Unix milliseconds); null without one. */
  teacherUntil = $state<number | null>(null);
  /** The teacher key ran out while in the room: the page stays in it as a learner. */
  teacherKeyExpired = $state(false);
  readonly #sim: SimulationState;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(sim: SimulationState) {
    this.#sim = sim;
  }

  /** Join a room with this browser's nodes; on any problem nothing changes. */
  async join(form: JoinForm): Promise<void> {
    const sim = this.#sim.simulation;
    if (this.joining || !sim) return;
    this.problem = null;
    const nodes = Number(form.nodes);
    if (!/^\d+$/.test(form.nodes.trim()) || nodes < 1 || nodes > MAX_ROOM_NODES) {
      this.problem = 'bad-nodes';
      return;
    }
    const key = parseTeacherKey(form.teacherKey);
    this.teacherUntil = key ? teacherKeyExpiry(key) : null;
    this.teacherKeyExpired = false;
    this.joining = true;
    let client: RoomClient | null = null;
    const { RoomClient: Client, RoomJoinError } = await loadRoomClient();
    try {
      client = await Client.open({
        server: form.server,
        code: form.code,
        learner: form.learner,
        teacherKey: form.teacherKey.trim() === '' ? null : form.teacherKey,
        onControl: (control) => void this.#apply(control),
      });
      await new Promise((r) => setTimeout(r, LISTEN_BEFORE_NAMING_MS));
      const learner = form.learner.trim();
      const prefix = uniquePrefix(learner, client.members());
      await this.client?.close();
      await sim.joinRoom(
        { server: client.server, code: client.room.code, learner, page: sim.simId },
        nodes,
        prefix,
      );
      this.client = client;
      this.#follow();
    } catch (e) {
      await client?.close().catch(() => undefined);
      this.problem = e instanceof RoomJoinError ? e.problem : 'unreachable';
    } finally {
      this.joining = false;
    }
  }

  /**
   * After a reload the nodes rejoin their room by themselves; the page reconnects to list the
   * room and hear the teacher (as a learner: the teacher opens the teacher's link again).
   */
  async resume(): Promise<void> {
    const room = this.#sim.simulation?.room;
    if (!room || this.client) return;
    const { RoomClient: Client, RoomJoinError } = await loadRoomClient();
    try {
      this.client = await Client.open({
        server: room.server,
        code: room.code,
        learner: room.learner,
        teacherKey: null,
        onControl: (control) => void this.#apply(control),
      });
      this.#follow();
    } catch (e) {
      this.problem = e instanceof RoomJoinError ? e.problem : 'unreachable';
    }
  }

  /** Leave the room: the page goes back to a simulation of its own. */
  async leave(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.members = [];
    this.teacherKeyExpired = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await client?.close().catch(() => undefined);
    await this.#sim.simulation?.joinRoom(null, DEFAULT_RESET.nodes);
  }

  /** The teacher's page: send a control to everyone (its own nodes included). */
  async control(control: RoomControl): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (client.teacherKeyExpired()) {
      await this.#stayAsLearner(client);
      return;
    }
    await client.send(control);
  }

  /**
   * The teacher key has expired (the server drops it): reconnect the page as a learner, so it
   * goes on listing the room and hearing controls, and say why the controls are gone.
   */
  async #stayAsLearner(teacher: RoomClient): Promise<void> {
    if (this.client !== teacher || this.teacherKeyExpired) return;
    this.teacherKeyExpired = true;
    const { RoomClient: Client, RoomJoinError } = await loadRoomClient();
    await teacher.close().catch(() => undefined);
    try {
      const learner = await Client.open({
        server: teacher.server,
        code: teacher.room.code,
        learner: teacher.learner,
        teacherKey: null,
        onControl: (control) => void this.#apply(control),
      });
      if (this.client === teacher) this.client = learner;
      else await learner.close();
    } catch (e) {
      this.problem = e instanceof RoomJoinError ? e.problem : 'unreachable';
    }
  }

  #follow(): void {
    const tick = (): void => {
      const client = this.client;
      if (client?.teacherKeyExpired()) void this.#stayAsLearner(client);
      this.members = client?.members() ?? [];
      this.connected = client?.connected() ?? false;
    };
    tick();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = setInterval(tick, MEMBERS_EVERY_MS);
  }

  /** What every page does with a teacher's control: apply it to its own nodes. */
  async #apply(control: RoomControl): Promise<void> {
    const sim = this.#sim.simulation;
    if (sim && (await applyRoomControl(sim, control))) await this.#sim.refresh();
  }
}
