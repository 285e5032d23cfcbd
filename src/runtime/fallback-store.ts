/**
 * Storage that degrades instead of failing: when IndexedDB is full (QuotaExceededError, possibly
 * wrapped) or unavailable (some private-browsing modes), the node carries on in memory and says so
 * in words a learner understands.
 */
import type { ChainStore, StoreBatch, StoredNode } from '../core/ports.ts';
import { isQuotaError } from './dexie-store.ts';

/** The messages people see. */
export const STORAGE_MESSAGES = {
  full: 'Storage is full, so this node stopped saving its chain. It carries on in memory; what it learns from now on is lost on reload.',
  unavailable:
    'This browser does not let the page store data (private browsing?). The simulation runs in memory, and a reload starts afresh.',
} as const;

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
      this.#fail(isQuotaError(e) ? STORAGE_MESSAGES.full : STORAGE_MESSAGES.unavailable);
      return null;
    }
  }

  async write(batch: StoreBatch): Promise<void> {
    if (!this.#primary) return;
    try {
      await this.#primary.write(batch);
    } catch (e) {
      this.#fail(isQuotaError(e) ? STORAGE_MESSAGES.full : STORAGE_MESSAGES.unavailable);
    }
  }

  #fail(message: string): void {
    this.#primary = null;
    this.#problem = message;
    this.#onProblem(message);
  }
}
