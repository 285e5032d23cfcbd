/**
 * A Transport over BroadcastChannel. Each node listens on its own inbox channel inside the
 * simulation's namespace, so two simulations (two tabs) never hear each other. BroadcastChannel
 * never echoes to the sender and orders messages only per sender; the delivery rule (src/core/delivery.ts)
 * is applied here on receipt, according to the settings the page publishes on the control
 * channel. Envelopes are parsed from `unknown`: anything malformed is dropped and counted.
 */
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import type { NodeId } from '../core/types.ts';
import { parseNodeId } from '../core/types.ts';
import type { NetworkSettings } from '../core/delivery.ts';
import type { DeliveryGate } from './delivery-gate.ts';
import type { ControlMessage } from './protocol.ts';
import { names, parseControlMessage } from './protocol.ts';

/** Publish network settings to every node of a simulation. */
export function publishNetworkSettings(namespace: string, settings: NetworkSettings): void {
  const channel = new BroadcastChannel(names.controlChannel(namespace));
  const message: ControlMessage = { type: 'network', settings };
  channel.postMessage(message);
  channel.close();
}

/** Options of a node's BroadcastChannel transport. */
export interface BroadcastTransportOptions {
  readonly namespace: string;
  readonly id: NodeId;
  /** Where what is heard goes: the node's one gate (delivery rule, traces). */
  readonly gate: DeliveryGate;
}

/** A node's connection to the simulated network. Close it when the node stops. */
export class BroadcastTransport implements Transport {
  readonly #options: BroadcastTransportOptions;
  readonly #inbox: BroadcastChannel;
  readonly #control: BroadcastChannel;
  readonly #outboxes = new Map<NodeId, BroadcastChannel>();
  #closed = false;

  constructor(options: BroadcastTransportOptions) {
    this.#options = options;
    this.#inbox = new BroadcastChannel(names.inboxChannel(options.namespace, options.id));
    this.#inbox.onmessage = (e: MessageEvent) => {
      this.#onEnvelope(e.data);
    };
    this.#control = new BroadcastChannel(names.controlChannel(options.namespace));
    this.#control.onmessage = (e: MessageEvent) => {
      // New network settings are the only control message so far; a second kind would need a
      // switch here (the compiler says so, as `settings` would not be on every kind).
      const message = parseControlMessage(e.data);
      if (message) options.gate.settings = message.settings;
    };
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
    const gate = this.#options.gate;
    if (typeof data !== 'object' || data === null) {
      gate.drop('malformed envelope');
      return;
    }
    const envelope = data as Record<string, unknown>;
    const from = parseNodeId(envelope.from);
    if (!from || envelope.to !== this.#options.id || !('message' in envelope)) {
      gate.drop('malformed envelope');
      return;
    }
    gate.admit(from, envelope.message);
  }

  /** Close every channel (the gate is closed by its owner). */
  close(): void {
    this.#closed = true;
    this.#inbox.close();
    this.#control.close();
    for (const c of this.#outboxes.values()) c.close();
    this.#outboxes.clear();
  }
}
