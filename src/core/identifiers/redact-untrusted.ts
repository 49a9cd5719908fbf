/**
 * The redaction boundary for untrusted text: every string taken from a chat export (chat names and titles,
 * file names and paths, error texts, notices) passes `redactUntrusted` before it is stored, printed or rendered.
 *
 * Unlike the finders, which count and alert and so must be precise, this is conservative: besides every phone
 * number and handle the finders see, it hides anything identifier-like that they would not count — any run of
 * seven or more digits in any script (separators, confusable letters and "nul" included) that is not a date or a
 * clock time, every bare "@name", the local part of e-mail addresses, and the token next to a platform word. The result is cut to a bounded length.
 *
 * Use it for text that need not be exact. Where a string must stay findable (a checkpoint, a chat's identity),
 * keep a keyed hash instead (see services/scan/untrusted-keys.ts).
 */
import { findIdentifiers, type IdentifierOptions } from './find-identifiers.js';
import { couldBePhoneNumber } from './phone-finder.js';
import { normaliseForPhones, originalSpan, type NormalisedText } from './normalise-text.js';
import { MASK } from './redact.js';

/** Longest untrusted string kept, in UTF-16 units; longer ones are cut and end in "…". */
export const MAX_UNTRUSTED_CHARS = 2000;
/**
 * A run with this many digits or more is hidden (a phone number has at least seven) unless no reading of it is a
 * valid phone number, it does not start like a dialled number (0, 00, +) and it is shorter than LONG_RUN.
 */
export const MIN_HIDDEN_DIGITS = 7;
/** Runs this long are hidden whatever they are: a number can hide inside. */
const LONG_RUN = 16;

interface Replacement {
  start: number;
  end: number;
  text: string;
}

const DATE_OR_TIME = /\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)|(?<!\d)(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g;
/** Digit groups joined by up to three separators, as people write numbers (the phone finder's notion of a run). */
const DIGIT_RUN = /\d(?:[ \-./_()\\*~·•+]{0,3}\d)*/g;
const PLATFORM = '(?:instagram|instagr|insta|ig|snapchat|snap|sc|tiktok|tik tok|tt|\\u{1F4F7}|\\u{1F4F8}|\\u{1F47B}|\\u{1F3B5}|\\u{1F3B6})';
/** After a platform word: the next token, whatever the finder made of it ("sc: jane_doe_2000.x" is too long for Snapchat). */
const AFTER_PLATFORM = new RegExp(`(?<![\\p{L}\\p{N}])${PLATFORM}(?:\\s*(?:[:;=>@]|-+>?|\\u{1F449}|[\\u2190-\\u21ff\\u27a1-\\u27bf\\u2b95])\\s*@?\\s*|\\s+(?=[\\w.-]*[\\d._]))([\\w.-]{2,64})`, 'giu');
/** Straight after a platform emoji, with no separator: "📸jane.doe", also inside a file name ("photos/📸jane.doe.jpg"). */
const AFTER_PLATFORM_EMOJI = /(?:\u{1F4F7}|\u{1F4F8}|\u{1F47B}|\u{1F3B5}|\u{1F3B6})@?([\w.-]{2,64})/gu;
/** A profile address, also when its slashes were lost ("instagram.com exsynth_0000" in a file name). */
const PROFILE_ADDRESS = /(?:instagram|instagr|snapchat|tiktok)\.(?:com|am)[\s/\\]+(?:(?:add|stories|_u)[\s/\\]+)?@?([\w.-]{2,64})/giu;
/** Before one: "jane_doe op insta", "jane.doe (ig)". */
const BEFORE_PLATFORM = new RegExp(`(?<![\\w.@-])@?([\\w.-]{2,64})(?=\\s*(?:\\(\\s*${PLATFORM}\\s*\\)|\\s(?:op|on|via)\\s+${PLATFORM}(?![\\p{L}])))`, 'giu');
const MENTION = /(?<![\w.@])@([A-Za-z0-9_.]{2,64})/g;
const EMAIL = /(?<![\w.+-])([\w.+-]{1,64})@(?=[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-]))/g;

