/**
 * What the event log shows: entries filtered by node and by kind, newest first, capped so the
 * page stays smooth, and the reorgs worth announcing. Pure functions: the component only renders.
 */
import type { EventJson } from '../../api/json.ts';
import type { EventKind } from '../i18n/narrate.ts';
import { eventKind } from '../i18n/narrate.ts';
import type { LogEntry } from './simulation.svelte.ts';

/** Entries rendered at most: the newest ones that pass the filter. */
export const DISPLAY_LIMIT = 200;

/** The learner's choice. An empty set means "all": no filter on that axis. */
export interface LogFilter {
  readonly nodes: ReadonlySet<string>;
  readonly kinds: ReadonlySet<EventKind>;
}

/** No filter at all. */
export const NO_FILTER: LogFilter = { nodes: new Set(), kinds: new Set() };

/** What to render. */
export interface FilteredLog {
  /** Matching entries, newest first, at most the limit. */
  readonly entries: readonly LogEntry[];
  /** How many entries match in all (may exceed `entries.length`). */
  readonly total: number;
}

/** A reorg: the node's best chain lost blocks to another branch. */
export function isReorg(event: EventJson): boolean {
  return event.kind === 'tip-changed' && event.dropped > 0;
}

/** Does one entry pass the filter? */
export function matches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.nodes.size > 0 && !filter.nodes.has(entry.node)) return false;
  if (filter.kinds.size > 0 && !filter.kinds.has(eventKind(entry.event))) return false;
  return true;
}

/**
 * The entries to show: those that pass the filter, newest first (the log is oldest first), the
 * newest `limit` of them, with the number that matched in all.
 */
export function filterLog(
  log: readonly LogEntry[],
  filter: LogFilter,
  limit: number = DISPLAY_LIMIT,
): FilteredLog {
  const entries: LogEntry[] = [];
  let total = 0;
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i];
    if (entry === undefined || !matches(entry, filter)) continue;
    total++;
    if (entries.length < limit) entries.push(entry);
  }
  return { entries, total };
}

/**
 * A selection with one value added or removed (for the filter chips). Never mutates the input.
 */
export function toggle<T>(selection: ReadonlySet<T>, value: T): ReadonlySet<T> {
  const next = new Set(selection);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/**
 * A node selection without nodes that no longer exist, so removing a node never leaves a filter
 * that silently hides everything. Returns the same set when nothing changed.
 */
export function pruneNodes(
  selection: ReadonlySet<string>,
  nodeIds: readonly string[],
): ReadonlySet<string> {
  const known = new Set(nodeIds);
  const kept = [...selection].filter((id) => known.has(id));
  return kept.length === selection.size ? selection : new Set(kept);
}

/**
 * Reorgs to announce: entries newer than `afterId` that are reorgs and pass the filter, oldest
 * first (the order they happened in). The live region reads these, and nothing else.
 */
export function reorgsSince(
  log: readonly LogEntry[],
  afterId: number,
  filter: LogFilter,
): LogEntry[] {
  return log.filter((e) => e.id > afterId && isReorg(e.event) && matches(e, filter));
}

/** The highest entry id in the log, or -1 when it is empty. */
export function lastId(log: readonly LogEntry[]): number {
  let max = -1;
  for (const e of log) if (e.id > max) max = e.id;
  return max;
}

/** A wall-clock time as HH:MM:SS in the locale's way of writing it (24-hour clock). */
export function timeFormatter(locale: string, timeZone?: string): (at: number) => string {
  const format = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(timeZone === undefined ? {} : { timeZone }),
  });
  return (at) => format.format(at);
}
