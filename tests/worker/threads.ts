/**
 * Shared helpers for the worker-thread tests: start nodes in real worker_threads running
 * src/worker/node-thread.ts (TypeScript through tsx, scripts/node-threads.ts), talk to them through Comlink, wait for a
 * condition with a generous overall limit, and tear everything down so Vitest can exit.
 */
import * as Comlink from 'comlink';
import type { Worker } from 'node:worker_threads';
import { startNodeThread } from '../../scripts/node-threads.ts';
import type { ChainParams } from '../../src/core/params.ts';
import { makeParams } from '../../src/core/params.ts';
import { targetFromZeroBits } from '../../src/core/target.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { NetworkSettings } from '../../src/core/delivery.ts';
import type { NodeHost } from '../../src/runtime/node-host.ts';
import type { NodeStatus } from '../../src/runtime/protocol.ts';
import { names } from '../../src/runtime/protocol.ts';

/** A remote NodeHost in a worker thread. */
export type RemoteHost = Comlink.Remote<NodeHost>;

/** One running worker node. */
export interface ThreadNode {
  readonly id: NodeId;
  readonly api: RemoteHost;
  readonly worker: Worker;
}

/** A group of worker nodes sharing one channel namespace. */
export interface Cluster {
  readonly namespace: string;
  readonly nodes: readonly ThreadNode[];
  byId(id: string): ThreadNode;
}

/**
 * 12 zero bits (about 4,000 hashes a block) and no retarget for a long while, so every block of
 * a test weighs the same and "more blocks" always means "more work".
 */
export const THREAD_PARAMS: ChainParams = makeParams({
  initialTarget: targetFromZeroBits(12),
  blockTimeMs: 1000,
  retargetInterval: 10_000,
});

/** A quick, lossless network without partitions. */
export const QUICK_NETWORK: NetworkSettings = { latencyMs: 20, loss: 0, groups: [] };

let namespaceCounter = 0;

/** A channel namespace no other test (or test file) uses. */
export function uniqueNamespace(label: string): string {
  namespaceCounter++;
  return `test-${label}-${process.pid}-${Date.now()}-${namespaceCounter}`;
}

/** Every worker started and not yet stopped; `stopAll` ends them. */
const running = new Set<ThreadNode>();

/** Start one node in a fresh worker thread. */
export async function spawnNode(
  namespace: string,
  id: string,
  options: {
    readonly params?: ChainParams;
    readonly network?: NetworkSettings;
    readonly database?: string | null;
    readonly seed?: number;
  } = {},
): Promise<ThreadNode> {
  const { worker, endpoint } = startNodeThread();
  const api = Comlink.wrap<NodeHost>(endpoint);
  const node: ThreadNode = { id: id as NodeId, api, worker };
  running.add(node);
  await api.start({
    namespace,
    database: options.database ?? null,
    id: id as NodeId,
    params: options.params ?? THREAD_PARAMS,
    gossip: 'auto',
    network: options.network ?? QUICK_NETWORK,
    seed: options.seed ?? 1,
  });
  return node;
}

/** Start nodes n1..nN (in parallel) and register each with all the others. */
export async function spawnCluster(
  label: string,
  count: number,
  options: {
    readonly params?: ChainParams;
    readonly network?: NetworkSettings;
    /** Give each node its own (fake) IndexedDB database instead of keeping it in memory. */
    readonly persist?: boolean;
  } = {},
): Promise<Cluster> {
  const namespace = uniqueNamespace(label);
  const ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
  const nodes = await Promise.all(
    ids.map((id, i) =>
      spawnNode(namespace, id, {
        ...options,
        database: options.persist ? names.nodeDatabase(namespace, id as NodeId) : null,
        seed: 100 + i,
      }),
    ),
  );
  await Promise.all(
    nodes.map((n) => n.api.register(ids.filter((other) => other !== n.id) as NodeId[])),
  );
  return {
    namespace,
    nodes,
    byId(id: string): ThreadNode {
      const found = nodes.find((n) => n.id === id);
      if (!found) throw new Error(`no node ${id} in this cluster`);
      return found;
    },
  };
}

/** Stop a node's host, release its proxy and end its thread. */
export async function stopNode(node: ThreadNode): Promise<void> {
  if (!running.delete(node)) return;
  try {
    await withLimit(node.api.stop(), 10_000, `stop ${node.id}`);
  } catch {
    // A host that cannot stop cleanly is terminated below all the same.
  }
  node.api[Comlink.releaseProxy]();
  await node.worker.terminate();
}

/** Stop every node still running (for afterEach/afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stopNode));
}

/** Status of every node, in cluster order. */
export function statuses(nodes: readonly ThreadNode[]): Promise<NodeStatus[]> {
  return Promise.all(nodes.map((n) => n.api.status()));
}

function withLimit<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not finish within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, limit]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Poll `probe` until `done` accepts its value; returns that value. This is a wait, not a timing
 * assertion: the limit is generous and only there so a real failure ends with a clear message
 * (`describe` renders the last value seen) instead of hanging.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: {
    readonly limitMs?: number;
    readonly intervalMs?: number;
    readonly describe?: (value: T) => string;
    /** Called on each unsuccessful poll (e.g. to nudge the system along). */
    readonly onPoll?: (value: T) => Promise<void>;
  } = {},
): Promise<T> {
  const limitMs = options.limitMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + limitMs;
  let last: T | undefined;
  for (;;) {
    const value = await probe();
    last = value;
    if (done(value)) return value;
    if (Date.now() > deadline) break;
    await options.onPoll?.(value);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const seen = options.describe ? options.describe(last) : JSON.stringify(last);
  throw new Error(`gave up after ${limitMs} ms waiting until ${what}; last seen: ${seen}`);
}

/** A short view of nodes' tips for failure messages. */
export function describeTips(list: readonly NodeStatus[]): string {
  return list.map((s) => `${s.id}@${s.height}:${s.tip.slice(0, 12)}`).join(', ');
}

/** Do all these nodes report the same tip? */
export function sameTip(list: readonly NodeStatus[]): boolean {
  return list.length > 0 && list.every((s) => s.tip === list[0]?.tip);
}
