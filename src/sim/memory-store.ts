/** A ChainStore in memory: what tests and the headless simulator use in place of IndexedDB. */
import type { ChainStore, StoreBatch, StoredNode } from '../core/ports.ts';

/** Keeps one node's records in maps; a batch applies all at once (nothing awaits in between). */
export class MemoryStore implements ChainStore {
  readonly #blocks = new Map<string, Uint8Array>();
  #peers: readonly string[] = [];
  #mempool: readonly Uint8Array[] = [];
  #secretKey: Uint8Array | null = null;
  #settings: unknown = undefined;
  #written = false;

  load(): Promise<StoredNode | null> {
    if (!this.#written) return Promise.resolve(null);
    return Promise.resolve({
      blocks: [...this.#blocks.values()],
      peers: this.#peers,
      mempool: this.#mempool,
      secretKey: this.#secretKey,
      settings: this.#settings,
    });
  }

  write(batch: StoreBatch): Promise<void> {
    this.#written = true;
    for (const b of batch.blocks ?? []) this.#blocks.set(b.hash, b.bytes);
    if (batch.peers) this.#peers = [...batch.peers];
    if (batch.mempool) this.#mempool = [...batch.mempool];
    if (batch.secretKey) this.#secretKey = batch.secretKey;
    if (batch.settings) this.#settings = batch.settings;
    return Promise.resolve();
  }

  /** Number of blocks stored. */
  get blockCount(): number {
    return this.#blocks.size;
  }
}
