/**
 * Sampled work: what a real miner's search looks like from outside, without the hashing.
 *
 * A real miner tries proofs one after another; each succeeds with probability p = target / 2^256,
 * independently. At H hashes per second, the wait for the first success is geometric in the number
 * of hashes, which for so small a p is the exponential distribution with rate H·p per second. A
 * sampled-work miner draws that wait from a seeded generator instead of hashing and, when it comes,
 * forges the block it would have found: same template, same timestamp rule, same fork choice, same
 * gossip and validation, everything but the proof.
 *
 * What differs from real work, exactly:
 * - The block's header carries SAMPLED_BLOCK_VERSION and a proof of 0. Its hash does not meet its
 *   target; sampled-work nodes check the version and the declared target instead of the hash.
 *   Real-work nodes refuse that version (`bad-version`), and a sampled chain descends from a
 *   genesis block of that version, so no real node can ever accept a sampled block.
 * - Discovery times are exact to the millisecond, where a real miner in the simulator finds its
 *   blocks at the end of a 100 ms mining slice.
 * - Hash rates are virtual: no CPU is spent, which is why a thousand nodes fit on one machine.
 */
import type { Rng } from '../core/rng.ts';
import { TWO_256 } from '../core/target.ts';

/**
 * Milliseconds until a miner of `hashesPerSecond` finds a block at `target`, drawn from the
 * exponential distribution; null when it never will (not mining, or no hash power).
 */
export function sampledDelayMs(hashesPerSecond: number, target: bigint, rng: Rng): number | null {
  if (!(hashesPerSecond > 0) || target <= 0n) return null;
  // Doubles are fine here: this is the simulated world's physics, not consensus (CONTRIBUTING.md,
  // Exact numbers). Number(target) keeps 53 significant bits of a target below 2^256.
  const perHash = Number(target) / Number(TWO_256);
  const perMs = (hashesPerSecond * perHash) / 1000;
  // Inverse transform; 1 - u lies in (0, 1], so the log is finite.
  return -Math.log(1 - rng.float()) / perMs;
}
