import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockHeader } from '../../src/core/block.ts';
import {
  BLOCK_VERSION,
  decodeBlock,
  encodeHeader,
  GENESIS_PREVIOUS_HASH,
  GENESIS_PROOF,
  genesisBlock,
  headerHash,
  headerTarget,
  makeBlock,
  transactionsRoot,
} from '../../src/core/block.ts';
import { ByteWriter, toHex } from '../../src/core/bytes.ts';
import { merkleRoot } from '../../src/core/merkle.ts';
import { makeParams } from '../../src/core/params.ts';
import { HEADER_BYTES } from '../../src/core/pow-kernel.ts';
import { targetFromZeroBits, targetToCompact } from '../../src/core/target.ts';
import type { Transaction } from '../../src/core/tx.ts';
import { makeCoinbase, signTransfer, TRANSFER_BYTES } from '../../src/core/tx.ts';
import type { Address, BlockHash, Height } from '../../src/core/types.ts';
import { addressFromNumber, nodeSha256Hex, seededWallets } from './helpers.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const header: BlockHeader = {
  version: 0x01020304,
  index: 0x05060708 as Height,
  timestampMs: 0x000a0b0c0d0e0f10,
  previousHash: '11'.repeat(32) as BlockHash,
  merkleRoot: new Uint8Array(32).fill(0x22),
  bits: 0x1d00ffff,
  proof: 0x0018191a1b1c1d1e,
};

/** A few signed transfers, made once: signing is the slow part of generating blocks. */
const wallets = seededWallets(3, 11);
const transferPool = wallets.flatMap((w, i) =>
  [0n, 1n].map((nonce) =>
    signTransfer(w, {
      chainId: 1 + i,
      recipient: addressFromNumber(i + 100),
      amount: 10n + nonce,
      fee: nonce,
      nonce,
    }),
  ),
);

const arbHash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const arbU32 = fc.integer({ min: 0, max: 0xffffffff });
const arbHeader: fc.Arbitrary<BlockHeader> = fc.record({
  version: arbU32,
  index: arbU32.map((i) => i as Height),
  timestampMs: fc.integer({ min: 0, max: MAX_SAFE }),
  previousHash: arbHash.map((h) => toHex(h) as BlockHash),
  merkleRoot: arbHash,
  bits: arbU32,
  proof: fc.integer({ min: 0, max: MAX_SAFE }),
});
const arbTx: fc.Arbitrary<Transaction> = fc.oneof(
  fc.constantFrom(...transferPool),
  fc
    .record({
      chainId: arbU32,
      height: arbU32,
      recipient: fc.uint8Array({ minLength: 20, maxLength: 20 }),
      amount: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    })
    .map(({ chainId, height, recipient, amount }) =>
      makeCoinbase(chainId, height, toHex(recipient) as Address, amount),
    ),
);
const arbBlock = fc
  .tuple(arbHeader, fc.array(arbTx, { maxLength: 8 }))
  .map(([h, txs]) => makeBlock(h, txs));

