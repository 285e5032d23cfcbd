/** A ChainStore in memory: what tests and the headless simulator use in place of IndexedDB. */
import type { ChainStore, StoreBatch, StoredNode } from '../core/ports.ts';

/** Keeps one node's records in memory; a batch applies all at once (nothing awaits in between). */
export class MemoryStore implements ChainStore {
  /**
   * Blocks in the order written. A list, not a map: a thousand nodes each write every block, and
   * appending costs a fraction of keying; `load` keeps the last copy of each hash.
   */
  readonly #blocks: { readonly hash: string; readonly bytes: Uint8Array }[] = [];
  #peers: readonly string[] = [];
  #mempool: readonly Uint8Array[] = [];
  #secretKey: Uint8Array | null = null;
  #settings: unknown = undefined;
  #written = false;

  load(): Promise<StoredNode | null> {
    if (!this.#written) return Promise.resolve(null);
    return Promise.resolve({
      blocks: [...this.#byHash().values()],
      peers: this.#peers,
      mempool: this.#mempool,
      secretKey: this.#secretKey,
      settings: this.#settings,
    });
  }

  write(batch: StoreBatch): Promise<void> {
    this.#written = true;
    if (batch.blocks) for (const b of batch.blocks) this.#blocks.push(b);
    if (batch.peers) this.#peers = [...batch.peers];
    if (batch.mempool) this.#mempool = [...batch.mempool];
    if (batch.secretKey) this.#secretKey = batch.secretKey;
    if (batch.settings) this.#settings = batch.settings;
    return Promise.resolve();
  }

  /** An independent store holding the same records (a saved network to start runs from). */
  copy(): MemoryStore {
    const copy = new MemoryStore();
    copy.#blocks.push(...this.#blocks);
    copy.#peers = this.#peers;
    copy.#mempool = this.#mempool;
    copy.#secretKey = this.#secretKey;
    copy.#settings = this.#settings;
    copy.#written = this.#written;
    return copy;
  }

  /** Number of blocks stored. */
  get blockCount(): number {
    return this.#byHash().size;
  }

  /** Each stored hash's bytes, in the order first written. */
  #byHash(): Map<string, Uint8Array> {
    const blocks = new Map<string, Uint8Array>();
    for (const b of this.#blocks) blocks.set(b.hash, b.bytes);
    return blocks;
  }
}
