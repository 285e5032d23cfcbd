import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { EventJson } from '../../src/api/json.ts';
import type { DropReason } from '../../src/core/mempool.ts';
import type { RejectReason } from '../../src/core/validation.ts';
import type { Locale, MessageKey } from '../../src/app/i18n/catalog.ts';
import {
  DROP_REASONS,
  dropSentence,
  en,
  formatMessage,
  fr,
  isRejectReason,
  LOCALES,
  placeholders,
  pluralCategory,
  REJECT_REASONS,
  rejectSentence,
  translate,
  translatePlural,
} from '../../src/app/i18n/catalog.ts';
import { I18n, initialLocale, LOCALE_STORAGE_KEY } from '../../src/app/i18n/locale.svelte.ts';
import type { EventKind } from '../../src/app/i18n/narrate.ts';
import { asClause, EVENT_KINDS, eventKind, narrate } from '../../src/app/i18n/narrate.ts';

const NBSP = '\u00a0';
const enKeys = Object.keys(en) as MessageKey[];
const frKeys = Object.keys(fr) as MessageKey[];

/**
 * French strings allowed to equal the English ones, each for a reason. The test below also checks
 * they really are equal, so the list cannot grow stale.
 */
const SAME_IN_BOTH: Partial<Record<MessageKey, string>> = {
  'app.title': 'the name of the simulator',
  'language.en': 'each language is named in its own language',
  'language.fr': 'each language is named in its own language',
  'node.hashesPerSecond.value': 'a unit',
  'network.latency.value': 'a unit',
  'settings.blockTime.value': 'a unit',
  'block.transactions': 'the tutorial word, the same in French',
  'console.route': 'the API word, the same in French',
  'events.kind.consensus': 'the same word in French',
  'block.bits': 'a unit',
  'nodes.col.hashes': 'a unit',
  'nodes.col.mempool': 'the protocol word, the same in French',
};

/** The RejectReason union as written in src/core/validation.ts (a type has no runtime value). */
function reasonsInValidationSource(): string[] {
  const source = readFileSync(new URL('../../src/core/validation.ts', import.meta.url), 'utf8');
  const union = /export type RejectReason =([^;]*);/.exec(source)?.[1];
  if (union === undefined) throw new Error('RejectReason not found in src/core/validation.ts');
  return [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1] ?? '');
}

