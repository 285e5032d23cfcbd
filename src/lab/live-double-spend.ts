/**
 * The double-spend race played once, live, on a network a class can watch: the page's own nodes
 * (or any simulation) driven only through the route table, as a script would drive them. n1 is
 * the merchant and the honest network, n2 the attacker. The attacker signs a payment to the
 * merchant and hands it over (`/transactions/sign`, `/transactions/submit`), cuts itself off, pays
 * the same coin back to itself and mines a private branch; the merchant waits for z
 * confirmations; then the attacker releases its branch or gives up. Each step is told as it
 * happens (`Narration`), for the page to word in the learner's language.
 */
import type { LiveOptions as SharedLiveOptions } from './live.ts';
import { resetNetwork, routeCaller } from './live.ts';
import type { WinRule } from './race-rules.ts';
import { LEAD } from './race-rules.ts';

/** One step of the story, with the numbers to tell it. */
export type Narration =
  | { readonly kind: 'reset' }
  | { readonly kind: 'funded'; readonly height: number }
  | { readonly kind: 'paid'; readonly txid: string }
  | { readonly kind: 'hidden' }
  | { readonly kind: 'mining'; readonly q: number }
  | { readonly kind: 'confirmations'; readonly count: number; readonly needed: number }
  | { readonly kind: 'released'; readonly count: number }
  | { readonly kind: 'race'; readonly attacker: number; readonly honest: number }
  | { readonly kind: 'caught-up'; readonly attacker: number; readonly honest: number }
  | { readonly kind: 'gave-up'; readonly behind: number; readonly chance: number }
  /** The merchant's node switched to the attacker's branch: its payment is gone. */
  | { readonly kind: 'reversed' }
  /** The merchant's node kept its chain: the branches tied, or an honest block came first. */
  | { readonly kind: 'kept' };

/** How the race ended. */
export interface LiveOutcome {
  /** The attacker's branch reached its goal. */
  readonly reached: boolean;
  /** The merchant's node ends with the attacker's payment to itself on its best chain. */
  readonly reversed: boolean;
}

/** What the live race needs from its surroundings. */
export type LiveOptions = SharedLiveOptions<Narration>;

/**
 * A live attacker gives up sooner than the batch one: once its chance of ever catching up is
 * below one in a thousand, since a class watches every block.
 */
export const LIVE_GIVE_UP_BELOW = 1e-3;

const MERCHANT = 'n1';
const ATTACKER = 'n2';

interface NodeView {
  readonly id: string;
  readonly height: number;
}

/** The race, once. Resets the network to the merchant and the attacker first. */
export async function playDoubleSpend(
  q: number,
  z: number,
  win: WinRule,
  options: LiveOptions,
): Promise<LiveOutcome> {
  const { request, wait, narrate, signal } = options;
  const poll = options.pollMs ?? 250;
  const call = routeCaller(request, signal);
  const heights = async (): Promise<Map<string, number>> => {
    const nodes = (await call('GET', '/sim/nodes')) as { nodes: readonly NodeView[] };
    return new Map(nodes.nodes.map((n) => [n.id, n.height]));
  };
  const height = (h: Map<string, number>, id: string): number => h.get(id) ?? 0;

  await resetNetwork(call, 2, options.difficultyBits);
  narrate({ kind: 'reset' });
  // The attacker earns the coin it will spend twice, and the merchant sees it.
  await call('GET', `/node/${ATTACKER}/mine`);
  let h = await heights();
  while (height(h, MERCHANT) < height(h, ATTACKER)) {
    await wait(poll);
    h = await heights();
  }
  const base = height(h, MERCHANT);
  narrate({ kind: 'funded', height: base });

  const signed = (await call('POST', `/node/${ATTACKER}/transactions/sign`, {
    recipient: MERCHANT,
    amount: 1,
  })) as { raw: string; transaction: { id: string } };
  await call('POST', '/sim/network/partition', { groups: [[MERCHANT], [ATTACKER]] });
  await call('POST', `/node/${MERCHANT}/transactions/submit`, { raw: signed.raw });
  const txid = signed.transaction.id;
  narrate({ kind: 'paid', txid });
  const attacker = (await call('GET', `/node/${ATTACKER}/wallet`)) as { address: string };
  const conflict = (await call('POST', `/node/${ATTACKER}/transactions/new`, {
    recipient: attacker.address,
    amount: 1,
  })) as { transaction: { id: string } };
  narrate({ kind: 'hidden' });

  const p = 1 - q;
  await call('POST', `/node/${MERCHANT}/mining`, { enabled: true, hashrate: p });
  await call('POST', `/node/${ATTACKER}/mining`, { enabled: true, hashrate: q });
  narrate({ kind: 'mining', q });

  const lead = LEAD[win];
  let released = z === 0;
  if (released) narrate({ kind: 'released', count: 0 });
  let told = { confirmations: -1, attacker: -1, honest: -1 };
  let reached = false;
  for (;;) {
    await wait(poll);
    h = await heights();
    const honest = height(h, MERCHANT) - base;
    const branch = height(h, ATTACKER) - base;
    if (!released) {
      const status = (await call('GET', `/node/${MERCHANT}/transactions/${txid}`)) as {
        status: string;
        block?: { index: number };
      };
      const count =
        status.status === 'confirmed' && status.block
          ? height(h, MERCHANT) - status.block.index + 1
          : 0;
      if (count !== told.confirmations) narrate({ kind: 'confirmations', count, needed: z });
      told = { ...told, confirmations: count };
      if (count >= z) {
        released = true;
        narrate({ kind: 'released', count });
      }
    }
    if (branch !== told.attacker || honest !== told.honest) {
      narrate({ kind: 'race', attacker: branch, honest });
      told = { ...told, attacker: branch, honest };
    }
    if (!released) continue;
    const deficit = honest + lead - branch;
    if (deficit <= 0) {
      reached = true;
      narrate({ kind: 'caught-up', attacker: branch, honest });
      break;
    }
    const chance = (q / p) ** deficit;
    if (chance < LIVE_GIVE_UP_BELOW) {
      narrate({ kind: 'gave-up', behind: deficit - lead, chance });
      break;
    }
  }

  // An attacker ahead releases its branch at once: the network heals while the honest side still
  // mines, and the merchant's node decides by its fork-choice rule. Then the show stops.
  const stop = async (): Promise<void> => {
    await call('POST', `/node/${MERCHANT}/mining`, { enabled: false });
    await call('POST', `/node/${ATTACKER}/mining`, { enabled: false });
  };
  if (reached) {
    await call('POST', '/sim/network/heal');
    await stop();
  } else {
    await stop();
    await call('POST', '/sim/network/heal');
  }
  for (let i = 0; i < 20; i++) {
    await wait(poll);
    h = await heights();
    if (height(h, MERCHANT) >= height(h, ATTACKER)) break;
  }
  // A 404 is an answer too: the merchant's node never saw the attacker's payment to itself.
  const final = await request('GET', `/node/${MERCHANT}/transactions/${conflict.transaction.id}`);
  const reversed =
    final.status === 200 && (final.body as { status?: unknown }).status === 'confirmed';
  if (reached) narrate({ kind: reversed ? 'reversed' : 'kept' });
  return { reached, reversed };
}
