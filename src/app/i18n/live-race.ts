/**
 * The live double-spend race told in plain words, one sentence per step (src/lab's `Narration`),
 * from the catalogue: "The merchant's payment has 2 of 3 confirmations."
 */
import type { Narration } from '../../lab/live-double-spend.ts';
import type { Locale } from './catalog.ts';
import { translate } from './catalog.ts';

/** One step of the race as a sentence in a locale. */
export function liveSentence(locale: Locale, n: Narration): string {
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
  }
}
