/**
 * Finds phone numbers in free text, also when written to dodge filters, in time linear in the text's length.
 *
 * 1. The text is normalised (normalise-text.ts): Unicode digit forms, keycaps, confusable letters in digit runs,
 *    spelled-out digits ("nul zes …"), odd dashes and spaces; findings are mapped back to the original offsets.
 * 2. Decoys (dates, times, prices, IBANs, e-mail addresses, coordinates, ISBNs, invite links) become walls.
 * 3. One pass collects digit runs: digit groups joined by up to three separators (space - . / _ ( ) * ~ ·), so
 *    "0 6 1 2 3 4 5 6 7 8", "06_12_34_56_78" and "+31 (0)6-1234 5678" are one run each.
 * 4. Inside a run, each group start is tried once, with the few group ends that give 8 to 15 digits, longest
 *    first, and checked with libphonenumber-js (full metadata); results are cached per digit string, so a long
 *    run costs a constant per group. A start needs a dial prefix ("+", "00", the region's trunk "0"), or is the
 *    region's mobile number without its trunk prefix or without "+" before the country code ("612345678",
 *    "31612345678"); those bare forms must be a mobile number of the region and a run of their own. At most
 *    MAX_VALIDATIONS new candidates are validated per text.
 * 5. A word before the number that says it is an order, invoice or account number drops it.
 */
import { getCountryCallingCode, isSupportedCountry, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { UnexposeError } from '../errors.js';
import type { PhoneFinding } from './identifier.js';
import { CONFUSABLE_NEAR_DIGIT, hasNumberWord, normaliseForPhones, originalSpan } from './normalise-text.js';
import { decoySpans, NOT_A_PHONE_BEFORE } from './phone-decoys.js';
import { nationalTrunk, nsnPattern, parseCached, plausibleInternational, type Parsed } from './phone-validation.js';
import { redactPhone } from './redact.js';

export { couldBePhoneNumber } from './phone-validation.js';

export const DEFAULT_PHONE_REGION = 'NL';

/** Most digits an E.164 number has; "00" and a "(0)" add three more. */
const MAX_DIGITS = 18;
const MIN_DIGITS = 8;
/** Separator characters allowed between digit groups ("06*12*34", "06·12"), and how many in a row. */
const SEPARATORS = ' -./_()\\*~·•';
const MAX_SEPARATOR_RUN = 3;
/**
 * Full validations (libphonenumber, ~20-100 µs each) per text at most, cached ones not counted: a bound on time
 * whatever the text. A real message needs a handful; candidates after the budget is spent are not validated.
 */
export const MAX_VALIDATIONS = 1000;
export interface PhoneFinderOptions {
  /** ISO 3166 region for numbers written without a country code (default NL). */
  defaultRegion?: string;
}

interface Group {
  start: number;
  end: number;
  digits: string;
  /** "+" written right before this group (possibly with one space). */
  plus: boolean;
  /** The group is "0" written in parentheses, as in "+31 (0)6…". */
  parenZero: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Digit runs of the text outside decoy spans, as lists of groups. */
function digitRuns(text: string, walls: Uint8Array): Group[][] {
  const runs: Group[][] = [];
  let run: Group[] = [];
  let i = 0;
  const flush = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) || walls[i]) {
      i++;
      continue;
    }
    let e = i;
    while (e < text.length && isDigit(text.charCodeAt(e)) && !walls[e]) e++;
    const plus = text[i - 1] === '+' || (text[i - 1] === ' ' && text[i - 2] === '+');
    const parenZero = e - i === 1 && text[i] === '0' && text[i - 1] === '(' && text[e] === ')';
    if (plus && run.length) flush();
    run.push({ start: plus ? i - (text[i - 1] === '+' ? 1 : 2) : i, end: e, digits: text.slice(i, e), plus, parenZero });
    // Separators up to the next group, or the end of the run.
    let s = e;
    while (s < text.length && s - e < MAX_SEPARATOR_RUN + 1 && SEPARATORS.includes(text[s]) && !walls[s]) s++;
    const sepOk = s - e <= MAX_SEPARATOR_RUN && s < text.length && isDigit(text.charCodeAt(s)) && !walls[s];
    // A "+" after a separator starts a new number.
    const plusNext = s < text.length && text[s] === '+';
    if (!sepOk || plusNext) flush();
    i = sepOk ? s : e;
  }
  flush();
  return runs;
}

