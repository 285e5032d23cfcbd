/**
 * A node's ChainStore in IndexedDB, through Dexie 4. One database per node; a batch (a block, a
 * whole reorg with the new tip and mempool, a few hundred blocks of a catch-up) is one readwrite
 * transaction, so a worker terminated at any moment restarts from a consistent state. The blocks
 * of one batch are one record: IndexedDB's cost is per record, and a run of 500 blocks stores
 * about ten times faster as one record than as 500. Records are untrusted on load: anything of
 * the wrong shape is reported and skipped, and the node validates every block again.
 */
import Dexie from 'dexie';
import type { DexieOptions, Table } from 'dexie';
import type { ChainStore, StoreBatch, StoredNode } from '../core/ports.ts';

/** Bump with every schema change; Dexie upgrades older databases in place. */
export const SCHEMA_VERSION = 2;

/** One block per record: how version 1 stored blocks. Still read, never written. */
interface BlockRecord {
  readonly hash: string;
  /** Acceptance order: parents before children, and ties resolve the same after a reload. */
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** The blocks of one write, in acceptance order. */
interface RunRecord {
  /** Acceptance number of its first block; the others follow one by one. */
  readonly seq: number;
  readonly hashes: readonly string[];
  readonly blocks: readonly Uint8Array[];
}

interface MetaRecord {
  readonly key: 'peers' | 'mempool' | 'secretKey' | 'settings' | 'tip' | 'created';
  readonly value: unknown;
}

/** The tables of one node's database. */
export class NodeDatabase extends Dexie {
  blocks!: Table<BlockRecord, string>;
  runs!: Table<RunRecord, number>;
  meta!: Table<MetaRecord, string>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ blocks: 'hash, seq', meta: 'key' });
    // Version 2 writes a batch's blocks as one record; the blocks of version 1 stay where they are.
    this.version(SCHEMA_VERSION).stores({ runs: 'seq' });
  }
}

/** ChainStore over a node's IndexedDB database. */
export class DexieStore implements ChainStore {
  readonly db: NodeDatabase;
  readonly #onSkip: (reason: string) => void;
  #nextSeq = 0;

  constructor(name: string, options?: DexieOptions & { onSkip?: (reason: string) => void }) {
    this.db = new NodeDatabase(name, options);
    this.#onSkip = options?.onSkip ?? (() => undefined);
  }

  async load(): Promise<StoredNode | null> {
    const { db } = this;
    await openUnblocked(db);
    return db.transaction('r', db.blocks, db.runs, db.meta, async () => {
      const meta = new Map((await db.meta.toArray()).map((m) => [m.key, m.value]));
      if (!meta.has('created')) return null;
      const found: { readonly seq: number; readonly bytes: Uint8Array }[] = [];
      let records = 0;
      await db.blocks.orderBy('seq').each((record: unknown) => {
        records++;
        const r = record as Partial<BlockRecord>;
        if (r.bytes instanceof Uint8Array && typeof r.seq === 'number') {
          found.push({ seq: r.seq, bytes: r.bytes });
        } else {
          this.#onSkip(`a stored block record is not readable (${String(r.hash)})`);
        }
      });
      await db.runs.each((record: unknown) => {
        const r = record as Partial<RunRecord>;
        if (!Number.isSafeInteger(r.seq) || !Array.isArray(r.blocks)) {
          this.#onSkip(`a stored run of blocks is not readable (${String(r.seq)})`);
          return;
        }
        const first = r.seq ?? 0;
        r.blocks.forEach((bytes: unknown, i) => {
          records++;
          if (bytes instanceof Uint8Array) found.push({ seq: first + i, bytes });
          else this.#onSkip(`a stored block is not readable (${String(r.hashes?.[i])})`);
        });
      });
      // Version 1's blocks were all accepted before version 2's runs; the sort is for safety.
      found.sort((a, b) => a.seq - b.seq);
      const last = found[found.length - 1];
      this.#nextSeq = Math.max(this.#nextSeq, records, last ? last.seq + 1 : 0);
      const blocks = found.map((f) => f.bytes);
      const secretKey = meta.get('secretKey');
      return {
        blocks,
        peers: stringList(meta.get('peers'), 'peers', this.#onSkip),
        mempool: bytesList(meta.get('mempool'), this.#onSkip),
        secretKey: secretKey instanceof Uint8Array ? secretKey : null,
        settings: meta.get('settings'),
      };
    });
  }

  async write(batch: StoreBatch): Promise<void> {
    const { db } = this;
    // Open already, unless a newer tab's upgrade closed it (Dexie then reopens on first use).
    await openUnblocked(db);
    await db.transaction('rw', db.runs, db.meta, async () => {
      const puts: MetaRecord[] = [{ key: 'created', value: true }];
      if (batch.tip) puts.push({ key: 'tip', value: batch.tip });
      if (batch.peers) puts.push({ key: 'peers', value: [...batch.peers] });
      if (batch.mempool) puts.push({ key: 'mempool', value: [...batch.mempool] });
      if (batch.secretKey) puts.push({ key: 'secretKey', value: batch.secretKey });
      if (batch.settings) puts.push({ key: 'settings', value: batch.settings });
      await db.meta.bulkPut(puts);
      if (batch.blocks && batch.blocks.length > 0) {
        const first = this.#nextSeq;
        await db.runs.put({
          seq: first,
          hashes: batch.blocks.map((b) => b.hash),
          blocks: batch.blocks.map((b) => b.bytes),
        });
        this.#nextSeq = first + batch.blocks.length;
      }
    });
  }

  /** Close the connection (the worker is stopping). */
  close(): void {
    this.db.close();
  }
}

function stringList(v: unknown, what: string, onSkip: (reason: string) => void): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    onSkip(`stored ${what} are not a list`);
    return [];
  }
  return v.filter((x): x is string => typeof x === 'string');
}

