/** The teacher's controls, room addresses and learner names, parsed from anything. */
import { describe, expect, it } from 'vitest';
import { parseRoomControl, parseRoomServer } from '../../src/runtime/room-client.ts';
import { learnerSlug, parseLearnerName } from '../../src/runtime/room.ts';

describe('teacher controls', () => {
  it('reads each kind of control', () => {
    expect(
      parseRoomControl({
        type: 'network',
        latencyMs: 300,
        loss: 0.1,
        groups: [['a-1'], ['b-1', 'b-2']],
      }),
    ).toEqual({
      type: 'network',
      latencyMs: 300,
      loss: 0.1,
      groups: [['a-1'], ['b-1', 'b-2']],
    });
    expect(parseRoomControl({ type: 'mining', enabled: false })).toEqual({
      type: 'mining',
      enabled: false,
    });
    expect(parseRoomControl({ type: 'reset' })).toEqual({ type: 'reset' });
    expect(parseRoomControl({ type: 'remove', node: 'bob-2' })).toEqual({
      type: 'remove',
      node: 'bob-2',
    });
  });

  it('refuses anything malformed, out of range or unknown', () => {
    for (const bad of [
      null,
      'reset',
      [],
      { type: 'explode' },
      { type: 'network', latencyMs: -1, loss: 0, groups: [] },
      { type: 'network', latencyMs: 100_000, loss: 0, groups: [] },
      { type: 'network', latencyMs: 100, loss: 2, groups: [] },
      { type: 'network', latencyMs: 100, loss: 0, groups: [['Not An Id']] },
      { type: 'network', latencyMs: 100, loss: 0, groups: 'all' },
      { type: 'mining', enabled: 'yes' },
      { type: 'remove', node: '../etc' },
    ]) {
      expect(parseRoomControl(bad)).toBeNull();
    }
  });
});

describe('room addresses and names', () => {
  it('accepts ws:// and wss:// addresses only', () => {
    expect(parseRoomServer(' ws://192.168.1.20:8443 ')).toBe('ws://192.168.1.20:8443');
    expect(parseRoomServer('wss://room.example.org/')).toBe('wss://room.example.org');
    for (const bad of ['http://x:8443', 'room.example.org', 'ws://', '', 42]) {
      expect(parseRoomServer(bad)).toBeNull();
    }
  });

  it('takes names of 1 to 32 printable characters, and makes node ids of them', () => {
    expect(parseLearnerName('  Zoé M. ')).toBe('Zoé M.');
    for (const bad of ['', '   ', 'x'.repeat(33), 'tab\there', 7])
      expect(parseLearnerName(bad)).toBeNull();
    expect(learnerSlug('Zoé M.')).toBe('zoe-m');
    expect(learnerSlug('42')).toBe('l42');
    expect(learnerSlug('李雷')).toBe('learner');
    expect(learnerSlug('A'.repeat(40))).toHaveLength(24);
    expect(`${learnerSlug('Émile-Auguste Chartier (Alain)')}-1`).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
  });
});
