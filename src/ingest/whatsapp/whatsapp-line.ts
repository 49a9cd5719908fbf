/**
 * The pure part of the WhatsApp source: recognising the header that starts a message in an "Export chat" text
 * file, in every shape phones write it — Android (`12/07/2017, 22:35 - `) and iOS (`[12.07.17, 22:35:22] `),
 * day, month and year in any order with `/`, `.` or `-` (also `13. 6. 2018.`), two- or four-digit years, 24-hour
 * or 12-hour clocks (`PM`, `p.m.`, `a. m.`, with a space, U+00A0 or U+202F before them; `午後`, `오후`, `ب.ظ` …),
 * a word before the time (Finnish `klo`, French `à`), `-`, `:` or nothing between time and name, invisible
 * direction marks, Persian and Arabic digits (Persian dates in the Solar Hijri calendar) — and splitting the
 * author from the text. Media markers live in whatsapp-media.ts.
 */

export interface HeaderLine {
  /** The three date numbers in written order, and how many digits each had. */
  a: number; b: number; c: number;
  digits: [number, number, number];
  hour: number; minute: number; second: number;
  /** "am"/"pm" when a 12-hour clock was used. */
  ampm: 'am' | 'pm' | null;
  /** What makes a file's headers one format: brackets, date separator, what ends the header. */
  shape: string;
  /** "Author: text", or a system message's text (as written, direction marks kept). */
  rest: string;
}

const AM = String.raw`a\.?\s?m\.?|vorm\.|午前|上午|오전|ق\.ظ|ص|π\.?\s?μ\.?|de\.`;
const PM = String.raw`p\.?\s?m\.?|nachm\.|午後|下午|오후|ب\.ظ|م|μ\.?\s?μ\.?|du\.`;
const AMPM = `(${AM})|(${PM})`;

const HEADER = new RegExp(
  String.raw`^\s*(\[)?\s*` +
    String.raw`(\d{1,4})\s?([./-])\s?(\d{1,4})\s?\3\s?(\d{1,4})\.?` + // date, any order; "13. 6. 2018."
    String.raw`(?:\s*[,،])?\s*` +
    `(?:(?:${AMPM})\\s*)?` + // 12-hour mark before the time (Korean, Chinese, Hungarian)
    String.raw`(?:[^\d\s\[\]:,]{1,6}\s+){0,2}` + // "klo", "à", "um"
    String.raw`(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?` + // time
    `(?:\\s*(?:${AMPM})(?![\\p{L}]))?` + // 12-hour mark after the time
    String.raw`(\]\s?|\s*[-–]\s|:\s|\s)`, // what ends the header
  'iu',
);

/** Digits from Persian and Arabic-Indic to ASCII; direction marks and the BOM dropped. Keeps where each char came from. */
function normaliseHead(line: string, max = 96): { text: string; from: number[] } {
  let text = '';
  const from: number[] = [];
  const n = Math.min(line.length, max);
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || c === 0x2066 || c === 0x2067 || c === 0x2068 || c === 0x2069 || c === 0xfeff || c === 0x061c) continue;
    if (c >= 0x06f0 && c <= 0x06f9) text += String.fromCharCode(c - 0x06f0 + 48);
    else if (c >= 0x0660 && c <= 0x0669) text += String.fromCharCode(c - 0x0660 + 48);
    else text += line[i];
    from.push(i);
  }
  from.push(n);
  return { text, from };
}

/**
 * Reads a message header, or null when the line continues the previous message.
 * @example parseHeaderLine('[06/03/2017, 00:45:12] Sample User: hoi')?.rest // 'Sample User: hoi'
 */
export function parseHeaderLine(line: string): HeaderLine | null {
  const c0 = line.charCodeAt(0);
  // Fast exit: a header starts with a digit, "[", a mark, a space or a Persian/Arabic digit.
  if (!(c0 >= 48 && c0 <= 57) && c0 !== 0x5b && c0 !== 0x200e && c0 !== 0x200f && c0 !== 0xfeff && c0 !== 0x20 && c0 !== 0x202a && c0 !== 0x2068 && !(c0 >= 0x0660 && c0 <= 0x06f9)) return null;
  const { text, from } = normaliseHead(line);
  const m = HEADER.exec(text);
  if (!m) return null;
  const bracket = m[1] !== undefined;
  const end = m[13];
  const closes = end.startsWith(']');
  if (bracket !== closes) return null;
  const ap = (m[6] ?? m[11]) !== undefined ? 'am' : (m[7] ?? m[12]) !== undefined ? 'pm' : null;
  const hour = Number(m[8]);
  if (ap && hour > 12) return null;
  const term = closes ? ']' : /[-–]/.test(end) ? '-' : end.startsWith(':') ? ':' : ' ';
  const endAt = m[0].length > 0 ? from[m[0].length - 1] + 1 : 0;
  return {
    a: Number(m[2]), b: Number(m[4]), c: Number(m[5]), digits: [m[2].length, m[4].length, m[5].length],
    hour, minute: Number(m[9]), second: m[10] ? Number(m[10]) : 0, ampm: ap,
    shape: `${bracket ? '[' : ''}${m[3]}${term}`,
    rest: line.slice(endAt),
  };
}

