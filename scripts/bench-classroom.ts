/**
 * The classroom's benchmark: a class of 30 learners with two nodes each, 60 headless nodes in
 * this one process, each on its own connection to one local nats-server configured as
 * `npm run classroom` configures a room (scripts/classroom-nodes.ts). Presence in the background
 * throughout, as the page's nodes send it: a heartbeat, and promptly after each tip change (so
 * with a block a second, about one presence a second from every node). Measured:
 *   - block fan-out: a block about every second, from a different learner each time; from the
 *     moment the miner's `mine()` resolves (the block announced) until every other node has it;
 *   - a partition between the first and the last 15 learners, each side mining its own branch,
 *     healed: from every node announcing its tip until all 60 share one tip;
 *   - the server killed (SIGKILL) just after a block is mined, blocks mined on two nodes while it
 *     is down, the server started again on the same ports: from the server being ready again
 *     until all 60 share one tip (the clients' reconnection included), and how many blocks mined
 *     before the kill some node lacks afterwards (there should be none).
 */
import type { Block } from '../src/core/block.ts';
import type { BlockHash } from '../src/core/types.ts';
import { summarize } from './bench-browser.ts';
import type { ClassroomNode } from './classroom-nodes.ts';
import {
  ArrivalWatch,
  classNodeIds,
  gatherPeers,
  joinRoom,
  keepAnnouncing,
  leaveRoom,
  sharedTip,
  until,
} from './classroom-nodes.ts';
import { startRoomServer } from './nats-server.ts';

const LEARNERS = 30;
const NODES_PER_LEARNER = 2;
/** Blocks whose fan-out is measured: enough for a 95th percentile (the second largest of 30). */
const BLOCKS = 30;
/** Blocks mined first and not measured: the first ones pay for compiling the code paths. */
const WARM_UP_BLOCKS = 2;
const BLOCK_EVERY_MS = 1_000;
/** Longest wait for anything to spread before the run is declared broken. */
const WAIT_MS = 30_000;

/** What the classroom benchmark measured. */
export interface ClassroomBench {
  /** From a block's `mine()` resolving to the last of the other 59 nodes having it. */
  classroom_60_nodes_block_fanout_ms: { median: number; p95: number; max: number };
  classroom_60_nodes_block_fanout_p95_ms: number;
  /** From every node announcing its tip after a partition heals until all share one tip. */
  classroom_60_nodes_converge_after_heal_ms: number;
  /** From the restarted server being ready until all share one tip (reconnection included). */
  classroom_60_nodes_converge_after_server_restart_ms: number;
  /** From the restarted server being ready until every connection is back. */
  classroom_60_nodes_reconnect_after_server_restart_ms: number;
  /** Blocks mined before the server was killed that some node lacks after it came back. */
  classroom_lost_acknowledged_blocks: number;
  /** From the first presence until every node has every other as a peer. */
  classroom_60_nodes_presence_ms: number;
}

const round = (ms: number): number => Number(ms.toFixed(1));

/**
 * The node mining the `i`-th block: every learner's first node in turn, then every second node,
 * so two blocks in a row never come from one learner.
 */
function minerAt(nodes: readonly ClassroomNode[], i: number): ClassroomNode {
  const learner = i % LEARNERS;
  const which = Math.floor(i / LEARNERS) % NODES_PER_LEARNER;
  const node = nodes[learner * NODES_PER_LEARNER + which];
  if (!node) throw new Error(`no node ${learner}:${which}`);
  return node;
}

/**
 * Mine one block on `miner` and wait until every node of `audience` has it. Returns the block
 * and the fan-out: from `mine()` resolving to the last arrival.
 */
async function mineAndSpread(
  miner: ClassroomNode,
  audience: readonly ClassroomNode[],
  watch: ArrivalWatch,
): Promise<{ block: Block; ms: number }> {
  const block = await miner.node.mine();
  const announced = performance.now();
  const others = audience.filter((n) => n !== miner);
  await watch.when(
    `block ${block.header.index} on all ${audience.length} nodes`,
    () => others.every((n) => n.arrivals.has(block.hash)),
    WAIT_MS,
  );
  const last = Math.max(...others.map((n) => n.arrivals.get(block.hash) ?? Infinity));
  return { block, ms: last - announced };
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
}

