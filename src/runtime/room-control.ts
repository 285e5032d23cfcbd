/**
 * What a member of a classroom's room does with a teacher's control: apply it to its own nodes.
 * The page's classroom state and the headless learners of `npm run classroom -- --join` both
 * call this, so a control means the same everywhere (CONTRIBUTING.md, One place for each fact).
 */
import type { NodeBackend, RoomJoin } from '../api/backend.ts';
import type { NodeId } from '../core/types.ts';
import type { RoomControl } from './room-client.ts';

/** What a control needs of a simulation in a room (the page's `WorkerSimulation` has it all). */
export interface RoomSimulation {
  /** The room its nodes are in; null outside any. */
  readonly room: RoomJoin | null;
  /** Its node ids in creation order. */
  readonly ids: readonly NodeId[];
  setNetwork(settings: { latencyMs?: number; loss?: number }): Promise<void>;
  partition(groups: readonly (readonly NodeId[])[]): Promise<void>;
  heal(): Promise<void>;
  node(id: NodeId): NodeBackend | null;
  removeNode(id: NodeId): Promise<boolean>;
  /** Start `nodes` fresh nodes in the room, named `<prefix>1`, `<prefix>2`, … */
  joinRoom(join: RoomJoin, nodes: number, prefix: string): Promise<void>;
}

/**
 * Apply a teacher's control to this simulation's own nodes. False when the simulation is in no
 * room (nothing was done).
 */
export async function applyRoomControl(
  sim: RoomSimulation,
  control: RoomControl,
): Promise<boolean> {
  const join = sim.room;
  if (!join) return false;
  switch (control.type) {
    case 'network':
      await sim.setNetwork({ latencyMs: control.latencyMs, loss: control.loss });
      if (control.groups.length > 0) await sim.partition(control.groups);
      else await sim.heal();
      break;
    case 'mining':
      for (const id of sim.ids) await sim.node(id)?.setMining(control.enabled, undefined);
      break;
    case 'reset':
      // The same learner starts as many fresh nodes under the same names: a new chain.
      await sim.joinRoom(join, Math.max(1, sim.ids.length), roomPrefixOf(sim.ids));
      break;
    case 'remove':
      if (sim.ids.includes(control.node)) await sim.removeNode(control.node);
      break;
  }
  return true;
}

/** The prefix a room's nodes were named with (`alice-` of `alice-1`). */
export function roomPrefixOf(ids: readonly NodeId[]): string {
  const first = ids[0] ?? 'learner-1';
  return first.replace(/\d+$/, '');
}
