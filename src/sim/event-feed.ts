/**
 * A node's events, read by more than one reader: the page's event log and scripts calling
 * `window.chainlab.takeEvents` each get every event once, whoever asked first. A worker hands
 * its events over only once, so they are kept here, the last {@link FEED_CAPACITY} per node.
 */
import type { EventJson } from '../api/json.ts';

/** Who reads a feed: the page's event log, or a script. */
export type EventReader = 'page' | 'script';

/** Events kept per node; a reader further behind starts from the oldest kept. */
export const FEED_CAPACITY = 1_000;

interface NodeFeed {
  /** Sequence number of `events[0]`. */
  first: number;
  readonly events: EventJson[];
  readonly read: Map<EventReader, number>;
}

/** Per-node event feeds with one cursor per reader. */
export class EventFeed {
  readonly #feeds = new Map<string, NodeFeed>();

  /** Append what a node just handed over. */
  push(id: string, events: readonly EventJson[]): void {
    if (events.length === 0) return;
    let feed = this.#feeds.get(id);
    if (!feed) {
      feed = { first: 0, events: [], read: new Map() };
      this.#feeds.set(id, feed);
    }
    feed.events.push(...events);
    const excess = feed.events.length - FEED_CAPACITY;
    if (excess > 0) {
      feed.events.splice(0, excess);
      feed.first += excess;
    }
  }

  /** Everything `reader` has not yet seen of node `id`, oldest first. */
  take(id: string, reader: EventReader): EventJson[] {
    const feed = this.#feeds.get(id);
    if (!feed) return [];
    const from = Math.max(feed.read.get(reader) ?? 0, feed.first);
    const end = feed.first + feed.events.length;
    feed.read.set(reader, end);
    return feed.events.slice(from - feed.first);
  }

  /** Drop a removed node's feed (an id may be reused later). */
  forget(id: string): void {
    this.#feeds.delete(id);
  }

  /** Drop every feed (a reset). */
  clear(): void {
    this.#feeds.clear();
  }
}
