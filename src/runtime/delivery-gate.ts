/**
 * The receiving end of every carrier (BroadcastChannel inside a browser, a classroom's room
 * between machines): applies the delivery rule (src/core/delivery.ts) to each message heard,
 * traces it for the network view, and hands it to the node when it is due. One gate per node, so
 * latency, loss and partitions work the same whichever way a message came.
 */
import type { NetworkSettings } from '../core/delivery.ts';
import { planDelivery, reachable } from '../core/delivery.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';
import type { MessageTrace, TraceKind } from './protocol.ts';

/** Why a message never reached the node. */
export type DropReason = 'malformed envelope' | 'partitioned' | 'lost';

/** Options of a node's gate. */
export interface DeliveryGateOptions {
  readonly id: NodeId;
  readonly settings: NetworkSettings;
  /** Draws losses and latency jitter. */
  readonly rng: Rng;
  readonly receive: (from: NodeId, message: unknown) => Promise<void>;
  readonly onDrop?: (reason: DropReason) => void;
  /** Every well-formed message heard, with its fate, for the page's network view. */
  readonly onTrace?: (trace: MessageTrace) => void;
}

/** The kind a trace gives a wire message; null for anything that is not one (never traced). */
export function traceKind(message: unknown): TraceKind | null {
  if (typeof message !== 'object' || message === null) return null;
  const type = (message as Record<string, unknown>).type;
  switch (type) {
    case 'inv':
    case 'getdata':
    case 'block':
    case 'tx':
      return type;
    case 'getblocks':
    case 'blocklist':
      return 'sync';
    default:
      return null;
  }
}

/** Admits messages heard by one node, as the network's settings say. Close it when the node stops. */
export class DeliveryGate {
  readonly #options: DeliveryGateOptions;
  readonly #lastArrival = new Map<NodeId, number>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #settings: NetworkSettings;
  #closed = false;

  constructor(options: DeliveryGateOptions) {
    this.#options = options;
    this.#settings = options.settings;
  }

  /** The settings in force. */
  get settings(): NetworkSettings {
    return this.#settings;
  }

  set settings(settings: NetworkSettings) {
    this.#settings = settings;
  }

  /** Count a message dropped before it reached the gate. */
  drop(reason: DropReason): void {
    if (!this.#closed) this.#options.onDrop?.(reason);
  }

  /** A message heard from `from`: cut, lost, or delivered when the delivery rule says. */
  admit(from: NodeId, message: unknown): void {
    if (this.#closed) return;
    const { id, onTrace, rng } = this.#options;
    const settings = this.#settings;
    const now = Date.now();
    const kind = onTrace ? traceKind(message) : null;
    const trace = (fate: MessageTrace['fate'], arriveAt: number): void => {
      if (kind) onTrace?.({ from, to: id, kind, sentAt: now, arriveAt, fate });
    };
    // A message that never arrives is traced as if it had the link's mean delay, so the page
    // can draw it travelling before it dies.
    const nominal = now + settings.latencyMs;
    if (!reachable(settings.groups, from, id)) {
      trace('cut', nominal);
      this.drop('partitioned');
      return;
    }
    const plan = planDelivery(settings, rng, now, this.#lastArrival.get(from) ?? 0);
    if (plan.lost) {
      trace('lost', nominal);
      this.drop('lost');
      return;
    }
    trace('delivered', plan.at);
    this.#lastArrival.set(from, plan.at);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // A partition that started while the message was in flight cuts it too.
      if (this.#closed || !reachable(this.#settings.groups, from, id)) return;
      void this.#options.receive(from, message);
    }, plan.at - now);
    this.#timers.add(timer);
  }

  /** Cancel deliveries in flight; nothing is admitted afterwards. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
