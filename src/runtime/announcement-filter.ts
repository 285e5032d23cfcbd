/**
 * Which announcements from a classroom's room are worth a signature check (see
 * {@link AnnouncementFilter}); the page's nodes and the headless ones use the same rule.
 */
import type { Node } from '../core/node.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../core/node.ts';
import type { InvMessage, Message } from '../core/protocol.ts';
import type { BlockHash, NodeId } from '../core/types.ts';

/** Blocks an announcement filter remembers at most (bounded, as every record of the room's). */
const ANNOUNCED_KEPT = 4_096;

/**
 * Which messages from the room are worth a signature check at one node: anything but an
 * announcement, and an announcement (inv) only when it names a payment the node lacks, or a block
 * it lacks that no peer announced to it within the request timeout. A block announced already was
 * asked of that peer, and the node asks no one else before the timeout (`Node`'s in-flight
 * requests), so checking the other announcements would change nothing. When a block spreads
 * through a room of 60, each node hears it announced by nearly every other: 1,800 signature checks
 * per block fall to 177 (measured), and the checks of one process share its crypto threads.
 */
export class AnnouncementFilter {
  readonly #node: () => Node | null;
  readonly #now: () => number;
  /** When a peer's announcement of each block the node lacked was delivered to it. */
  readonly #announced = new Map<BlockHash, number>();

  constructor(node: () => Node | null, now: () => number = Date.now) {
    this.#node = node;
    this.#now = now;
  }

  /** For the room transport's `matters`. */
  matters(message: Message): boolean {
    const node = this.#node();
    if (message.type !== 'inv' || !node) return true;
    return (
      message.blocks.some((h) => !node.tree.has(h) && !this.#recent(h)) ||
      message.txs.some((t) => !node.mempool.has(t))
    );
  }

  /** A message the gate is handing to the node: note the blocks a peer announced to it. */
  delivered(from: NodeId, message: unknown): void {
    const node = this.#node();
    if (!node || !isInv(message) || !node.peers.includes(from)) return;
    const now = this.#now();
    for (const h of message.blocks) {
      if (node.tree.has(h) || this.#recent(h)) continue;
      if (this.#announced.size >= ANNOUNCED_KEPT) this.#announced.clear();
      this.#announced.set(h, now);
    }
  }

  #recent(hash: BlockHash): boolean {
    const at = this.#announced.get(hash);
    if (at === undefined) return false;
    if (this.#now() - at < DEFAULT_REQUEST_TIMEOUT_MS) return true;
    this.#announced.delete(hash);
    return false;
  }
}

function isInv(message: unknown): message is InvMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'inv' &&
    Array.isArray((message as { blocks?: unknown }).blocks)
  );
}