/** Run the classroom benchmark; `log` prints a line for people. */
export async function benchClassroom(log: (line: string) => void): Promise<ClassroomBench> {
  const server = await startRoomServer();
  const nodes: ClassroomNode[] = [];
  let stopPresence = (): void => undefined;
  try {
    const watch = new ArrivalWatch();
    const ids = classNodeIds(LEARNERS, NODES_PER_LEARNER);
    nodes.push(
      ...(await Promise.all(
        ids.map(({ id, learner }, i) =>
          joinRoom(server, id, learner, { seed: i + 1, onArrival: watch.notify }),
        ),
      )),
    );
    const presenceMs = await gatherPeers(nodes);
    stopPresence = keepAnnouncing(() => nodes);
    log(
      `classroom: ${nodes.length} nodes (${LEARNERS} learners × ${NODES_PER_LEARNER}) found each other in ${Math.round(presenceMs)} ms`,
    );
    /** Every block `mine()` returned, in order. */
    const mined: BlockHash[] = [];

    // Fan-out, one block a second.
    const fanout: number[] = [];
    let next = performance.now();
    for (let i = 0; i < WARM_UP_BLOCKS + BLOCKS; i++) {
      await sleepUntil(next);
      next += BLOCK_EVERY_MS;
      const { block, ms } = await mineAndSpread(minerAt(nodes, i), nodes, watch);
      mined.push(block.hash);
      if (i >= WARM_UP_BLOCKS) fanout.push(ms);
    }
    const spread = summarize(fanout);
    log(
      `classroom: block fan-out to 60 nodes   median ${spread.median} ms, p95 ${spread.p95} ms, max ${spread.max} ms (${BLOCKS} blocks, one a second; goal: p95 under 100 ms)`,
    );

    // A partition between the first and the last half of the class; each side mines its own
    // branch, the first side one block more, so that its branch wins when the halves meet.
    const half = (LEARNERS / 2) * NODES_PER_LEARNER;
    const sides = [nodes.slice(0, half), nodes.slice(half)] as const;
    const groups = sides.map((side) => side.map((n) => n.id));
    for (const n of nodes) n.gate.settings = { ...n.gate.settings, groups };
    for (const [s, side] of sides.entries()) {
      for (let i = 0; i < 3 - s; i++) {
        const { block } = await mineAndSpread(minerAt(side, i), side, watch);
        mined.push(block.hash);
      }
    }
    const tips = sides.map((side) => sharedTip(side));
    const winner = tips[0];
    if (!winner || !tips[1] || winner === tips[1]) throw new Error('the partition did not fork');
    for (const n of nodes) n.gate.settings = { ...n.gate.settings, groups: [] };
    const healed = performance.now();
    for (const n of nodes) n.node.announceTip();
    const met = await watch.when(
      'one tip after the heal',
      () => sharedTip(nodes) === winner,
      WAIT_MS,
    );
    const healMs = met - healed;
    log(
      `classroom: converge after a partition heals   ${Math.round(healMs)} ms (3 blocks against 2)`,
    );

    // The server killed just after a block is mined: its announcement may be lost with the
    // server. While it is down, that block's miner mines two more (the longest branch) and a node
    // of another learner one.
    const miner = minerAt(nodes, 0);
    const other = minerAt(nodes, LEARNERS / 2);
    const acknowledged = [...mined, (await miner.node.mine()).hash];
    const reconnectsBefore = nodes.map((n) => n.reconnects);
    await server.kill();
    for (let i = 0; i < 2; i++) await miner.node.mine();
    await other.node.mine();
    const expected = miner.node.tree.tip.hash;
    await server.restart();
    const up = performance.now();
    await until(
      'every connection back',
      () => nodes.every((n, i) => n.reconnects > (reconnectsBefore[i] ?? 0)),
      WAIT_MS,
      5,
    );
    const reconnectMs = performance.now() - up;
    for (const n of nodes) n.node.announceTip();
    const together = await watch.when(
      'one tip after the restart',
      () => sharedTip(nodes) === expected,
      WAIT_MS,
    );
    const restartMs = together - up;
    const lost = acknowledged.filter((h) => nodes.some((n) => !n.node.tree.has(h))).length;
    log(
      `classroom: converge after a server restart   ${Math.round(restartMs)} ms (all reconnected after ${Math.round(reconnectMs)} ms); ${lost} of ${acknowledged.length} blocks mined before the kill missing somewhere`,
    );
    return {
      classroom_60_nodes_block_fanout_ms: spread,
      classroom_60_nodes_block_fanout_p95_ms: spread.p95,
      classroom_60_nodes_converge_after_heal_ms: round(healMs),
      classroom_60_nodes_converge_after_server_restart_ms: round(restartMs),
      classroom_60_nodes_reconnect_after_server_restart_ms: round(reconnectMs),
      classroom_lost_acknowledged_blocks: lost,
      classroom_60_nodes_presence_ms: round(presenceMs),
    };
  } finally {
    stopPresence();
    await Promise.all(nodes.map(leaveRoom));
    await server.stop();
  }
}
