/**
 * What the page remembers about its simulation between reloads: its id, options, network
 * settings and node list. Node data lives in each node's own database. Stored records are
 * untrusted: a malformed one is reported and a fresh simulation starts instead.
 */
import Dexie from 'dexie';
import type { Table } from 'dexie';
import type { ResetOptions, RoomJoin } from '../../api/backend.ts';
import type { NetworkSettings } from '../../core/delivery.ts';
import type { NodeId } from '../../core/types.ts';
import { parseNodeId } from '../../core/types.ts';

/** One simulation's record. */
export interface SimulationRecord {
  readonly simId: string;
  /** Bumped by every reset, so channels and databases of the old run are never reused. */
  readonly generation: number;
  readonly options: ResetOptions;
  readonly network: NetworkSettings;
  readonly nodes: readonly { readonly id: NodeId; readonly seed: number }[];
  readonly nextIndex: number;
  /** What unnamed nodes' ids start with (`n`, or a learner's name in a room). */
  readonly prefix: string;
  /** The classroom room the nodes are in, if any: a reload joins it again. */
  readonly room: RoomJoin | null;
}

class RegistryDatabase extends Dexie {
  simulations!: Table<{ simId: string; record: unknown }, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ simulations: 'simId' });
  }
}

/** Parses stored network settings; null when malformed. */
export type NetworkParser = (raw: unknown) => NetworkSettings | null;

/**
 * Opens a database, rejecting rather than waiting forever when another tab blocks it (the
 * runtime's `openUnblocked`); by default Dexie's own open.
 */
export type DatabaseOpener = (db: Dexie) => Promise<unknown>;

/**
 * The page's simulation records. Its database name and the network settings' parser belong to the
 * runtime protocol, which the page reaches only through its simulation entry, so they are passed
 * in (CONTRIBUTING.md, Layers).
 */
export class Registry {
  readonly #name: string;
  readonly #parseNetwork: NetworkParser;
  readonly #open: DatabaseOpener;
  #db: RegistryDatabase | null = null;

  constructor(name: string, parseNetwork: NetworkParser, open: DatabaseOpener = (db) => db.open()) {
    this.#name = name;
    this.#parseNetwork = parseNetwork;
    this.#open = open;
  }

  async #database(): Promise<RegistryDatabase> {
    this.#db ??= new RegistryDatabase(this.#name);
    await this.#open(this.#db);
    return this.#db;
  }

  /** The stored record of a simulation, or null (absent or malformed: `onCorrupt` says which). */
  async load(
    simId: string,
    onCorrupt: (message: string) => void,
  ): Promise<SimulationRecord | null> {
    const row = await (await this.#database()).simulations.get(simId);
    if (!row) return null;
    const record = parseRecord(row.record, this.#parseNetwork);
    if (!record) onCorrupt('The saved simulation could not be read, so a fresh one was started.');
    return record;
  }

  /** Save a simulation's record. */
  async save(record: SimulationRecord): Promise<void> {
    await (await this.#database()).simulations.put({ simId: record.simId, record });
  }
}

function parseRecord(raw: unknown, parseNetwork: NetworkParser): SimulationRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const network = parseNetwork(r.network);
  const options = parseOptions(r.options);
  if (typeof r.simId !== 'string' || !network || !options) return null;
  if (!isCount(r.generation) || !isCount(r.nextIndex) || !Array.isArray(r.nodes)) return null;
  const nodes: { id: NodeId; seed: number }[] = [];
  for (const n of r.nodes) {
    const entry = n as Record<string, unknown> | null;
    const id = parseNodeId(entry?.id);
    if (!id || !isCount(entry?.seed)) return null;
    nodes.push({ id, seed: entry.seed });
  }
  // Records saved before rooms existed have neither field: outside any room, nodes n1, n2, …
  const prefix = r.prefix === undefined ? 'n' : r.prefix;
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,24}$/.test(prefix)) return null;
  const room = r.room === undefined || r.room === null ? null : parseRoomJoin(r.room);
  if (room === undefined) return null;
  return {
    simId: r.simId,
    generation: r.generation,
    options,
    network,
    nodes,
    nextIndex: r.nextIndex,
    prefix,
    room,
  };
}

/** A stored room membership; undefined when malformed. */
function parseRoomJoin(raw: unknown): RoomJoin | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const { server, code, learner, page } = r;
  if (typeof server !== 'string' || !/^wss?:\/\/\S+$/.test(server)) return undefined;
  if (typeof code !== 'string' || typeof learner !== 'string' || typeof page !== 'string') {
    return undefined;
  }
  return { server, code, learner, page };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseOptions(raw: unknown): ResetOptions | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const { nodes, difficultyBits, blockTimeMs, forkChoice, gossip, peers } = o;
  // Records saved before the reward was configurable pay the tutorial's 1 coin.
  const reward = o.reward ?? 1;
  if (!isCount(nodes) || !isCount(difficultyBits) || !isCount(blockTimeMs)) return null;
  if (!isCount(reward)) return null;
  if (forkChoice !== 'most-work' && forkChoice !== 'longest') return null;
  if (gossip !== 'auto' && gossip !== 'manual') return null;
  if (peers !== 'all' && peers !== 'none') return null;
  return { nodes, difficultyBits, blockTimeMs, forkChoice, gossip, peers, reward };
}
