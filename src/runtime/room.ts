/**
 * A classroom's room: its code, the names derived from it, and the NATS subjects it uses. The
 * page, the node workers, headless nodes and the server configuration all derive them here, so a
 * room means the same thing everywhere (CONTRIBUTING.md, One place for each fact).
 *
 * A room code is 80 random bits written as 16 Crockford base-32 characters in groups of four
 * (`7K2M-Q9XD-4HRT-B1ZP`): short enough to type from a projector, far too many to guess. It is
 * the learners' password; the room's public id (in subject names and user names) is a hash of it.
 *
 * A teacher key is 32 characters too: 120 random bits, then the minute it expires. The whole key is
 * the teacher's password, so its expiry cannot be edited without making it wrong; the page reads
 * the expiry to say "expired" rather than "wrong", and `npm run classroom` withdraws the key from
 * the server when it expires.
 */
import { toHex } from '../core/bytes.ts';
import { sha256 } from '../core/hash.ts';

/** Crockford's base 32: no I, L, O or U, so nothing is misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a room code (80 bits at 5 bits each). */
const CODE_CHARS = 16;
/** Characters of a teacher key: its random part and its expiry. */
const KEY_CHARS = 32;
/** Characters of a teacher key's expiry: minutes since 1970 in 40 bits. */
const EXPIRY_CHARS = 8;
/** The last moment a `Date` can hold (275,760 years on): 40 bits of minutes reach beyond it. */
const LATEST_MS = 8.64e15;
/** Longest a teacher key may last: a term. Shorter is better; the default is a school day. */
export const MAX_TEACHER_KEY_HOURS = 24 * 120;
/** How long a teacher key lasts unless told otherwise. */
export const DEFAULT_TEACHER_KEY_HOURS = 12;

function randomText(chars: number, random: (n: number) => Uint8Array): string {
  // 5 bits per character from one byte each: 256 is a multiple of 32, so no bias.
  return [...random(chars)].map((b) => ALPHABET[b % 32]).join('');
}

function grouped(text: string): string {
  return (text.match(/.{1,4}/g) ?? []).join('-');
}

/** A new room code, from a source of secure random bytes. */
export function newRoomCode(random: (n: number) => Uint8Array): string {
  return grouped(randomText(CODE_CHARS, random));
}

/**
 * A new teacher key (120 random bits) that expires at `expiresAtMs` (Unix milliseconds, rounded
 * up to the minute), from a source of secure random bytes.
 */
export function newTeacherKey(random: (n: number) => Uint8Array, expiresAtMs: number): string {
  let minutes = Math.ceil(expiresAtMs / 60_000);
  if (!(minutes >= 0 && minutes * 60_000 <= LATEST_MS)) {
    throw new RangeError('a teacher key expires between 1970 and the last moment a Date can hold');
  }
  let expiry = '';
  for (let i = 0; i < EXPIRY_CHARS; i++) {
    expiry = ALPHABET.charAt(minutes % 32) + expiry;
    minutes = Math.floor(minutes / 32);
  }
  return grouped(randomText(KEY_CHARS - EXPIRY_CHARS, random) + expiry);
}

/**
 * When a (canonical) teacher key expires, in Unix milliseconds. A key whose last characters
 * read beyond what a `Date` holds never expires.
 */
export function teacherKeyExpiry(key: string): number {
  const chars = key.replace(/-/g, '').slice(-EXPIRY_CHARS);
  let minutes = 0;
  for (const c of chars) minutes = minutes * 32 + ALPHABET.indexOf(c);
  return Math.min(minutes * 60_000, LATEST_MS);
}

/**
 * A code or key as typed: case, spaces and dashes do not matter, and the letters Crockford
 * reads as digits (O, I, L) are read so. Null when it cannot be one (wrong length or letters).
 */
function normalize(typed: unknown, chars: number): string | null {
  if (typeof typed !== 'string' || typed.length > 4 * chars) return null;
  const text = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (text.length !== chars || !/^[0-9A-HJKMNP-TV-Z]+$/.test(text)) return null;
  return grouped(text);
}

/** A room code as typed, written the canonical way; null when it cannot be one. */
export function parseRoomCode(typed: unknown): string | null {
  return normalize(typed, CODE_CHARS);
}

/** A teacher key as typed, written the canonical way; null when it cannot be one. */
export function parseTeacherKey(typed: unknown): string | null {
  return normalize(typed, KEY_CHARS);
}

/** Everything a room's code determines. */
export interface Room {
  /** The canonical code (the learners' password). */
  readonly code: string;
  /** Public id: 12 hex digits of SHA-256 of the code. Appears in subjects and user names. */
  readonly id: string;
  /** The NATS user learners connect as. */
  readonly learnerUser: string;
  /** The NATS user the teacher connects as (password: the teacher key). */
  readonly teacherUser: string;
  readonly subjects: RoomSubjects;
}