describe('header encoding', () => {
  it('is exactly 92 bytes with every field at its documented offset', () => {
    const b = encodeHeader(header);
    expect(b.length).toBe(92);
    expect(HEADER_BYTES).toBe(92);
    expect(toHex(b.subarray(0, 4))).toBe('01020304'); // version
    expect(toHex(b.subarray(4, 8))).toBe('05060708'); // index
    expect(toHex(b.subarray(8, 16))).toBe('000a0b0c0d0e0f10'); // timestamp_ms
    expect(toHex(b.subarray(16, 48))).toBe('11'.repeat(32)); // previous_hash
    expect(toHex(b.subarray(48, 80))).toBe('22'.repeat(32)); // merkle_root
    expect(toHex(b.subarray(80, 84))).toBe('1d00ffff'); // bits
    expect(toHex(b.subarray(84, 92))).toBe('0018191a1b1c1d1e'); // proof
  });

  it('hashes to node:crypto SHA-256 of the header bytes', () => {
    expect(headerHash(header)).toBe(nodeSha256Hex(encodeHeader(header)));
    fc.assert(
      fc.property(arbHeader, (h) => {
        const bytes = encodeHeader(h);
        expect(bytes.length).toBe(92);
        expect(headerHash(h)).toBe(nodeSha256Hex(bytes));
        expect(makeBlock(h, []).hash).toBe(nodeSha256Hex(bytes));
      }),
    );
  });

  it('writes the proof in the last eight bytes, big-endian', () => {
    fc.assert(
      fc.property(arbHeader, fc.integer({ min: 0, max: MAX_SAFE }), (h, proof) => {
        const a = encodeHeader(h);
        const b = encodeHeader({ ...h, proof });
        expect(a.subarray(0, 84)).toEqual(b.subarray(0, 84));
        expect(BigInt('0x' + toHex(b.subarray(84)))).toBe(BigInt(proof));
      }),
    );
  });

  it.each(['', 'ab', '11'.repeat(31), 'zz'.repeat(32), '11'.repeat(33)])(
    'refuses the previous hash %j',
    (previousHash) => {
      expect(() => encodeHeader({ ...header, previousHash: previousHash as BlockHash })).toThrow(
        RangeError,
      );
    },
  );

  it('reads the target from the bits, or null when they are not canonical', () => {
    expect(headerTarget({ ...header, bits: 0x1d00ffff })).toBe(0xffffn << 208n);
    expect(headerTarget({ ...header, bits: 0x01123456 })).toBeNull();
  });
});

