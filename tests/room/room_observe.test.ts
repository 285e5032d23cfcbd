/**
 * What a room transport makes of its node's events. What counts against a sender: blocks that
 * prove it misbehaved, not blocks refused only for how they look from here (two honest learners
 * whose fresh chains forked far apart in difficulty once muted each other this way, and then
 * could never sync). And a block of the node's own goes to the room whole, not announced.
 */
import { describe, expect, it } from 'vitest';
import { BlockTree } from '../../src/core/chain.ts';
import { createRng } from '../../src/core/rng.ts';
import { decodeMessage, readEnvelope } from '../../src/core/wire.ts';
import { easyParams, LATE_NOW, mineOn } from '../core/helpers.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import type { RejectReason } from '../../src/core/validation.ts';
import { isOffence } from '../../src/core/validation.ts';
import { pureSignatures, walletFromSecret } from '../../src/core/wallet.ts';
import { DeliveryGate } from '../../src/runtime/delivery-gate.ts';
import { roomOf } from '../../src/runtime/room.ts';
import { MUTE_AFTER_OFFENCES, RoomTransport } from '../../src/runtime/room-transport.ts';

const HASH = '00'.repeat(32) as BlockHash;

function transport(): {
  transport: RoomTransport;
  muted: NodeId[];
  published: { subject: string; data: Uint8Array }[];
} {
  const wallet = walletFromSecret(createRng(1).bytes(32));
  const gate = new DeliveryGate({
    id: 'ana-1' as NodeId,
    settings: { latencyMs: 0, loss: 0, groups: [] },
    rng: createRng(2),
    receive: () => Promise.resolve(),
  });
  const muted: NodeId[] = [];
  const published: { subject: string; data: Uint8Array }[] = [];
  const t = new RoomTransport({
    room: roomOf('7K2M-Q9XD-4HRT-B1ZP'),
    id: 'ana-1' as NodeId,
    secretKey: wallet.secretKey,
    publicKey: wallet.publicKey,
    signatures: pureSignatures,
    bus: {
      publish: (subject, data) => {
        published.push({ subject, data });
      },
      subscribe: () => () => undefined,
    },
    gate,
    page: 'page-ana',
    onMuted: (from) => muted.push(from),
  });
  return { transport: t, muted, published };
}

const rejected = (from: NodeId, reason: RejectReason) =>
  ({
    kind: 'block-rejected',
    hash: HASH,
    from,
    rejection: { reason, message: reason },
  }) as const;

describe('judging what a peer sent', () => {
  it('tells view-dependent refusals from offences', () => {
    for (const reason of ['time-too-new', 'orphan-too-easy', 'duplicate', 'mempool-full'] as const)
      expect(isOffence(reason), reason).toBe(false);
    for (const reason of ['bad-pow', 'bad-target', 'bad-merkle-root', 'invalid-parent'] as const)
      expect(isOffence(reason), reason).toBe(true);
  });

  it('never mutes an honest fork, however many of its blocks are refused', () => {
    const { transport: t, muted } = transport();
    const bob = 'bob-1' as NodeId;
    for (let i = 0; i < 5 * MUTE_AFTER_OFFENCES; i++) {
      t.observe(rejected(bob, 'orphan-too-easy'));
      t.observe(rejected(bob, 'time-too-new'));
    }
    expect(muted).toEqual([]);
    expect(t.muted).toEqual([]);
    t.close();
  });

  it('mutes a sender of invalid blocks at the limit, and once', () => {
    const { transport: t, muted } = transport();
    const eve = 'eve-1' as NodeId;
    for (let i = 0; i < MUTE_AFTER_OFFENCES - 1; i++) t.observe(rejected(eve, 'bad-pow'));
    expect(muted).toEqual([]);
    t.observe(rejected(eve, 'bad-reward'));
    t.observe(rejected(eve, 'bad-reward'));
    expect(muted).toEqual([eve]);
    expect(t.muted).toEqual([eve]);
    t.close();
  });
});

describe('a block of its own', () => {
  /** What the transport published, decoded: subject and message type (and the block's bytes). */
  async function sent(published: { subject: string; data: Uint8Array }[], count: number) {
    // Envelopes are signed, then published in order: wait for as many as were sent.
    while (published.length < count) await new Promise((r) => setTimeout(r, 0));
    return published.map(({ subject, data }) => {
      const env = readEnvelope(data);
      const message = env.ok ? decodeMessage(env.value.payload) : null;
      if (!message?.ok) throw new Error('an unreadable envelope was published');
      return { subject: subject.split('.').pop(), message: message.message };
    });
  }

  function ownBlock() {
    const tree = new BlockTree(easyParams());
    const block = mineOn(tree, tree.genesis);
    const added = tree.add(block, LATE_NOW);
    if (!added.ok || !added.value.tipChange) throw new Error('the block did not become the tip');
    return { block, change: added.value.tipChange };
  }
  const bob = 'bob-1' as NodeId;
  const cara = 'cara-1' as NodeId;

  it('is pushed whole to the room once, then announced as any other', async () => {
    const { transport: t, published } = transport();
    const { block, change } = ownBlock();
    // The node tells of its new tip, then announces the block to its peers.
    t.observe({ kind: 'tip-changed', from: null, change });
    const inv = { type: 'inv', blocks: [block.hash], txs: [] } as const;
    t.send(bob, inv);
    t.send(cara, inv);
    expect(await sent(published, 1)).toEqual([
      { subject: 'gossip', message: { type: 'block', bytes: block.bytes } },
    ]);
    // Announced again later: the announcement this time.
    const again = { type: 'inv', blocks: [block.hash], txs: [] } as const;
    t.send(bob, again);
    t.send(cara, again);
    expect((await sent(published, 2))[1]).toMatchObject({ subject: 'gossip', message: again });
    t.close();
  });

  it('is not a block relayed from a peer: that one is only announced', async () => {
    const { transport: t, published } = transport();
    const { block, change } = ownBlock();
    t.observe({ kind: 'tip-changed', from: bob, change });
    const inv = { type: 'inv', blocks: [block.hash], txs: [] } as const;
    t.send(cara, inv);
    t.send('dan-1' as NodeId, inv);
    expect(await sent(published, 1)).toMatchObject([{ subject: 'gossip', message: inv }]);
    t.close();
  });
});
