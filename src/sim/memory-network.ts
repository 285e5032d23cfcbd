/**
 * A seeded in-memory network in virtual time: every link has its own latency (with jitter) and
 * loss, keeps per-link order as a BroadcastChannel does per sender, and partitions cut links
 * between groups. Messages in flight when a partition starts are lost at delivery.
 */
import type { Transport } from '../core/ports.ts';
import type { Message } from '../core/protocol.ts';
import type { Rng } from '../core/rng.ts';
import type { NodeId } from '../core/types.ts';
import type { VirtualScheduler } from './virtual-scheduler.ts';

/** Receives a message; the network awaits it so the run stays deterministic. */
export type Receiver = (from: NodeId, message: unknown) => Promise<void>;

/** Link conditions. */
export interface NetworkConditions {
  /** Mean one-way delay; each message gets between half and one and a half times it. */
  readonly latencyMs: number;
  /** Probability in [0, 1] that a message is lost. */
  readonly loss: number;
}

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
  #conditions: NetworkConditions;
  #group = new Map<NodeId, number>();
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

  /** Connect a node; returns the Transport it sends through. */
  attach(id: NodeId, receive: Receiver): Transport {
    this.#receivers.set(id, receive);
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
    this.#group = new Map();
    groups.forEach((g, i) => {
      for (const id of g) this.#group.set(id, i + 1);
    });
  }

  /** Join all partitions again. */
  heal(): void {
    this.#group = new Map();
  }

  /** The partition groups in force (empty when healed). */
  get groups(): NodeId[][] {
    const out: NodeId[][] = [];
    for (const [id, g] of this.#group) (out[g - 1] ??= []).push(id);
    return out.filter((g) => g.length > 0);
  }

  /** Can a message go from one node to another right now? */
  connected(a: NodeId, b: NodeId): boolean {
    return (this.#group.get(a) ?? 0) === (this.#group.get(b) ?? 0);
  }

  #send(from: NodeId, to: NodeId, message: Message): void {
    this.#stats.sent++;
    const { latencyMs, loss } = this.#conditions;
    if (loss > 0 && this.#rng.float() < loss) {
      this.#stats.lost++;
      return;
    }
    const now = this.#scheduler.now();
    const delay = latencyMs * (0.5 + this.#rng.float());
    const link = `${from}>${to}`;
    const at = Math.max(now + delay, this.#lastArrival.get(link) ?? 0);
    this.#lastArrival.set(link, at);
    this.#scheduler.after(at - now, async () => {
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