describe('block encoding', () => {
  it('is the header, a count and each transaction with its length', () => {
    const txs = [makeCoinbase(1, 2, addressFromNumber(3), 4n), transferPool[0]];
    const present = txs.filter((t): t is Transaction => t !== undefined);
    const block = makeBlock(header, present);
    const expected = new ByteWriter().bytes(encodeHeader(header)).u32(present.length);
    for (const t of present) expected.varBytes(t.bytes);
    expect(block.bytes).toEqual(expected.finish());
    expect(block.hash).toBe(nodeSha256Hex(block.bytes.subarray(0, 92)));
  });

  it('round-trips random blocks', () => {
    fc.assert(
      fc.property(arbBlock, (block) => {
        const r = decodeBlock(block.bytes, 1 << 20);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toEqual(block);
        expect(r.value.hash).toBe(block.hash);
        expect(makeBlock(r.value.header, r.value.transactions).bytes).toEqual(block.bytes);
      }),
    );
  });

  it('refuses every truncation and trailing bytes', () => {
    fc.assert(
      fc.property(arbBlock, fc.uint8Array({ minLength: 1, maxLength: 5 }), (block, extra) => {
        for (let n = 0; n < block.bytes.length; n++) {
          expect(decodeBlock(block.bytes.subarray(0, n), 1 << 20).ok).toBe(false);
        }
        expect(decodeBlock(new Uint8Array([...block.bytes, ...extra]), 1 << 20).ok).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it('never throws on random or damaged bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc
            .tuple(arbBlock, fc.nat(), fc.integer({ min: 0, max: 255 }))
            .map(([block, at, value]) => {
              const b = block.bytes.slice();
              b[at % b.length] = value;
              return b;
            }),
          fc.tuple(arbBlock, fc.nat()).map(([block, n]) => block.bytes.slice(0, n % 600)),
        ),
        (bytes) => {
          const r = decodeBlock(bytes, 1 << 20);
          expect(typeof r.ok).toBe('boolean');
          if (r.ok) expect(r.value.bytes).toEqual(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses input above maxBytes before reading it', () => {
    const block = makeBlock(header, []);
    expect(decodeBlock(block.bytes, block.bytes.length).ok).toBe(true);
    expect(decodeBlock(block.bytes, block.bytes.length - 1)).toEqual({
      ok: false,
      error: 'oversize',
    });
  });

  const withTail = (tail: ByteWriter, h: BlockHeader = header): Uint8Array =>
    new Uint8Array([...encodeHeader(h), ...tail.finish()]);

  it.each([
    ['a timestamp above 2^53 - 1', 8],
    ['a proof above 2^53 - 1', 84],
  ])('refuses %s', (_name, offset) => {
    const bytes = withTail(new ByteWriter().u32(0));
    expect(decodeBlock(bytes, 1 << 20).ok).toBe(true);
    bytes[offset] = 0x00;
    bytes[offset + 1] = 0x20; // 2^53
    for (let i = offset + 2; i < offset + 8; i++) bytes[i] = 0;
    expect(decodeBlock(bytes, 1 << 20).ok).toBe(false);
  });

  it('refuses a transaction count larger than the bytes could hold', () => {
    expect(decodeBlock(withTail(new ByteWriter().u32(1)), 1 << 20).ok).toBe(false);
    expect(decodeBlock(withTail(new ByteWriter().u32(0xffffffff)), 1 << 20).ok).toBe(false);
  });

  it('refuses a transaction longer than a transfer, or with bytes after it', () => {
    const cb = makeCoinbase(1, 2, addressFromNumber(3), 4n);
    const tooLong = new ByteWriter().u32(1).varBytes(new Uint8Array(TRANSFER_BYTES + 1));
    expect(decodeBlock(withTail(tooLong), 1 << 20).ok).toBe(false);
    const padded = new ByteWriter().u32(1).varBytes(new Uint8Array([...cb.bytes, 0]));
    expect(decodeBlock(withTail(padded), 1 << 20).ok).toBe(false);
    const exact = new ByteWriter().u32(1).varBytes(cb.bytes);
    expect(decodeBlock(withTail(exact), 1 << 20).ok).toBe(true);
  });

  it('keeps the Merkle root of its transactions separate from the header (validation checks it)', () => {
    const txs = transferPool.slice(0, 3);
    expect(transactionsRoot(txs)).toEqual(merkleRoot(txs.map((t) => t.bytes)));
    const block = makeBlock(header, txs);
    const r = decodeBlock(block.bytes, 1 << 20);
    expect(r.ok && toHex(r.value.header.merkleRoot)).toBe('22'.repeat(32));
  });
});

describe('genesis block', () => {
  const params = makeParams({ initialTarget: targetFromZeroBits(4) });

  it('is identical for equal parameters', () => {
    const a = genesisBlock(params);
    const b = genesisBlock(makeParams({ initialTarget: targetFromZeroBits(4) }));
    expect(b.hash).toBe(a.hash);
    expect(b.bytes).toEqual(a.bytes);
    // The fork-choice rule is not part of the chain's identity.
    expect(genesisBlock({ ...params, forkChoice: 'longest' }).hash).toBe(a.hash);
  });

  it("keeps the tutorial's fields: index 1, previous hash 1, proof 100, no transactions", () => {
    const g = genesisBlock(params);
    expect(g.header.index).toBe(1);
    expect(g.header.previousHash).toBe(GENESIS_PREVIOUS_HASH);
    expect(GENESIS_PREVIOUS_HASH).toBe('0'.repeat(63) + '1');
    expect(g.header.proof).toBe(100);
    expect(GENESIS_PROOF).toBe(100);
    expect(g.header.version).toBe(BLOCK_VERSION);
    expect(g.header.timestampMs).toBe(params.genesisTimestampMs);
    expect(g.header.bits).toBe(targetToCompact(targetFromZeroBits(4)));
    expect(g.transactions).toEqual([]);
    expect(toHex(g.header.merkleRoot)).toBe(nodeSha256Hex(new Uint8Array(0)));
    expect(g.hash).toBe(nodeSha256Hex(encodeHeader(g.header)));
    expect(decodeBlock(g.bytes, 1000)).toEqual({ ok: true, value: g });
  });

  it('differs when the initial target or the genesis time differs', () => {
    const base = genesisBlock(params).hash;
    expect(genesisBlock({ ...params, initialTarget: targetFromZeroBits(5) }).hash).not.toBe(base);
    expect(genesisBlock({ ...params, initialTarget: 3n << 248n }).hash).not.toBe(base);
    expect(
      genesisBlock({ ...params, genesisTimestampMs: params.genesisTimestampMs + 1 }).hash,
    ).not.toBe(base);
  });
});
