/**
 * The double-spend race (Nakamoto 2008, §11), run on real nodes with sampled work: a merchant's
 * node (the honest network, hash share p) and an attacker's node (share q) that mines a private
 * branch holding a conflicting payment from the moment its payment to the merchant is broadcast.
 * The merchant releases the goods at z confirmations; the attacker wins when its branch catches up
 * with the honest one (the whitepaper's condition) or, with `overtake`, gets one block ahead and
 * is adopted by the merchant's node through the real fork-choice rule. Nothing here evaluates a
 * formula: the outcome is what the nodes did (src/lab/theory.ts holds the curves to compare with).
 */
import type { Block } from '../core/block.ts';
import type { Node } from '../core/node.ts';
import { createRng } from '../core/rng.ts';
import type { Transfer } from '../core/tx.ts';
import { signTransfer } from '../core/tx.ts';
import type { NodeId, TxId } from '../core/types.ts';
import { createWallet, walletFromSecret } from '../core/wallet.ts';
import type { SharedCaches } from '../sim/memory-runtime.ts';
import { sharedCaches } from '../sim/memory-runtime.ts';
import type { MemoryStore } from '../sim/memory-store.ts';
import type { SimulationOptions } from '../sim/simulation.ts';
import { Simulation } from '../sim/simulation.ts';
import type { Experiment } from './experiment.ts';
import type { WinRule } from './race-rules.ts';
import { LEAD } from './race-rules.ts';
import { RUNS_PER_TICK } from './experiment.ts';
import { NO_RETARGET } from './network.ts';
import { wilsonInterval } from './stats.ts';
import { exactDoubleSpend, nakamotoPoisson } from './theory.ts';

export type { WinRule } from './race-rules.ts';
export { LEAD } from './race-rules.ts';

/**
 * The attacker gives up once its chance of ever making up the deficit, (q/p)^deficit (gambler's
 * ruin), is below one in a million: a measured probability is then low by at most 1e-6, far
 * inside any interval that 10,000 runs can resolve.
 */
export const GIVE_UP_BELOW = 1e-6;

const MERCHANT = 'n1' as NodeId;
const ATTACKER = 'n2' as NodeId;

/** The network every race starts from, built once. */
export interface RaceStart {
  readonly options: Partial<SimulationOptions>;
  /** Height of the common tip both branches grow from. */
  readonly baseHeight: number;
  /** The attacker's payment to the merchant. */
  readonly payment: Transfer;
  /** The same coins (same nonce) paid to the attacker's accomplice. */
  readonly conflict: Transfer;
}

/** How one race ended. */
export interface RaceOutcome {
  readonly success: boolean;
  /** The attacker's branch reached its goal (caught up, or got ahead under `overtake`). */
  readonly reached: boolean;
  /** Blocks both sides mined during the race. */
  readonly blocks: number;
  /** With `overtake`: did the merchant's node switch to the attacker's branch? */
  readonly merchantSwitched: boolean;
}

/**
 * Build the start: two nodes, the attacker funded by one block it mined, and the two conflicting
 * payments signed once (every race reuses them, so each is verified once per process).
 */
export async function prepareRaces(
  seed: number,
  caches: SharedCaches = sharedCaches(),
): Promise<RaceStart> {
  const options: Partial<SimulationOptions> = {
    nodes: 2,
    pow: 'sampled',
    // Both branches' blocks weigh the same, as in the paper.
    retargetInterval: NO_RETARGET,
    caches,
  };
  const sim = await Simulation.create({ ...options, seed });
  const attacker = sim.nodeById(ATTACKER);
  const merchant = sim.nodeById(MERCHANT);
  await attacker.mine();
  await sim.settle();
  if (merchant.tree.tip !== merchant.tree.get(attacker.tree.tip.hash)) {
    throw new Error('the funding block did not reach the merchant');
  }
  const secret = (await sim.savedStore(ATTACKER).load())?.secretKey;
  if (!secret) throw new Error('the attacker has no stored key');
  const wallet = walletFromSecret(secret);
  const accomplice = createWallet(createRng(seed).fork('accomplice')).address;
  const fields = { chainId: sim.params.chainId, amount: 1n, fee: 0n, nonce: 0n };
  return {
    options: {
      ...options,
      from: new Map<NodeId, MemoryStore>([
        [MERCHANT, sim.savedStore(MERCHANT)],
        [ATTACKER, sim.savedStore(ATTACKER)],
      ]),
    },
    baseHeight: merchant.tree.tip.height,
    payment: signTransfer(wallet, { ...fields, recipient: merchant.address }),
    conflict: signTransfer(wallet, { ...fields, recipient: accomplice }),
  };
}

