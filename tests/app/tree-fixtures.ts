/**
 * Block trees for the layout and branch tests: blocks named by hash, chains of them, node tips.
 */
import type { NodeTip, TreeBlock } from '../../src/app/tree/types.ts';

/** Work is scaled far past 2^53 so the layout must compare it exactly, never as a float. */
export const WORK_UNIT = 10n ** 30n;

/** One block whose chain work grows with its height. */
export function block(
  hash: string,
  parent: string | null,
  height: number,
  seq = height,
): TreeBlock {
  return {
    hash,
    parent,
    height,
    seq,
    chainWork: (BigInt(height) * WORK_UNIT).toString(),
    miner: null,
  };
}

/** Blocks `${prefix}${from}` … `${prefix}${to}`, the first one a child of `parent`. */
export function chain(
  prefix: string,
  parent: string | null,
  from: number,
  to: number,
  seq0 = 0,
): TreeBlock[] {
  const out: TreeBlock[] = [];
  for (let h = from; h <= to; h++) {
    out.push(block(`${prefix}${h}`, h === from ? parent : `${prefix}${h - 1}`, h, seq0 + h));
  }
  return out;
}

/** Node tips from `{ node: tipHash }`. */
export function tips(entries: Record<string, string>): NodeTip[] {
  return Object.entries(entries).map(([node, tip]) => ({ node, tip }));
}