describe('catalogues', () => {
  it('French has exactly the English keys, at compile time and at run time', () => {
    expectTypeOf<keyof typeof fr>().toEqualTypeOf<keyof typeof en>();
    // @ts-expect-error: a French catalogue with keys missing does not compile
    const missing: Record<MessageKey, string> = { 'app.title': 'Chainlab' };
    const extra: Record<MessageKey, string> = {
      ...fr,
      // @ts-expect-error: a key English does not have does not compile
      'app.notAKey': 'x',
    };
    expect(Object.keys(missing)).toHaveLength(1);
    expect(Object.keys(extra)).toHaveLength(enKeys.length + 1);

    expect(frKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in fr))).toEqual([]);
    expect(frKeys).toHaveLength(enKeys.length);
  });

  it('every string is non-empty and has no stray spaces at either end', () => {
    for (const locale of LOCALES) {
      const catalog = locale === 'en' ? en : fr;
      for (const key of enKeys) {
        const s = catalog[key];
        expect(s.trim(), `${locale} ${key}`).toBe(s);
        expect(s.length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('French differs from English except for a short allow-list', () => {
    const same = enKeys.filter((k) => en[k] === fr[k]);
    expect(same.sort()).toEqual(Object.keys(SAME_IN_BOTH).sort());
  });

  it('English and French use the same placeholders for every key', () => {
    for (const key of enKeys) {
      expect(placeholders(fr[key]).sort(), key).toEqual(placeholders(en[key]).sort());
    }
  });

  it('plural pairs exist in both forms', () => {
    for (const key of enKeys) {
      if (key.endsWith('.one')) expect(`${key.slice(0, -4)}.other` in en, key).toBe(true);
      if (key.endsWith('.other')) expect(`${key.slice(0, -6)}.one` in en, key).toBe(true);
    }
  });

  it('the four tour steps have a title and two or three sentences in both languages', () => {
    for (const step of ['chain', 'mining', 'api', 'consensus'] as const) {
      for (const locale of LOCALES) {
        expect(translate(locale, `tour.${step}.title`).length).toBeGreaterThan(0);
        const body = translate(locale, `tour.${step}.body`);
        // A sentence ends with a full stop followed by a space or the end (not "window.chainlab").
        const sentences = body.split(/\.(?:\s|$)/).filter((s) => s.trim() !== '');
        expect(sentences.length, `${locale} ${step}`).toBeGreaterThanOrEqual(2);
        expect(sentences.length, `${locale} ${step}`).toBeLessThanOrEqual(3);
      }
    }
  });
});

describe('rejection sentences', () => {
  it('REJECT_REASONS is exactly the RejectReason type', () => {
    expectTypeOf<(typeof REJECT_REASONS)[number]>().toEqualTypeOf<RejectReason>();
    expectTypeOf<`reject.${RejectReason}`>().toExtend<MessageKey>();
  });

  it('REJECT_REASONS matches the reasons written in src/core/validation.ts', () => {
    const fromSource = reasonsInValidationSource();
    expect(fromSource.length).toBeGreaterThan(10);
    expect([...REJECT_REASONS].sort()).toEqual([...fromSource].sort());
    expect(new Set(REJECT_REASONS).size).toBe(REJECT_REASONS.length);
  });

  it('every reason has its own sentence in both languages, ready to become a clause', () => {
    for (const locale of LOCALES) {
      const seen = new Set<string>();
      for (const reason of REJECT_REASONS) {
        const s = rejectSentence(locale, reason);
        expect(s, `${locale} ${reason}`).not.toBe(`reject.${reason}`);
        // A capital then a lowercase letter, a space or an apostrophe: never a name or an
        // acronym, so lowercasing the first letter after a colon is right.
        expect(s, `${locale} ${reason}`).toMatch(/^\p{Lu}[\p{Ll} ']/u);
        expect(s.endsWith('.'), `${locale} ${reason}`).toBe(true);
        expect(placeholders(s), `${locale} ${reason}`).toEqual([]);
        expect(seen.has(s), `${locale} ${reason} repeats another sentence`).toBe(false);
        seen.add(s);
      }
    }
  });

  it('reject.* keys are the reasons plus the fallback, nothing else', () => {
    const keys = enKeys.filter((k) => k.startsWith('reject.')).map((k) => k.slice(7));
    expect(keys.sort()).toEqual([...REJECT_REASONS, 'unknown'].sort());
  });

  it('an unknown reason gets the general sentence', () => {
    expect(isRejectReason('bad-pow')).toBe(true);
    expect(isRejectReason('bad-vibes')).toBe(false);
    expect(rejectSentence('en', 'bad-vibes')).toBe('It breaks a rule of the network.');
    expect(rejectSentence('fr', 'bad-vibes')).toBe('Il enfreint une règle du réseau.');
  });

  it('asClause lowercases the first letter and drops the full stop', () => {
    expect(asClause('Its proof of work is wrong.', 'en')).toBe('its proof of work is wrong');
    expect(asClause("L'expéditeur n'a rien.", 'fr')).toBe("l'expéditeur n'a rien");
    expect(asClause('Already a clause', 'en')).toBe('already a clause');
  });
});

describe('drop sentences', () => {
  it('DROP_REASONS is exactly the DropReason type, as written in src/core/mempool.ts', () => {
    expectTypeOf<(typeof DROP_REASONS)[number]>().toEqualTypeOf<DropReason>();
    const source = readFileSync(new URL('../../src/core/mempool.ts', import.meta.url), 'utf8');
    const union = /export type DropReason =([^;]*);/.exec(source)?.[1] ?? '';
    const fromSource = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1] ?? '');
    expect(fromSource.length).toBeGreaterThan(2);
    expect([...DROP_REASONS].sort()).toEqual(fromSource.sort());
  });

  it('every reason has its own sentence in both languages, ready to become a clause', () => {
    for (const locale of LOCALES) {
      const seen = new Set<string>();
      for (const reason of DROP_REASONS) {
        const s = dropSentence(locale, reason);
        expect(s, `${locale} ${reason}`).not.toBe(`drop.${reason}`);
        expect(s, `${locale} ${reason}`).toMatch(/^\p{Lu}[\p{Ll} ']/u);
        expect(s.endsWith('.'), `${locale} ${reason}`).toBe(true);
        expect(seen.has(s), `${locale} ${reason} repeats another sentence`).toBe(false);
        seen.add(s);
      }
    }
    const keys = enKeys.filter((k) => k.startsWith('drop.')).map((k) => k.slice(5));
    expect(keys.sort()).toEqual([...DROP_REASONS, 'unknown'].sort());
    expect(dropSentence('en', 'bad-vibes')).toBe('It can no longer become valid.');
  });
});

describe('formatting', () => {
  it('fills placeholders with strings and numbers', () => {
    expect(translate('en', 'tour.progress', { step: 2, total: 4 })).toBe('Step 2 of 4');
    expect(translate('fr', 'tour.progress', { step: 2, total: 4 })).toBe('Étape 2 sur 4');
    expect(translate('en', 'node.remove', { node: 'n3' })).toBe('Remove n3');
    expect(formatMessage('{a}{b}{a}', { a: 'x', b: 0 })).toBe('x0x');
  });

  it('leaves a placeholder without a value visible and never throws', () => {
    expect(translate('en', 'tour.progress', { step: 2 })).toBe('Step 2 of {total}');
    expect(translate('en', 'tour.progress')).toBe('Step {step} of {total}');
    expect(formatMessage('{x} and {y}', {})).toBe('{x} and {y}');
    // Inherited properties are not values.
    expect(formatMessage('{toString}', {})).toBe('{toString}');
    expect(() => translate('fr', 'node.remove', { other: 1 })).not.toThrow();
  });

  it('puts values in literally, once', () => {
    expect(formatMessage('{a}', { a: '{b}', b: 'no' })).toBe('{b}');
    expect(formatMessage('{a}', { a: '$& $1 $$' })).toBe('$& $1 $$');
  });

  it('gives an unknown key back as itself', () => {
    expect(translate('fr', 'no.such.key' as MessageKey)).toBe('no.such.key');
  });

  it('uses no-break spaces before French double punctuation, in templates only', () => {
    expect(translate('fr', 'wallet.sent', { index: 7 })).toBe(
      `Paiement envoyé${NBSP}: il sera ajouté au bloc 7.`,
    );
    expect(translate('fr', 'node.hashrate.value', { percent: 40 })).toBe(`40${NBSP}%`);
    expect(translate('fr', 'settings.forkChoice.help')).toContain(
      `«${NBSP}Le plus de travail${NBSP}»`,
    );
    expect(translate('fr', 'reject.mempool-full')).toContain(`attente${NBSP}; réessayez`);
    // Values are left as they are.
    expect(translate('fr', 'wallet.error.refused', { why: 'a : b' })).toBe(
      `Le nœud a refusé le paiement${NBSP}: a : b`,
    );
    // English keeps ordinary spacing.
    expect(translate('en', 'wallet.sent', { index: 7 })).toBe(
      'Payment sent: it will be added to block 7.',
    );
  });

  it('elides French "de" before a name that starts with a vowel', () => {
    const from = (name: string): string =>
      translate('fr', 'narrate.txAccepted', { node: 'n1', from: name });
    expect(from('Alice')).toBe("n1 a accepté un paiement d'Alice");
    expect(from('Émile')).toBe("n1 a accepté un paiement d'Émile");
    expect(from('n2')).toBe('n1 a accepté un paiement de n2');
    expect(from('Bob')).toBe('n1 a accepté un paiement de Bob');
    // English never elides.
    expect(translate('en', 'narrate.txAccepted', { node: 'n1', from: 'Alice' })).toBe(
      'n1 accepted a payment from Alice',
    );
  });

  it('picks singular and plural by each language’s rules', () => {
    expect(pluralCategory('en', 1)).toBe('one');
    expect(pluralCategory('en', 0)).toBe('other');
    expect(pluralCategory('en', 2)).toBe('other');
    expect(pluralCategory('fr', 0)).toBe('one');
    expect(pluralCategory('fr', 1)).toBe('one');
    expect(pluralCategory('fr', 2)).toBe('other');
    expect(pluralCategory('fr', 1_000_000)).toBe('other');
    expect(translatePlural('en', 'unit.coins', 1)).toBe('1 coin');
    expect(translatePlural('en', 'unit.coins', 0)).toBe('0 coins');
    expect(translatePlural('fr', 'unit.coins', 0)).toBe('0 pièce');
    expect(translatePlural('fr', 'unit.coins', 5)).toBe('5 pièces');
  });
});

const HASH = 'ab'.repeat(32);

function tipChanged(
  from: string | null,
  dropped: number,
  adopted: number,
  height: number,
): EventJson {
  return {
    kind: 'tip-changed',
    from,
    oldTip: HASH,
    newTip: HASH,
    fork: HASH,
    height,
    dropped,
    adopted,
  };
}

function rejected(
  kind: 'block-rejected' | 'tx-rejected',
  from: string | null,
  reason: string,
): EventJson {
  return { kind, id: HASH, from, reason, message: 'English message from the core.' };
}

/** English and French narration of one event by one node. */
function both(event: EventJson, node: string): [string, string] {
  return [narrate(event, node, 'en'), narrate(event, node, 'fr')];
}

describe('narrate', () => {
  it('a mined block', () => {
    expect(both({ kind: 'block-mined', hash: HASH, height: 12 }, 'n1')).toEqual([
      'n1 mined block 12',
      'n1 a miné le bloc 12',
    ]);
  });

  it('a reorg onto a peer’s branch, plural and singular', () => {
    expect(both(tipChanged('n1', 2, 3, 15), 'n3')).toEqual([
      "n3 switched to n1's branch: dropped 2 blocks, adopted 3 with more work",
      `n3 est passé sur la branche de n1${NBSP}: 2 blocs abandonnés, 3 adoptés avec plus de travail`,
    ]);
    expect(both(tipChanged('n1', 1, 1, 15), 'n3')).toEqual([
      "n3 switched to n1's branch: dropped 1 block, adopted 1 with more work",
      `n3 est passé sur la branche de n1${NBSP}: 1 bloc abandonné, 1 adopté avec plus de travail`,
    ]);
  });

  it('a reorg under the longest-chain rule says "longer", not "more work"', () => {
    const event = tipChanged('n1', 1, 2, 15);
    expect(narrate(event, 'n3', 'en', undefined, 'longest')).toBe(
      "n3 switched to n1's branch: dropped 1 block, adopted 2 on a longer chain",
    );
    expect(narrate(event, 'n3', 'fr', undefined, 'longest')).toBe(
      `n3 est passé sur la branche de n1${NBSP}: 1 bloc abandonné, 2 adoptés sur une chaîne plus longue`,
    );
  });

  it('a reorg with no peer named', () => {
    expect(both(tipChanged(null, 2, 1, 9), 'n2')).toEqual([
      'n2 switched to another branch: dropped 2 blocks, adopted 1 with more work',
      `n2 est passé sur une autre branche${NBSP}: 2 blocs abandonnés, 1 adopté avec plus de travail`,
    ]);
  });

  it('one block accepted from a peer', () => {
    expect(both(tipChanged('n1', 0, 1, 14), 'n2')).toEqual([
      'n2 accepted block 14 from n1',
      'n2 a accepté le bloc 14 de n1',
    ]);
  });

  it('several blocks from a peer: catching up', () => {
    expect(both(tipChanged('n1', 0, 4, 20), 'n2')).toEqual([
      'n2 caught up with n1: adopted 4 blocks, now at block 20',
      `n2 a rattrapé n1${NBSP}: 4 blocs adoptés, maintenant au bloc 20`,
    ]);
  });

  it('its own chain growing, singular and plural', () => {
    expect(both(tipChanged(null, 0, 1, 12), 'n1')).toEqual([
      'n1 added 1 block to its chain, now at block 12',
      'n1 a ajouté 1 bloc à sa chaîne, maintenant au bloc 12',
    ]);
    expect(both(tipChanged(null, 0, 3, 12), 'n1')).toEqual([
      'n1 added 3 blocks to its chain, now at block 12',
      'n1 a ajouté 3 blocs à sa chaîne, maintenant au bloc 12',
    ]);
  });

  it('a rejected block, with the reason in plain words', () => {
    expect(both(rejected('block-rejected', 'n4', 'bad-pow'), 'n2')).toEqual([
      'n2 rejected a block from n4: its proof of work is wrong (its hash is not small enough for the difficulty)',
      `n2 a refusé un bloc de n4${NBSP}: sa preuve de travail est fausse (son empreinte n'est pas assez petite pour la difficulté)`,
    ]);
    expect(both(rejected('block-rejected', null, 'invalid-parent'), 'n2')).toEqual([
      'n2 rejected a block: it builds on a block that was rejected',
      `n2 a refusé un bloc${NBSP}: il s'appuie sur un bloc qui a été refusé`,
    ]);
  });

  it('a rejected payment, from a peer or from the node itself', () => {
    expect(both(rejected('tx-rejected', 'n3', 'insufficient-funds'), 'n1')).toEqual([
      'n1 rejected a payment from n3: the sender does not have enough coins for the amount plus the fee',
      `n1 a refusé un paiement de n3${NBSP}: l'expéditeur n'a pas assez de pièces pour le montant plus les frais`,
    ]);
    expect(both(rejected('tx-rejected', null, 'mempool-full'), 'n1')).toEqual([
      'n1 refused a new payment: too many payments are waiting; try again after the next block',
      `n1 a refusé un nouveau paiement${NBSP}: trop de paiements sont en attente${NBSP}; réessayez après le prochain bloc`,
    ]);
  });

  it('a rejection with a reason it does not know', () => {
    expect(both(rejected('block-rejected', 'n4', 'something-new'), 'n2')).toEqual([
      'n2 rejected a block from n4: it breaks a rule of the network',
      `n2 a refusé un bloc de n4${NBSP}: il enfreint une règle du réseau`,
    ]);
  });

  it('every reason reads well in a narrated sentence', () => {
    for (const reason of REJECT_REASONS) {
      for (const locale of LOCALES) {
        const line = narrate(rejected('block-rejected', 'n4', reason), 'n2', locale);
        expect(line).not.toMatch(/[{}]|\.$/);
      }
    }
  });

  it('accepted payments', () => {
    expect(both({ kind: 'tx-accepted', id: HASH, from: 'n2' }, 'n1')).toEqual([
      'n1 accepted a payment from n2',
      'n1 a accepté un paiement de n2',
    ]);
    expect(both({ kind: 'tx-accepted', id: HASH, from: null }, 'n1')).toEqual([
      'n1 signed a new payment',
      'n1 a signé un nouveau paiement',
    ]);
  });

  it('dropped messages, told apart by the core’s reason', () => {
    const drop = (reason: string): EventJson => ({ kind: 'message-dropped', from: 'n3', reason });
    expect(both(drop('unreadable block: bad length'), 'n1')).toEqual([
      'n1 dropped a malformed message from n3',
      'n1 a écarté un message mal formé de n3',
    ]);
    expect(both(drop('inv from a node that is not a registered peer'), 'n1')).toEqual([
      'n1 ignored a message from n3, which is not one of its registered peers',
      'n1 a ignoré un message de n3, qui ne fait pas partie de ses pairs enregistrés',
    ]);
    expect(both(drop('an answer nobody asked for'), 'n1')).toEqual([
      'n1 ignored an answer from n3 that it never asked for',
      "n1 a ignoré une réponse de n3 qu'il n'avait pas demandée",
    ]);
  });

  it('a dropped payment says which one and why, naming nodes by their addresses', () => {
    const A1 = '1'.repeat(40);
    const A2 = '2'.repeat(40);
    const event: EventJson = {
      kind: 'tx-dropped',
      id: HASH,
      sender: A1,
      recipient: A2,
      amount: 2,
      nonce: 0,
      reason: 'insufficient-funds',
      message: 'English message from the core.',
    };
    const names = (id: string): string => (id === A1 ? 'n1' : id === A2 ? 'n2' : id);
    expect([narrate(event, 'n1', 'en', names), narrate(event, 'n1', 'fr', names)]).toEqual([
      'n1 dropped a payment of 2 coins from n1 to n2 (nonce 0): the sender no longer has the coins for it, perhaps because they came from blocks that left the best chain',
      `n1 a abandonné un paiement de 2 pièces de n1 à n2 (nonce 0)${NBSP}: l'expéditeur n'a plus les pièces pour le payer, peut-être parce qu'elles venaient de blocs sortis de la meilleure chaîne`,
    ]);
    // Without names, an address shows as its first 8 hex digits.
    expect(narrate({ ...event, amount: 1, reason: 'nonce-used' }, 'n3', 'en')).toBe(
      'n3 dropped a payment of 1 coin from 11111111… to 22222222… (nonce 0): another payment from the same sender with this nonce is on the best chain, so this one can never count',
    );
  });

  it('a tie, under either fork-choice rule', () => {
    const tie = (from: string | null): EventJson => ({
      kind: 'tie-seen',
      from,
      tip: HASH,
      kept: HASH,
      height: 5,
    });
    expect(both(tie('n2'), 'n1')).toEqual([
      'n1 sees a branch from n2 with the same work as its own, at block 5: it keeps the one it saw first until the next block breaks the tie',
      `n1 voit une branche de n2 avec le même travail que la sienne, au bloc 5${NBSP}: il garde celle qu'il a vue en premier jusqu'à ce que le prochain bloc les départage`,
    ]);
    expect(narrate(tie(null), 'n1', 'en', undefined, 'longest')).toBe(
      'n1 sees another branch with the same length as its own, at block 5: it keeps the one it saw first until the next block breaks the tie',
    );
  });

  it('skipped storage', () => {
    expect(
      both({ kind: 'storage-skipped', reason: 'stored settings are corrupt: defaults used' }, 'n2'),
    ).toEqual([
      'n2 skipped saved data it could not use',
      'n2 a laissé de côté des données enregistrées inutilisables',
    ]);
  });

  it('shows display names for the node and its peer', () => {
    const names = (id: string): string => (id === 'n1' ? 'Alice' : id === 'n3' ? 'Carol' : id);
    expect(narrate(tipChanged('n1', 2, 3, 15), 'n3', 'en', names)).toBe(
      "Carol switched to Alice's branch: dropped 2 blocks, adopted 3 with more work",
    );
    expect(narrate(tipChanged('n1', 2, 3, 15), 'n3', 'fr', names)).toBe(
      `Carol est passé sur la branche d'Alice${NBSP}: 2 blocs abandonnés, 3 adoptés avec plus de travail`,
    );
    expect(narrate(rejected('tx-rejected', 'n1', 'bad-signature'), 'n3', 'fr', names)).toBe(
      `Carol a refusé un paiement d'Alice${NBSP}: la signature ne correspond pas à l'expéditeur, donc le paiement a été falsifié ou modifié`,
    );
  });
});

describe('eventKind', () => {
  const samples: readonly [EventJson, EventKind][] = [
    [{ kind: 'block-mined', hash: HASH, height: 2 }, 'mining'],
    [tipChanged('n1', 1, 2, 3), 'consensus'],
    [rejected('block-rejected', 'n1', 'bad-pow'), 'rejection'],
    [rejected('tx-rejected', null, 'bad-fee'), 'rejection'],
    [{ kind: 'tx-accepted', id: HASH, from: null }, 'payment'],
    [{ kind: 'message-dropped', from: 'n2', reason: 'x' }, 'network'],
    [{ kind: 'storage-skipped', reason: 'x' }, 'storage'],
    [
      {
        kind: 'tx-dropped',
        id: HASH,
        sender: 'a',
        recipient: 'b',
        amount: 1,
        nonce: 0,
        reason: 'nonce-used',
        message: 'x',
      },
      'payment',
    ],
    [{ kind: 'tie-seen', from: null, tip: HASH, kept: HASH, height: 3 }, 'consensus'],
  ];

  it('puts each event in its filter category', () => {
    for (const [event, kind] of samples) expect(eventKind(event), event.kind).toBe(kind);
  });

  it('every category is reachable and has a label in both languages', () => {
    expect(new Set(samples.map(([e]) => eventKind(e)))).toEqual(new Set(EVENT_KINDS));
    for (const kind of EVENT_KINDS) {
      for (const locale of LOCALES) {
        expect(translate(locale, `events.kind.${kind}`)).not.toBe(`events.kind.${kind}`);
      }
    }
  });
});

/** A Storage stand-in; `broken` makes every call throw, like a blocked localStorage. */
function fakeStorage(initial: Record<string, string> = {}, broken = false) {
  const data = new Map(Object.entries(initial));
  const fail = (): never => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    data,
    getItem: (k: string): string | null => (broken ? fail() : (data.get(k) ?? null)),
    setItem: (k: string, v: string): void => {
      if (broken) fail();
      data.set(k, v);
    },
  };
}

describe('I18n', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function environment(options: {
    saved?: string;
    language?: string;
    brokenStorage?: boolean;
    noStorage?: boolean;
    noNavigator?: boolean;
  }) {
    const storage = fakeStorage(
      options.saved === undefined ? {} : { [LOCALE_STORAGE_KEY]: options.saved },
      options.brokenStorage,
    );
    const doc = { documentElement: { lang: '' } };
    vi.stubGlobal('localStorage', options.noStorage === true ? undefined : storage);
    vi.stubGlobal(
      'navigator',
      options.noNavigator === true ? undefined : { language: options.language ?? 'en-GB' },
    );
    vi.stubGlobal('document', doc);
    return { storage, doc };
  }

  it('starts in English without a DOM, storage or navigator', () => {
    vi.stubGlobal('localStorage', undefined);
    vi.stubGlobal('navigator', undefined);
    vi.stubGlobal('document', undefined);
    expect(initialLocale()).toBe('en');
    const i18n = new I18n();
    expect(i18n.locale).toBe('en');
    expect(i18n.t('tour.next')).toBe('Next');
    expect(() => {
      i18n.setLocale('fr');
    }).not.toThrow();
    expect(i18n.t('tour.next')).toBe('Suivant');
  });

  it("follows the browser's French", () => {
    for (const language of ['fr', 'fr-FR', 'fr-CA', 'FR-be', 'fr_CH']) {
      environment({ language });
      expect(new I18n().locale, language).toBe('fr');
    }
    for (const language of ['en-US', 'de-DE', 'frr', '']) {
      environment({ language });
      expect(new I18n().locale, language).toBe('en');
    }
  });

  it('prefers the saved choice over the browser, and ignores a saved value it does not speak', () => {
    environment({ saved: 'en', language: 'fr-FR' });
    expect(new I18n().locale).toBe('en');
    environment({ saved: 'fr', language: 'en-US' });
    expect(new I18n().locale).toBe('fr');
    environment({ saved: 'de', language: 'fr-FR' });
    expect(new I18n().locale).toBe('fr');
    environment({ saved: 'klingon', language: 'en-US' });
    expect(new I18n().locale).toBe('en');
  });

  it('falls back to the browser when storage throws or is missing', () => {
    environment({ saved: 'en', language: 'fr-FR', brokenStorage: true });
    expect(new I18n().locale).toBe('fr');
    environment({ language: 'fr-FR', noStorage: true });
    expect(new I18n().locale).toBe('fr');
    environment({ saved: 'fr', noNavigator: true });
    expect(new I18n().locale).toBe('fr');
  });

  it('labels the page with the starting language', () => {
    const { doc } = environment({ language: 'fr' });
    new I18n();
    expect(doc.documentElement.lang).toBe('fr');
  });

  it('setLocale switches words, remembers the choice and labels the page', () => {
    const { storage, doc } = environment({ language: 'en-US' });
    const i18n = new I18n();
    expect(i18n.t('node.height')).toBe('Height');
    i18n.setLocale('fr');
    expect(i18n.locale).toBe('fr');
    expect(i18n.t('node.height')).toBe('Hauteur');
    expect(i18n.t('network.split', { count: 3 })).toBe('Le réseau est coupé en 3 groupes.');
    expect(i18n.plural('unit.coins', 2)).toBe('2 pièces');
    expect(storage.data.get(LOCALE_STORAGE_KEY)).toBe('fr');
    expect(doc.documentElement.lang).toBe('fr');
    // The next page load starts in French even though the browser says English.
    expect(new I18n().locale).toBe('fr');
  });

  it('setLocale still switches when storage refuses to write', () => {
    const { doc } = environment({ language: 'en-US', brokenStorage: true });
    const i18n = new I18n();
    expect(() => {
      i18n.setLocale('fr');
    }).not.toThrow();
    expect(i18n.locale).toBe('fr');
    expect(doc.documentElement.lang).toBe('fr');
  });

  it('takes an explicit starting locale', () => {
    environment({ language: 'fr' });
    const locale: Locale = 'en';
    expect(new I18n(locale).locale).toBe('en');
  });
});
