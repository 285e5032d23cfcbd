/**
 * The page's event log and scripts each read every event of a node once, whoever asks first;
 * memory stays bounded when a reader never asks.
 */
import { describe, expect, it } from 'vitest';
import type { EventJson } from '../../src/api/json.ts';
import { EventFeed, FEED_CAPACITY } from '../../src/sim/event-feed.ts';

const mined = (height: number): EventJson => ({ kind: 'block-mined', hash: `h${height}`, height });
const heights = (events: readonly EventJson[]): number[] =>
  events.map((e) => (e.kind === 'block-mined' ? e.height : -1));

describe('EventFeed', () => {
  it('gives each reader every event once, in order', () => {
    const feed = new EventFeed();
    feed.push('n1', [mined(2), mined(3)]);
    expect(heights(feed.take('n1', 'page'))).toEqual([2, 3]);
    feed.push('n1', [mined(4)]);
    expect(heights(feed.take('n1', 'script'))).toEqual([2, 3, 4]);
    expect(heights(feed.take('n1', 'page'))).toEqual([4]);
    expect(feed.take('n1', 'page')).toEqual([]);
    expect(feed.take('n1', 'script')).toEqual([]);
    expect(feed.take('n2', 'page')).toEqual([]);
  });

  it('keeps the newest events when a reader falls behind', () => {
    const feed = new EventFeed();
    const all = Array.from({ length: FEED_CAPACITY + 250 }, (_, i) => mined(i));
    for (let i = 0; i < all.length; i += 100) {
      feed.push('n1', all.slice(i, i + 100));
      feed.take('n1', 'page');
    }
    const late = heights(feed.take('n1', 'script'));
    expect(late).toHaveLength(FEED_CAPACITY);
    expect(late[0]).toBe(250);
    expect(late.at(-1)).toBe(all.length - 1);
  });

  it('forgets a removed node and everything on a reset', () => {
    const feed = new EventFeed();
    feed.push('n1', [mined(2)]);
    feed.push('n2', [mined(2)]);
    feed.forget('n1');
    expect(feed.take('n1', 'script')).toEqual([]);
    // A reused id starts afresh, with no stale cursor.
    feed.push('n1', [mined(5)]);
    expect(heights(feed.take('n1', 'script'))).toEqual([5]);
    feed.clear();
    expect(feed.take('n2', 'page')).toEqual([]);
  });
});
