/**
 * IndexedDB blocked by another tab (Dexie over fake-indexeddb, one fresh IDBFactory per test): a
 * tab holding an older version of a node's database open, and ignoring the request to close, makes
 * the store's open fail after a grace period instead of hanging, and the node runs in memory with
 * one sentence; once that tab closes, the database upgrades and saves again. A tab of Chainlab that
 * holds the database open itself lets a newer version upgrade at once and carries on after it.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { Node } from '../../src/core/node.ts';
import { makeParams } from '../../src/core/params.ts';
import type { ChainStore } from '../../src/core/ports.ts';
import { createRng } from '../../src/core/rng.ts';
import { targetFromZeroBits } from '../../src/core/target.ts';
import type { NodeId } from '../../src/core/types.ts';
import {
  BLOCKED_GRACE_MS,
  DexieStore,
  isBlockedError,
  isQuotaError,
  SCHEMA_VERSION,
  StorageBlockedError,
} from '../../src/runtime/dexie-store.ts';
import {
  FallbackStore,
  STORAGE_MESSAGES,
  storageProblemOf,
} from '../../src/runtime/fallback-store.ts';
import { realScheduler } from '../../src/runtime/real-time.ts';
import { must } from '../core/helpers.ts';

const PARAMS = makeParams({
  initialTarget: targetFromZeroBits(8),
  blockTimeMs: 1000,
  retargetInterval: 1000,
});

const NAME = 'chainlab/test/0/n1';

/** The IndexedDB version Dexie gives a schema version (it multiplies by ten). */
const nativeVersion = (schema: number): number => schema * 10;

const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const close of cleanup.splice(0)) close();
});

function openStore(indexedDB: IDBFactory): DexieStore {
  const store = new DexieStore(NAME, { indexedDB, IDBKeyRange });
  cleanup.push(() => {
    store.close();
  });
  return store;
}

/** Open `NAME` raw at `version`, as an older tab would, and keep it open. */
function holdOpen(
  indexedDB: IDBFactory,
  version: number,
  onVersionChange: (db: IDBDatabase) => void = () => undefined,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, version);
    req.onupgradeneeded = () => {
      // An older release's schema: the blocks table without its acceptance-order index.
      if (!req.result.objectStoreNames.contains('blocks')) {
        req.result.createObjectStore('blocks', { keyPath: 'hash' });
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => {
        onVersionChange(db);
      };
      cleanup.push(() => {
        db.close();
      });
      resolve(db);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('open failed'));
    };
  });
}

function createNode(store: ChainStore): Promise<Node> {
  return Node.create({
    id: 'n1' as NodeId,
    params: PARAMS,
    transport: { send: () => undefined },
    store,
    scheduler: realScheduler,
    rng: createRng(7),
  });
}

describe('an open blocked by another tab', () => {
  it('fails after the grace period with its own error, instead of waiting for the other tab', async () => {
    const indexedDB = new IDBFactory();
    // The older tab ignores the request to close (it predates Dexie's default of closing).
    await holdOpen(indexedDB, 1);
    const store = openStore(indexedDB);
    const started = Date.now();
    const error: unknown = await store.load().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageBlockedError);
    expect(isBlockedError(error)).toBe(true);
    expect(isQuotaError(error)).toBe(false);
    expect(storageProblemOf(error)).toBe(STORAGE_MESSAGES.blocked);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BLOCKED_GRACE_MS - 50);
    expect(store.db.isOpen()).toBe(false);
  });

  it('is not mistaken for anything else', () => {
    expect(isBlockedError(new Error('blocked'))).toBe(false);
    expect(isBlockedError({ name: 'StorageBlockedError' })).toBe(false);
    expect(storageProblemOf(new Error('the disk is on fire'))).toBe(STORAGE_MESSAGES.unavailable);
    expect(storageProblemOf(new DOMException('full', 'QuotaExceededError'))).toBe(
      STORAGE_MESSAGES.full,
    );
  });

  it('leaves the node in memory with one sentence, and nothing of it is written', async () => {
    const indexedDB = new IDBFactory();
    const old = await holdOpen(indexedDB, 1);
    const problems: string[] = [];
    const fallback = new FallbackStore(openStore(indexedDB), (m) => problems.push(m));
    const node = await createNode(fallback);
    expect(problems).toEqual([STORAGE_MESSAGES.blocked]);
    expect(fallback.problem).toBe(STORAGE_MESSAGES.blocked);
    await node.mine();
    await node.mine();
    expect(node.tree.tip.height).toBe(3);
    expect(problems).toHaveLength(1);
    // The older tab's database is untouched: still its version, its one table, empty.
    expect(old.version).toBe(1);
    expect([...old.objectStoreNames]).toEqual(['blocks']);
  });

  it('saves again once the other tab closes: the database upgrades and a reload restores', async () => {
    const indexedDB = new IDBFactory();
    const old = await holdOpen(indexedDB, 1);
    const blocked = openStore(indexedDB);
    await expect(blocked.load()).rejects.toBeInstanceOf(StorageBlockedError);
    old.close();

    const store = openStore(indexedDB);
    const node = await createNode(store);
    await node.mine();
    expect(store.db.verno).toBe(SCHEMA_VERSION);
    store.close();

    const restored = await createNode(openStore(indexedDB));
    expect(restored.tree.tip.hash).toBe(node.tree.tip.hash);
    expect(restored.tree.tip.height).toBe(2);
  });

  it('waits out a tab that closes within the grace period', async () => {
    const indexedDB = new IDBFactory();
    // An older tab that closes a moment after it is asked to.
    await holdOpen(indexedDB, 1, (db) => {
      setTimeout(() => {
        db.close();
      }, BLOCKED_GRACE_MS / 4);
    });
    const store = openStore(indexedDB);
    expect(await store.load()).toBeNull();
    expect(store.db.isOpen()).toBe(true);
  });
});

describe('a newer version opened in another tab', () => {
  it('is not blocked by this tab: Dexie closes on versionchange and reopens on next use', async () => {
    const indexedDB = new IDBFactory();
    const store = openStore(indexedDB);
    const node = await createNode(store);
    await node.mine();
    expect(store.db.isOpen()).toBe(true);

    // A newer release upgrades the database while this tab still has it open.
    const newer = await holdOpen(indexedDB, nativeVersion(SCHEMA_VERSION + 1));
    expect(newer.version).toBe(nativeVersion(SCHEMA_VERSION + 1));
    expect(store.db.isOpen()).toBe(false);

    // This tab carries on: its next write reopens the database at the newer version.
    await node.mine();
    expect(store.db.isOpen()).toBe(true);
    newer.close();
    store.close();
    const reopened = openStore(indexedDB);
    const stored = must(await reopened.load());
    expect(stored.blocks).toHaveLength(2);
  });
});
