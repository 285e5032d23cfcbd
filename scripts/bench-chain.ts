/**
 * Valid chains for the benchmarks, shared by scripts/bench.ts and scripts/bench-browser.ts (a
 * module of its own because bench.ts runs its measurements when imported).
 */
import type { Block } from '../src/core/block.ts';
import { BlockTree } from '../src/core/chain.ts';
import { Mempool } from '../src/core/mempool.ts';
import { createTemplate, searchTemplate } from '../src/core/miner.ts';
import type { ChainParams } from '../src/core/params.ts';
import { createRng } from '../src/core/rng.ts';
import type { Transfer } from '../src/core/tx.ts';
import { signTransfer } from '../src/core/tx.ts';
import type { Wallet } from '../src/core/wallet.ts';
import { createWallet } from '../src/core/wallet.ts';

/** A signed payment of 1 coin with a fee of 1. */
export function payment(from: Wallet, to: Wallet, nonce: bigint): Transfer {
  return signTransfer(from, { chainId: 1, recipient: to.address, amount: 1n, fee: 1n, nonce });
}

/**
 * A chain of `length` blocks (genesis included, so `length - 1` blocks are returned) mined at a
 * low difficulty with timestamps one block time apart (so retargeting keeps the difficulty), with
 * `paymentsPerBlock` payments between funded wallets.
 */
export function buildChain(params: ChainParams, length: number, paymentsPerBlock: number): Block[] {
  const rng = createRng(11);
  const wallets = Array.from({ length: 8 }, () => createWallet(rng));
  const tree = new BlockTree(params);
  const nonces = new Map<string, bigint>();
  const blocks: Block[] = [];
  for (let i = 0; i < length - 1; i++) {
    const mempool = new Mempool(params);
    for (let p = 0; p < paymentsPerBlock && i > wallets.length; p++) {
      const from = wallets[(i + p) % wallets.length];
      const to = wallets[(i + p + 1) % wallets.length];
      if (!from || !to) continue;
      const nonce = nonces.get(from.address) ?? 0n;
      if (mempool.add(payment(from, to, nonce), tree.ledger).ok)
        nonces.set(from.address, nonce + 1n);
    }
    const miner = wallets[i % wallets.length]?.address;
    if (!miner) throw new Error('no miner');
    const now = params.genesisTimestampMs + (i + 1) * params.blockTimeMs;
    const block = searchTemplate(createTemplate(tree, mempool, miner, now), 0, 1 << 30);
    if (!block) throw new Error('no proof found');
    const added = tree.add(block, now);
    if (!added.ok || added.value.tipChange === null) throw new Error('own block refused');
    blocks.push(block);
  }
  return blocks;
}
