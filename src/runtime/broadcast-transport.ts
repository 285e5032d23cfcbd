/**
 * A Transport over BroadcastChannel. Each node listens on its own inbox channel inside the
 * simulation's namespace, so two simulations (two tabs) never hear each other. BroadcastChannel
 * never echoes to the sender and orders messages only per sender; the delivery rule (src/core/delivery.ts)
 * is applied here on receipt, according to the settings the page publishes on the control
 * channel. Envelopes are parsed from `unknown`: anything malformed is dropped and counted.
 */
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import { planDelivery, reachable } from '../core/delivery.ts';
import type { ControlMessage, MessageTrace, TraceKind } from './protocol.ts';
import { names, parseControlMessage } from './protocol.ts';

/** Publish network settings to every node of a simulation. */
export function publishNetworkSettings(namespace: string, settings: NetworkSettings): void {
  const channel = new BroadcastChannel(names.controlChannel(namespace));
  const message: ControlMessage = { type: 'network', settings };
  channel.postMessage(message);
  channel.close();
}

/** Why a message never reached the node. */
export type DropReason = 'malformed envelope' | 'partitioned' | 'lost';

/** Options of a node's transport. */
export interface BroadcastTransportOptions {
  readonly namespace: string;
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

/** A node's connection to the simulated network. Close it when the node stops. */
export class BroadcastTransport implements Transport {
  readonly #options: BroadcastTransportOptions;
  readonly #inbox: BroadcastChannel;
  readonly #control: BroadcastChannel;
  readonly #outboxes = new Map<NodeId, BroadcastChannel>();
  readonly #lastArrival = new Map<NodeId, number>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #settings: NetworkSettings;
  #closed = false;

  constructor(options: BroadcastTransportOptions) {
    this.#options = options;
    this.#settings = options.settings;
    this.#inbox = new BroadcastChannel(names.inboxChannel(options.namespace, options.id));
    this.#inbox.onmessage = (e: MessageEvent) => {
      this.#onEnvelope(e.data);
    };
    this.#control = new BroadcastChannel(names.controlChannel(options.namespace));
    this.#control.onmessage = (e: MessageEvent) => {
      // New network settings are the only control message so far; a second kind would need a
      // switch here (the compiler says so, as `settings` would not be on every kind).
      const message = parseControlMessage(e.data);
      if (message) this.#settings = message.settings;
    };
  }

  /** The settings in force. */
  get settings(): NetworkSettings {
    return this.#settings;
  }

  /** Apply settings directly (the page also publishes them to every node). */
  set settings(settings: NetworkSettings) {
    this.#settings = settings;
  }

  send(to: NodeId, message: Message): void {
    if (this.#closed) return;
    let out = this.#outboxes.get(to);
    if (!out) {
      out = new BroadcastChannel(names.inboxChannel(this.#options.namespace, to));
      this.#outboxes.set(to, out);
    }
    out.postMessage({ from: this.#options.id, to, message });
  }

  #onEnvelope(data: unknown): void {
    if (this.#closed) return;
    const drop = (reason: DropReason): void => this.#options.onDrop?.(reason);
    if (typeof data !== 'object' || data === null) {
      drop('malformed envelope');
      return;
    }
    const envelope = data as Record<string, unknown>;
    const from = parseNodeId(envelope.from);
    if (!from || envelope.to !== this.#options.id || !('message' in envelope)) {
      drop('malformed envelope');
      return;
    }
    const settings = this.#settings;
    const now = Date.now();
    const kind = this.#options.onTrace ? traceKind(envelope.message) : null;
    const trace = (fate: MessageTrace['fate'], arriveAt: number): void => {
      if (kind)
        this.#options.onTrace?.({ from, to: this.#options.id, kind, sentAt: now, arriveAt, fate });
    };
    // A message that never arrives is traced as if it had the link's mean delay, so the page
    // can draw it travelling before it dies.
    const nominal = now + settings.latencyMs;
    if (!reachable(settings.groups, from, this.#options.id)) {
      trace('cut', nominal);
      drop('partitioned');
      return;
    }
    const plan = planDelivery(settings, this.#options.rng, now, this.#lastArrival.get(from) ?? 0);
    if (plan.lost) {
      trace('lost', nominal);
      drop('lost');
      return;
    }
    trace('delivered', plan.at);
    this.#lastArrival.set(from, plan.at);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // A partition that started while the message was in flight cuts it too.
      if (this.#closed || !reachable(this.#settings.groups, from, this.#options.id)) return;
      void this.#options.receive(from, envelope.message);
    }, plan.at - now);
    this.#timers.add(timer);
  }

  /** Close every channel and cancel deliveries in flight. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#inbox.close();
    this.#control.close();
    for (const c of this.#outboxes.values()) c.close();
    this.#outboxes.clear();
  }
}
