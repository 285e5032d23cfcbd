/**
 * The IndexedDB store (Dexie over fake-indexeddb, one fresh IDBFactory per test): its schema, what
 * a load returns, batches that land whole or not at all, a node restarted from it, untrusted
 * records skipped and reported, and the memory fallback when storage is full or missing.
 */
import type { DBCore, DBCoreMutateRequest, DBCoreTable } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { Node } from '../../src/core/node.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import type { ChainStore, StoreBatch, StoredNode, Transport } from '../../src/core/ports.ts';
import type { Message } from '../../src/core/protocol.ts';
import { createRng } from '../../src/core/rng.ts';
import { targetFromZeroBits } from '../../src/core/target.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import Dexie from 'dexie';
import { DexieStore, isQuotaError, SCHEMA_VERSION } from '../../src/runtime/dexie-store.ts';
import { FallbackStore, STORAGE_MESSAGES } from '../../src/runtime/fallback-store.ts';
import { realScheduler } from '../../src/runtime/real-time.ts';
import { addressFromNumber, must } from '../core/helpers.ts';

/** Low difficulty and no retarget: a block takes a few hundred hashes. */
const PARAMS: ChainParams = makeParams({
  initialTarget: targetFromZeroBits(8),
  blockTimeMs: 1000,
  retargetInterval: 1000,
});

/** Where one test's databases live: a fresh, isolated IndexedDB. */
interface Backend {
  readonly indexedDB: IDBFactory;
  readonly IDBKeyRange: typeof IDBKeyRange;
}

