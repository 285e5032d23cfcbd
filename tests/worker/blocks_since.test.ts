/**
 * The block feed the tree view reads from each worker: summaries in arrival order, resumable
 * from a cursor, with structure and work but no transactions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { must } from '../core/helpers.ts';
import { leadingZeroBits } from '../../src/core/target.ts';
import { THREAD_PARAMS, spawnCluster, stopAll, waitUntil, sameTip, statuses } from './threads.ts';

afterEach(async () => {
  await stopAll();
});

describe('worker block feed', () => {
  it('lists accepted blocks after a cursor, parents first, with cumulative work growing', async () => {
    const cluster = await spawnCluster('feed', 2);
    const n1 = cluster.byId('n1');
    const n2 = cluster.byId('n2');
    for (let i = 0; i < 4; i++) await n1.api.mine();
    await waitUntil('n2 has the blocks', () => statuses(cluster.nodes), sameTip);

    const all = await n2.api.blocksSince(-1);
    expect(all.map((b) => b.height)).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]?.parent).toBeNull();
    all.slice(1).forEach((b, i) => {
      expect(b.parent).toBe(all[i]?.hash);
      expect(BigInt(b.chainWork)).toBeGreaterThan(BigInt(all[i]?.chainWork ?? '0'));
    });
    // Before the first retarget every block asks for the starting difficulty.
    const bits = leadingZeroBits(THREAD_PARAMS.initialTarget);
    expect(all.every((b) => b.difficulty === bits)).toBe(true);
    const n1Address = (await n1.api.wallet()).address;
    expect(all.slice(1).every((b) => b.miner === n1Address)).toBe(true);
    expect(all[4]?.hash).toBe((await n2.api.status()).tip);

    // Resuming from a cursor returns only what came after it; a limit cuts the answer.
    const cursor = must(all[2]).seq;
    expect((await n2.api.blocksSince(cursor)).map((b) => b.height)).toEqual([4, 5]);
    expect(await n2.api.blocksSince(must(all[4]).seq)).toEqual([]);
    expect((await n2.api.blocksSince(-1, 2)).map((b) => b.height)).toEqual([1, 2]);
  });
});

describe('worker message traces', () => {
  it('tell how a mined block spread: announced to the peer, asked for, sent', async () => {
    const cluster = await spawnCluster('traces', 2);
    const n1 = cluster.byId('n1');
    const n2 = cluster.byId('n2');
    // Forget the start-up announcements.
    await n1.api.takeTraces();
    await n2.api.takeTraces();
    await n1.api.mine();
    await waitUntil('n2 has the block', () => statuses(cluster.nodes), sameTip);
    const heardByN2 = await n2.api.takeTraces();
    const heardByN1 = await n1.api.takeTraces();
    const kinds = (ts: typeof heardByN2): string[] => [...new Set(ts.map((t) => t.kind))].sort();
    expect(kinds(heardByN2)).toEqual(expect.arrayContaining(['block', 'inv']));
    expect(kinds(heardByN1)).toContain('getdata');
    expect(heardByN2.every((t) => t.from === 'n1' && t.to === 'n2')).toBe(true);
    expect(heardByN2.every((t) => t.fate === 'delivered' && t.arriveAt >= t.sentAt)).toBe(true);
    // Taken once: a second call has only what came since.
    expect((await n2.api.takeTraces()).length).toBeLessThan(heardByN2.length);
  });
});
