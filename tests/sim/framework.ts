/**
 * A small story framework for multi-node tests, in the spirit of Bitcoin Core's functional test
 * framework (split_network, join_network, sync_blocks, generate): every helper drives the
 * simulation through its route table, as a learner or the browser would, and asserts as it goes,
 * so a story reads as a list of steps and fails at the step that went wrong.
 */
import { expect } from 'vitest';
import type { NodeSummary } from '../../src/api/backend.ts';
import type { BlockJson, TxJson } from '../../src/api/json.ts';
import type { ApiResponse } from '../../src/api/routes.ts';
import type { Address, NodeId } from '../../src/core/types.ts';
import type { SimulationOptions } from '../../src/sim/simulation.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** Fast defaults for stories: easy proof of work, a calm network, a fixed seed. */
export const STORY_DEFAULTS: Partial<SimulationOptions> = {
  seed: 1,
  difficultyBits: 8,
  latencyMs: 50,
  loss: 0,
};

/** How long (virtual ms) the helpers wait for the network before failing. */
export const SYNC_TIMEOUT_MS = 120_000;

/** A node id from a literal. */
export function nodeId(id: string): NodeId {
  return id as NodeId;
}

/** A simulation with the story defaults, overridden by `options`. */
export function createSim(options: Partial<SimulationOptions> = {}): Promise<Simulation> {
  return Simulation.create({ ...STORY_DEFAULTS, ...options });
}