const HEADER_LIKE = /^\s*\[?\s*\d{1,4}\s?[./-]\s?\d{1,4}\s?[./-]\s?\d{1,4}\D{1,16}?\d{1,2}[:.]\d{2}/;

/** True for a line that starts like a header (date, then a time), whether or not it parses in the file's format. */
export function looksLikeHeader(line: string): boolean {
  const c0 = line.charCodeAt(0);
  if (!(c0 >= 48 && c0 <= 57) && c0 !== 0x5b && c0 !== 0x200e && c0 !== 0x200f && c0 !== 0xfeff && c0 !== 0x20 && !(c0 >= 0x0660 && c0 <= 0x06f9)) return false;
  return HEADER_LIKE.test(normaliseHead(line, 64).text);
}

/** Which written date number is the year, and whether the day comes before the month among the other two. */
export interface DateReading {
  dayFirst: boolean;
}

/** Index of the year among the three date numbers: the one written with 3-4 digits, else one above 31, else the last. */
export function yearIndex(h: Pick<HeaderLine, 'a' | 'b' | 'c' | 'digits'>): 0 | 1 | 2 {
  const v = [h.a, h.b, h.c];
  for (const i of [0, 1, 2] as const) if (h.digits[i] >= 3) return i;
  for (const i of [2, 0, 1] as const) if (v[i] > 31) return i;
  return 2;
}

/** The two numbers other than the year, in written order. */
export function dayMonthPair(h: Pick<HeaderLine, 'a' | 'b' | 'c' | 'digits'>): [number, number] {
  const v = [h.a, h.b, h.c];
  const y = yearIndex(h);
  const rest = v.filter((_, i) => i !== y);
  return [rest[0], rest[1]];
}

/**
 * Wall-clock fields of a header (year, month, day, hour, minute, second), or null for an impossible date.
 * Two-digit years are 20xx; years 1300-1499 are Solar Hijri (Persian phones) and converted.
 */
export function headerFields(h: HeaderLine, reading: DateReading): [number, number, number, number, number, number] | null {
  const v = [h.a, h.b, h.c];
  let y = v[yearIndex(h)];
  const [p, q] = dayMonthPair(h);
  let [d, mo] = reading.dayFirst ? [p, q] : [q, p];
  if (y < 100) y += 2000;
  let hour = h.hour;
  if (h.ampm === 'pm' && hour < 12) hour += 12;
  if (h.ampm === 'am' && hour === 12) hour = 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hour > 23 || h.minute > 59 || h.second > 59) return null;
  if (y >= 1300 && y < 1500) {
    const g = jalaliToGregorian(y, mo, d);
    if (!g) return null;
    [y, mo, d] = g;
  }
  const t = Date.UTC(y, mo - 1, d);
  if (new Date(t).getUTCDate() !== d) return null; // 31 February
  return [y, mo, d, hour, h.minute, h.second];
}

/**
 * The header's wall-clock time as Unix seconds read as UTC (no zone applied), or null for an impossible date.
 * @example headerWallSeconds(parseHeaderLine('06/03/2017, 00:45 - a: b')!, { dayFirst: true }) // 1488761100
 */
export function headerWallSeconds(h: HeaderLine, reading: DateReading): number | null {
  const f = headerFields(h, reading);
  return f ? Date.UTC(f[0], f[1] - 1, f[2], f[3], f[4], f[5]) / 1000 : null;
}

