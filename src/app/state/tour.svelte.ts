/**
 * The first-visit guided tour: four steps that follow the tutorial (the chain, mining, the API,
 * consensus). It opens by itself on a first visit and remembers in localStorage that the visitor
 * has seen it, so it stays closed afterwards until they reopen it. The tour only talks: it never
 * starts mining or changes the simulation.
 */
import type { MessageKey } from '../i18n/catalog.ts';

/** Where the tour remembers that it has been seen. */
export const TOUR_STORAGE_KEY = 'chainlab.tour';
/** The value stored once the tour has been finished or skipped. */
export const TOUR_SEEN = 'seen';
/** The id of the "Reopen the tour" button, where focus returns when the tour closes. */
export const TOUR_REOPEN_ID = 'tour-reopen';

/** One step of the tour. */
export interface TourStep {
  readonly id: string;
  readonly title: MessageKey;
  readonly body: MessageKey;
  /** Something to do on the page right now, so the step is tried, not only read. */
  readonly tryIt: MessageKey;
  /** A CSS selector for the part of the page the step talks about, outlined while it shows. */
  readonly target?: string;
}

/** The tutorial's four steps, in order. */
export const TOUR_STEPS: readonly TourStep[] = [
  {
    id: 'chain',
    title: 'tour.chain.title',
    body: 'tour.chain.body',
    tryIt: 'tour.chain.try',
    target: '[data-tour="tree"]',
  },
  {
    id: 'mining',
    title: 'tour.mining.title',
    body: 'tour.mining.body',
    tryIt: 'tour.mining.try',
    target: '[data-tour="nodes"]',
  },
  {
    id: 'api',
    title: 'tour.api.title',
    body: 'tour.api.body',
    tryIt: 'tour.api.try',
    target: '[data-tour="console"]',
  },
  {
    id: 'consensus',
    title: 'tour.consensus.title',
    body: 'tour.consensus.body',
    tryIt: 'tour.consensus.try',
    target: '[data-tour="network"]',
  },
];

/** The part of Storage the tour uses. */
export type TourStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The page's localStorage, or null where there is none or touching it throws. */
function pageStorage(): TourStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The tour's state: whether it shows, and which step. */
export class TourState {
  open = $state(false);
  step = $state(0);
  /** How many times the tour has opened: the card moves focus into itself on each opening. */
  opened = $state(0);
  readonly steps: readonly TourStep[];
  readonly #storage: TourStorage | null;

  /** Opens at once unless storage says the tour was already seen. */
  constructor(
    storage: TourStorage | null = pageStorage(),
    steps: readonly TourStep[] = TOUR_STEPS,
  ) {
    this.#storage = storage;
    this.steps = steps;
    this.open = steps.length > 0 && !this.seen;
    if (this.open) this.opened = 1;
  }

  /** Whether the visitor finished or skipped the tour before (false when storage cannot tell). */
  get seen(): boolean {
    try {
      return this.#storage?.getItem(TOUR_STORAGE_KEY) === TOUR_SEEN;
    } catch {
      // Storage disabled or blocked: treat every visit as the first.
      return false;
    }
  }

  get total(): number {
    return this.steps.length;
  }

  /** The step showing; undefined only for a tour without steps. */
  get current(): TourStep | undefined {
    return this.steps[this.step];
  }

  get isFirst(): boolean {
    return this.step === 0;
  }

  get isLast(): boolean {
    return this.step >= this.steps.length - 1;
  }

  /** The next step, or finish after the last. */
  next(): void {
    if (this.isLast) this.finish();
    else this.step++;
  }

  /** The previous step; nothing on the first. */
  back(): void {
    if (this.step > 0) this.step--;
  }

  /** Close before the end, and do not open again by itself. */
  skip(): void {
    this.#close();
  }

  /** Close after the last step, and do not open again by itself. */
  finish(): void {
    this.#close();
  }

  /** Start again from the first step. */
  reopen(): void {
    this.step = 0;
    this.open = this.steps.length > 0;
    if (this.open) this.opened++;
  }

  #close(): void {
    this.open = false;
    try {
      this.#storage?.setItem(TOUR_STORAGE_KEY, TOUR_SEEN);
    } catch {
      // Storage full, disabled or blocked: the tour simply shows again on the next visit.
    }
  }
}