/** Run one race with attacker share `q`, `z` confirmations and a win rule, seeded. */
export async function runRace(
  start: RaceStart,
  q: number,
  z: number,
  win: WinRule,
  seed: number,
): Promise<RaceOutcome> {
  const p = 1 - q;
  const lead = LEAD[win];
  const sim = await Simulation.create({ ...start.options, seed });
  await sim.partition([[MERCHANT], [ATTACKER]]);
  const merchant = sim.nodeById(MERCHANT);
  const attacker = sim.nodeById(ATTACKER);
  const paid = await merchant.acceptPayment(start.payment);
  const conflicting = await attacker.acceptPayment(start.conflict);
  if (!paid.ok || !conflicting.ok) throw new Error('a race payment was refused');
  await sim.node(MERCHANT)?.setMining(true, p);
  await sim.node(ATTACKER)?.setMining(true, q);

  const race = { released: z === 0, seenHeight: merchant.tree.tip.height, reached: false };
  await sim.runUntil(() => {
    const honest = merchant.tree.tip.height;
    if (!race.released && honest !== race.seenHeight) {
      race.seenHeight = honest;
      race.released = confirmations(merchant, start.payment.id, start.baseHeight) >= z;
    }
    if (!race.released) return false;
    const deficit = honest + lead - attacker.tree.tip.height;
    race.reached = deficit <= 0;
    return race.reached || (q / p) ** deficit < GIVE_UP_BELOW;
  }, Number.MAX_SAFE_INTEGER);
  const blocks = merchant.tree.tip.height + attacker.tree.tip.height - 2 * start.baseHeight;
  if (!race.reached) return { success: false, reached: false, blocks, merchantSwitched: false };

  // The attacker releases its branch: mining stops, the network heals, the merchant decides.
  await sim.node(MERCHANT)?.setMining(false, p);
  await sim.node(ATTACKER)?.setMining(false, q);
  await sim.heal();
  await sim.settle();
  const merchantSwitched =
    onBestChain(merchant, start.conflict.id, start.baseHeight) &&
    !onBestChain(merchant, start.payment.id, start.baseHeight);
  return { success: lead === 0 || merchantSwitched, reached: true, blocks, merchantSwitched };
}

/** How deep a payment sits in a node's best chain above `baseHeight` (0: not there). */
function confirmations(node: Node, id: TxId, baseHeight: number): number {
  const tip = node.tree.tip;
  for (let e = tip; e.height > baseHeight && e.parent; e = e.parent) {
    if (holds(e.block, id)) return tip.height - e.height + 1;
  }
  return 0;
}

function onBestChain(node: Node, id: TxId, baseHeight: number): boolean {
  return confirmations(node, id, baseHeight) > 0;
}

function holds(block: Block, id: TxId): boolean {
  return block.transactions.some((tx) => tx.id === id);
}

/** `npm run experiment -- double-spend --q 0.1 --z 0,1,2,3,4,5 [--win overtake]`. */
export const DOUBLE_SPEND: Experiment = {
  name: 'double-spend',
  summary:
    'How often an attacker with hash share q undoes a payment the merchant accepted after z confirmations.',
  params: [
    {
      kind: 'number',
      name: 'q',
      label: "attacker's hash-rate share",
      min: 0,
      max: 0.5,
      minOpen: true,
      maxOpen: true,
      why: 'at 0.5 or more the attacker always wins',
      default: [0.1],
    },
    {
      kind: 'number',
      name: 'z',
      label: 'confirmations the merchant waits for',
      min: 0,
      max: 100,
      integer: true,
      default: [0, 1, 2, 3, 4, 5],
    },
    {
      kind: 'choice',
      name: 'win',
      label: 'what wins the race',
      choices: ['catch-up', 'overtake'],
      default: 'catch-up',
    },
  ],
  defaultRuns: 1_000,
  async open(seed) {
    const start = await prepareRaces(seed);
    return async (point, runs, seedOf, tick) => {
      const { q, z, win } = point;
      if (
        typeof q !== 'number' ||
        typeof z !== 'number' ||
        (win !== 'catch-up' && win !== 'overtake')
      ) {
        throw new TypeError('double-spend needs numbers q and z and a win rule');
      }
      let wins = 0;
      for (let run = 0; run < runs; run++) {
        if (run % RUNS_PER_TICK === 0) await tick(run);
        if ((await runRace(start, q, z, win, seedOf(run))).success) wins++;
      }
      const lead = LEAD[win];
      return {
        measured: wins / runs,
        ci95: wilsonInterval(wins, runs),
        theory: { exact: exactDoubleSpend(q, z, lead), nakamoto: nakamotoPoisson(q, z, lead) },
      };
    };
  },
};
