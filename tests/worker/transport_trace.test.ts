/**
 * The BroadcastChannel transport traces every well-formed message it hears, with its fate, for the
 * page's network view: delivered (with its arrival time), lost, or cut by a partition. Garbage is
 * dropped and never traced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../src/core/delivery.ts';
import type { Message } from '../../src/core/protocol.ts';
import { createRng } from '../../src/core/rng.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import { BroadcastTransport } from '../../src/runtime/broadcast-transport.ts';
import { DeliveryGate, traceKind } from '../../src/runtime/delivery-gate.ts';
import type { MessageTrace } from '../../src/runtime/protocol.ts';
import { names } from '../../src/runtime/protocol.ts';
import { must } from '../core/helpers.ts';
import { uniqueNamespace } from './threads.ts';

const A = 'n1' as NodeId;
const B = 'n2' as NodeId;
const INV: Message = { type: 'inv', blocks: ['ab'.repeat(32) as BlockHash], txs: [] };

const open: { close(): void }[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

/** Two transports in one namespace; b records what it heard. */
function pair(settings: NetworkSettings): {
  a: BroadcastTransport;
  traces: MessageTrace[];
  received: unknown[];
  namespace: string;
} {
  const namespace = uniqueNamespace('trace');
  const traces: MessageTrace[] = [];
  const received: unknown[] = [];
  const make = (id: NodeId, onTrace?: (t: MessageTrace) => void): BroadcastTransport => {
    const gate = new DeliveryGate({
      id,
      settings,
      rng: createRng(7),
      receive: (_from, message) => {
        received.push(message);
        return Promise.resolve();
      },
      ...(onTrace ? { onTrace } : {}),
    });
    const t = new BroadcastTransport({ namespace, id, gate });
    open.push(t, gate);
    return t;
  };
  const a = make(A);
  make(B, (t) => traces.push(t));
  return { a, traces, received, namespace };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('message traces', () => {
  it('names each wire message by its kind, the sync exchange as one, and nothing else', () => {
    expect(traceKind({ type: 'inv' })).toBe('inv');
    expect(traceKind({ type: 'getdata' })).toBe('getdata');
    expect(traceKind({ type: 'block' })).toBe('block');
    expect(traceKind({ type: 'tx' })).toBe('tx');
    expect(traceKind({ type: 'getblocks' })).toBe('sync');
    expect(traceKind({ type: 'blocklist' })).toBe('sync');
    expect(traceKind({ type: 'hello' })).toBeNull();
    expect(traceKind('inv')).toBeNull();
    expect(traceKind(null)).toBeNull();
  });

  it('traces a delivered message with its arrival after the latency, then delivers it', async () => {
    const { a, traces, received } = pair({ latencyMs: 40, loss: 0, groups: [] });
    a.send(B, INV);
    await until(() => received.length === 1);
    expect(traces).toHaveLength(1);
    const t = must(traces[0]);
    expect(t).toMatchObject({ from: A, to: B, kind: 'inv', fate: 'delivered' });
    // The default spread draws between half and one and a half times the mean.
    expect(t.arriveAt - t.sentAt).toBeGreaterThanOrEqual(20);
    expect(t.arriveAt - t.sentAt).toBeLessThanOrEqual(60);
  });

  it('traces a message a partition cuts, and a lost one, as never arriving', async () => {
    const cut = pair({ latencyMs: 10, loss: 0, groups: [[A], [B]] });
    cut.a.send(B, INV);
    await until(() => cut.traces.length === 1);
    const cutTrace = must(cut.traces[0]);
    expect(cutTrace).toMatchObject({ kind: 'inv', fate: 'cut' });
    // It is drawn as if it had the link's mean delay before it dies.
    expect(cutTrace.arriveAt).toBe(cutTrace.sentAt + 10);

    const lossy = pair({ latencyMs: 10, loss: 1, groups: [] });
    lossy.a.send(B, INV);
    await until(() => lossy.traces.length === 1);
    expect(lossy.traces[0]).toMatchObject({ kind: 'inv', fate: 'lost' });
    await new Promise((r) => setTimeout(r, 50));
    expect(cut.received).toEqual([]);
    expect(lossy.received).toEqual([]);
  });

  it('never traces garbage posted on the inbox', async () => {
    const { traces, received, namespace } = pair({ latencyMs: 0, loss: 0, groups: [] });
    const rogue = new BroadcastChannel(names.inboxChannel(namespace, B));
    rogue.postMessage({ from: A, to: B, message: { type: 'hello' } });
    rogue.postMessage('junk');
    rogue.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(traces).toEqual([]);
    // The unknown kind reaches the node, whose parser drops and counts it.
    expect(received).toEqual([{ type: 'hello' }]);
  });
});
