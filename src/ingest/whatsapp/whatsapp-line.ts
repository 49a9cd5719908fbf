/**
 * The pure part of the WhatsApp source: recognising the header line that starts a message in an "Export chat"
 * text file (Android and iOS shapes, 12 h and 24 h clocks, the locale's date order and separators, with or
 * without brackets and invisible direction marks), splitting author from text, and reading media markers
 * ("<Media omitted>", "image omitted", "IMG-….jpg (file attached)", "<attached: …>").
 */
import type { MediaKind, MediaRef } from '../chat-source.js';

/** Date order of a file, settled from all its headers (a component above 12 decides). */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface HeaderLine {
  /** The three date numbers as written, and the time. */
  a: number; b: number; c: number;
  hour: number; minute: number; second: number;
  /** "am"/"pm" when a 12-hour clock was used. */
  ampm: 'am' | 'pm' | null;
  /** "Author: text", or a system message's text. */
  rest: string;
}

const HEADER = new RegExp(
  '^[\\u200e\\u200f\\u202a\\u202c\\ufeff]*\\[?' +
    '(\\d{1,4})[./-]\\s?(\\d{1,2})[./-]\\s?(\\d{1,4})\\.?' + // date
    ',?\\s(?:[^\\d\\s]{1,6}\\s)?' + // ", " or " klo "
    '(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2}))?' + // time
    '(?:[\\s\\u202f\\u00a0]?([aApP])\\.?[\\s\\u00a0]?[mM]\\.?)?' + // am/pm in any spelling
    '(?:\\]\\s|:\\s|\\s[-–]\\s)', // "] ", ": " or " - "
);

/**
 * Reads a message header, or null when the line continues the previous message.
 * @example parseHeaderLine('[06/03/2017, 00:45:12] Sample User: hoi')?.rest // 'Sample User: hoi'
 */
export function parseHeaderLine(line: string): HeaderLine | null {
  const m = HEADER.exec(line);
  if (!m) return null;
  const ap = m[7]?.toLowerCase();
  return {
    a: Number(m[1]), b: Number(m[2]), c: Number(m[3]),
    hour: Number(m[4]), minute: Number(m[5]), second: m[6] ? Number(m[6]) : 0,
    ampm: ap === 'a' ? 'am' : ap === 'p' ? 'pm' : null,
    rest: line.slice(m[0].length),
  };
}

/**
 * Tallies headers to settle the date order: any first number above 12 means day first, any second above 12
 * month first. When no number decides (a chat within the first twelve days of months), the number that changes
 * more often between consecutive messages is the day; with no change at all, day first.
 */
export class DateOrderVote {
  private firstOver12 = false;
  private secondOver12 = false;
  private yearFirst = false;
  private prev: HeaderLine | null = null;
  private changesA = 0;
  private changesB = 0;
  add(h: HeaderLine): void {
    if (h.a > 31) this.yearFirst = true;
    else if (h.a > 12) this.firstOver12 = true;
    if (h.b > 12) this.secondOver12 = true;
    if (this.prev) {
      if (this.prev.a !== h.a) this.changesA++;
      if (this.prev.b !== h.b) this.changesB++;
    }
    this.prev = h;
  }
  result(): DateOrder {
    if (this.yearFirst) return 'ymd';
    if (this.firstOver12 !== this.secondOver12) return this.firstOver12 ? 'dmy' : 'mdy';
    return this.changesB > this.changesA ? 'mdy' : 'dmy';
  }
}

/**
 * Unix seconds of a header, reading the phone's local time as UTC (exports carry no time zone), or null for
 * an impossible date.
 * @example headerUnixTime(parseHeaderLine('06/03/2017, 00:45 - a: b')!, 'dmy') // 1488761100
 */
export function headerUnixTime(h: HeaderLine, order: DateOrder): number | null {
  let [y, mo, d] = order === 'ymd' ? [h.a, h.b, h.c] : order === 'mdy' ? [h.c, h.a, h.b] : [h.c, h.b, h.a];
  if (y < 100) y += 2000;
  let hour = h.hour;
  if (h.ampm === 'pm' && hour < 12) hour += 12;
  if (h.ampm === 'am' && hour === 12) hour = 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hour > 23 || h.minute > 59 || h.second > 59) return null;
  const t = Date.UTC(y, mo - 1, d, hour, h.minute, h.second);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return null; // 31 February
  return Math.floor(t / 1000);
}

