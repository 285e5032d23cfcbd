/**
 * Selfish mining played once, live, on a network a class can watch, driven only through the route
 * table: n1 is the pool (hash share α), n2 and n3 the honest miners. The pool keeps its blocks to
 * itself (`/node/n1/gossip` manual) and reveals them by Eyal and Sirer's Algorithm 1
 * (`/node/n1/blocks/:hash/publish`), reacting each time it looks at the nodes. Unlike the measured
 * experiment (src/lab/selfish-mining.ts), γ is whatever the network gives: in a tie, each honest
 * node mines on the block that reached it first.
 */
import type { LiveOptions } from './live.ts';
import { resetNetwork, routeCaller } from './live.ts';

/** One step of the story, with the numbers to tell it. */
export type SelfishNarration =
  | { readonly kind: 'pool-reset' }
  | { readonly kind: 'pool-mining'; readonly alpha: number }
  | { readonly kind: 'withheld'; readonly lead: number }
  | { readonly kind: 'adopted' }
  | { readonly kind: 'tie' }
  | { readonly kind: 'revealed-all'; readonly count: number }
  | { readonly kind: 'revealed-one'; readonly lead: number }
  | {
      readonly kind: 'share';
      readonly pool: number;
      readonly total: number;
      readonly alpha: number;
    };

/** How the run ended: the pool's blocks on the final best chain, out of all of them. */
export interface SelfishOutcome {
  readonly poolBlocks: number;
  readonly total: number;
}

/** What the live run needs from its surroundings. */
export type SelfishLiveOptions = LiveOptions<SelfishNarration>;

const POOL = 'n1';
const HONEST = ['n2', 'n3'] as const;

interface ChainBlock {
  readonly index: number;
  readonly hash: string;
  readonly transactions: readonly { readonly sender: string; readonly recipient: string }[];
}

/** Run until the public chain has grown by `blocks`; then stop mining and count. */
export async function playSelfish(
  alpha: number,
  blocks: number,
  options: SelfishLiveOptions,
): Promise<SelfishOutcome> {
  const { request, wait, narrate, signal } = options;
  const poll = options.pollMs ?? 250;
  const call = routeCaller(request, signal);
  const chainOf = async (id: string): Promise<readonly ChainBlock[]> =>
    ((await call('GET', `/node/${id}/chain`)) as { chain: readonly ChainBlock[] }).chain;
  const publicChain = async (): Promise<readonly ChainBlock[]> => {
    const chains = await Promise.all(HONEST.map(chainOf));
    return chains.reduce((a, b) => (b.length > a.length ? b : a));
  };

  await resetNetwork(call, 3, options.difficultyBits);
  await call('POST', `/node/${POOL}/gossip`, { mode: 'manual' });
  narrate({ kind: 'pool-reset' });
  await call('POST', `/node/${POOL}/mining`, { enabled: true, hashrate: alpha });
  for (const id of HONEST) {
    await call('POST', `/node/${id}/mining`, { enabled: true, hashrate: (1 - alpha) / 2 });
  }
  narrate({ kind: 'pool-mining', alpha });

  const start = (await publicChain()).length;
  let publicLength = start;
  let poolLength = start;
  let tie = false;
  for (;;) {
    await wait(poll);
    const pool = await chainOf(POOL);
    const open = await publicChain();
    const known = new Set(open.map((b) => b.hash));
    // The pool's blocks the honest miners have not seen, oldest first.
    const withheld = pool.filter((b) => !known.has(b.hash));
    const publish = async (chosen: readonly ChainBlock[]): Promise<void> => {
      for (const b of chosen) await call('POST', `/node/${POOL}/blocks/${b.hash}/publish`);
    };
    if (open.length > publicLength) {
      // The honest network found a block: Algorithm 1, "on others found block".
      const deltaPrev = poolLength - publicLength;
      publicLength = open.length;
      if (deltaPrev <= 0) {
        tie = false;
        narrate({ kind: 'adopted' });
      } else if (deltaPrev === 1) {
        await publish(withheld.slice(-1));
        tie = true;
        narrate({ kind: 'tie' });
      } else if (deltaPrev === 2) {
        await publish(withheld);
        tie = false;
        narrate({ kind: 'revealed-all', count: withheld.length });
      } else {
        await publish(withheld.slice(0, 1));
        narrate({ kind: 'revealed-one', lead: pool.length - open.length });
      }
    } else if (pool.length > poolLength) {
      // The pool found a block: in a tie it wins by publishing; otherwise it keeps it.
      if (tie) {
        await publish(withheld);
        tie = false;
        narrate({ kind: 'revealed-all', count: withheld.length });
      } else {
        narrate({ kind: 'withheld', lead: pool.length - open.length });
      }
    }
    poolLength = pool.length;
    if (publicLength - start >= blocks) break;
  }

  for (const id of [POOL, ...HONEST]) await call('POST', `/node/${id}/mining`, { enabled: false });
  const poolAddress = ((await call('GET', `/node/${POOL}/wallet`)) as { address: string }).address;
  const final = (await publicChain()).slice(1);
  const poolBlocks = final.filter((b) => b.transactions[0]?.recipient === poolAddress).length;
  narrate({ kind: 'share', pool: poolBlocks, total: final.length, alpha });
  return { poolBlocks, total: final.length };
}
