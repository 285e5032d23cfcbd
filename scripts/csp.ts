/**
 * The Content-Security-Policy with a classroom's room added: browsers reach the room's server
 * over a WebSocket, which `connect-src 'self'` forbids unless the room's origin is named there.
 * Only `connect-src` changes, and only by the origins given (docs/classroom.md).
 */

/** An origin a room may be reached at: `ws://` or `wss://`, a host, and maybe a port or `*`. */
const ROOM_ORIGIN = /^wss?:\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/;

/** `csp` with `origins` added to its connect-src; throws on anything that is not such an origin. */
export function withRoomOrigins(csp: string, origins: readonly string[]): string {
  for (const o of origins) {
    if (!ROOM_ORIGIN.test(o)) throw new Error(`not a room origin for connect-src: ${o}`);
  }
  if (origins.length === 0) return csp;
  const directives = csp.split(';').map((d) => d.trim());
  const at = directives.findIndex((d) => d.startsWith('connect-src '));
  if (at === -1) throw new Error('the policy has no connect-src to extend');
  directives[at] = [directives[at], ...origins].join(' ');
  return directives.join('; ');
}

/**
 * The rooms the end-to-end tests run (on 127.0.0.1, any port, plain or behind TLS): the only
 * origins their preview server adds, so a socket to localhost stays blocked, which the tests
 * check too.
 */
export const E2E_ROOM_ORIGINS: readonly string[] = ['ws://127.0.0.1:*', 'wss://127.0.0.1:*'];

/** Origins from the CHAINLAB_ROOM_ORIGINS variable (space-separated), for `vite preview`. */
export function roomOriginsFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((o) => o !== '');
}
