/**
 * Merkle root of a block's transactions, built as in RFC 6962 §2.1: leaves and inner nodes are
 * hashed with different prefixes and an odd node is promoted, not duplicated, so two different
 * transaction lists never share a root (unlike Bitcoin's CVE-2012-2459).
 */
import { concatBytes } from './bytes.ts';
import { sha256 } from './hash.ts';

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** Root over the transactions' canonical bytes; SHA-256 of nothing for an empty list. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  let level = leaves.map((leaf) => sha256(concatBytes(LEAF, leaf)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1];
      if (left === undefined) break;
      next.push(right === undefined ? left : sha256(concatBytes(NODE, left, right)));
    }
    level = next;
  }
  return level[0] ?? sha256(new Uint8Array(0));
}
