/**
 * What the page remembers about its simulation between reloads: its id, options, network
 * settings and node list. Node data lives in each node's own database. Stored records are
 * untrusted: a malformed one is reported and a fresh simulation starts instead.
 */
import Dexie from 'dexie';
import type { Table } from 'dexie';
import type { ResetOptions } from '../../api/backend.ts';
import type { NodeId } from '../../core/types.ts';
import { parseNodeId } from '../../core/types.ts';
import type { NetworkSettings } from '../../runtime/network-settings.ts';
import { parseNetworkSettings } from '../../runtime/network-settings.ts';

/** One simulation's record. */
export interface SimulationRecord {
  readonly simId: string;
  /** Bumped by every reset, so channels and databases of the old run are never reused. */
  readonly generation: number;
  readonly options: ResetOptions;
  readonly network: NetworkSettings;
  readonly nodes: readonly { readonly id: NodeId; readonly seed: number }[];
  readonly nextIndex: number;
}

class RegistryDatabase extends Dexie {
  simulations!: Table<{ simId: string; record: unknown }, string>;
  constructor() {
    super('chainlab');
    this.version(1).stores({ simulations: 'simId' });
  }
}

let db: RegistryDatabase | null = null;
function database(): RegistryDatabase {
  db ??= new RegistryDatabase();
  return db;
}

/** The stored record of a simulation, or null (absent or malformed: `onCorrupt` says which). */
export async function loadSimulation(
  simId: string,
  onCorrupt: (message: string) => void,
): Promise<SimulationRecord | null> {
  const row = await database().simulations.get(simId);
  if (!row) return null;
  const record = parseRecord(row.record);
  if (!record) onCorrupt('The saved simulation could not be read, so a fresh one was started.');
  return record;
}

/** Save a simulation's record. */
export async function saveSimulation(record: SimulationRecord): Promise<void> {
  await database().simulations.put({ simId: record.simId, record });
}

function parseRecord(raw: unknown): SimulationRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const network = parseNetworkSettings(r.network);
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
  return {
    simId: r.simId,
    generation: r.generation,
    options,
    network,
    nodes,
    nextIndex: r.nextIndex,
  };
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
