/**
 * The network conditions a simulation applies: published by the page, applied by every node on
 * receipt. Parsed from `unknown`, like everything that crosses a channel.
 */
import type { NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';

/** Latency, loss and partitions. */
export interface NetworkSettings {
  /** Mean one-way delay in ms; each message gets between half and one and a half times it. */
  readonly latencyMs: number;
  /** Probability in [0, 1] that a message is lost. */
  readonly loss: number;
  /** Partition groups; nodes in different groups cannot talk. Empty: one network. */
  readonly groups: readonly (readonly NodeId[])[];
}

/** A healthy, quick network. */
export const DEFAULT_NETWORK: NetworkSettings = { latencyMs: 50, loss: 0, groups: [] };

/** Parse settings from anything; null when malformed. */
export function parseNetworkSettings(raw: unknown): NetworkSettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { latencyMs, loss, groups } = r;
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0 && latencyMs <= 10_000)) return null;
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

/** Can `a` reach `b` under these partitions? Unlisted nodes form one more group. */
export function reachable(settings: NetworkSettings, a: NodeId, b: NodeId): boolean {
  const groupOf = (id: NodeId): number => settings.groups.findIndex((g) => g.includes(id));
  return groupOf(a) === groupOf(b);
}
