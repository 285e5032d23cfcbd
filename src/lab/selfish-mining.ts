/**
 * Selfish mining (Eyal & Sirer 2014, "Majority is not enough"), run on real nodes with sampled
 * work: a pool node with hash share α withholds its blocks and reveals them by the paper's
 * Algorithm 1; two honest nodes share the rest and follow the ordinary rules (most work, first
 * seen). What is measured is the pool's share of the blocks on the final best chain.
 *
 * The network has no delay, as in the paper, and the pool hears of every honest block the moment
 * it is found. γ, the share of honest mining on the pool's block during a tie, is realised so:
 * the pool pushes its block straight to the honest node that did not find the competing one, which
 * therefore sees the pool's block first and mines on it (first seen wins); for the length of the
 * tie that node holds γ of the honest hash rate and the finder the rest (sampled discovery is
 * memoryless, so changing rates at the tie is exact).
 */
import type { BlockHash, NodeId } from '../core/types.ts';
import type { NodeEvent } from '../core/node.ts';
import { sharedCaches } from '../sim/memory-runtime.ts';
import { Simulation } from '../sim/simulation.ts';
import type { Experiment } from './experiment.ts';
import { NO_RETARGET } from './network.ts';
import { meanInterval95 } from './stats.ts';
import { selfishRevenue, selfishThreshold } from './theory.ts';

const POOL = 'n1' as NodeId;
const HONEST: readonly NodeId[] = ['n2' as NodeId, 'n3' as NodeId];

/** Blocks every run's best chain grows by (default); long runs make the revenue share settle. */
const DEFAULT_BLOCKS = 1_000;

/** What one run measured. */
export interface SelfishRun {
  /** The pool's share of the blocks on the final best chain (above the start). */
  readonly revenue: number;
  /** Blocks any node mined, kept or not. */
  readonly mined: number;
}

/** The pool's strategy, Algorithm 1 of the paper, driven by the nodes' block-mined events. */
class SelfishPool {
  /** The pool's blocks nobody else has seen, oldest first. */
  #withheld: BlockHash[] = [];
  /** Blocks on the private branch since it left the public chain (`privateBranchLen`). */
  #branch = 0;
  #tie = false;

  constructor(
    private readonly sim: Simulation,
    private readonly alpha: number,
    private readonly gamma: number,
  ) {}

  get #poolHeight(): number {
    return this.sim.nodeById(POOL).tree.tip.height;
  }

  /** The public chain's length: the honest nodes' best, revealed pool blocks included. */
  get #publicHeight(): number {
    return Math.max(...HONEST.map((id) => this.sim.nodeById(id).tree.tip.height));
  }

  /** The pool found a block, on its own tip. */
  poolFound(hash: BlockHash, height: number): void {
    const deltaPrev = height - 1 - this.#publicHeight;
    this.#withheld.push(hash);
    this.#branch++;
    if (deltaPrev === 0 && this.#branch === 2) {
      // Was a tie with a branch of one: the pool wins by the lead of one.
      this.#publishAll();
      this.#branch = 0;
      this.#endTie();
    }
  }

  /** An honest node found a block at `height`, on the public chain as it was. */
  othersFound(finder: NodeId, height: number): void {
    const deltaPrev = this.#poolHeight - (height - 1);
    if (deltaPrev <= 0) {
      // They win: the pool's node adopts their chain by its own fork choice.
      this.#withheld = [];
      this.#branch = 0;
      this.#endTie();
    } else if (deltaPrev === 1) {
      // Now the same length: try our luck.
      this.#publish(this.#withheld.splice(-1));
      this.#startTie(finder);
    } else if (deltaPrev === 2) {
      // The pool wins due to the lead of one.
      this.#publishAll();
      this.#branch = 0;
    } else {
      this.#publish(this.#withheld.splice(0, 1));
    }
  }

  #publishAll(): void {
    this.#publish(this.#withheld.splice(0));
  }

  #publish(hashes: readonly BlockHash[]): void {
    const pool = this.sim.nodeById(POOL);
    for (const h of hashes) if (!pool.publish(h)) throw new Error(`the pool lost block ${h}`);
  }

  /** γ of the honest rate on the pool's block, with the node that did not find the other one. */
  #startTie(finder: NodeId): void {
    this.#tie = true;
    const honest = 1 - this.alpha;
    for (const id of HONEST)
      this.#rate(id, id === finder ? honest * (1 - this.gamma) : honest * this.gamma);
  }

  #endTie(): void {
    if (!this.#tie) return;
    this.#tie = false;
    for (const id of HONEST) this.#rate(id, (1 - this.alpha) / 2);
  }

  #rate(id: NodeId, share: number): void {
    // At this very moment of virtual time, after the event being handled.
    this.sim.schedule(0, () => this.sim.node(id)?.setMining(true, share));
  }
}

