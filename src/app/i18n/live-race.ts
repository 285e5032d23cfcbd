/**
 * The live double-spend race told in plain words, one sentence per step (src/lab's `Narration`),
 * from the catalogue: "The merchant's payment has 2 of 3 confirmations."
 */
import type { Narration } from '../../lab/live-double-spend.ts';
import type { SelfishNarration } from '../../lab/live-selfish.ts';
import type { Locale } from './catalog.ts';
import { translate } from './catalog.ts';

/** One step of the race as a sentence in a locale. */
export function liveSentence(locale: Locale, n: Narration | SelfishNarration): string {
  const percent = (x: number): string =>
    new Intl.NumberFormat(locale, { maximumSignificantDigits: 2, style: 'percent' }).format(x);
  switch (n.kind) {
    case 'reset':
      return translate(locale, 'live.reset');
    case 'funded':
      return translate(locale, 'live.funded', { height: n.height });
    case 'paid':
      return translate(locale, 'live.paid', { txid: n.txid.slice(0, 8) });
    case 'hidden':
      return translate(locale, 'live.hidden');
    case 'mining':
      return translate(locale, 'live.mining', { q: percent(n.q), p: percent(1 - n.q) });
    case 'confirmations':
      return translate(locale, 'live.confirmations', { count: n.count, needed: n.needed });
    case 'released':
      return translate(locale, 'live.released', { count: n.count });
    case 'race':
      return translate(locale, 'live.race', { attacker: n.attacker, honest: n.honest });
    case 'caught-up':
      return translate(locale, 'live.caughtUp', { attacker: n.attacker, honest: n.honest });
    case 'gave-up':
      return translate(locale, 'live.gaveUp', { behind: n.behind, chance: percent(n.chance) });
    case 'reversed':
      return translate(locale, 'live.reversed');
    case 'kept':
      return translate(locale, 'live.kept');
    case 'pool-reset':
      return translate(locale, 'live.pool.reset');
    case 'pool-mining':
      return translate(locale, 'live.pool.mining', {
        alpha: percent(n.alpha),
        honest: percent((1 - n.alpha) / 2),
      });
    case 'withheld':
      return translate(locale, 'live.pool.withheld', { lead: n.lead });
    case 'adopted':
      return translate(locale, 'live.pool.adopted');
    case 'tie':
      return translate(locale, 'live.pool.tie');
    case 'revealed-all':
      return translate(locale, 'live.pool.revealedAll', { count: n.count });
    case 'revealed-one':
      return translate(locale, 'live.pool.revealedOne', { lead: n.lead });
    case 'share':
      return translate(locale, 'live.pool.share', {
        pool: n.pool,
        total: n.total,
        share: percent(n.total > 0 ? n.pool / n.total : 0),
        alpha: percent(n.alpha),
      });
  }
}
