/** Room codes and teacher keys: random enough, forgiving to type, and one room per code. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newRoomCode,
  newTeacherKey,
  parseRoomCode,
  parseTeacherKey,
  roomOf,
} from '../../src/runtime/room.ts';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

describe('room codes', () => {
  it('are 16 characters of Crockford base 32 (80 bits), in groups of four', () => {
    const code = newRoomCode(random);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(parseRoomCode(code)).toBe(code);
    expect(newTeacherKey(random, Date.now())).toMatch(
      /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/,
    );
  });

  it('draw every character evenly: 256 byte values map 8 to each of the 32', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    let at = 0;
    const counts = new Map<string, number>();
    for (let i = 0; i < 16; i++) {
      const code = newRoomCode((n) => all.slice(at, (at += n)));
      for (const c of code.replace(/-/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it('read as typed: any case, spaces or dashes, O for 0 and I or L for 1', () => {
    expect(parseRoomCode('7k2m q9xd 4hrt b1zp')).toBe('7K2M-Q9XD-4HRT-B1ZP');
    expect(parseRoomCode('7K2MQ9XD4HRTBIZP')).toBe('7K2M-Q9XD-4HRT-B1ZP');
    expect(parseRoomCode('OK2M-Q9XD-4HRT-BLZP')).toBe('0K2M-Q9XD-4HRT-B1ZP');
  });

  it('refuse what cannot be a code', () => {
    for (const bad of [
      '',
      '7K2M-Q9XD-4HRT',
      '7K2M-Q9XD-4HRT-B1ZPX',
      '7K2M-Q9XD-4HRT-B1Z!',
      42,
      null,
    ]) {
      expect(parseRoomCode(bad)).toBeNull();
    }
    expect(parseTeacherKey('7K2M-Q9XD-4HRT-B1ZP')).toBeNull();
    expect(() => roomOf('nope')).toThrow('not a room code');
  });

  it('open one room: the same id, users and subjects however the code is typed', () => {
    const a = roomOf('7K2M-Q9XD-4HRT-B1ZP');
    const b = roomOf('7k2mq9xd4hrtb1zp');
    expect(b).toEqual({ ...a, subjects: b.subjects });
    expect(a.id).toMatch(/^[0-9a-f]{12}$/);
    expect(a.learnerUser).toBe(`learner-${a.id}`);
    expect(a.subjects.node('alice-1')).toBe(`chainlab.${a.id}.node.alice-1`);
    expect(a.subjects.control).toBe(`chainlab.${a.id}.control`);
    // The id never shows the code.
    expect(a.id).not.toContain('7K2M');
    expect(roomOf(newRoomCode(random)).id).not.toBe(a.id);
  });
});
