/**
 * The networks the lab's experiments run: N nodes mining with equal shares on sampled work, at
 * exactly the block interval asked for, and what a run ends with (the final best chain).
 */
import type { BlockEntry } from '../core/chain.ts';
import type { SimulationOptions } from '../sim/simulation.ts';
import type { Simulation } from '../sim/simulation.ts';
import type { NumberParam } from './params.ts';

/** Difficulty never changes: a retarget interval no run reaches. */
export const NO_RETARGET = 2 ** 30;

/**
 * The difficulty of every lab network, in leading zero bits. Sampled work hashes nothing, so any
 * difficulty serves; this one leaves retargeting room to make blocks 2^23 times easier.
 */
export const LAB_DIFFICULTY_BITS = 24;

/**
 * Options for `nodes` equal miners whose blocks come every `intervalMs` on average from the first:
 * the hash rate is set so that the whole network expects one block per interval at the starting
 * difficulty, which is then exact, where rounding the difficulty to whole bits (as `npm run sim`
 * does) would be up to √2 off and leave retargeting to correct it. The chain's target interval is
 * the same, for when it retargets.
 */
export function equalMiners(nodes: number, intervalMs: number): Partial<SimulationOptions> {
  return {
    nodes,
    pow: 'sampled',
    difficultyBits: LAB_DIFFICULTY_BITS,
    blockTimeMs: intervalMs,
    hashesPerSecond: 2 ** LAB_DIFFICULTY_BITS / (nodes * (intervalMs / 1000)),
  };
}

/** Every node mines with a full share: all equal. */
export async function startMining(sim: Simulation): Promise<void> {
  for (const id of sim.ids) await sim.node(id)?.setMining(true, 1);
}

/** The tip of the final best chain: the most work any node holds (every node's, once settled). */
export function bestTip(sim: Simulation): BlockEntry {
  let best: BlockEntry | null = null;
  for (const id of sim.ids) {
    const tip = sim.nodeById(id).tree.tip;
    if (!best || tip.chainWork > best.chainWork) best = tip;
  }
  if (!best) throw new Error('a simulation without nodes has no best chain');
  return best;
}

/** The miners of a network experiment, all with equal shares (one parameter for each of them). */
export const EQUAL_MINERS: NumberParam = {
  kind: 'number',
  name: 'nodes',
  label: 'miners, with equal shares',
  min: 2,
  max: 1_000,
  integer: true,
  default: [10],
};
