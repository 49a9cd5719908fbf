/**
 * The pure part of the Telegram source: one parsed message object from result.json (plus its chat) becomes a
 * normalised message. Knows the format's quirks: `text` as a string or an array of parts, `text_entities`,
 * `date_unixtime` as a string (the truth; `date` has no time zone), `from_id` as "user123" or an old number,
 * media in `photo` or `file` with `media_type`, the three placeholder strings for media not downloaded, and
 * shared contacts. Impossible values are flagged, never fatal.
 */
import type { ChatMessage, ChatRef, ChatType, MediaKind, MediaMissing, MediaRef, ValueFlag } from '../chat-source.js';
import { zonedUnixTime } from '../local-time.js';
import { telegramMessageLink } from './message-link.js';

export const PLACEHOLDERS: Record<string, MediaMissing> = {
  '(File not included. Change data exporting settings to download.)': 'not_included',
  '(File exceeds maximum size. Change data exporting settings to download.)': 'too_large',
  '(File unavailable, please try again later)': 'unavailable',
};

const CHAT_TYPES = new Set<ChatType>([
  'personal_chat', 'bot_chat', 'saved_messages', 'replies', 'verification_codes', 'private_group',
  'private_supergroup', 'public_supergroup', 'private_channel', 'public_channel',
]);

/** Telegram launched in August 2013: an earlier message date is impossible. */
export const EARLIEST_PLAUSIBLE_UNIX = 1_375_315_200; // 2013-08-01
/** Allowed clock skew into the future. */
export const FUTURE_SLACK_SECONDS = 2 * 86_400;

const MEDIA_TYPES: Record<string, MediaKind> = {
  video_file: 'video', animation: 'animation', video_message: 'video_message', voice_message: 'voice',
  sticker: 'sticker', audio_file: 'audio',
};

type Json = Record<string, unknown>;

/** Values above these cannot be right: Telegram's file limit is 4 GB, pictures are never 100,000 px wide. */
const ABSURD_ABOVE: Record<string, number> = {
  width: 100_000, height: 100_000, duration_seconds: 7 * 86_400,
  file_size: 2 ** 33, photo_file_size: 2 ** 33, contact_vcard_file_size: 2 ** 30,
};

/** Normalises a chat type string; unknown types become 'unknown'. */
export function chatTypeOf(t: unknown): ChatType {
  return typeof t === 'string' && CHAT_TYPES.has(t as ChatType) ? (t as ChatType) : 'unknown';
}

/**
 * A sender id in today's form: "user123", "channel123", "chat123". Old exports (before April 2021) wrote a
 * number: a plain user id, or a peer id with the type in its high bits (2^32 or 2^48 steps: 1 chat, 2 channel).
 * @example normaliseFromId(12345) // 'user12345'
 */
export function normaliseFromId(v: unknown): string | null {
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^(user|channel|chat)\d+$/.test(s)) return s;
    if (/^\d+$/.test(s)) return normaliseFromId(Number(s));
    return s === '' ? null : s;
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  for (const shift of [2 ** 48, 2 ** 32]) {
    if (v >= shift) {
      const type = Math.floor(v / shift);
      const id = v - type * shift;
      if (type === 1) return `chat${id}`;
      if (type === 2) return `channel${id}`;
      return `user${v}`;
    }
  }
  return `user${v}`;
}

/** Joins `text` (string or parts) or, failing that, `text_entities`, into one plain string. */
export function flattenText(text: unknown, entities?: unknown): string {
  const join = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && typeof (p as Json).text === 'string' ? (p as Json).text as string : '')).join('');
  if (typeof text === 'string' && text !== '') return text;
  if (Array.isArray(text) && text.length > 0) return join(text);
  if (Array.isArray(entities) && entities.length > 0) return join(entities);
  return typeof text === 'string' ? text : '';
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function mediaPath(v: unknown): { path: string | null; missing: MediaMissing | null } {
  if (typeof v !== 'string' || v === '') return { path: null, missing: 'unavailable' };
  const known = PLACEHOLDERS[v];
  if (known) return { path: null, missing: known };
  if (v.startsWith('(') && v.endsWith(')')) return { path: null, missing: 'placeholder' };
  return { path: v, missing: null };
}

function mediaOf(o: Json, flags: ValueFlag[]): MediaRef | null {
  const size = (field: string) => {
    const v = num(o[field]);
    if (v === null) return null;
    if (v < 0) { flags.push({ field, value: String(v), why: 'negative size' }); return null; }
    const max = ABSURD_ABOVE[field];
    if (max !== undefined && v > max) { flags.push({ field, value: String(v), why: `over ${max}` }); return null; }
    return v;
  };
  const dims = () => {
    const out = { width: size('width'), height: size('height'), durationSeconds: size('duration_seconds') };
    return out;
  };
  if (o.photo !== undefined) {
    return { kind: 'photo', ...mediaPath(o.photo), mime: str(o.mime_type), ...dims(), fileSize: size('photo_file_size'), fileName: null };
  }
  if (o.file !== undefined) {
    const kind = MEDIA_TYPES[str(o.media_type) ?? ''] ?? 'document';
    return { kind, ...mediaPath(o.file), mime: str(o.mime_type), ...dims(), fileSize: size('file_size'), fileName: str(o.file_name) };
  }
  if (o.contact_information && typeof o.contact_information === 'object') {
    const vcard = o.contact_vcard !== undefined ? mediaPath(o.contact_vcard) : { path: null, missing: null };
    return { kind: 'contact', ...vcard, mime: null, width: null, height: null, durationSeconds: null, fileSize: size('contact_vcard_file_size'), fileName: null };
  }
  return null;
}