/** Send a request and assert the status; the failure message shows the body. */
export async function call(
  sim: Simulation,
  method: string,
  path: string,
  body?: unknown,
  status = 200,
): Promise<unknown> {
  const res: ApiResponse = await sim.request(method, path, body);
  expect(res.status, `${method} ${path} answered ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

/** GET /sim/nodes. */
export async function listNodes(sim: Simulation): Promise<readonly NodeSummary[]> {
  const body = (await call(sim, 'GET', '/sim/nodes')) as { nodes: NodeSummary[] };
  return body.nodes;
}

/** A node's address, read through the route table. */
export async function addressOf(sim: Simulation, id: string): Promise<Address> {
  const body = (await call(sim, 'GET', `/node/${id}/wallet`)) as { address: Address };
  return body.address;
}

/** GET /node/:id/mine `n` times (the tutorial's generate); returns the blocks, oldest first. */
export async function mineOn(sim: Simulation, id: string, n = 1): Promise<BlockJson[]> {
  const blocks: BlockJson[] = [];
  for (let i = 0; i < n; i++) {
    const body = (await call(sim, 'GET', `/node/${id}/mine`)) as BlockJson & { message: string };
    expect(body.message).toBe('New Block Forged');
    blocks.push(body);
  }
  return blocks;
}

/** POST /node/:from/transactions/new, expecting 201; returns the signed payment. */
export async function pay(
  sim: Simulation,
  from: string,
  recipient: string,
  amount: number,
  fee?: number,
): Promise<TxJson> {
  const body = (await call(
    sim,
    'POST',
    `/node/${from}/transactions/new`,
    fee === undefined ? { recipient, amount } : { recipient, amount, fee },
    201,
  )) as { transaction: TxJson };
  return body.transaction;
}

/** GET /node/:id/chain, genesis first. */
export async function chainOf(sim: Simulation, id: string): Promise<BlockJson[]> {
  const body = (await call(sim, 'GET', `/node/${id}/chain`)) as {
    chain: BlockJson[];
    length: number;
  };
  expect(body.length).toBe(body.chain.length);
  return body.chain;
}

/** GET /node/:id/mempool: the ids of the waiting payments. */
export async function mempoolIds(sim: Simulation, id: string): Promise<string[]> {
  const body = (await call(sim, 'GET', `/node/${id}/mempool`)) as { transactions: TxJson[] };
  return body.transactions.map((tx) => tx.id);
}

/** GET /node/:viewer/balance/:address, for the address of node `owner`. */
export async function balanceOn(sim: Simulation, viewer: string, owner: string): Promise<number> {
  const address = await addressOf(sim, owner);
  const body = (await call(sim, 'GET', `/node/${viewer}/balance/${address}`)) as {
    balance: number;
  };
  return body.balance;
}

/** POST /node/:id/nodes/register. */
export async function register(sim: Simulation, id: string, peers: readonly string[]) {
  return (await call(sim, 'POST', `/node/${id}/nodes/register`, { nodes: peers }, 201)) as {
    message: string;
    total_nodes: string[];
  };
}

/** What GET /node/:id/nodes/resolve answers. */
export type ResolveAnswer =
  | { readonly message: 'Our chain was replaced'; readonly new_chain: BlockJson[] }
  | { readonly message: 'Our chain is authoritative'; readonly chain: BlockJson[] };

/** GET /node/:id/nodes/resolve. */
export async function resolve(sim: Simulation, id: string): Promise<ResolveAnswer> {
  return (await call(sim, 'GET', `/node/${id}/nodes/resolve`)) as ResolveAnswer;
}

/** POST /sim/network/partition: nodes in different groups can no longer reach each other. */
export async function splitNetwork(
  sim: Simulation,
  groups: readonly (readonly string[])[],
): Promise<void> {
  await call(sim, 'POST', '/sim/network/partition', { groups });
  expect(sim.network.groups.map((g) => [...g].sort())).toEqual(groups.map((g) => [...g].sort()));
}

/**
 * POST /sim/network/heal, then every node runs the tutorial's consensus call. Healing only lets
 * messages through again; nothing announces itself on reconnection (there is no handshake in
 * this network), so like a Bitcoin node reconnecting and asking for headers, each node resolves.
 */
export async function joinNetwork(sim: Simulation): Promise<void> {
  await call(sim, 'POST', '/sim/network/heal');
  expect(sim.network.groups).toEqual([]);
  for (const id of sim.ids) await resolve(sim, id);
}

/** Run virtual time until all nodes share one tip (Bitcoin's sync_blocks); fails otherwise. */
export async function syncBlocks(sim: Simulation, maxMs = SYNC_TIMEOUT_MS): Promise<void> {
  const done = await sim.runUntil(() => sim.converged(), maxMs);
  expect(done, `nodes did not converge: ${JSON.stringify(tipsOf(sim))}`).toBe(true);
}

/** Run virtual time until the nodes of one group share a tip; fails otherwise. */
export async function syncGroup(
  sim: Simulation,
  ids: readonly string[],
  maxMs = SYNC_TIMEOUT_MS,
): Promise<void> {
  const same = (): boolean => new Set(ids.map((id) => tipOf(sim, id))).size === 1;
  const done = await sim.runUntil(same, maxMs);
  expect(done, `group ${ids.join(',')} did not converge`).toBe(true);
}

/** A node's best tip hash. */
export function tipOf(sim: Simulation, id: string): string {
  return sim.nodeById(nodeId(id)).tree.tip.hash;
}

/** A node's best height (genesis is 1). */
export function heightOf(sim: Simulation, id: string): number {
  return sim.nodeById(nodeId(id)).tree.tip.height;
}

/** Every node's tip. */
export function tipsOf(sim: Simulation): Record<string, string> {
  return Object.fromEntries(sim.ids.map((id) => [id, tipOf(sim, id)]));
}

/** One node as a snapshot sees it. */
export interface NodeSnapshot {
  readonly tip: string;
  readonly height: number;
  readonly blocksKnown: number;
  readonly orphans: number;
  readonly mempool: readonly string[];
  /** Balance and nonce of every node's address, as this node's best chain sees them. */
  readonly accounts: Readonly<Record<string, string>>;
  readonly peers: readonly string[];
  readonly mining: boolean;
  readonly hashrate: number;
}

/** Everything a bad request or a bad message must leave alone. */
export interface SimSnapshot {
  readonly ids: readonly string[];
  readonly params: string;
  readonly network: { readonly latencyMs: number; readonly loss: number };
  readonly groups: readonly (readonly string[])[];
  readonly nodes: Readonly<Record<string, NodeSnapshot>>;
}

/** Read the whole state of a simulation (reads only: nothing runs). */
export function snapshot(sim: Simulation): SimSnapshot {
  const addresses = sim.ids.map((id) => sim.nodeById(id).address);
  const nodes: Record<string, NodeSnapshot> = {};
  for (const id of sim.ids) {
    const node = sim.nodeById(id);
    const accounts: Record<string, string> = {};
    for (const a of addresses) {
      const acct = node.account(a);
      accounts[a] = `${acct.balance}/${acct.nonce}`;
    }
    nodes[id] = {
      tip: node.tree.tip.hash,
      height: node.tree.tip.height,
      blocksKnown: node.tree.size,
      orphans: node.tree.orphanCount,
      mempool: node.mempool.list().map((tx) => tx.id),
      accounts,
      peers: node.peers,
      mining: node.settings.mining,
      hashrate: node.settings.hashrate,
    };
  }
  const p = sim.params;
  return {
    ids: sim.ids,
    params: `${p.forkChoice}/${p.blockTimeMs}/${p.initialTarget}`,
    network: { latencyMs: sim.network.conditions.latencyMs, loss: sim.network.conditions.loss },
    groups: sim.network.groups,
    nodes,
  };
}

/** Sum of every node address's balance as `viewer` sees it. */
export function totalBalance(sim: Simulation, viewer: string): bigint {
  const node = sim.nodeById(nodeId(viewer));
  let total = 0n;
  for (const id of sim.ids) total += node.account(sim.nodeById(id).address).balance;
  return total;
}
