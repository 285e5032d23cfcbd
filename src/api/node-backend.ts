/**
 * The tutorial's API of one node, in JSON shapes: shared by the in-memory simulator and the worker
 * runtime, so both answer the route table identically.
 */
import type { Node } from '../core/node.ts';
import type { ForkChoice } from '../core/params.ts';
import type { NodeBackend, NodeSummary } from './backend.ts';
import { toHex } from '../core/bytes.ts';
import { decodeTransfer } from '../core/tx.ts';
import { reject } from '../core/validation.ts';
import { blockToJson, txStatusToJson, txToJson } from './json.ts';

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
 * The NodeBackend of a node, with every method, the optional ones too. `miningChanged` runs after
 * the mining setting changes, so the runtime can start or stop its miner.
 */
export function nodeBackend(node: Node, miningChanged: () => void): Required<NodeBackend> {
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
    register: async (ids) => {
      await node.registerPeers(ids);
      return node.peers;
    },
    resolve: async () => {
      const { replaced, ties } = await node.resolveReport();
      const tie = tieExplanation(
        ties.map((t) => t.peer),
        node.params.forkChoice,
      );
      return { replaced, chain: chainJson(), ...(tie === null ? {} : { tie }) };
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
        next_nonce: Number(node.nextNonce),
      });
    },
    balance: (address) => Promise.resolve(Number(node.account(address).balance)),
    mempool: () => Promise.resolve(node.mempool.list().map(txToJson)),
    block: (hash) => {
      const e = node.tree.get(hash);
      return Promise.resolve(e ? blockToJson(e.block) : null);
    },
    transaction: (id) => {
      const s = node.transactionStatus(id);
      return Promise.resolve(s ? txStatusToJson(s) : null);
    },
    signPayment: async (recipient, amount, fee) => {
      const r = await node.signPayment(recipient, amount, fee);
      if (!r.ok) return r;
      return { ok: true, value: { transaction: txToJson(r.value), raw: toHex(r.value.bytes) } };
    },
    setGossip: (mode) => {
      node.gossip = mode;
      return Promise.resolve(node.gossip);
    },
    publish: (hash) => Promise.resolve(node.publish(hash) ? node.peers : null),
    submitPayment: async (raw) => {
      const decoded = decodeTransfer(raw);
      if (!decoded.ok) {
        return reject('malformed', `These bytes are not a payment: ${decoded.error}.`);
      }
      const r = await node.acceptPayment(decoded.value, true);
      return r.ok ? { ok: true, value: txToJson(r.value) } : r;
    },
  };
}

/**
 * Why `resolve` left the chain as it was although some peers have another tip: their chains tie
 * with ours, and the first seen stays best until the next block (Bitcoin keeps the first-seen
 * tip on equal work too). Null when no peer ties.
 */
function tieExplanation(peers: readonly string[], rule: ForkChoice): string | null {
  const last = peers.at(-1);
  if (last === undefined) return null;
  const same = rule === 'longest' ? 'the same length as ours' : 'the same work as ours';
  const who =
    peers.length === 1
      ? `${last}'s chain has ${same} but ends`
      : `The chains of ${peers.slice(0, -1).join(', ')} and ${last} have ${same} but end`;
  return `${who} in another block; we keep the one we saw first until the next block breaks the tie.`;
}