interface Candidate {
  parsed: PhoneNumber;
  from: number;
  to: number;
}

/** The longest valid number that starts at group s of the run, or null. */
function numberAt(text: string, run: Group[], s: number, region: string, trunk: string, callingCode: string, budget: { left: number }): Candidate | null {
  const first = run[s];
  const plus = first.plus;
  const idd = !plus && first.digits.startsWith('00');
  const trunkStart = !plus && !idd && trunk !== '' && first.digits.startsWith(trunk);
  const bare = !plus && !idd && !trunkStart;
  // Bare forms only as a run of their own (see below): nothing to try from a later group.
  if (bare && s !== 0) return null;
  const ends: { e: number; digits: string }[] = [];
  let digits = '';
  for (let e = s; e < run.length; e++) {
    // "+31 (0)6 …": the bracketed trunk zero is not part of the number.
    if (!(run[e].parenZero && e > s)) digits += run[e].digits;
    if (digits.length > MAX_DIGITS) break;
    if (digits.length >= MIN_DIGITS) ends.push({ e, digits });
  }
  const home = nsnPattern(callingCode);
  for (let k = ends.length - 1; k >= 0; k--) {
    const { e, digits: d } = ends[k];
    let p: Parsed = null;
    if (plus) {
      if (!plausibleInternational(d)) continue;
      p = parseCached(region, `+${d}`, budget);
    } else if (idd) {
      if (!plausibleInternational(d.slice(2))) continue;
      p = parseCached(region, d, budget);
    } else if (trunkStart) {
      if (home && !home.test(d.slice(trunk.length))) continue;
      p = parseCached(region, d, budget);
    } else if (bare) {
      // Bare forms only as a run of their own: a digit run with more around it is something else.
      if (s !== 0 || e !== run.length - 1) continue;
      const sep = text.slice(first.start, run[e].end);
      if (/[./_\\]/.test(sep)) continue;
      p = d.startsWith(callingCode) ? parseCached(region, `+${d}`, budget) : null;
      if (!p || p.n.country !== region) p = parseCached(region, `${trunk}${d}`, budget);
      if (p && (p.n.country !== region || p.n.getType() !== 'MOBILE')) p = null;
    }
    if (p) return { parsed: p.n, from: first.start, to: run[e].end };
  }
  return null;
}

/**
 * Every phone number in the text, in order, normalised to E.164 and redacted for display.
 * @example findPhoneNumbers('bel 06-12345678 of +31 6 1234 5678')
 *   // two findings, both value '+31612345678', display '+31 6 •••• ••78'
 */
