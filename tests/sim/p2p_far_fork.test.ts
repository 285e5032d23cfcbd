/**
 * A block far easier than the receiver's chain, from a branch it has not seen: refused for now,
 * not held against the sender, and the sender's chain is fetched from the fork so each of its
 * blocks is judged with its parent. (Two honest learners whose fresh chains forked while their
 * difficulty climbed used to end up refusing each other's blocks for good.)
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../src/core/node.ts';
import { BlockTree } from '../../src/core/chain.ts';
import type { Message } from '../../src/core/protocol.ts';
import { parseMessage } from '../../src/core/protocol.ts';
import { targetFromZeroBits } from '../../src/core/target.ts';
import { easyParams, mineOn, must } from '../core/helpers.ts';
import { createSim, nodeId } from './framework.ts';

describe('p2p_far_fork: a far easier branch is fetched, not held against its sender', () => {
  it('asks the sender for its chain and counts no offence', async () => {
    const events: { node: string; event: NodeEvent }[] = [];
    // The story network's blocks need 8 zero bits; the far branch was mined at 2 (64 times easier).
    const sim = await createSim({
      nodes: 2,
      onEvent: (node, event) => events.push({ node, event }),
    });
    const far = new BlockTree(easyParams({ initialTarget: targetFromZeroBits(2) }));
    const first = mineOn(far, far.genesis);
    far.add(first, Number.MAX_SAFE_INTEGER);
    const second = mineOn(far, must(far.get(first.hash)));

    const heard: Message[] = [];
    const peer = nodeId('far-1');
    sim.network.attach(peer, (_from, raw) => {
      const parsed = parseMessage(raw);
      if (parsed.ok) heard.push(parsed.message);
      return Promise.resolve();
    });
    const n1 = sim.nodeById(nodeId('n1'));
    await n1.registerPeers([peer]);
    await sim.settle();
    const before = heard.length;
    await n1.receive(peer, { type: 'block', bytes: second.bytes });
    await sim.settle();

    const refusals = events.filter(
      (e) => e.node === 'n1' && e.event.kind === 'block-rejected' && e.event.from === peer,
    );
    expect(
      refusals.map((e) => (e.event.kind === 'block-rejected' ? e.event.rejection.reason : '')),
    ).toEqual(['orphan-too-easy']);
    // Not condemned: the same block is judged again once its parent is known.
    expect(n1.tree.invalidReason(second.hash)).toBeUndefined();
    // The node asked the sender for its chain, from where they share it.
    expect(heard.slice(before).map((m) => m.type)).toContain('getblocks');
  });
});