function extraTextOf(o: Json): string[] {
  const out: string[] = [];
  if (typeof o.file_name === 'string') out.push(o.file_name);
  for (const k of ['place_name', 'address', 'title', 'performer', 'game_title', 'game_description', 'information_text']) {
    if (typeof o[k] === 'string' && o[k]) out.push(o[k] as string);
  }
  const poll = o.poll as Json | undefined;
  if (poll && typeof poll === 'object') {
    out.push(flattenText(poll.question));
    if (Array.isArray(poll.answers)) for (const a of poll.answers) out.push(flattenText((a as Json)?.text));
  }
  const c = o.contact_information as Json | undefined;
  if (c && typeof c === 'object') out.push([c.first_name, c.last_name].filter((x) => typeof x === 'string' && x).join(' '));
  return out.filter((s) => s !== '');
}

export interface RecordContext {
  chat: ChatRef;
  file: string;
  index: number;
  offset: number;
  rawSha256: string;
  /** Now, in Unix seconds, for the plausibility check. */
  now: number;
  /** IANA zone a `date` without a zone is read in (default UTC). */
  timeZone?: string;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const DOTTED_DATE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A Telegram `date` in the shapes seen in the wild: the export's local `2025-03-05T21:14:09`, the same with a space,
 * with milliseconds and `Z` or an offset (`2017-01-01T06:20:09.248Z`: exact), Unix seconds or milliseconds as a
 * number or digits, and the HTML title's `05.03.2025 21:14:09`. Local times are read in `zone`.
 * @example readTelegramDate('2017-01-01T06:20:09.248Z', 'UTC') // { unix: 1483251609, local: false }
 */
export function readTelegramDate(v: unknown, zone: string): { unix: number; local: boolean } | null {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{9,13}$/.test(v.trim()))) {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return null;
    return { unix: Math.floor(n > 1e11 ? n / 1000 : n), local: false };
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const iso = LOCAL_DATE.exec(s);
  const m = iso ?? DOTTED_DATE.exec(s);
  if (m) {
    const [y, mo, d] = iso ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
    if (!Number.isFinite(wall) || new Date(wall).getUTCDate() !== Number(d)) return null;
    return { unix: zonedUnixTime(Math.floor(wall / 1000), zone), local: true };
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    const t = Date.parse(s.replace(' ', 'T').replace(/\s+(?=[Z+-])/i, ''));
    return Number.isFinite(t) ? { unix: Math.floor(t / 1000), local: false } : null;
  }
  return null;
}

/**
 * One message object from result.json, normalised. Returns a string saying why when the object is not a
 * message at all (no numeric id or no type).
 * @example parseTelegramRecord({ id: 3, type: 'message', date_unixtime: '1741205649', from_id: 'user1', text: 'hoi' }, ctx).text // 'hoi'
 */
export function parseTelegramRecord(o: unknown, ctx: RecordContext): ChatMessage | string {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'not an object';
  const r = o as Json;
  const id = num(r.id);
  if (id === null || !Number.isInteger(id)) return 'no numeric "id"';
  const type = r.type === 'service' ? 'service' : r.type === 'message' ? 'message' : r.type === 'unsupported' ? 'unsupported' : null;
  if (!type) return `unknown "type" ${JSON.stringify(r.type)?.slice(0, 40)}`;
  const flags: ValueFlag[] = [];
  let unixTime = num(r.date_unixtime);
  if (unixTime === null && r.date !== undefined) {
    const read = readTelegramDate(r.date, ctx.timeZone ?? 'UTC');
    if (read) {
      unixTime = read.unix;
      // Only a time without a zone is a guess: the notice says which zone it was read in.
      if (read.local) flags.push({ field: 'date', value: String(r.date), why: 'no date_unixtime: local time' });
    } else {
      flags.push({ field: 'date_shape', value: String(r.date).slice(0, 40), why: 'date in a shape not understood: kept without a time' });
    }
  }
  if (unixTime !== null && (unixTime < EARLIEST_PLAUSIBLE_UNIX || unixTime > ctx.now + FUTURE_SLACK_SECONDS)) {
    flags.push({ field: 'date_unixtime', value: String(unixTime), why: unixTime < EARLIEST_PLAUSIBLE_UNIX ? 'before Telegram existed' : 'in the future' });
    unixTime = null;
  }
  // No id (old or hand-made exports): the sender's name stands in, keyed like any sender id downstream.
  const name = type === 'service' ? r.actor : r.from;
  const senderId = normaliseFromId(type === 'service' ? r.actor_id : r.from_id) ?? (typeof name === 'string' && name.trim() ? `name:${name.trim()}` : null);
  const media = type === 'message' ? mediaOf(r, flags) : null;
  const contact = r.contact_information as Json | undefined;
  return {
    source: 'telegram_export',
    chat: ctx.chat,
    id,
    type,
    unixTime,
    senderId,
    forwarded: 'forwarded_from' in r,
    forwardedFrom: str(r.forwarded_from),
    text: flattenText(r.text, r.text_entities),
    extraText: extraTextOf(r),
    media,
    contactPhone: contact && typeof contact.phone_number === 'string' && contact.phone_number ? contact.phone_number : null,
    link: type === 'unsupported' ? null : telegramMessageLink(ctx.chat.type, ctx.chat.id, id),
    rawSha256: ctx.rawSha256,
    position: { file: ctx.file, index: ctx.index, offset: ctx.offset },
    flags,
  };
}
