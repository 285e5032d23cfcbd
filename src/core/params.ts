/** The rules every node of one simulation agrees on. */
import { targetFromZeroBits } from './target.ts';

/**
 * How blocks are found. `real`: a proof whose SHA-256 meets the target, searched for by hashing.
 * `sampled`: the time a block is found is drawn from the exponential distribution the real search
 * follows, and the block carries no proof; only a sampled-work simulation accepts such blocks
 * (see {@link SAMPLED_BLOCK_VERSION} in block.ts).
 */
export type WorkMode = 'real' | 'sampled';

/** How a node picks its best chain: Bitcoin's most cumulative work, or the tutorial's length. */
export type ForkChoice = 'most-work' | 'longest';

/** Consensus parameters, identical on every node of a simulation. */
export interface ChainParams {
  /** Signed into every transaction so a payment cannot be replayed on another simulation. */
  readonly chainId: number;
  /** The target of the genesis block and of every block until the first retarget. */
  readonly initialTarget: bigint;
  /** The block interval retargeting aims at, in milliseconds. */
  readonly blockTimeMs: number;
  /** Retarget every this many blocks. */
  readonly retargetInterval: number;
  /** New coins per block; the tutorial pays 1. */
  readonly reward: bigint;
  /** Largest encoded block, in bytes. */
  readonly maxBlockBytes: number;
  /** How far a block's timestamp may run ahead of a node's clock (Bitcoin allows 2 hours). */
  readonly maxFutureMs: number;
  /** Timestamp of the fixed genesis block, Unix milliseconds. */
  readonly genesisTimestampMs: number;
  /** Best-chain rule. */
  readonly forkChoice: ForkChoice;
  /** Real proof of work, or sampled discovery times (large simulations). */
  readonly work: WorkMode;
}

/** Blocks whose timestamps form the median a new block must exceed (Bitcoin's BIP113 window). */
export const MEDIAN_TIME_SPAN = 11;

/** The defaults of a fresh simulation. */
export const DEFAULT_PARAMS: ChainParams = {
  chainId: 1,
  initialTarget: targetFromZeroBits(12),
  blockTimeMs: 5_000,
  retargetInterval: 10,
  reward: 1n,
  maxBlockBytes: 64 * 1024,
  maxFutureMs: 2 * 60 * 1000,
  // 2018-01-01T00:00:00Z, around when the tutorial was written.
  genesisTimestampMs: 1_514_764_800_000,
  forkChoice: 'most-work',
  work: 'real',
};

/** Parameters with some fields replaced. */
export function makeParams(overrides: Partial<ChainParams> = {}): ChainParams {
  return { ...DEFAULT_PARAMS, ...overrides };
}