/** The NATS subjects of one room. */
export interface RoomSubjects {
  /** Everything in the room (for permissions). */
  readonly all: string;
  /** One node's inbox. */
  readonly node: (id: string) => string;
  /** Every node's inbox (for permissions). */
  readonly nodes: string;
  /** Announcements to every node at once (the bus fans them out). */
  readonly gossip: string;
  /** Who is in the room: each node says so now and then. */
  readonly presence: string;
  /** The teacher's controls: only the teacher's user may publish here. */
  readonly control: string;
}

/** The room a code opens. */
export function roomOf(code: string): Room {
  const canonical = parseRoomCode(code);
  if (!canonical) throw new RangeError('not a room code');
  const ascii = Uint8Array.from({ length: canonical.length }, (_, i) => canonical.charCodeAt(i));
  const id = toHex(sha256(ascii)).slice(0, 12);
  const root = `chainlab.${id}`;
  return {
    code: canonical,
    id,
    learnerUser: `learner-${id}`,
    teacherUser: `teacher-${id}`,
    subjects: {
      all: `${root}.>`,
      node: (node) => `${root}.node.${node}`,
      nodes: `${root}.node.*`,
      gossip: `${root}.gossip`,
      presence: `${root}.presence`,
      control: `${root}.control`,
    },
  };
}

/**
 * How every client of a room reconnects after a drop (server restart, sleep, Wi-Fi): forever,
 * about every second with jitter, so thirty laptops do not all knock at once.
 */
export const ROOM_RECONNECT = {
  reconnect: true,
  maxReconnectAttempts: -1,
  reconnectTimeWait: 1_000,
  reconnectJitter: 1_000,
  // Give up on a first connection quickly: the page says why at once.
  timeout: 5_000,
} as const;

/**
 * How a node's worker connects to its room, whichever NATS transport carries it (the browser's
 * WebSocket, or TCP for headless nodes): as the learners' user, named after the learner.
 */
export function roomConnectOptions(
  join: { readonly server: string; readonly learner: string },
  room: Room,
) {
  return {
    servers: join.server,
    user: room.learnerUser,
    pass: room.code,
    name: `chainlab ${join.learner}`,
    ...ROOM_RECONNECT,
  };
}

/** A learner's name as shown to others: 1 to 32 printable characters. */
export function parseLearnerName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim();
  return name.length >= 1 && name.length <= 32 && !/\p{Cc}/u.test(name) ? name : null;
}

/** Longest slug of a learner's name: with a dash and a node number it stays a node id. */
const MAX_SLUG = 24;

/**
 * The start of a learner's node ids: their name in lower case, accents dropped, anything else
 * a dash (`Zoé M.` → `zoe-m`, so `zoe-m-1`, `zoe-m-2`). Starts with a letter, as node ids do.
 */
export function learnerSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  if (slug === '') return 'learner';
  return /^[a-z]/.test(slug) ? slug : `l${slug}`.slice(0, MAX_SLUG);
}

/** Most nodes one browser (or headless learner) runs in a room: each a worker and a connection. */
export const MAX_ROOM_NODES = 4;

/** How long a joining learner listens to the room's presence before naming its nodes. */
export const LISTEN_BEFORE_NAMING_MS = 2_500;

/**
 * Node ids' prefix for a learner: their name's slug, or the slug and a number when a node of the
 * room already uses it (`alex-1` is taken: `alex2-1`). `members` are the room's nodes heard so far.
 */
export function uniquePrefix(learner: string, members: readonly { readonly id: string }[]): string {
  const slug = learnerSlug(learner);
  const taken = (prefix: string): boolean =>
    members.some((m) => m.id.startsWith(prefix) && /^\d+$/.test(m.id.slice(prefix.length)));
  for (let n = 1; ; n++) {
    const prefix = n === 1 ? `${slug}-` : `${slug}${n}-`;
    if (!taken(prefix)) return prefix;
  }
}

/** What a room's link carries after `#`: the server, the code, and on the teacher's link the key. */
export interface RoomLinkFields {
  readonly server: string;
  readonly code: string;
  /** Empty on a learner's link. */
  readonly teacherKey: string;
}

/**
 * A room link's fragment (`server=…&room=…`, and `&teacher=…` for the teacher). Browsers never
 * send the fragment to the site, so the code and key stay out of its logs.
 */
export function roomLinkFragment(fields: RoomLinkFields): string {
  const params = new URLSearchParams({ server: fields.server, room: fields.code });
  if (fields.teacherKey !== '') params.set('teacher', fields.teacherKey);
  return params.toString();
}

/** A link's fragment read back (with or without its `#`); null when it names no room. */
export function readRoomLinkFragment(hash: string): RoomLinkFields | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const server = params.get('server');
  const code = params.get('room');
  if (!server || !code) return null;
  return { server, code, teacherKey: params.get('teacher') ?? '' };
}