/** One run: the pool and two honest nodes mine until the best chain has grown by `blocks`. */
export async function runSelfish(
  alpha: number,
  gamma: number,
  blocks: number,
  seed: number,
  caches = sharedCaches(),
): Promise<SelfishRun> {
  let pool: SelfishPool | null = null;
  let mined = 0;
  const sim = await Simulation.create({
    nodes: 3,
    seed,
    pow: 'sampled',
    latency: { kind: 'fixed', ms: 0 },
    // Difficulty stays put: every block weighs the same, as in the paper.
    retargetInterval: NO_RETARGET,
    caches,
    onEvent: (id: NodeId, e: NodeEvent) => {
      if (e.kind !== 'block-mined' || !pool) return;
      mined++;
      if (id === POOL) pool.poolFound(e.hash, e.height);
      else pool.othersFound(id, e.height);
    },
  });
  const start = sim.nodeById(POOL).tree.tip.height;
  sim.nodeById(POOL).gossip = 'manual';
  pool = new SelfishPool(sim, alpha, gamma);
  await sim.node(POOL)?.setMining(true, alpha);
  for (const id of HONEST) await sim.node(id)?.setMining(true, (1 - alpha) / 2);
  const watched = sim.nodeById(HONEST[0] ?? POOL);
  await sim.runUntil(() => watched.tree.tip.height - start >= blocks, Number.MAX_SAFE_INTEGER);
  const poolAddress = sim.nodeById(POOL).address;
  let poolBlocks = 0;
  let total = 0;
  for (let e = watched.tree.tip; e.height > start && e.parent; e = e.parent) {
    total++;
    const coinbase = e.block.transactions[0];
    if (coinbase?.recipient === poolAddress) poolBlocks++;
  }
  return { revenue: total > 0 ? poolBlocks / total : 0, mined };
}

/** `npm run experiment -- selfish-mining --alpha 0.1,0.2,0.3,0.4 --gamma 0.5`. */
export const SELFISH_MINING: Experiment = {
  name: 'selfish-mining',
  summary:
    "A pool with hash share alpha withholds blocks by Eyal and Sirer's strategy: its share of the chain's blocks against its fair share.",
  params: [
    {
      kind: 'number',
      name: 'alpha',
      label: "the pool's hash-rate share",
      min: 0,
      max: 0.5,
      minOpen: true,
      maxOpen: true,
      why: 'with half the hash rate or more, a pool takes the whole chain',
      default: [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45],
    },
    {
      kind: 'number',
      name: 'gamma',
      label: "share of honest mining on the pool's block in a tie",
      min: 0,
      max: 1,
      default: [0.5],
    },
    {
      kind: 'number',
      name: 'blocks',
      label: 'blocks the best chain grows by in each run',
      min: 10,
      max: 1_000_000,
      integer: true,
      default: [DEFAULT_BLOCKS],
    },
  ],
  defaultRuns: 20,
  open() {
    const caches = sharedCaches();
    return Promise.resolve(async (point, runs, seedOf, tick) => {
      const { alpha, gamma, blocks } = point;
      if (typeof alpha !== 'number' || typeof gamma !== 'number' || typeof blocks !== 'number') {
        throw new TypeError('selfish-mining needs numbers alpha, gamma and blocks');
      }
      const revenues: number[] = [];
      for (let run = 0; run < runs; run++) {
        await tick(run);
        revenues.push((await runSelfish(alpha, gamma, blocks, seedOf(run), caches)).revenue);
      }
      const { mean, ci95 } = meanInterval95(revenues);
      return {
        measured: mean,
        ci95,
        theory: {
          eyal_sirer: selfishRevenue(alpha, gamma),
          fair_share: alpha,
          threshold: selfishThreshold(gamma),
        },
      };
    });
  },
};