function freshBackend(): Backend {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

const openStores: DexieStore[] = [];

afterEach(() => {
  for (const store of openStores.splice(0)) store.close();
});

function openStore(
  backend: Backend,
  name = 'chainlab/test/n1',
  onSkip?: (reason: string) => void,
): DexieStore {
  const store = new DexieStore(name, onSkip ? { ...backend, onSkip } : backend);
  openStores.push(store);
  return store;
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function hash(label: string): BlockHash {
  return label.padEnd(64, '0') as BlockHash;
}

/** A transport that records what the node sends. */
function recordingTransport(): Transport & { readonly sent: { to: NodeId; message: Message }[] } {
  const sent: { to: NodeId; message: Message }[] = [];
  return {
    sent,
    send(to, message) {
      sent.push({ to, message });
    },
  };
}

async function createNode(
  store: ChainStore,
  options: { onEvent?: (e: NodeEvent) => void; transport?: Transport; seed?: number } = {},
): Promise<Node> {
  return Node.create({
    id: 'n1' as NodeId,
    params: PARAMS,
    transport: options.transport ?? { send: () => undefined },
    store,
    scheduler: realScheduler,
    rng: createRng(options.seed ?? 7),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}

/** A node with a few blocks, two peers, a pending payment and non-default settings. */
async function busyNode(store: ChainStore): Promise<Node> {
  const node = await createNode(store);
  for (let i = 0; i < 3; i++) await node.mine();
  await node.registerPeers(['n2', 'n3'] as NodeId[]);
  const paid = await node.pay(addressFromNumber(9), 1n, 0n);
  expect(paid.ok).toBe(true);
  await node.setMining({ mining: false, hashrate: 0.5 });
  return node;
}

/** What must survive a restart. */
function snapshotOf(node: Node) {
  return {
    tip: node.tree.tip.hash,
    height: node.tree.tip.height,
    chain: node.tree.bestChain().map((e) => e.hash),
    address: node.address,
    peers: node.peers,
    mempool: node.mempool.list().map((tx) => tx.id),
    settings: node.settings,
  };
}

/**
 * A Dexie middleware that, while `armed`, aborts the transaction of a batch right after its blocks
 * were put (its meta records already were), before it can commit: `abort` as when the worker is
 * terminated mid-write, `quota` as when the browser refuses the commit for lack of space.
 */
function cutBlocksWrite(store: DexieStore, mode: 'abort' | 'quota'): { armed: boolean } {
  const state = { armed: false };
  store.db.use({
    stack: 'dbcore',
    name: `cut-${mode}`,
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (name !== 'runs') return table;
        return {
          ...table,
          mutate: async (req: DBCoreMutateRequest) => {
            const result = await table.mutate(req);
            if (state.armed) {
              const trans = req.trans as unknown as IDBTransaction & {
                _abort(name: string): void;
              };
              // fake-indexeddb's internal abort-with-error: what a browser does on quota.
              if (mode === 'quota') trans._abort('QuotaExceededError');
              else trans.abort();
            }
            return result;
          },
        };
      },
    }),
  });
  return state;
}

describe('DexieStore: schema and round trip', () => {
  it('has the runs (seq), meta (key) and version 1 blocks (hash, seq) tables at SCHEMA_VERSION', async () => {
    const store = openStore(freshBackend());
    await store.db.open();
    expect(SCHEMA_VERSION).toBe(2);
    expect(store.db.verno).toBe(SCHEMA_VERSION);
    expect(store.db.tables.map((t) => t.name).sort()).toEqual(['blocks', 'meta', 'runs']);
    const blocks = store.db.table('blocks').schema;
    expect(blocks.primKey.keyPath).toBe('hash');
    expect(blocks.indexes.map((i) => i.keyPath)).toEqual(['seq']);
    const runs = store.db.table('runs').schema;
    expect(runs.primKey.keyPath).toBe('seq');
    expect(runs.indexes).toEqual([]);
    const meta = store.db.table('meta').schema;
    expect(meta.primKey.keyPath).toBe('key');
    expect(meta.indexes).toEqual([]);
  });

  it('loads null when nothing was ever written', async () => {
    const backend = freshBackend();
    expect(await openStore(backend).load()).toBeNull();
    // Another name on the same IndexedDB is another node.
    await openStore(backend, 'chainlab/test/a').write({ peers: ['n2' as NodeId] });
    expect(await openStore(backend, 'chainlab/test/b').load()).toBeNull();
  });

  it('loads blocks in write order, and peers, mempool, secret key and settings', async () => {
    const backend = freshBackend();
    const store = openStore(backend);
    // Hashes sort differently from the write order, so only `seq` can give that order back.
    const a = { hash: hash('ff'), bytes: bytes(1) };
    const b = { hash: hash('00'), bytes: bytes(2, 2) };
    const c = { hash: hash('77'), bytes: bytes(3, 3, 3) };
    const secretKey = createRng(3).bytes(32);
    await store.write({
      blocks: [a, b],
      tip: b.hash,
      peers: ['n2', 'n3'] as NodeId[],
      secretKey,
      settings: { mining: true, hashrate: 0.25 },
    });
    await store.write({ blocks: [c], tip: c.hash, mempool: [bytes(9), bytes(8, 8)] });

    const expected: StoredNode = {
      blocks: [a.bytes, b.bytes, c.bytes],
      peers: ['n2', 'n3'],
      mempool: [bytes(9), bytes(8, 8)],
      secretKey,
      settings: { mining: true, hashrate: 0.25 },
    };
    expect(await store.load()).toEqual(expected);

    // A new connection (a restarted worker) reads the same and keeps appending in order.
    store.close();
    const reopened = openStore(backend);
    expect(await reopened.load()).toEqual(expected);
    const d = { hash: hash('11'), bytes: bytes(4) };
    await reopened.write({ blocks: [d], tip: d.hash, peers: ['n4'] as NodeId[] });
    const last = must(await reopened.load());
    expect(last.blocks).toEqual([a.bytes, b.bytes, c.bytes, d.bytes]);
    expect(last.peers).toEqual(['n4']);
    expect(last.mempool).toEqual(expected.mempool);
    expect(await reopened.db.meta.get('tip')).toEqual({ key: 'tip', value: d.hash });
    // One record per write, however many blocks it held.
    expect(await reopened.db.runs.count()).toBe(3);
    expect(await reopened.db.blocks.count()).toBe(0);
  });

  it('upgrades a version 1 database in place: its blocks first, then those written since', async () => {
    const backend = freshBackend();
    const name = 'chainlab/test/old';
    // A database as version 1 wrote it: one record per block.
    const old = new Dexie(name, backend);
    old.version(1).stores({ blocks: 'hash, seq', meta: 'key' });
    await old.table('blocks').bulkPut([
      { hash: hash('ff'), seq: 0, bytes: bytes(1) },
      { hash: hash('00'), seq: 1, bytes: bytes(2) },
    ]);
    await old.table('meta').bulkPut([
      { key: 'created', value: true },
      { key: 'tip', value: hash('00') },
    ]);
    old.close();

    const store = openStore(backend, name);
    expect(must(await store.load()).blocks).toEqual([bytes(1), bytes(2)]);
    expect(store.db.verno).toBe(SCHEMA_VERSION);
    await store.write({ blocks: [{ hash: hash('77'), bytes: bytes(3) }], tip: hash('77') });
    store.close();
    expect(must(await openStore(backend, name).load()).blocks).toEqual([
      bytes(1),
      bytes(2),
      bytes(3),
    ]);
  });
});

describe('DexieStore: a batch lands whole or not at all', () => {
  const first: StoreBatch = {
    blocks: [
      { hash: hash('aa'), bytes: bytes(1) },
      { hash: hash('bb'), bytes: bytes(2) },
    ],
    tip: hash('bb'),
    peers: ['n2'] as NodeId[],
    mempool: [bytes(5)],
    settings: { mining: false, hashrate: 1 },
  };
  const firstLoaded: StoredNode = {
    blocks: [bytes(1), bytes(2)],
    peers: ['n2'],
    mempool: [bytes(5)],
    secretKey: null,
    settings: { mining: false, hashrate: 1 },
  };
  /** A reorg-sized batch touching every record. */
  const second: StoreBatch = {
    blocks: [
      { hash: hash('cc'), bytes: bytes(3) },
      { hash: hash('dd'), bytes: bytes(4) },
    ],
    tip: hash('dd'),
    peers: ['n2', 'n3'] as NodeId[],
    mempool: [bytes(6), bytes(7)],
    secretKey: createRng(4).bytes(32),
    settings: { mining: true, hashrate: 0.5 },
  };

  /** After a failed second batch: nothing of it shows, the first is intact, writing goes on. */
  async function expectOnlyFirst(store: DexieStore): Promise<void> {
    expect(await store.load()).toEqual(firstLoaded);
    expect(await store.db.meta.get('tip')).toEqual({ key: 'tip', value: hash('bb') });
    expect(await store.db.runs.count()).toBe(1);
    const next = { hash: hash('ee'), bytes: bytes(8) };
    await store.write({ blocks: [next], tip: next.hash });
    expect(must(await store.load()).blocks).toEqual([bytes(1), bytes(2), bytes(8)]);
  }

  it('rolls back a batch whose settings cannot be stored', async () => {
    const store = openStore(freshBackend());
    await store.write(first);
    const bad = { ...second, settings: { mining: true, hashrate: () => 1 } as never };
    await expect(store.write(bad)).rejects.toThrow();
    await expectOnlyFirst(store);
  });

  it('rolls back a batch whose second block cannot be stored, after the first was put', async () => {
    const store = openStore(freshBackend());
    await store.write(first);
    const blocks = [
      { hash: hash('cc'), bytes: bytes(3) },
      { hash: hash('dd'), bytes: (() => 4) as unknown as Uint8Array },
    ];
    await expect(store.write({ ...second, blocks })).rejects.toThrow();
    await expectOnlyFirst(store);
  });

  it('rolls back a batch whose transaction is aborted mid-way (the worker was cut off)', async () => {
    const backend = freshBackend();
    const store = openStore(backend);
    const cut = cutBlocksWrite(store, 'abort');
    await store.write(first);
    cut.armed = true;
    await expect(store.write(second)).rejects.toThrow();
    cut.armed = false;
    await expectOnlyFirst(store);
    // And a new connection, as after a restart, sees the same.
    store.close();
    expect(must(await openStore(backend).load()).blocks).toEqual([bytes(1), bytes(2), bytes(8)]);
  });
});

describe('DexieStore under a node', () => {
  it('restores tip, wallet, peers, mempool and settings in a node made from a new store', async () => {
    const backend = freshBackend();
    const events: NodeEvent[] = [];
    const node = await busyNode(openStore(backend));
    const before = snapshotOf(node);
    expect(before.height).toBe(4);
    expect(before.mempool).toHaveLength(1);
    openStores.splice(0).forEach((s) => {
      s.close();
    });

    const skipped: string[] = [];
    const restarted = await createNode(
      openStore(backend, undefined, (r) => skipped.push(r)),
      // A different seed: the wallet must come from storage, not from the RNG.
      { onEvent: (e) => events.push(e), seed: 99 },
    );
    expect(restarted).not.toBe(node);
    expect(snapshotOf(restarted)).toEqual(before);
    expect(skipped).toEqual([]);
    expect(events.filter((e) => e.kind === 'storage-skipped')).toEqual([]);
    // It carries on from there, and the next restart sees that too.
    await restarted.mine();
    const again = await createNode(openStore(backend), { seed: 5 });
    expect(again.tree.tip.hash).toBe(restarted.tree.tip.hash);
    expect(again.tree.tip.height).toBe(5);
  });

  it('skips and reports corrupt or foreign records, and starts with the valid rest', async () => {
    const backend = freshBackend();
    const store = openStore(backend);
    const before = snapshotOf(await busyNode(store));
    const { db } = store;
    const next = (await db.runs.count()) + 1_000;
    await db.blocks.bulkPut([
      { hash: 'string-bytes', seq: next, bytes: 'not bytes' as unknown as Uint8Array },
      { hash: 'random-bytes', seq: next + 1, bytes: createRng(11).bytes(300) },
      { hash: 'no-bytes', seq: next + 2 } as never,
    ]);
    await db.runs.bulkPut([
      { seq: next + 3, hashes: ['run-number'], blocks: [42 as unknown as Uint8Array] },
      { seq: next + 4, hashes: [], blocks: 'not a list' as never },
      { seq: 'no seq' as unknown as number, hashes: [], blocks: [] },
    ]);
    await db.meta.bulkPut([
      { key: 'peers', value: 42 },
      { key: 'foreign' as never, value: { hello: 'world' } },
    ]);
    store.close();

    const skipped: string[] = [];
    const events: NodeEvent[] = [];
    const node = await createNode(
      openStore(backend, undefined, (r) => skipped.push(r)),
      { onEvent: (e) => events.push(e) },
    );
    expect(skipped).toEqual([
      'a stored block record is not readable (string-bytes)',
      'a stored block record is not readable (no-bytes)',
      'a stored block is not readable (run-number)',
      'a stored run of blocks is not readable (' + String(next + 4) + ')',
      'a stored run of blocks is not readable (no seq)',
      'stored peers are not a list',
    ]);
    const nodeSkips = events.flatMap((e) => (e.kind === 'storage-skipped' ? [e.reason] : []));
    expect(nodeSkips).toHaveLength(1);
    expect(nodeSkips[0]).toMatch(/^a stored block could not be read/);
    expect(snapshotOf(node)).toEqual({ ...before, peers: [] });
    // Still a working node.
    const block = await node.mine();
    expect(node.tree.tip.hash).toBe(block.hash);
  });

  it('replaces a corrupt wallet key, reports it, and keeps the replacement', async () => {
    const backend = freshBackend();
    const store = openStore(backend);
    const before = snapshotOf(await busyNode(store));
    await store.db.meta.bulkPut([
      { key: 'secretKey', value: bytes(1, 2, 3) },
      { key: 'peers', value: ['n2', 'Not An Id!', 7, 'n3'] },
      { key: 'mempool', value: [createRng(12).bytes(40), 'text'] },
      { key: 'settings', value: { mining: 'yes' } },
    ]);
    store.close();

    const events: NodeEvent[] = [];
    const node = await createNode(openStore(backend), {
      onEvent: (e) => events.push(e),
      seed: 8,
    });
    const reasons = events.flatMap((e) => (e.kind === 'storage-skipped' ? [e.reason] : []));
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toMatch(/wallet key/);
    expect(reasons[1]).toMatch(/Not An Id!/);
    expect(reasons[2]).toMatch(/^a stored payment could not be read/);
    expect(reasons[3]).toMatch(/settings are corrupt/);
    expect(node.address).not.toBe(before.address);
    expect(node.tree.tip.hash).toBe(before.tip);
    expect(node.peers).toEqual(['n2', 'n3']);
    expect(node.mempool.size).toBe(0);
    expect(node.settings).toEqual({ mining: false, hashrate: 1 });

    const again = await createNode(openStore(backend), { seed: 1234 });
    expect(again.address).toBe(node.address);
  });
});

/**
 * A primary store that works until `failWith` is set, then rejects every call with it. Storage
 * failures come in any shape (Dexie wraps DOMExceptions in its own objects), so it throws
 * whatever it is given, Error or not.
 */
class BreakingStore implements ChainStore {
  failWith: unknown = undefined;
  writes = 0;
  readonly #inner: ChainStore;

  constructor(inner: ChainStore) {
    this.#inner = inner;
  }

  async load(): Promise<StoredNode | null> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- any shape, on purpose
    if (this.failWith !== undefined) throw this.failWith;
    return await this.#inner.load();
  }

  async write(batch: StoreBatch): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- any shape, on purpose
    if (this.failWith !== undefined) throw this.failWith;
    this.writes++;
    await this.#inner.write(batch);
  }
}

