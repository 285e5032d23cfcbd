/**
 * How much of a core each mining worker may use: together the workers may hash on all cores but
 * one, so the page keeps a core to draw with while every node mines (measured: 8 full-speed
 * miners on 2 cores stretched the 95th-percentile frame to 70–150 ms). Pure, so the browser
 * bench (scripts/bench-miner-browser.ts) reads the same rule the page applies.
 */

/**
 * Of the cores left after the page's own, the share the miners may fill: some headroom for the
 * compositor and garbage collection keeps the frame time steady (see npm run bench).
 */
export const HASHING_BUDGET = 0.75;

/** The fraction of a core each of `nodes` workers may hash on, on a machine of `cores` cores. */
export function cpuSharePerWorker(cores: number, nodes: number): number {
  return Math.min(1, (Math.max(1, cores - 1) * HASHING_BUDGET) / Math.max(1, nodes));
}
