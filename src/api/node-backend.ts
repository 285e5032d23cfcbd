/**
 * The tutorial's API of one node, in JSON shapes: shared by the in-memory simulator and the worker
 * runtime, so both answer the route table identically.
 */
import type { Node } from '../core/node.ts';
import type { NodeBackend, NodeSummary } from './backend.ts';
import { blockToJson, txToJson } from './json.ts';

/** A node as GET /sim/nodes shows it. */
export function summarize(node: Node): NodeSummary {
  return {
    id: node.id,
    address: node.address,
    height: node.tree.tip.height,
    tip: node.tree.tip.hash,
    peers: node.peers,
    mining: node.settings.mining,
    hashrate: node.settings.hashrate,
  };
}

/**
 * The NodeBackend of a node. `miningChanged` runs after the mining setting changes, so the
 * runtime can start or stop its miner.
 */
export function nodeBackend(node: Node, miningChanged: () => void): NodeBackend {
  const chainJson = () => node.tree.bestChain().map((e) => blockToJson(e.block));
  return {
    mine: async () => blockToJson(await node.mine()),
    pay: async (recipient, amount, fee) => {
      const r = await node.pay(recipient, amount, fee);
      if (!r.ok) return r;
      return {
        ok: true,
        value: { transaction: txToJson(r.value), nextIndex: node.tree.tip.height + 1 },
      };
    },
    chain: () => Promise.resolve(chainJson()),
    register: (ids) => node.registerPeers(ids),
    resolve: async () => {
      const replaced = await node.resolve();
      return { replaced, chain: chainJson() };
    },
    setMining: async (enabled, hashrate) => {
      await node.setMining({ mining: enabled, hashrate: hashrate ?? node.settings.hashrate });
      miningChanged();
      return summarize(node);
    },
    wallet: () => {
      const a = node.account(node.address);
      return Promise.resolve({
        address: node.address,
        balance: Number(a.balance),
        nonce: Number(a.nonce),
      });
    },
    balance: (address) => Promise.resolve(Number(node.account(address).balance)),
    mempool: () => Promise.resolve(node.mempool.list().map(txToJson)),
    block: (hash) => {
      const e = node.tree.get(hash);
      return Promise.resolve(e ? blockToJson(e.block) : null);
    },
  };
}