function overlaps(rs: Replacement[], start: number, end: number): boolean {
  return rs.some((r) => start < r.end && end > r.start);
}

/** Digit runs per string checked against the phone metadata; after that every long run is hidden unchecked. */
const MAX_CHECKED_RUNS = 16;

function mustHide(digits: string, dialled: boolean, options: IdentifierOptions, checks: { left: number }): boolean {
  if (dialled || digits.length >= LONG_RUN || digits.startsWith('0')) return true;
  if (checks.left-- <= 0) return true;
  return couldBePhoneNumber(digits, options);
}

function digitRuns(n: NormalisedText, taken: Replacement[], options: IdentifierOptions): Replacement[] {
  const out: Replacement[] = [];
  const t = n.text;
  const dated = new Uint8Array(t.length);
  DATE_OR_TIME.lastIndex = 0;
  for (let m = DATE_OR_TIME.exec(t); m; m = DATE_OR_TIME.exec(t)) dated.fill(1, m.index, m.index + m[0].length);
  const checks = { left: MAX_CHECKED_RUNS };
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(t); m; m = DIGIT_RUN.exec(t)) {
    // Dates and times inside the run are not identifiers: count only the digits outside them.
    let digits = '';
    for (let i = 0; i < m[0].length; i++) {
      const at = m.index + i;
      if (m[0][i] >= '0' && m[0][i] <= '9' && !dated[at]) digits += m[0][i];
    }
    if (digits.length < MIN_HIDDEN_DIGITS) continue;
    // Separated groups ("25 165 824") are read as one number, as people write them; "+" before means dialled.
    if (!mustHide(digits, t[m.index - 1] === '+' || /[^\d]/.test(m[0].replace(/[.,]/g, '')), options, checks)) continue;
    const span = originalSpan(n, m.index, m.index + m[0].length);
    if (overlaps(taken, span.start, span.end)) continue;
    out.push({ ...span, text: `${MASK.repeat(Math.min(12, digits.length - 2))}${digits.slice(-2)}` });
  }
  return out;
}

function mentions(n: NormalisedText, taken: Replacement[]): Replacement[] {
  const out: Replacement[] = [];
  const t = n.text;
  for (const re of [EMAIL, MENTION, PROFILE_ADDRESS, AFTER_PLATFORM, AFTER_PLATFORM_EMOJI, BEFORE_PLATFORM]) {
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      const start = m.index + m[0].indexOf(m[1]);
      const end = start + m[1].length;
      const span = originalSpan(n, start, end);
      if (overlaps(taken, span.start, span.end) || overlaps(out, span.start, span.end)) continue;
      out.push({ ...span, text: `${m[1][0]}${MASK.repeat(4)}` });
    }
  }
  return out;
}

/**
 * Untrusted text with every identifier, and everything that might be one, replaced by a redacted form.
 * @example redactUntrusted('WhatsApp Chat with +31 6 12345678.txt') // 'WhatsApp Chat with +31 6 •••• ••78.txt'
 * @example redactUntrusted('lisa０６１２３４５６７８ @lisa_x') // 'lisa••••••••78 @l••••'
 */
export function redactUntrusted(text: string, options: IdentifierOptions = {}): string {
  let input = text.length > MAX_UNTRUSTED_CHARS ? `${text.slice(0, MAX_UNTRUSTED_CHARS - 1)}…` : text;
  // A cut in the middle of a surrogate pair would leave half a character.
  if (/[\ud800-\udbff]…$/.test(input)) input = `${input.slice(0, -2)}…`;
  const found: Replacement[] = findIdentifiers(input, options).map((f) => ({ start: f.start, end: f.end, text: f.display }));
  const n = normaliseForPhones(input);
  const more = [...digitRuns(n, found, options)];
  const all = [...found, ...more];
  all.push(...mentions(n, all));
  all.sort((a, b) => b.start - a.start);
  let out = input;
  let limit = Number.POSITIVE_INFINITY;
  for (const r of all) {
    if (r.end > limit) continue;
    out = out.slice(0, r.start) + r.text + out.slice(r.end);
    limit = r.start;
  }
  return out;
}
