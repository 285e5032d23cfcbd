/** The classroom page's pure parts: the room's link, unique node names, learners grouped. */
import { describe, expect, it } from 'vitest';
import type { RoomMember } from '../../src/app/sim/worker-simulation.ts';
import { learnersOf, readRoomLink } from '../../src/app/state/classroom.svelte.ts';
import { uniquePrefix } from '../../src/runtime/room.ts';

const member = (id: string, learner: string, height = 1): RoomMember =>
  ({ id, learner, page: 'p', height, tip: 'ab'.repeat(32) }) as RoomMember;

describe('the classroom page', () => {
  it("reads a room's link, with or without the teacher key", () => {
    expect(readRoomLink('#server=ws%3A%2F%2Fh%3A8443&room=7K2M-Q9XD-4HRT-B1ZP')).toEqual({
      server: 'ws://h:8443',
      code: '7K2M-Q9XD-4HRT-B1ZP',
      teacherKey: '',
    });
    expect(readRoomLink('#server=wss://h&room=C&teacher=K')?.teacherKey).toBe('K');
    expect(readRoomLink('')).toBeNull();
    expect(readRoomLink('#room=C')).toBeNull();
  });

  it('names nodes after the learner, with a number when the name is taken by someone else', () => {
    expect(uniquePrefix('Alex', [])).toBe('alex-');
    expect(uniquePrefix('Alex', [member('alex-1', 'Alex'), member('alexis-1', 'Alexis')])).toBe(
      'alex2-',
    );
    expect(uniquePrefix('Alex', [member('alex-1', 'A'), member('alex2-1', 'B')])).toBe('alex3-');
    // alexandra-1 does not take alex-.
    expect(uniquePrefix('Alex', [member('alexandra-1', 'Alexandra')])).toBe('alex-');
  });

  it('groups the room by learner with their highest chain', () => {
    const rows = learnersOf([
      member('a-1', 'Ann', 3),
      member('b-1', 'Bo', 2),
      member('a-2', 'Ann', 5),
    ]);
    expect(rows).toEqual([
      { name: 'Ann', ids: ['a-1', 'a-2'], height: 5 },
      { name: 'Bo', ids: ['b-1'], height: 2 },
    ]);
  });
});
