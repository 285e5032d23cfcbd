/**
 * What a node did, told in plain words: "n3 switched to n1's branch: dropped 2 blocks, adopted 3
 * with more work". Used by the event log; every sentence comes from the catalogue.
 */
import type { EventJson } from '../../api/json.ts';
import type { ForkChoice } from '../../core/params.ts';
import { parseAddress } from '../../core/types.ts';
import type { Locale } from './catalog.ts';
import { dropSentence, rejectSentence, translate, translatePlural } from './catalog.ts';

/** The event log's filter categories. */
export type EventKind = 'mining' | 'consensus' | 'rejection' | 'network' | 'storage' | 'payment';

/** Every category, in the order the filter lists them (each has an `events.kind.<kind>` label). */
export const EVENT_KINDS = [
  'mining',
  'consensus',
  'rejection',
  'payment',
  'network',
  'storage',
] as const satisfies readonly EventKind[];

/** Which filter category an event belongs to. */
export function eventKind(event: EventJson): EventKind {
  switch (event.kind) {
    case 'block-mined':
      return 'mining';
    case 'tip-changed':
    case 'tie-seen':
      return 'consensus';
    case 'block-rejected':
    case 'tx-rejected':
      return 'rejection';
    case 'tx-accepted':
    case 'tx-dropped':
      return 'payment';
    case 'message-dropped':
      return 'network';
    case 'storage-skipped':
      return 'storage';
  }
}

/** Turns an id (node id or address) into the name to show. */
export type DisplayName = (id: string) => string;

/**
 * A full sentence as a clause after a colon: first letter lowercased, final full stop removed.
 * Reject sentences never start with a name or an acronym, so lowercasing is safe.
 */
export function asClause(sentence: string, locale: Locale): string {
  const trimmed = sentence.endsWith('.') ? sentence.slice(0, -1) : sentence;
  return trimmed.charAt(0).toLocaleLowerCase(locale) + trimmed.slice(1);
}

/** An address as a log line shows it: its display name, or its first 8 hex digits. */
function party(address: string, names: DisplayName | undefined): string {
  const named = names?.(address);
  if (named !== undefined && named !== address) return named;
  return parseAddress(address) !== null ? `${address.slice(0, 8)}…` : address;
}

/** Why a node dropped a message, from the core's wording (src/core/node.ts). */
function droppedKey(
  reason: string,
): 'narrate.messageDropped' | 'narrate.messageDropped.notPeer' | 'narrate.messageDropped.unasked' {
  if (reason.endsWith('from a node that is not a registered peer')) {
    return 'narrate.messageDropped.notPeer';
  }
  if (reason === 'an answer nobody asked for') return 'narrate.messageDropped.unasked';
  // Everything else the core drops is a message it could not parse.
  return 'narrate.messageDropped';
}

/**
 * One event of `node`, in plain words. `names` turns node ids into the names to show;
 * `forkChoice` says why a branch won ("with more work" or "on a longer chain").
 */
export function narrate(
  event: EventJson,
  node: string,
  locale: Locale,
  names?: DisplayName,
  forkChoice: ForkChoice = 'most-work',
): string {
  const name = (id: string): string => names?.(id) ?? id;
  const who = name(node);
  switch (event.kind) {
    case 'block-mined':
      return translate(locale, 'narrate.mined', { node: who, height: event.height });

    case 'tip-changed': {
      const { from, dropped, adopted, height } = event;
      if (dropped > 0) {
        const params = {
          node: who,
          dropped: translatePlural(locale, 'narrate.dropped', dropped),
          adopted: translatePlural(
            locale,
            forkChoice === 'longest' ? 'narrate.adopted.longest' : 'narrate.adopted.mostWork',
            adopted,
          ),
        };
        return from === null
          ? translate(locale, 'narrate.switched.local', params)
          : translate(locale, 'narrate.switched', { ...params, from: name(from) });
      }
      if (from === null) {
        return translatePlural(locale, 'narrate.advanced', adopted, { node: who, height });
      }
      if (adopted === 1) {
        return translate(locale, 'narrate.accepted', { node: who, height, from: name(from) });
      }
      return translatePlural(locale, 'narrate.caughtUp', adopted, {
        node: who,
        height,
        from: name(from),
      });
    }

    case 'block-rejected':
    case 'tx-rejected': {
      const why = asClause(rejectSentence(locale, event.reason), locale);
      const block = event.kind === 'block-rejected';
      if (event.from === null) {
        return translate(
          locale,
          block ? 'narrate.blockRejected.local' : 'narrate.txRejected.local',
          {
            node: who,
            why,
          },
        );
      }
      return translate(locale, block ? 'narrate.blockRejected' : 'narrate.txRejected', {
        node: who,
        from: name(event.from),
        why,
      });
    }

    case 'tx-accepted':
      return event.from === null
        ? translate(locale, 'narrate.txAccepted.local', { node: who })
        : translate(locale, 'narrate.txAccepted', { node: who, from: name(event.from) });

    case 'message-dropped':
      return translate(locale, droppedKey(event.reason), { node: who, from: name(event.from) });

    case 'storage-skipped':
      return translate(locale, 'narrate.storageSkipped', { node: who });

    case 'tx-dropped':
      return translate(locale, 'narrate.txDropped', {
        node: who,
        amount: translatePlural(locale, 'unit.coins', event.amount),
        from: party(event.sender, names),
        to: party(event.recipient, names),
        nonce: event.nonce,
        why: asClause(dropSentence(locale, event.reason), locale),
      });

    case 'tie-seen': {
      const params = {
        node: who,
        height: event.height,
        same: translate(
          locale,
          forkChoice === 'longest' ? 'narrate.same.longest' : 'narrate.same.mostWork',
        ),
      };
      return event.from === null
        ? translate(locale, 'narrate.tieSeen.local', params)
        : translate(locale, 'narrate.tieSeen', { ...params, from: name(event.from) });
    }
  }
}
