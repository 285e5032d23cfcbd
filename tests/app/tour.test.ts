/**
 * The first-visit tour: it opens on a first visit, walks the tutorial's four steps, remembers
 * being skipped or finished, reopens from the start, and never throws when storage is missing,
 * disabled or full. The card renders as a labelled, described dialog.
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Tour from '../../src/app/components/Tour.svelte';
import TourButton from '../../src/app/components/TourButton.svelte';
import { en } from '../../src/app/i18n/catalog.ts';
import type { TourStorage } from '../../src/app/state/tour.svelte.ts';
import {
  TOUR_REOPEN_ID,
  TOUR_SEEN,
  TOUR_STEPS,
  TOUR_STORAGE_KEY,
  TourState,
} from '../../src/app/state/tour.svelte.ts';

/** A Storage stand-in; `broken` makes every call throw, like a blocked or full localStorage. */
function memoryStorage(broken = false): TourStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem(key: string): string | null {
      if (broken) throw new Error('SecurityError');
      return items.get(key) ?? null;
    },
    setItem(key: string, value: string): void {
      if (broken) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TourState', () => {
  it('follows the tutorial: chain, mining, API, consensus, each with words in English', () => {
    expect(TOUR_STEPS.map((s) => s.id)).toEqual(['chain', 'mining', 'api', 'consensus']);
    for (const s of TOUR_STEPS) {
      expect(en[s.title]).toBeTruthy();
      expect(en[s.body]).toBeTruthy();
      expect(s.target).toMatch(/^\[data-tour="[a-z]+"\]$/);
    }
  });

  it('opens at the first step on a first visit', () => {
    const tour = new TourState(memoryStorage());
    expect(tour.open).toBe(true);
    expect(tour.step).toBe(0);
    expect(tour.opened).toBe(1);
    expect(tour.total).toBe(4);
    expect(tour.current?.id).toBe('chain');
    expect(tour.isFirst).toBe(true);
    expect(tour.isLast).toBe(false);
  });

  it('walks forward and back, and never past either end', () => {
    const tour = new TourState(memoryStorage());
    tour.back();
    expect(tour.step).toBe(0);
    tour.next();
    tour.next();
    expect(tour.current?.id).toBe('api');
    tour.back();
    expect(tour.current?.id).toBe('mining');
    tour.next();
    tour.next();
    expect(tour.isLast).toBe(true);
    expect(tour.current?.id).toBe('consensus');
    expect(tour.open).toBe(true);
    // Next on the last step finishes.
    tour.next();
    expect(tour.open).toBe(false);
  });

  it('remembers a skip: the next visit starts closed', () => {
    const storage = memoryStorage();
    const tour = new TourState(storage);
    tour.next();
    tour.skip();
    expect(tour.open).toBe(false);
    expect(storage.items.get(TOUR_STORAGE_KEY)).toBe(TOUR_SEEN);
    const again = new TourState(storage);
    expect(again.seen).toBe(true);
    expect(again.open).toBe(false);
    expect(again.opened).toBe(0);
  });

  it('remembers a finish', () => {
    const storage = memoryStorage();
    const tour = new TourState(storage);
    for (let i = 0; i < 3; i++) tour.next();
    tour.finish();
    expect(tour.open).toBe(false);
    expect(new TourState(storage).open).toBe(false);
  });

  it('does not count an unrelated stored value as seen', () => {
    const storage = memoryStorage();
    storage.items.set(TOUR_STORAGE_KEY, 'something else');
    expect(new TourState(storage).open).toBe(true);
  });

  it('reopens from the first step, also while already open', () => {
    const storage = memoryStorage();
    const tour = new TourState(storage);
    tour.next();
    tour.next();
    tour.skip();
    tour.reopen();
    expect(tour.open).toBe(true);
    expect(tour.step).toBe(0);
    expect(tour.opened).toBe(2);
    tour.next();
    tour.reopen();
    expect(tour.step).toBe(0);
    expect(tour.opened).toBe(3);
    // Reopening does not forget that it was seen.
    expect(tour.seen).toBe(true);
  });

  it('works without storage: opens every time and never throws', () => {
    const broken = new TourState(memoryStorage(true));
    expect(broken.seen).toBe(false);
    expect(broken.open).toBe(true);
    expect(() => {
      broken.skip();
    }).not.toThrow();
    expect(broken.open).toBe(false);

    const none = new TourState(null);
    expect(none.open).toBe(true);
    expect(() => {
      none.finish();
    }).not.toThrow();
  });

  it('uses the page localStorage by default, and survives one that throws on access', () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    new TourState().skip();
    expect(storage.items.get(TOUR_STORAGE_KEY)).toBe(TOUR_SEEN);
    expect(new TourState().open).toBe(false);

    vi.stubGlobal('localStorage', undefined);
    expect(new TourState().open).toBe(true);

    vi.stubGlobal('localStorage', memoryStorage(true));
    expect(() => {
      new TourState().skip();
    }).not.toThrow();

    // Some browsers throw on merely reading window.localStorage when storage is blocked.
    const before = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError');
      },
    });
    try {
      const tour = new TourState();
      expect(tour.open).toBe(true);
      expect(() => {
        tour.skip();
      }).not.toThrow();
    } finally {
      if (before) Object.defineProperty(globalThis, 'localStorage', before);
      else Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });

  it('a tour without steps never opens', () => {
    const tour = new TourState(memoryStorage(), []);
    expect(tour.open).toBe(false);
    tour.reopen();
    expect(tour.open).toBe(false);
    expect(tour.current).toBeUndefined();
  });
});

describe('Tour card', () => {
  it('renders a labelled, described, non-modal dialog with the step and its buttons', () => {
    const tour = new TourState(memoryStorage());
    const { body: html } = render(Tour, { props: { tour } });
    expect(html).toContain('role="dialog"');
    expect(html).not.toContain('aria-modal');
    expect(html).toContain('aria-labelledby="tour-title"');
    expect(html).toContain('aria-describedby="tour-body"');
    expect(html).toMatch(/id="tour-title"[^>]*>A chain of blocks</);
    expect(html).toContain('Step 1 of 4');
    expect(html).toContain('>Next<');
    expect(html).toContain('>Skip the tour<');
    // No Back on the first step.
    expect(html).not.toContain('>Back<');
  });

  it('shows Back and Finish on the last step, and nothing when closed', () => {
    const tour = new TourState(memoryStorage());
    for (let i = 0; i < 3; i++) tour.next();
    const last = render(Tour, { props: { tour } }).body;
    expect(last).toContain('Step 4 of 4');
    expect(last).toContain('>Back<');
    expect(last).toContain('>Finish<');
    expect(last).not.toContain('>Next<');

    tour.skip();
    expect(render(Tour, { props: { tour } }).body).not.toContain('role="dialog"');
  });

  it('the reopen button carries the id focus returns to', () => {
    const tour = new TourState(memoryStorage());
    const { body: html } = render(TourButton, { props: { tour } });
    expect(html).toContain(`id="${TOUR_REOPEN_ID}"`);
    expect(html).toContain('Reopen the tour');
  });
});