/** Splits "Author: text"; null author for a system message (no "name: " before the text). */
export function splitAuthor(rest: string): { author: string | null; text: string } {
  const m = /^([^:\n]{1,100}?): ([\s\S]*)$/.exec(rest);
  if (!m || /^[\u200e\u200f]/.test(rest)) return { author: null, text: rest.replace(/^[\u200e\u200f]+/, '') };
  return { author: m[1].replace(/[\u200e\u200f\u202a\u202c]/g, '').trim(), text: m[2] };
}

const OMITTED = /^[\u200e]?<?(?:(image|video|audio|sticker|GIF|document|Contact card) omitted|Media omitted|Media weggelaten|Medien ausgeschlossen|Médias omis|Multimedia omitido|Mídia oculta|Media omessi)>?$/i;
const ATTACHED_NEW = /^[\u200e]?<(?:attached|bijgevoegd|angehängt|joint|adjunto|anexado|allegato): ([^<>]+)>$/i;
const ATTACHED_OLD = /^[\u200e]?(\S[^<>]*?\.\w{1,5}) <(?:attached|bijgevoegd|angehängt|joint|adjunto|anexado|allegato)>$/i;
const FILE_ATTACHED = /^[\u200e]?(\S.*?) \((?:file attached|bestand bijgevoegd|Datei angehängt|fichier joint|archivo adjunto|arquivo anexado|file allegato)\)$/i;

function kindFromName(name: string): { kind: MediaKind; mime: string | null } {
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const up = name.toUpperCase();
  if (up.startsWith('STK-') || up.includes('STICKER') || (ext === 'webp' && !up.startsWith('IMG-'))) return { kind: 'sticker', mime: 'image/webp' };
  if (up.startsWith('PTT-') || ext === 'opus') return { kind: 'voice', mime: 'audio/ogg' };
  if (up.includes('GIF') && ext === 'mp4') return { kind: 'animation', mime: 'video/mp4' };
  if (['jpg', 'jpeg', 'png', 'heic', 'webp'].includes(ext)) return { kind: 'photo', mime: ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : 'image/jpeg' };
  if (['mp4', 'mov', '3gp', 'mkv', 'avi'].includes(ext)) return { kind: 'video', mime: ext === 'mov' ? 'video/quicktime' : 'video/mp4' };
  if (['mp3', 'm4a', 'aac', 'ogg', 'wav'].includes(ext) || up.startsWith('AUD-')) return { kind: 'audio', mime: null };
  if (ext === 'vcf') return { kind: 'contact', mime: 'text/vcard' };
  return { kind: 'document', mime: null };
}

const OMITTED_KIND: Record<string, MediaKind> = { image: 'photo', video: 'video', audio: 'voice', sticker: 'sticker', gif: 'animation', document: 'document', 'contact card': 'contact' };

/**
 * Reads the first line of a message body as a media marker: an attached file (its name) or omitted media.
 * Returns null when the line is ordinary text.
 * @example mediaFromLine('IMG-20210428-WA0001.jpg (file attached)')?.path // 'IMG-20210428-WA0001.jpg'
 */
export function mediaFromLine(line: string): MediaRef | null {
  const t = line.trim();
  const base = { width: null, height: null, durationSeconds: null, fileSize: null };
  const om = OMITTED.exec(t);
  if (om) return { kind: om[1] ? OMITTED_KIND[om[1].toLowerCase()] : 'unknown', path: null, missing: 'omitted', mime: null, fileName: null, ...base };
  const name = ATTACHED_NEW.exec(t)?.[1] ?? ATTACHED_OLD.exec(t)?.[1] ?? FILE_ATTACHED.exec(t)?.[1];
  if (!name) return null;
  const { kind, mime } = kindFromName(name.trim());
  return { kind, path: name.trim(), missing: null, mime, fileName: name.trim(), ...base };
}
