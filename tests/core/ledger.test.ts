import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/block.ts';
import { makeBlock } from '../../src/core/block.ts';
import type { Undo } from '../../src/core/ledger.ts';
import { EMPTY_ACCOUNT, Ledger } from '../../src/core/ledger.ts';
import type { Transaction } from '../../src/core/tx.ts';
import { makeCoinbase, signTransfer } from '../../src/core/tx.ts';
import type { Address, BlockHash, Height } from '../../src/core/types.ts';
import type { Wallet } from '../../src/core/wallet.ts';
import { addressFromNumber, must, seededWallets, snapshot } from './helpers.ts';

const wallets = seededWallets(3, 31);
const alice = must(wallets[0]);
const bob = must(wallets[1]);
const carol = must(wallets[2]);
const MINER = addressFromNumber(77);
const ALL: Address[] = [alice.address, bob.address, carol.address, MINER];

const coinbase = (to: Address, amount: bigint): Transaction => makeCoinbase(1, 2, to, amount);
const transfer = (
  from: Wallet,
  to: Address,
  amount: bigint,
  fee: bigint,
  nonce: bigint,
): Transaction => signTransfer(from, { chainId: 1, recipient: to, amount, fee, nonce });

const block = (txs: readonly Transaction[]): Block =>
  makeBlock(
    {
      version: 1,
      index: 2 as Height,
      timestampMs: 0,
      previousHash: '00'.repeat(32) as BlockHash,
      merkleRoot: new Uint8Array(32),
      bits: 0,
      proof: 0,
    },
    txs,
  );

describe('Ledger', () => {
  it('gives an unknown address the empty account', () => {
    const l = new Ledger();
    expect(l.get(alice.address)).toBe(EMPTY_ACCOUNT);
    expect(EMPTY_ACCOUNT).toEqual({ balance: 0n, nonce: 0n });
    expect([...l.entries()]).toEqual([]);
  });

  it('credits a coinbase to its recipient', () => {
    const l = new Ledger();
    l.applyTransaction(coinbase(alice.address, 50n));
    expect(l.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
  });

  it('moves amount and fee out of the sender, the amount to the recipient, and bumps the nonce', () => {
    const l = new Ledger();
    l.applyTransaction(coinbase(alice.address, 50n));
    l.applyTransaction(transfer(alice, bob.address, 20n, 3n, 0n));
    expect(l.get(alice.address)).toEqual({ balance: 27n, nonce: 1n });
    expect(l.get(bob.address)).toEqual({ balance: 20n, nonce: 0n });
  });

  it('charges only the fee for a payment to oneself', () => {
    const l = new Ledger();
    l.applyTransaction(coinbase(alice.address, 50n));
    const undo = new Map<Address, { balance: bigint; nonce: bigint } | undefined>();
    l.applyTransaction(transfer(alice, alice.address, 20n, 3n, 0n), undo);
    expect(l.get(alice.address)).toEqual({ balance: 47n, nonce: 1n });
    // The undo keeps the state before the first touch, not after the debit.
    expect(undo.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
    l.revert(undo);
    expect(l.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
  });

  it('reverts a block exactly, forgetting accounts it created', () => {
    const l = new Ledger();
    l.apply(block([coinbase(alice.address, 50n)]));
    const before = snapshot(l, ALL);
    const undo = l.apply(
      block([
        coinbase(MINER, 51n),
        transfer(alice, bob.address, 10n, 1n, 0n),
        transfer(alice, carol.address, 5n, 0n, 1n),
        transfer(bob, carol.address, 4n, 0n, 0n),
      ]),
    );
    expect(snapshot(l, ALL)).not.toEqual(before);
    expect(new Set(undo.keys())).toEqual(new Set(ALL));
    expect(undo.get(bob.address)).toBeUndefined();
    expect(undo.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
    l.revert(undo);
    expect(snapshot(l, ALL)).toEqual(before);
    expect([...l.entries()].map(([a]) => a)).toEqual([alice.address]);
  });

  it('keeps an overlay’s writes away from its base', () => {
    const base = new Ledger();
    base.apply(block([coinbase(alice.address, 50n)]));
    const overlay = new Ledger(base);
    expect(overlay.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
    overlay.apply(block([transfer(alice, bob.address, 10n, 0n, 0n)]));
    expect(overlay.get(alice.address)).toEqual({ balance: 40n, nonce: 1n });
    expect(overlay.get(bob.address)).toEqual({ balance: 10n, nonce: 0n });
    expect(base.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
    expect(base.get(bob.address)).toBe(EMPTY_ACCOUNT);
    // Resetting an account in an overlay hides the base's state instead of deleting it.
    overlay.set(alice.address, undefined);
    expect(overlay.get(alice.address)).toBe(EMPTY_ACCOUNT);
    expect(base.get(alice.address)).toEqual({ balance: 50n, nonce: 0n });
  });

  it('reverts an overlay down to its base, even for accounts the base holds', () => {
    const base = new Ledger();
    base.apply(block([coinbase(alice.address, 50n)]));
    const overlay = new Ledger(base);
    const undo = overlay.apply(block([coinbase(alice.address, 5n), coinbase(bob.address, 5n)]));
    overlay.revert(undo);
    expect(snapshot(overlay, ALL)).toEqual(snapshot(base, ALL));
  });

  it('undoes any sequence of blocks when reverted newest first', () => {
    // Pre-signed payments: the ledger does not check them, so any order is fine here.
    const pool: Transaction[] = [
      coinbase(alice.address, 30n),
      coinbase(bob.address, 7n),
      coinbase(MINER, 1n),
      ...[alice, bob, carol].flatMap((from, i) =>
        [0n, 1n].map((nonce) =>
          transfer(from, must(ALL[(i + 1 + Number(nonce)) % ALL.length]), 3n + nonce, nonce, nonce),
        ),
      ),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...pool), { maxLength: 5 }), { maxLength: 8 }),
        fc.boolean(),
        (blocks, overlaid) => {
          const base = new Ledger();
          base.applyTransaction(coinbase(carol.address, 9n));
          const l = overlaid ? new Ledger(base) : base;
          const states = [snapshot(l, ALL)];
          const undos: Undo[] = [];
          for (const txs of blocks) {
            undos.push(l.apply(block(txs)));
            states.push(snapshot(l, ALL));
          }
          // Value is conserved: transfers only move coins and burn fees.
          let minted = 9n;
          let burned = 0n;
          for (const tx of blocks.flat()) {
            if (tx.kind === 'coinbase') minted += tx.amount;
            else burned += tx.fee;
          }
          let sum = 0n;
          for (const a of ALL) sum += l.get(a).balance;
          expect(sum).toBe(minted - burned);
          while (undos.length > 0) {
            states.pop();
            l.revert(must(undos.pop()));
            expect(snapshot(l, ALL)).toEqual(states[states.length - 1]);
          }
          if (!overlaid) expect([...l.entries()].map(([a]) => a)).toEqual([carol.address]);
        },
      ),
    );
  });
});
