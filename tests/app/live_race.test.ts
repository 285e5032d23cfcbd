/** The live race's sentences: every step told in both languages, every number filled in. */
import { describe, expect, it } from 'vitest';
import { liveSentence } from '../../src/app/i18n/live-race.ts';
import type { Narration } from '../../src/lab/live-double-spend.ts';
import type { SelfishNarration } from '../../src/lab/live-selfish.ts';

const STEPS: readonly (Narration | SelfishNarration)[] = [
  { kind: 'reset' },
  { kind: 'funded', height: 2 },
  { kind: 'paid', txid: 'b9dee972aabbccdd' },
  { kind: 'hidden' },
  { kind: 'mining', q: 0.3 },
  { kind: 'confirmations', count: 2, needed: 3 },
  { kind: 'released', count: 3 },
  { kind: 'race', attacker: 2, honest: 4 },
  { kind: 'caught-up', attacker: 5, honest: 4 },
  { kind: 'gave-up', behind: 9, chance: 0.0005 },
  { kind: 'reversed' },
  { kind: 'kept' },
  { kind: 'pool-reset' },
  { kind: 'pool-mining', alpha: 0.4 },
  { kind: 'withheld', lead: 2 },
  { kind: 'adopted' },
  { kind: 'tie' },
  { kind: 'revealed-all', count: 3 },
  { kind: 'revealed-one', lead: 3 },
  { kind: 'share', pool: 17, total: 40, alpha: 0.4 },
];

describe('the live race told in words', () => {
  it.each(STEPS)('$kind reads in English and in French, every placeholder filled', (step) => {
    const en = liveSentence('en', step);
    const fr = liveSentence('fr', step);
    for (const s of [en, fr]) {
      expect(s).not.toMatch(/[{}]/);
      expect(s).not.toMatch(/^live\./);
    }
    expect(fr).not.toBe(en);
    for (const value of Object.values(step)) {
      if (typeof value === 'number' && Number.isInteger(value)) expect(en).toContain(String(value));
    }
  });

  it('names the shares as percentages and the payment by its id', () => {
    expect(liveSentence('en', { kind: 'mining', q: 0.3 })).toBe(
      'Both mine: the attacker with 30% of the hash rate, the honest network with 70%.',
    );
    expect(liveSentence('en', { kind: 'paid', txid: 'b9dee972aabbccdd' })).toContain('b9dee972…');
  });
});
