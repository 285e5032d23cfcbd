/**
 * A seeded in-memory network in virtual time. Every message goes through the one delivery rule
 * (`planDelivery`, src/core/delivery.ts): latency drawn from the settings' distribution, loss,
 * per-link order, the transfer time of its bytes at the slower end's bandwidth, and partitions,
 * checked when it is sent and again when it arrives.
 */
import type { LinkConditions } from '../core/delivery.ts';
import { planDelivery, reachable, transferMs } from '../core/delivery.ts';
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import { messageBytes } from '../core/protocol.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';
import type { VirtualScheduler } from './virtual-scheduler.ts';

/** Receives a message; the network awaits it so the run stays deterministic. */
export type Receiver = (from: NodeId, message: unknown) => Promise<void>;

/** Link conditions (latency and loss). */
export type NetworkConditions = LinkConditions;

/** Delivery counters. */
export interface NetworkStats {
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  readonly cut: number;
}

/** The network of one simulation. */
export class MemoryNetwork {
  readonly #scheduler: VirtualScheduler;
  readonly #rng: Rng;
  readonly #receivers = new Map<NodeId, Receiver>();
  readonly #lastArrival = new Map<string, number>();
  readonly #bandwidth = new Map<NodeId, number>();
  #conditions: NetworkConditions;
  #groups: readonly (readonly NodeId[])[] = [];
  #stats = { sent: 0, delivered: 0, lost: 0, cut: 0 };

  constructor(scheduler: VirtualScheduler, rng: Rng, conditions: NetworkConditions) {
    this.#scheduler = scheduler;
    this.#rng = rng;
    this.#conditions = conditions;
  }

  /** Current conditions. */
  get conditions(): NetworkConditions {
    return this.#conditions;
  }

  /** Change latency and loss for messages sent from now on. */
  setConditions(conditions: NetworkConditions): void {
    this.#conditions = conditions;
  }

  /** Counters so far. */
  get stats(): NetworkStats {
    return { ...this.#stats };
  }

  /**
   * Connect a node; returns the Transport it sends through. `bitsPerSecond` is its link speed
   * (default: unlimited), so a block takes longer to reach or leave a slow node.
   */
  attach(id: NodeId, receive: Receiver, bitsPerSecond = Infinity): Transport {
    this.#receivers.set(id, receive);
    this.#bandwidth.set(id, bitsPerSecond);
    return {
      send: (to, message) => {
        this.#send(id, to, message);
      },
    };
  }

  /** Disconnect a node: messages to it are lost from now on. */
  detach(id: NodeId): void {
    this.#receivers.delete(id);
  }

  /** Split the network: nodes in different groups cannot reach each other; unlisted nodes form one more group. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.#groups = groups.map((g) => [...g]).filter((g) => g.length > 0);
  }

  /** Join all partitions again. */
  heal(): void {
    this.#groups = [];
  }

  /** The partition groups in force (empty when healed). */
  get groups(): NodeId[][] {
    return this.#groups.map((g) => [...g]);
  }

  /** Can a message go from one node to another right now? */
  connected(a: NodeId, b: NodeId): boolean {
    return reachable(this.#groups, a, b);
  }

  #send(from: NodeId, to: NodeId, message: Message): void {
    this.#stats.sent++;
    if (!this.connected(from, to)) {
      this.#stats.cut++;
      return;
    }
    const now = this.#scheduler.now();
    const link = `${from}>${to}`;
    const bandwidth = Math.min(
      this.#bandwidth.get(from) ?? Infinity,
      this.#bandwidth.get(to) ?? Infinity,
    );
    const plan = planDelivery(
      this.#conditions,
      this.#rng,
      now,
      this.#lastArrival.get(link) ?? 0,
      transferMs(messageBytes(message), bandwidth),
    );
    if (plan.lost) {
      this.#stats.lost++;
      return;
    }
    this.#lastArrival.set(link, plan.at);
    this.#scheduler.after(plan.at - now, async () => {
      const receive = this.#receivers.get(to);
      if (!receive || !this.#receivers.has(from) || !this.connected(from, to)) {
        this.#stats.cut++;
        return;
      }
      this.#stats.delivered++;
      await receive(from, message);
    });
  }
}
