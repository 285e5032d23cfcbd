/** What a room's member does with each teacher's control: the one function pages and headless learners share. */
import { describe, expect, it } from 'vitest';
import type { NodeBackend, RoomJoin } from '../../src/api/backend.ts';
import type { NodeId } from '../../src/core/types.ts';
import type { RoomSimulation } from '../../src/runtime/room-control.ts';
import { applyRoomControl, roomPrefixOf } from '../../src/runtime/room-control.ts';

const JOIN: RoomJoin = {
  server: 'ws://h:8443',
  code: '7K2M-Q9XD-4HRT-B1ZP',
  learner: 'Ann',
  page: 'p1',
};

/** A simulation that records what was asked of it. */
function fake(ids: string[], room: RoomJoin | null = JOIN): RoomSimulation & { calls: string[] } {
  const calls: string[] = [];
  let nodes = ids as NodeId[];
  return {
    calls,
    room,
    get ids() {
      return nodes;
    },
    setNetwork: (s) => {
      calls.push(`network ${String(s.latencyMs)} ${String(s.loss)}`);
      return Promise.resolve();
    },
    partition: (groups) => {
      calls.push(`partition ${JSON.stringify(groups)}`);
      return Promise.resolve();
    },
    heal: () => {
      calls.push('heal');
      return Promise.resolve();
    },
    node: (id) =>
      nodes.includes(id)
        ? ({
            setMining: (enabled: boolean) => {
              calls.push(`mining ${id} ${String(enabled)}`);
              return Promise.resolve({ mining: enabled, hashrate: 1 });
            },
          } as unknown as NodeBackend)
        : null,
    removeNode: (id) => {
      calls.push(`remove ${id}`);
      nodes = nodes.filter((n) => n !== id);
      return Promise.resolve(true);
    },
    joinRoom: (join, count, prefix) => {
      calls.push(`join ${join.learner} ${String(count)} ${prefix}`);
      return Promise.resolve();
    },
  };
}

describe("a teacher's control applied to a page's own nodes", () => {
  it('sets latency and loss, then splits or heals', async () => {
    const sim = fake(['ann-1', 'ann-2']);
    const groups = [['ann-1'], ['bob-1']] as NodeId[][];
    expect(
      await applyRoomControl(sim, { type: 'network', latencyMs: 200, loss: 0.1, groups }),
    ).toBe(true);
    expect(
      await applyRoomControl(sim, { type: 'network', latencyMs: 0, loss: 0, groups: [] }),
    ).toBe(true);
    expect(sim.calls).toEqual([
      'network 200 0.1',
      'partition [["ann-1"],["bob-1"]]',
      'network 0 0',
      'heal',
    ]);
  });

  it('starts and stops every node mining', async () => {
    const sim = fake(['ann-1', 'ann-2']);
    await applyRoomControl(sim, { type: 'mining', enabled: false });
    expect(sim.calls).toEqual(['mining ann-1 false', 'mining ann-2 false']);
  });

  it('resets into the same room with as many nodes under the same names', async () => {
    const sim = fake(['ann2-1', 'ann2-3']);
    await applyRoomControl(sim, { type: 'reset' });
    expect(sim.calls).toEqual(['join Ann 2 ann2-']);
    const empty = fake([]);
    await applyRoomControl(empty, { type: 'reset' });
    expect(empty.calls).toEqual(['join Ann 1 learner-']);
  });

  it("removes a node only when it is this page's own", async () => {
    const sim = fake(['ann-1', 'ann-2']);
    await applyRoomControl(sim, { type: 'remove', node: 'bob-1' as NodeId });
    await applyRoomControl(sim, { type: 'remove', node: 'ann-2' as NodeId });
    expect(sim.calls).toEqual(['remove ann-2']);
    expect(sim.ids).toEqual(['ann-1']);
  });

  it('does nothing outside a room', async () => {
    const sim = fake(['n1'], null);
    expect(await applyRoomControl(sim, { type: 'mining', enabled: true })).toBe(false);
    expect(await applyRoomControl(sim, { type: 'reset' })).toBe(false);
    expect(sim.calls).toEqual([]);
  });

  it("reads the prefix a page's nodes were named with", () => {
    expect(roomPrefixOf(['zoe-m-12'] as NodeId[])).toBe('zoe-m-');
  });
});
