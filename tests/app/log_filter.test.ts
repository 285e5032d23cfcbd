import { describe, expect, it } from 'vitest';
import type { EventJson } from '../../src/api/json.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { LogFilter } from '../../src/app/state/log-filter.ts';
import {
  DISPLAY_LIMIT,
  filterLog,
  isReorg,
  lastId,
  matches,
  NO_FILTER,
  pruneNodes,
  reorgsSince,
  timeFormatter,
  toggle,
} from '../../src/app/state/log-filter.ts';
import type { EventKind } from '../../src/app/i18n/narrate.ts';
import { EVENT_KINDS } from '../../src/app/i18n/narrate.ts';
import type { LogEntry } from '../../src/app/state/simulation.svelte.ts';

const HASH = 'ab'.repeat(32);

const mined: EventJson = { kind: 'block-mined', hash: HASH, height: 2 };
const advanced: EventJson = {
  kind: 'tip-changed',
  from: 'n2',
  oldTip: HASH,
  newTip: HASH,
  fork: HASH,
  height: 3,
  dropped: 0,
  adopted: 1,
};
const reorg: EventJson = { ...advanced, dropped: 2, adopted: 3 };
const rejected: EventJson = {
  kind: 'block-rejected',
  id: HASH,
  from: 'n2',
  reason: 'bad-pow',
  message: 'bad proof of work',
};
const paid: EventJson = { kind: 'tx-accepted', id: HASH, from: null };
const dropped: EventJson = { kind: 'message-dropped', from: 'n3', reason: 'not an object' };
const skipped: EventJson = { kind: 'storage-skipped', reason: 'unreadable' };

let nextId = 0;
function entry(node: string, event: EventJson, at = 0): LogEntry {
  return { id: nextId++, node: node as NodeId, at, event };
}

function filterOf(nodes: string[], kinds: EventKind[]): LogFilter {
  return { nodes: new Set(nodes), kinds: new Set(kinds) };
}

describe('isReorg', () => {
  it('is a tip change that dropped blocks, and nothing else', () => {
    expect(isReorg(reorg)).toBe(true);
    expect(isReorg(advanced)).toBe(false);
    for (const e of [mined, rejected, paid, dropped, skipped]) expect(isReorg(e)).toBe(false);
  });
});

describe('filterLog', () => {
  const log = [
    entry('n1', mined),
    entry('n2', advanced),
    entry('n3', reorg),
    entry('n1', rejected),
    entry('n2', paid),
    entry('n3', dropped),
    entry('n1', skipped),
  ];

  it('shows everything, newest first, with no filter', () => {
    const r = filterLog(log, NO_FILTER);
    expect(r.total).toBe(log.length);
    expect(r.entries.map((e) => e.id)).toEqual(log.map((e) => e.id).reverse());
  });

  it('filters by any of the chosen nodes', () => {
    const r = filterLog(log, filterOf(['n1', 'n3'], []));
    expect(r.entries.map((e) => e.node)).toEqual(['n1', 'n3', 'n1', 'n3', 'n1']);
    expect(r.total).toBe(5);
  });

  it('filters by any of the chosen kinds', () => {
    expect(filterLog(log, filterOf([], ['consensus'])).entries.map((e) => e.event)).toEqual([
      reorg,
      advanced,
    ]);
    const r = filterLog(log, filterOf([], ['rejection', 'network', 'storage']));
    expect(r.entries.map((e) => e.event.kind)).toEqual([
      'storage-skipped',
      'message-dropped',
      'block-rejected',
    ]);
  });

  it('needs both the node and the kind to match when both are chosen', () => {
    const r = filterLog(log, filterOf(['n1'], ['mining', 'payment']));
    expect(r.entries.map((e) => e.event)).toEqual([mined]);
  });

  it('gives every event kind a filter that finds it', () => {
    for (const kind of EVENT_KINDS) {
      expect(filterLog(log, filterOf([], [kind])).total, kind).toBeGreaterThan(0);
    }
  });

  it('shows nothing when nothing matches, and handles an empty log', () => {
    expect(filterLog(log, filterOf(['n9'], []))).toEqual({ entries: [], total: 0 });
    expect(filterLog([], NO_FILTER)).toEqual({ entries: [], total: 0 });
  });

  it('renders at most the newest 200 matches but counts them all', () => {
    const big = Array.from({ length: 500 }, (_, i) => entry(i % 2 === 0 ? 'n1' : 'n2', mined));
    const all = filterLog(big, NO_FILTER);
    expect(DISPLAY_LIMIT).toBe(200);
    expect(all.entries).toHaveLength(200);
    expect(all.total).toBe(500);
    expect(all.entries[0]).toBe(big[499]);
    expect(all.entries[199]).toBe(big[300]);

    const n1 = filterLog(big, filterOf(['n1'], []));
    expect(n1.entries).toHaveLength(200);
    expect(n1.total).toBe(250);
    expect(n1.entries.every((e) => e.node === 'n1')).toBe(true);

    expect(filterLog(big, NO_FILTER, 3).entries.map((e) => e.id)).toEqual(
      [499, 498, 497].map((i) => big[i]?.id),
    );
  });

  it('never changes the log it is given', () => {
    const copy = [...log];
    filterLog(log, filterOf(['n1'], ['mining']));
    expect(log).toEqual(copy);
  });
});

