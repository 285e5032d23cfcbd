/**
 * A seeded in-memory network in virtual time. Every message goes through the one delivery rule
 * (`planDelivery`, src/core/delivery.ts): latency drawn from the settings' distribution, loss,
 * per-link order, the transfer time of its bytes at the slower end's bandwidth, one message at a
 * time through the sender's uplink (`throughUplink`), and partitions,
 * checked when it is sent and again when it arrives.
 */
import type { LinkConditions, NetworkSettings } from '../core/delivery.ts';
import { planDelivery, reachable, throughUplink, transferMs } from '../core/delivery.ts';
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import { messageBytes } from '../core/protocol.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';
import type { VirtualScheduler } from './virtual-scheduler.ts';

/** Receives a message; the network awaits what is still running so the run stays deterministic. */
export type Receiver = (from: NodeId, message: unknown) => Promise<void> | undefined;

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
  /** Per sender, per receiver: when the link's last message arrives (keeps per-link order). */
  readonly #lastArrival = new Map<NodeId, Map<NodeId, number>>();
  readonly #bandwidth = new Map<NodeId, number>();
  /** When each node's uplink has sent everything handed to it (limited bandwidth only). */
  readonly #uplinkFreeAt = new Map<NodeId, number>();
  /** Any link slower than unlimited? If not, sizes need not be computed. */
  #limited = false;
  #conditions: NetworkConditions;
  #groups: readonly (readonly NodeId[])[] = [];
  #stats = { sent: 0, delivered: 0, lost: 0, cut: 0 };

  constructor(scheduler: VirtualScheduler, rng: Rng, settings: NetworkSettings) {
    this.#scheduler = scheduler;
    this.#rng = rng;
    this.#conditions = settings;
    this.apply(settings);
  }

  /** Current conditions. */
  get conditions(): NetworkConditions {
    return this.#conditions;
  }

  /**
   * Take new settings for messages sent from now on: latency and loss, and the partition groups
   * (nodes in different groups cannot reach each other; unlisted nodes form one more group).
   */
  apply(settings: NetworkSettings): void {
    const { latencyMs, loss, distribution, groups } = settings;
    this.#conditions = distribution ? { latencyMs, loss, distribution } : { latencyMs, loss };
    this.#groups = groups;
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
    if (Number.isFinite(bitsPerSecond)) this.#limited = true;
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
    let links = this.#lastArrival.get(from);
    if (!links) {
      links = new Map();
      this.#lastArrival.set(from, links);
    }
    let start = now;
    let transfer = 0;
    if (this.#limited) {
      const bandwidth = Math.min(
        this.#bandwidth.get(from) ?? Infinity,
        this.#bandwidth.get(to) ?? Infinity,
      );
      transfer = transferMs(messageBytes(message), bandwidth);
      const uplink = throughUplink(now, this.#uplinkFreeAt.get(from) ?? now, transfer);
      start = uplink.start;
      this.#uplinkFreeAt.set(from, uplink.freeAt);
    }
    const plan = planDelivery(this.#conditions, this.#rng, start, links.get(to) ?? 0, transfer);
    if (plan.lost) {
      this.#stats.lost++;
      return;
    }
    links.set(to, plan.at);
    this.#scheduler.post(plan.at - now, () => {
      const receive = this.#receivers.get(to);
      if (!receive || !this.#receivers.has(from) || !this.connected(from, to)) {
        this.#stats.cut++;
        return undefined;
      }
      this.#stats.delivered++;
      return receive(from, message);
    });
  }
}
