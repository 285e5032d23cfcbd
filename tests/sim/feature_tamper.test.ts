/**
 * The tamper lab through the in-process runtime, as the page uses the workers runtime: read a
 * node's best chain as encoded blocks, edit a copy, and offer the tampered branch to another node
 * through the engine. The node refuses it with a typed reason and a block-rejected event, nothing
 * changes, and after a restart from its store it knows none of the tampered blocks.
 */
import { describe, expect, it } from 'vitest';
import type { EventJson } from '../../src/api/json.ts';
import type { Block } from '../../src/core/block.ts';
import { decodeBlock } from '../../src/core/block.ts';
import type { TamperedCopy } from '../../src/core/tamper.ts';
import {
  searchProof,
  startRemining,
  tamper,
  tamperedBranch,
  withProof,
} from '../../src/core/tamper.ts';
import type { BlockHash } from '../../src/core/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import { createSim, mineOn, nodeId, pay, snapshot, syncBlocks } from './framework.ts';

const N2 = nodeId('n2');
const N3 = nodeId('n3');

function decodeAll(sim: Simulation, blocks: readonly Uint8Array[]): Block[] {
  return blocks.map((bytes) => {
    const r = decodeBlock(bytes, sim.params.maxBlockBytes);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  });
}

function remined(copy: TamperedCopy): TamperedCopy {
  const job = startRemining(copy, 0);
  const proof = searchProof(job, 0, 1 << 26);
  if (proof === null) throw new Error('no proof within the search limit');
  return withProof(copy, job, proof);
}

/** The block-rejected events among `events`, as [block, reason]. */
function rejections(events: readonly EventJson[]): [string, string][] {
  return events.flatMap((e) => (e.kind === 'block-rejected' ? [[e.id, e.reason]] : []));
}

describe('feature_tamper: a tampered branch offered to a node', () => {
  it('is refused with its typed reason, changes nothing, and is never stored', async () => {
    const sim = await createSim({ seed: 41, nodes: 3 });
    await mineOn(sim, 'n1', 2);
    await pay(sim, 'n1', 'n2', 2);
    const [withPayment] = await mineOn(sim, 'n1');
    await syncBlocks(sim);
    await mineOn(sim, 'n3', 2);
    await syncBlocks(sim);
    await sim.settle();
    const hash = withPayment?.hash as BlockHash;

    const bytes = await sim.bestChainFrom(N3, hash);
    if (!bytes) throw new Error('block 4 is on n3’s best chain');
    const chain = decodeAll(sim, bytes);
    expect(chain.map((b) => b.header.index)).toEqual([4, 5, 6]);
    const edited = tamper(chain, 1, { field: 'amount', value: 200n });
    if (!edited.ok) throw new Error(edited.error.message);

    const before = snapshot(sim);
    await sim.takeEvents(N2, 'script');

    const first = tamperedBranch(edited.value);
    const refused = await sim.offerBlocks(
      N2,
      first.map((b) => b.bytes),
    );
    expect(refused?.map((o) => (o.status === 'rejected' ? o.rejection.reason : o.status))).toEqual([
      'bad-pow',
    ]);
    expect(rejections(await sim.takeEvents(N2, 'script'))).toEqual([[first[0]?.hash, 'bad-pow']]);

    const second = tamperedBranch(remined(edited.value));
    const refusedAgain = await sim.offerBlocks(
      N2,
      second.map((b) => b.bytes),
    );
    expect(
      refusedAgain?.map((o) => (o.status === 'rejected' ? o.rejection.reason : o.status)),
    ).toEqual(['bad-signature']);
    expect(rejections(await sim.takeEvents(N2, 'script'))).toEqual([
      [second[0]?.hash, 'bad-signature'],
    ]);
    expect(snapshot(sim)).toEqual(before);

    // What n2 stored is what it comes back with: no tampered block, and nothing to skip.
    const restarted = await sim.restartNode(N2);
    const events = await sim.takeEvents(N2, 'script');
    expect(events.filter((e) => e.kind === 'storage-skipped')).toEqual([]);
    for (const b of [...first, ...second]) expect(restarted.tree.get(b.hash)).toBeUndefined();
    expect(restarted.tree.tip.hash).toBe(before.nodes.n2?.tip);
  });

  it('answers null for an unknown node or a block off the best chain', async () => {
    const sim = await createSim({ seed: 42, nodes: 2 });
    await mineOn(sim, 'n1');
    expect(await sim.offerBlocks(nodeId('n9'), [])).toBeNull();
    expect(await sim.bestChainFrom(nodeId('n9'), sim.nodeById(N2).tree.tip.hash)).toBeNull();
    expect(await sim.bestChainFrom(N3, '00'.repeat(32) as BlockHash)).toBeNull();
    expect(await sim.bestChainFrom(nodeId('n1'), '00'.repeat(32) as BlockHash)).toBeNull();
    const genesis = sim.nodeById(nodeId('n1')).tree.genesis.hash;
    expect(await sim.bestChainFrom(nodeId('n1'), genesis)).toHaveLength(2);
  });
});
