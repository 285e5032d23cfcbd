/** Adding a classroom's room to the site's Content-Security-Policy changes connect-src only. */
import { describe, expect, it } from 'vitest';
import headers from '../../deploy/headers.json' with { type: 'json' };
import { roomOriginsFromEnv, withRoomOrigins } from '../../scripts/csp.ts';

const csp = headers.security['Content-Security-Policy'];

describe('room origins in the CSP', () => {
  it('adds them to connect-src and leaves every other directive as it was', () => {
    const out = withRoomOrigins(csp, ['wss://room.example.org', 'ws://127.0.0.1:*']);
    const before = csp.split('; ');
    const after = out.split('; ');
    expect(after).toHaveLength(before.length);
    after.forEach((d, i) => {
      if (d.startsWith('connect-src')) {
        expect(d).toBe("connect-src 'self' wss://room.example.org ws://127.0.0.1:*");
      } else expect(d).toBe(before[i]);
    });
    expect(withRoomOrigins(csp, [])).toBe(csp);
  });

  it('refuses anything that is not a ws:// or wss:// origin', () => {
    for (const bad of ['https://x.org', "'unsafe-inline'", 'wss://a.org/path', 'ws://a b', '*']) {
      expect(() => withRoomOrigins(csp, [bad])).toThrow(
        `not a room origin for connect-src: ${bad}`,
      );
    }
  });

  it('reads the origins from a space-separated variable', () => {
    expect(roomOriginsFromEnv(' wss://a.org  ws://b:4222 ')).toEqual([
      'wss://a.org',
      'ws://b:4222',
    ]);
    expect(roomOriginsFromEnv(undefined)).toEqual([]);
  });
});