/** The node mines and answers a peer's getblocks, with or without storage. */
async function expectWorkingNode(node: Node, transport: ReturnType<typeof recordingTransport>) {
  const height = node.tree.tip.height;
  const block = await node.mine();
  expect(node.tree.tip.hash).toBe(block.hash);
  expect(node.tree.tip.height).toBe(height + 1);
  transport.sent.length = 0;
  await node.receive('n9' as NodeId, {
    type: 'getblocks',
    requestId: 5,
    locator: [node.tree.genesis.hash],
  });
  expect(transport.sent).toHaveLength(1);
  expect(transport.sent[0]?.to).toBe('n9');
  expect(transport.sent[0]?.message).toMatchObject({
    type: 'blocklist',
    requestId: 5,
    tip: block.hash,
  });
}

describe('FallbackStore: storage full or missing', () => {
  const quotaErrors: [string, unknown][] = [
    ['a QuotaExceededError', new DOMException('full', 'QuotaExceededError')],
    ['a wrapped QuotaExceededError', { name: 'AbortError', inner: { name: 'QuotaExceededError' } }],
  ];

  it.each(quotaErrors)(
    'says storage is full on %s, and the node carries on in memory',
    async (_, error) => {
      expect(isQuotaError(error)).toBe(true);
      const primary = new BreakingStore(openStore(freshBackend()));
      const problems: string[] = [];
      const fallback = new FallbackStore(primary, (m) => problems.push(m));
      const transport = recordingTransport();
      const node = await createNode(fallback, { transport });
      await node.mine();
      expect(problems).toEqual([]);
      const written = primary.writes;
      expect(written).toBeGreaterThan(0);

      primary.failWith = error;
      await expectWorkingNode(node, transport);
      await node.registerPeers(['n2'] as NodeId[]);
      expect(problems).toEqual([STORAGE_MESSAGES.full]);
      expect(fallback.problem).toBe(STORAGE_MESSAGES.full);
      expect(primary.writes).toBe(written);
      expect(node.peers).toEqual(['n2']);
    },
  );

  it('recognises a commit IndexedDB aborts for lack of space, as Dexie reports it', async () => {
    const store = openStore(freshBackend());
    const cut = cutBlocksWrite(store, 'quota');
    const problems: string[] = [];
    const node = await createNode(new FallbackStore(store, (m) => problems.push(m)), {});
    cut.armed = true;
    await node.mine();
    expect(problems).toEqual([STORAGE_MESSAGES.full]);
    // The aborted batch left nothing behind: only the first batch (wallet, peers, settings).
    cut.armed = false;
    expect(must(await store.load()).blocks).toEqual([]);
    expect(node.tree.tip.height).toBe(2);
  });

  it('says storage is unavailable on any other failure', async () => {
    const primary = new BreakingStore(openStore(freshBackend()));
    primary.failWith = new Error('the disk is on fire');
    expect(isQuotaError(primary.failWith)).toBe(false);
    const problems: string[] = [];
    const transport = recordingTransport();
    const node = await createNode(new FallbackStore(primary, (m) => problems.push(m)), {
      transport,
    });
    expect(problems).toEqual([STORAGE_MESSAGES.unavailable]);
    await expectWorkingNode(node, transport);
    expect(problems).toHaveLength(1);
  });

  it('says storage is unavailable when there is none, and the node works in memory', async () => {
    const problems: string[] = [];
    const fallback = new FallbackStore(null, (m) => problems.push(m));
    expect(problems).toEqual([STORAGE_MESSAGES.unavailable]);
    expect(fallback.problem).toBe(STORAGE_MESSAGES.unavailable);
    expect(await fallback.load()).toBeNull();
    const transport = recordingTransport();
    const node = await createNode(fallback, { transport });
    await expectWorkingNode(node, transport);
    await expectWorkingNode(node, transport);
    expect(node.tree.tip.height).toBe(3);
    expect(problems).toHaveLength(1);
  });
});
