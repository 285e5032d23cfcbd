/**
 * Equal work after a heal: n1 and n2 each mined one block during a partition, at the same
 * difficulty, so the two branches have exactly the same work. Nobody switches (the first seen
 * stays best, as in Bitcoin) and the network stays split until the next block breaks the tie;
 * resolve says so in plain words, and each node logs the tie once per competing tip.
 */
import { describe, expect, it } from 'vitest';
import type { EventJson } from '../../src/api/json.ts';
import { eventToJson } from '../../src/api/json.ts';
import type { NodeEvent } from '../../src/core/node.ts';
import type { NodeId } from '../../src/core/types.ts';
import {
  call,
  createSim,
  mineOn,
  resolve,
  splitNetwork,
  syncBlocks,
  syncGroup,
  tipOf,
} from './framework.ts';

describe('feature_tie: two branches of equal work', () => {
  it('stay split until the next block, and resolve and the event log explain why', async () => {
    const log: { node: NodeId; event: EventJson }[] = [];
    const sim = await createSim({
      seed: 41,
      nodes: 3,
      onEvent: (node: NodeId, e: NodeEvent) => log.push({ node, event: eventToJson(e) }),
    });
    await splitNetwork(sim, [['n1'], ['n2', 'n3']]);
    const [a] = await mineOn(sim, 'n1');
    const [b] = await mineOn(sim, 'n2');
    await syncGroup(sim, ['n2', 'n3']);
    // Same height, same difficulty: the same work.
    expect(a?.index).toBe(b?.index);
    expect(a?.target).toBe(b?.target);

    await call(sim, 'POST', '/sim/network/heal');
    const first = await resolve(sim, 'n1');
    expect(first).toMatchObject({ message: 'Our chain is authoritative' });
    expect((first as { tie?: string }).tie).toBe(
      'The chains of n2 and n3 have the same work as ours but end in another block; we keep the one we saw first until the next block breaks the tie.',
    );
    const fromN2 = (await resolve(sim, 'n2')) as { message: string; tie?: string };
    expect(fromN2.message).toBe('Our chain is authoritative');
    expect(fromN2.tie).toBe(
      "n1's chain has the same work as ours but ends in another block; we keep the one we saw first until the next block breaks the tie.",
    );
    await sim.runFor(10_000);
    // Still split: each kept the tip it saw first.
    expect(tipOf(sim, 'n1')).toBe(a?.hash);
    expect(tipOf(sim, 'n2')).toBe(b?.hash);
    expect(tipOf(sim, 'n3')).toBe(b?.hash);

    // Resolving again tells the tie again, but the log has it once per node and competing tip.
    expect(((await resolve(sim, 'n1')) as { tie?: string }).tie).toMatch(/same work as ours/);
    const ties = log.filter((l) => l.event.kind === 'tie-seen');
    expect(ties.map((l) => [l.node, l.event.kind === 'tie-seen' ? l.event.tip : ''])).toEqual(
      expect.arrayContaining([
        ['n1', b?.hash],
        ['n2', a?.hash],
      ]),
    );
    const keys = ties.map((l) => `${l.node}:${l.event.kind === 'tie-seen' ? l.event.tip : ''}`);
    expect(new Set(keys).size).toBe(keys.length);

    // The next block breaks the tie and everyone converges, with nothing left to explain.
    const [c] = await mineOn(sim, 'n3');
    await syncBlocks(sim);
    expect(tipOf(sim, 'n1')).toBe(c?.hash);
    const after = (await resolve(sim, 'n1')) as { tie?: string };
    expect(after.tie).toBeUndefined();
  });
});
