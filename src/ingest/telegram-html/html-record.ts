/**
 * The pure part of the Telegram HTML source: one HtmlRecord becomes a normalised message. The HTML has no
 * sender ids (the sender is the name plus its userpic colour, carried over to "joined" messages), no chat id
 * (so no message links), no MIME types (media kind from the block, title and folder), and times only as the
 * title "DD.MM.YYYY HH:MM:SS UTC±HH:MM" (older exports: no offset, read in the given zone).
 */
import type { ChatMessage, ChatRef, MediaKind, MediaMissing, MediaRef, ValueFlag } from '../chat-source.js';
import { zonedUnixTime } from '../local-time.js';
import type { HtmlMedia, HtmlRecord } from './html-message-reader.js';

/** What a Telegram HTML export cannot give, said in the report instead of guessed. */
export const HTML_LIMITS = [
  'message links (no chat id)', 'sender ids (senders are told apart by name and userpic colour: an estimate)', 'the chat id and type (so the chat name is not kept)',
  'MIME types', 'edit times', 'exact times of service messages (they take the time of the message before)',
];

const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);

/** Days since 1970-01-01 of a proleptic Gregorian date (no Date object: this runs for every message). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const DATE_TITLE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?/;

/**
 * Unix seconds of a date title; `local` when it had no UTC offset (read in `zone`).
 * @example readDateTitle('12.07.2021 22:35:22 UTC+01:00', 'UTC') // { unix: 1626125722, local: false }
 */
export function readDateTitle(title: string, zone: string): { unix: number; local: boolean } | null {
  const m = DATE_TITLE.exec(title.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  const wall = daysFromCivil(y, mo, d) * 86_400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (!m[7]) return { unix: zonedUnixTime(wall, zone), local: true };
  const off = (Number(m[8]) * 60 + Number(m[9])) * 60 * (m[7] === '-' ? -1 : 1);
  return { unix: wall - off, local: false };
}

const MISSING: [RegExp, MediaMissing][] = [[/^Not included/i, 'not_included'], [/^Exceeds maximum size/i, 'too_large'], [/^Unavailable/i, 'unavailable']];

function kindOf(media: HtmlMedia): MediaKind | null {
  const folder = media.href?.split('/').slice(-2, -1)[0] ?? '';
  switch (media.block) {
    case 'photo_wrap': return 'photo';
    case 'video_file_wrap': return folder === 'round_video_messages' ? 'video_message' : 'video';
    case 'animated_wrap': return 'animation';
    case 'sticker_wrap': return 'sticker';
    case 'media_photo': return media.title === 'Sticker' ? 'sticker' : 'photo';
    case 'media_video':
      if (media.title === 'Animation' || folder === 'animations') return 'animation';
      if (media.title === 'Video message' || folder === 'round_video_messages') return 'video_message';
      return 'video';
    case 'media_voice_message': return 'voice';
    case 'media_audio_file': return 'audio';
    case 'media_file': return 'document';
    case 'media_contact': return 'contact';
    default: return null; // location, venue, call, game, invoice: no media file
  }
}

function mediaRef(media: HtmlMedia): MediaRef | null {
  const kind = kindOf(media);
  if (!kind) return null;
  const path = media.href && !/^(?:https?|tel|mailto):/i.test(media.href) ? media.href : null;
  const missing = path ? null : (MISSING.find(([re]) => re.test(media.description))?.[1] ?? (kind === 'contact' ? null : 'placeholder'));
  const fileName = kind === 'document' && media.title && media.title !== 'File' ? media.title : null;
  return { kind, path, missing, mime: null, width: null, height: null, durationSeconds: null, fileSize: null, fileName };
}

export interface HtmlContext {
  chat: ChatRef;
  file: string;
  index: number;
  rawSha256: string;
  zone: string;
  now: number;
  /** Sender and time of the message before in this file (joined messages and service messages take them). */
  previous: { senderId: string | null; unixTime: number | null } | null;
}

/** Telegram launched in August 2013. */
const EARLIEST = 1_375_315_200;

/**
 * A message from its HTML record, or null for what is not a message (a date separator, the "no messages" stub).
 * @example parseHtmlRecord(rec, ctx)?.senderId // 'html:Anna Jansen#5'
 */
export function parseHtmlRecord(rec: HtmlRecord, ctx: HtmlContext): { message: ChatMessage; localTime: boolean } | null {
  if (rec.id < 0 && rec.id > -1_000_000) return null; // synthetic ids: date separators
  const flags: ValueFlag[] = [];
  const read = rec.dateTitle ? readDateTitle(rec.dateTitle, ctx.zone) : null;
  let unixTime = read ? read.unix : ctx.previous?.unixTime ?? null;
  if (rec.dateTitle && !read) flags.push({ field: 'date', value: rec.dateTitle.slice(0, 40), why: 'date in a shape not understood' });
  if (unixTime !== null && (unixTime < EARLIEST || unixTime > ctx.now + 2 * 86_400)) {
    flags.push({ field: 'date', value: String(unixTime), why: unixTime < EARLIEST ? 'before Telegram existed' : 'in the future' });
    unixTime = null;
  }
  const service = rec.kind === 'service';
  const name = rec.fromName?.trim() ?? '';
  let senderId: string | null = null;
  if (!service) senderId = name ? `html:${name}#${rec.userpic ?? 0}` : rec.kind === 'joined' ? ctx.previous?.senderId ?? null : null;
  const media = service || !rec.media ? null : mediaRef(rec.media);
  // A service line is one sentence about names (actor, members): searched like JSON's other texts, not as text.
  const extra = service ? [rec.text, ...rec.extra] : [...rec.extra];
  if (media?.fileName) extra.push(media.fileName);
  if (media?.kind === 'contact' && rec.media?.title) extra.push(rec.media.title);
  const contactPhone = media?.kind === 'contact' && rec.media?.status ? rec.media.status.replace(/\s*-\s*vCard$/, '') : null;
  return {
    localTime: read?.local ?? false,
    message: {
      source: 'telegram_html', chat: ctx.chat, id: rec.id, type: service ? 'service' : 'message', unixTime, senderId,
      forwarded: rec.forwarded, forwardedFrom: rec.forwarded ? rec.forwardedFrom || null : null, text: service ? '' : rec.text, extraText: extra.filter(Boolean),
      media, contactPhone: contactPhone || null, link: null, rawSha256: ctx.rawSha256,
      position: { file: ctx.file, index: ctx.index, offset: rec.byteOffset }, flags,
    },
  };
}
