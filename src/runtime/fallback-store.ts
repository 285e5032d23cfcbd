/**
 * Storage that degrades instead of failing: when IndexedDB is full (QuotaExceededError, possibly
 * wrapped), blocked (another tab holds an older version open) or unavailable (some
 * private-browsing modes), the node carries on in memory and says so in words a learner
 * understands.
 */
import type { ChainStore, StoreBatch, StoredNode } from '../core/ports.ts';
import { isBlockedError, isQuotaError } from './dexie-store.ts';

/**
 * The messages people see, one sentence each: every node of a page that hits the same problem
 * reports the same sentence, and the page shows it once.
 */
export const STORAGE_MESSAGES = {
  full: 'Storage is full, so the nodes stopped saving and carry on in memory: what was saved is kept, but what they learn from now on is lost on reload.',
  blocked:
    'Another Chainlab tab holds the saved chains open with an older version, so this page runs in memory: close that tab and reload to save again.',
  unavailable:
    'This browser does not let the page store data (private browsing?), so the simulation runs in memory and a reload starts afresh.',
} as const;

/** The sentence for a storage failure. */
export function storageProblemOf(e: unknown): string {
  if (isQuotaError(e)) return STORAGE_MESSAGES.full;
  if (isBlockedError(e)) return STORAGE_MESSAGES.blocked;
  return STORAGE_MESSAGES.unavailable;
}

/** A ChainStore that falls back to memory-only after the first storage failure. */
export class FallbackStore implements ChainStore {
  #primary: ChainStore | null;
  #problem: string | null = null;
  readonly #onProblem: (message: string) => void;

  constructor(primary: ChainStore | null, onProblem: (message: string) => void) {
    this.#primary = primary;
    this.#onProblem = onProblem;
    if (!primary) this.#fail(STORAGE_MESSAGES.unavailable);
  }

  /** What went wrong, if anything. */
  get problem(): string | null {
    return this.#problem;
  }

  async load(): Promise<StoredNode | null> {
    if (!this.#primary) return null;
    try {
      return await this.#primary.load();
    } catch (e) {
      this.#fail(storageProblemOf(e));
      return null;
    }
  }

  async write(batch: StoreBatch): Promise<void> {
    if (!this.#primary) return;
    try {
      await this.#primary.write(batch);
    } catch (e) {
      this.#fail(storageProblemOf(e));
    }
  }

  #fail(message: string): void {
    this.#primary = null;
    this.#problem = message;
    this.#onProblem(message);
  }
}