describe('matches', () => {
  it('treats an empty selection as "all"', () => {
    expect(matches(entry('n7', skipped), NO_FILTER)).toBe(true);
    expect(matches(entry('n7', skipped), filterOf(['n7'], []))).toBe(true);
    expect(matches(entry('n7', skipped), filterOf([], ['storage']))).toBe(true);
    expect(matches(entry('n7', skipped), filterOf([], ['mining']))).toBe(false);
  });
});

describe('toggle and pruneNodes', () => {
  it('adds a value that is missing and removes one that is there, without mutating', () => {
    const empty = new Set<string>();
    const one = toggle(empty, 'n1');
    expect([...one]).toEqual(['n1']);
    expect(empty.size).toBe(0);
    const two = toggle(one, 'n2');
    expect([...two].sort()).toEqual(['n1', 'n2']);
    expect([...toggle(two, 'n1')]).toEqual(['n2']);
    expect([...one]).toEqual(['n1']);
  });

  it('drops removed nodes from the selection, keeping the same set when nothing changed', () => {
    const chosen = new Set(['n1', 'n4']);
    expect([...pruneNodes(chosen, ['n1', 'n2', 'n3'])]).toEqual(['n1']);
    expect(pruneNodes(chosen, ['n1', 'n4'])).toBe(chosen);
    expect(pruneNodes(chosen, []).size).toBe(0);
  });
});

describe('reorgsSince', () => {
  const log = [
    entry('n1', reorg),
    entry('n2', mined),
    entry('n2', reorg),
    entry('n3', advanced),
    entry('n3', reorg),
  ];
  const first = log[0]?.id ?? 0;

  it('gives only reorgs newer than the last one announced, oldest first', () => {
    expect(reorgsSince(log, first - 1, NO_FILTER).map((e) => e.node)).toEqual(['n1', 'n2', 'n3']);
    expect(reorgsSince(log, first, NO_FILTER).map((e) => e.node)).toEqual(['n2', 'n3']);
    expect(reorgsSince(log, lastId(log), NO_FILTER)).toEqual([]);
  });

  it('respects the filter, so hidden nodes stay quiet', () => {
    expect(reorgsSince(log, first - 1, filterOf(['n3'], [])).map((e) => e.node)).toEqual(['n3']);
    expect(reorgsSince(log, first - 1, filterOf([], ['mining']))).toEqual([]);
  });

  it('lastId is the highest id, or -1 for an empty log', () => {
    expect(lastId([])).toBe(-1);
    expect(lastId(log)).toBe(log[log.length - 1]?.id);
  });
});

describe('timeFormatter', () => {
  const at = Date.UTC(2024, 0, 2, 9, 5, 7);

  it('writes HH:MM:SS on a 24-hour clock in each locale', () => {
    expect(timeFormatter('en', 'UTC')(at)).toBe('09:05:07');
    expect(timeFormatter('fr', 'UTC')(at)).toBe('09:05:07');
    expect(timeFormatter('en', 'UTC')(Date.UTC(2024, 0, 2, 21, 0, 0))).toBe('21:00:00');
  });

  it('uses the local time zone by default', () => {
    expect(timeFormatter('en')(at)).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });
});