export function findPhoneNumbers(text: string, options: PhoneFinderOptions = {}): PhoneFinding[] {
  const region = (options.defaultRegion ?? DEFAULT_PHONE_REGION).toUpperCase();
  if (!isSupportedCountry(region)) throw new UnexposeError('usage', `unknown phone region "${region}": use a two-letter ISO code such as NL`);
  const out: PhoneFinding[] = [];
  // Cheap test first: most messages have almost no digits.
  if (fewDigits(text) && !hasNumberWord(text) && !CONFUSABLE_NEAR_DIGIT.test(text)) return out;
  const norm = normaliseForPhones(text);
  const t = norm.text;
  const walls = new Uint8Array(t.length);
  for (const [a, b] of decoySpans(t)) walls.fill(1, a, b);
  const callingCode = getCountryCallingCode(region as CountryCode);
  const trunk = nationalTrunk(region);
  const budget = { left: MAX_VALIDATIONS };
  for (const run of digitRuns(t, walls)) {
    let total = 0;
    for (const g of run) total += g.digits.length;
    if (total < MIN_DIGITS - 1) continue;
    for (let s = 0; s < run.length; s++) {
      const c = numberAt(t, run, s, region, trunk, callingCode, budget);
      if (!c) continue;
      if (rejected(t, c)) continue;
      const span = originalSpan(norm, c.from, c.to);
      out.push({
        kind: 'phone', value: c.parsed.number, numberType: c.parsed.getType() ?? null, country: c.parsed.country ?? null,
        display: redactPhone(c.parsed.number, c.parsed.countryCallingCode), start: span.start, end: span.end,
      });
      while (s + 1 < run.length && run[s + 1].start < c.to) s++;
    }
  }
  WA_LINK.lastIndex = 0;
  for (let m = WA_LINK.exec(t); m; m = WA_LINK.exec(t)) {
    const from = m.index + m[0].length - m[1].length;
    const span = originalSpan(norm, from, m.index + m[0].length);
    if (out.some((f) => f.start < span.end && f.end > span.start)) continue;
    const p = parseCached(region, `+${m[1]}`, budget);
    if (!p) continue;
    out.push({ kind: 'phone', value: p.n.number, numberType: p.n.getType() ?? null, country: p.n.country ?? null,
      display: redactPhone(p.n.number, p.n.countryCallingCode), start: span.start, end: span.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Characters that are a digit however written (any script, superscript, circled). */
const DIGIT_LIKE = /[\p{Nd}\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u2473\u24ea-\u24ff\u2776-\u2793]/gu;
/** A number may have a few digits written as letters ("O6", "nul"), not more. */
const MIN_REAL_DIGITS = 5;

function fewDigits(text: string): boolean {
  DIGIT_LIKE.lastIndex = 0;
  let n = 0;
  while (DIGIT_LIKE.exec(text)) if (++n >= MIN_REAL_DIGITS) return false;
  return true;
}

/** WhatsApp click-to-chat links carry the number in international form without "+": wa.me/4915112345678. */
const WA_LINK = /(?:wa\.me\/|whatsapp\.com\/send\/?\?phone=)\+?(\d{7,15})(?!\d)/gi;

/** Context that says the digits are not a phone number. */
function rejected(t: string, c: Candidate): boolean {
  const before = t.slice(Math.max(0, c.from - 40), c.from);
  if (NOT_A_PHONE_BEFORE.test(before)) return true;
  // "#0612345678" is a reference, "12.0612345678" part of a bigger figure.
  const prev = t[c.from - 1];
  if (prev === '#' || prev === '€' || prev === '$') return true;
  if (/[\d][.,]$/.test(before)) return true;
  // A t.me/+ link is a phone link only when nothing but the number follows.
  if (/(?:t|telegram)\.me\/\+?$/i.test(before) && /^[\w-]/.test(t.slice(c.to))) return true;
  return false;
}

/**
 * Normalises one string that should be a whole phone number (e.g. a shared contact's `phone_number`) to E.164,
 * or returns null when it is not a valid number.
 * @example normalisePhone('06 12 34 56 78') // '+31612345678'
 */
export function normalisePhone(text: string, options: PhoneFinderOptions = {}): PhoneFinding | null {
  let found = findPhoneNumbers(text, options);
  // Contact cards sometimes hold the number as bare international digits ("4915112345678").
  if (found.length === 0 && /^\s*\d{8,15}\s*$/.test(text) && !text.trim().startsWith('0')) found = findPhoneNumbers(`+${text.trim()}`, options).map((f) => ({ ...f, start: 0, end: text.length }));
  if (found.length !== 1) return null;
  return text.slice(0, found[0].start).trim() === '' && text.slice(found[0].end).trim() === '' ? found[0] : null;
}
