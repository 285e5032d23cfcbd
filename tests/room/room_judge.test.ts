/**
 * What counts against a sender in a room: blocks that prove it misbehaved, not blocks refused only
 * for how they look from here. Two honest learners whose fresh chains forked far apart in
 * difficulty once muted each other this way, and then could never sync.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import type { RejectReason } from '../../src/core/validation.ts';
import { isOffence } from '../../src/core/validation.ts';
import { pureSignatures, walletFromSecret } from '../../src/core/wallet.ts';
import { DeliveryGate } from '../../src/runtime/delivery-gate.ts';
import { roomOf } from '../../src/runtime/room.ts';
import { MUTE_AFTER_OFFENCES, RoomTransport } from '../../src/runtime/room-transport.ts';

const HASH = '00'.repeat(32) as BlockHash;

function transport(): { transport: RoomTransport; muted: NodeId[] } {
  const wallet = walletFromSecret(createRng(1).bytes(32));
  const gate = new DeliveryGate({
    id: 'ana-1' as NodeId,
    settings: { latencyMs: 0, loss: 0, groups: [] },
    rng: createRng(2),
    receive: () => Promise.resolve(),
  });
  const muted: NodeId[] = [];
  const t = new RoomTransport({
    room: roomOf('7K2M-Q9XD-4HRT-B1ZP'),
    id: 'ana-1' as NodeId,
    secretKey: wallet.secretKey,
    publicKey: wallet.publicKey,
    signatures: pureSignatures,
    bus: { publish: () => undefined, subscribe: () => () => undefined },
    gate,
    page: 'page-ana',
    onMuted: (from) => muted.push(from),
  });
  return { transport: t, muted };
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
      t.judge(rejected(bob, 'orphan-too-easy'));
      t.judge(rejected(bob, 'time-too-new'));
    }
    expect(muted).toEqual([]);
    expect(t.muted).toEqual([]);
    t.close();
  });

  it('mutes a sender of invalid blocks at the limit, and once', () => {
    const { transport: t, muted } = transport();
    const eve = 'eve-1' as NodeId;
    for (let i = 0; i < MUTE_AFTER_OFFENCES - 1; i++) t.judge(rejected(eve, 'bad-pow'));
    expect(muted).toEqual([]);
    t.judge(rejected(eve, 'bad-reward'));
    t.judge(rejected(eve, 'bad-reward'));
    expect(muted).toEqual([eve]);
    expect(t.muted).toEqual([eve]);
    t.close();
  });
});