function bytesList(v: unknown, onSkip: (reason: string) => void): Uint8Array[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    onSkip('the stored mempool is not a list');
    return [];
  }
  return v.filter((x): x is Uint8Array => x instanceof Uint8Array);
}

/** Is this error IndexedDB running out of space (Dexie wraps it, sometimes twice)? */
export function isQuotaError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { name?: unknown; inner?: unknown; cause?: unknown };
    if (err.name === 'QuotaExceededError') return true;
    cur = err.inner ?? err.cause;
  }
  return false;
}

/**
 * How long an open may stay blocked before the page gives up on storage. The other tab is told
 * to close first (a `versionchange` event; Dexie closes at once by default), so a blocked open
 * that lasts longer means a tab that will not let go, and the open would wait until it is closed.
 */
export const BLOCKED_GRACE_MS = 1_000;

/** The error an open blocked by another tab rejects with (see {@link openUnblocked}). */
export class StorageBlockedError extends Error {
  override readonly name = 'StorageBlockedError';
  constructor(database: string) {
    super(`opening ${database} is blocked by another tab holding an older version open`);
  }
}

/**
 * Open a Dexie database, or reject with a {@link StorageBlockedError} when another connection
 * (another tab, holding an older version open) blocks the upgrade for longer than `graceMs`.
 * IndexedDB would otherwise queue the open until that tab closes, and everything awaiting the
 * database would hang. The abandoned open is cancelled; should the other tab close later, the
 * queued request completes the upgrade and Dexie closes that connection as soon as anyone asks.
 */
export async function openUnblocked(db: Dexie, graceMs = BLOCKED_GRACE_MS): Promise<void> {
  if (db.isOpen()) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onBlocked = (): void => undefined;
  const blocked = new Promise<never>((_, reject) => {
    onBlocked = () => {
      timer ??= setTimeout(() => {
        reject(new StorageBlockedError(db.name));
      }, graceMs);
    };
  });
  db.on('blocked', onBlocked);
  try {
    await Promise.race([db.open(), blocked]);
  } catch (e) {
    if (e instanceof StorageBlockedError) db.close({ disableAutoOpen: false });
    throw e;
  } finally {
    clearTimeout(timer);
    db.on('blocked').unsubscribe(onBlocked);
  }
}

/** Is this error an open blocked by another tab (see {@link openUnblocked})? */
export function isBlockedError(e: unknown): boolean {
  return e instanceof Error && e.name === 'StorageBlockedError';
}
