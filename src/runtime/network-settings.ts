/**
 * The network settings a simulation publishes to its nodes, parsed from `unknown` like everything
 * that crosses a channel. The settings themselves and the rule that applies them live in
 * src/core/delivery.ts.
 */
import type { NetworkSettings } from '../core/delivery.ts';
import { MAX_LATENCY_MS } from '../core/delivery.ts';
import type { NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';

export type { NetworkSettings } from '../core/delivery.ts';
export { DEFAULT_NETWORK } from '../core/delivery.ts';

/** Parse settings from anything; null when malformed. */
export function parseNetworkSettings(raw: unknown): NetworkSettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { latencyMs, loss, groups } = r;
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS))
    return null;
  if (typeof loss !== 'number' || !(loss >= 0 && loss <= 1)) return null;
  if (!Array.isArray(groups)) return null;
  const parsed: NodeId[][] = [];
  for (const g of groups) {
    if (!Array.isArray(g)) return null;
    const ids = g.map(parseNodeId);
    if (ids.some((id) => id === null)) return null;
    parsed.push(ids as NodeId[]);
  }
  return { latencyMs, loss, groups: parsed };
}