const PERSIAN_DAY = new Intl.DateTimeFormat('en-US-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

/** Day number within a Solar Hijri year (months 1-6 have 31 days, 7-11 have 30). */
const jalaliDayOfYear = (m: number, d: number) => (m <= 6 ? (m - 1) * 31 : 186 + (m - 7) * 30) + d;

/**
 * A Solar Hijri date as Gregorian [year, month, day], found by stepping from an estimate with Intl's Persian calendar.
 * @example jalaliToGregorian(1399, 1, 1) // [2020, 3, 20]
 */
export function jalaliToGregorian(jy: number, jm: number, jd: number): [number, number, number] | null {
  let t = Date.UTC(jy + 621, 2, 21) + (jalaliDayOfYear(jm, jd) - 1) * 86_400_000;
  for (let i = 0; i < 6; i++) {
    const p: Record<string, number> = {};
    for (const part of PERSIAN_DAY.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = parseInt(part.value, 10);
    let diff = (jy - p.year) * 365 + jalaliDayOfYear(jm, jd) - jalaliDayOfYear(p.month, p.day);
    if (diff === 0 && p.year !== jy) diff = jy > p.year ? 1 : -1; // the 30th of Esfand in a leap year
    if (diff === 0) {
      const g = new Date(t);
      return [g.getUTCFullYear(), g.getUTCMonth() + 1, g.getUTCDate()];
    }
    t += diff * 86_400_000;
  }
  return null;
}

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Splits "Author: text"; null author for a system message. iOS writes system lines with the group's (or a
 * member's) name as the author and U+200E right after the colon: the caller decides with `marked`.
 */
export function splitAuthor(rest: string): { author: string | null; text: string; marked: boolean } {
  const m = /^([^:\n]{1,120}?): ([\s\S]*)$/.exec(rest) ?? /^([^:\n]{1,120}?):()$/.exec(rest);
  if (!m || /^[\u200e\u200f]/.test(rest)) return { author: null, text: rest.replace(/^[\u200e\u200f]+/, ''), marked: false };
  const author = m[1].replace(MARKS, '').trim();
  if (!author) return { author: null, text: rest, marked: false };
  return { author, text: m[2].replace(/^\u200e+/, ''), marked: m[2].startsWith('\u200e') };
}

/** WhatsApp's end-to-end encryption notices, in the languages seen: a system line whoever it is attributed to. */
const ENCRYPTION_NOTICE = new RegExp([
  String.raw`^messages.{0,60}?(?:are|were) (?:now )?(?:end-to-end encrypted|secured with end-to-end encryption)`,
  String.raw`^(?:los )?mensajes (?:y (?:las )?llamadas )?(?:están|estan|de este grupo ahora están) (?:cifrad|protegid)`,
  String.raw`^nachrichten und anrufe sind ende-zu-ende-verschlüsselt`, String.raw`^nachrichten an diese gruppe sind jetzt`,
  String.raw`^les messages (?:et les appels )?(?:sont|envoyés)`, String.raw`^berichten en oproepen zijn end-to-end versleuteld`,
  String.raw`^viestit ja puhelut on salattu`, String.raw`^i messaggi e le chiamate sono crittografati`,
  String.raw`^as mensagens e (?:as )?chamadas são protegidas`, String.raw`^پیام‌ها و تماس‌ها`, String.raw`^الرسائل والمكالمات مشفرة`,
].join('|'), 'i');

/** Group events in English that iOS may write after the actor's name ("Josh: Josh created this group"). */
const GROUP_EVENT_TEXT = /^(?:created (?:group|this group)(?: .{1,200})?|added .{1,200}|left|removed .{1,200}|joined using this group's invite link|changed (?:the subject|this group's icon|the group description|their phone number|the group name|the group settings).{0,200}|deleted this group's icon|was added|were added)\.?$/i;

/**
 * True for a text that WhatsApp itself writes, attributed to `author`: an encryption notice, or a group event
 * that starts with the author's own name or "You" (so "ok I left" from a member stays a message).
 */
export function isSystemText(text: string, author: string | null): boolean {
  const t = text.replace(MARKS, '').trim();
  if (ENCRYPTION_NOTICE.test(t)) return true;
  for (const who of [author, 'You', 'you']) {
    if (who && t.startsWith(`${who} `) && GROUP_EVENT_TEXT.test(t.slice(who.length + 1))) return true;
  }
  return false;
}

/** Words in a system line that show the chat is a group (created, added, left … in the languages seen). */
const GROUP_EVENT = /\b(?:added|removed|left|joined using|group|groups|grupo|gruppe|groupe|groep|gruppo|ryhmä|ryhmän|grup|grupa|grupy|csoport|skupina)\b|گروه|مجموعة|группу|группа|グループ|群组|群組|그룹/i;

/** True for a system text that only a group chat has. */
export function isGroupEvent(text: string): boolean {
  return GROUP_EVENT.test(text);
}
