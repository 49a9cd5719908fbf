/**
 * Finds phone numbers in free text (messages, file names, contact cards) with libphonenumber-js and its full
 * ("max") metadata, then drops what people write that merely looks like a number: order, invoice, tracking
 * and account numbers (by the word before them), digit runs without a trunk or international prefix, and
 * Telegram invite links that resemble `t.me/+<phone>` links. WhatsApp links (wa.me/31612345678) are read too.
 */
import { isSupportedCountry, Metadata, parsePhoneNumberFromString, searchPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { UnexposeError } from '../errors.js';
import type { PhoneFinding } from './identifier.js';
import { redactPhone } from './redact.js';

export const DEFAULT_PHONE_REGION = 'NL';

export interface PhoneFinderOptions {
  /** ISO 3166 region for numbers written without a country code (default NL). */
  defaultRegion?: string;
}

/**
 * Words that, right before a number, say it is not a phone number: "bestelnummer 0612345678",
 * "order #...", "factuur nr. ...", "IBAN ...", "KvK: ...", "track & trace ...".
 */
const NOT_A_PHONE_BEFORE =
  /(?:order|bestel|factuur|invoice|kvk|btw|vat|iban|rekening|account|klant|customer|referentie|reference|ref|track(?:ing)?|trace|zending|pakket|parcel|shipment|bsn|artikel|article|ticket|transactie|transaction|kenmerk|dossier|zaak|case|serial|serie|sku|ean|barcode|pin|pincode|code|id)\w*\.?(?:\s*(?:nr|nummer|number|no|num|id|code)\.?)?\s*[:#=.-]?\s*#?\s*$/i;

/** A date written inside the candidate ("00 13-10-1990", "06-12-2024 14"). */
const DATE_INSIDE = /(?:^|\D)(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})(?:\D|$)/;

const DATE_ANYWHERE = /\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}/g;

/** `t.me/+` (or telegram.me/+) directly before the number: a phone link only if only digits follow. */
const TME_PLUS_BEFORE = /(?:t|telegram)\.me\/$/i;

const nationalPrefixCache = new Map<string, string | undefined>();

function nationalPrefix(region: string): string | undefined {
  if (!nationalPrefixCache.has(region)) {
    const m = new Metadata();
    m.selectNumberingPlan(region as CountryCode);
    // nationalPrefix() exists at run time but is missing from the published types.
    const plan = m.numberingPlan as unknown as { nationalPrefix(): string | undefined } | undefined;
    nationalPrefixCache.set(region, plan?.nationalPrefix() || undefined);
  }
  return nationalPrefixCache.get(region);
}

/**
 * Cheap test before the costly search: some digit group must start with "+" or the region's trunk prefix
 * (or the text has a WhatsApp link). "bestelnummer 8976642836" fails it; "11 06 12 34 56 78" passes.
 */
function mayHoldDialable(text: string, region: string): boolean {
  if (/wa\.me\/|whatsapp\.com\//i.test(text)) return true;
  const prefix = nationalPrefix(region);
  if (prefix === undefined) return true;
  if (/\+\s?\(?\d/.test(text)) return true;
  for (let i = text.indexOf(prefix[0]); i >= 0; i = text.indexOf(prefix[0], i + 1)) {
    if (!/\d/.test(text.charAt(i - 1)) && text.startsWith(prefix, i) && /\d/.test(text.charAt(i + prefix.length))) return true;
  }
  return false;
}

/** Written with a prefix that makes it a dialable number: "+..", "00..", or the region's trunk prefix ("0.."). */
function hasDialPrefix(raw: string, region: string): boolean {
  const t = raw.replace(/^[\s(\[]+/, '');
  if (t.startsWith('+') || t.startsWith('00') || t.startsWith('＋')) return true;
  const prefix = nationalPrefix(region);
  return prefix === undefined ? true : t.startsWith(prefix);
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
  // libphonenumber's search costs ~75 µs a text: skip texts without 7 digits close together (no phone number has fewer).
  if (!ENOUGH_DIGITS.test(text) || !mayHoldDialable(text, region)) return out;
  scanRange(text, 0, text.length, region, out, 0);
  // WhatsApp click-to-chat links carry the number in international form without "+": wa.me/31612345678.
  WA_LINK.lastIndex = 0;
  for (let m = WA_LINK.exec(text); m; m = WA_LINK.exec(text)) {
    const start = m.index + m[0].length - m[1].length;
    const end = m.index + m[0].length;
    if (out.some((f) => f.start < end && f.end > start)) continue;
    const n = parsePhoneNumberFromString(`+${m[1]}`);
    if (!n?.isValid()) continue;
    out.push({ kind: 'phone', value: n.number, numberType: n.getType() ?? null, country: n.country ?? null, display: redactPhone(n.number, n.countryCallingCode), start, end });
  }
  // A run of digit groups where nothing was found may hold a number after a stray first group that made the
  // whole run invalid ("om 16:11 06 12 34 00 11"): try again from each of its next few group starts.
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m; m = DIGIT_RUN.exec(text)) {
    const runStart = m.index;
    const runEnd = m.index + m[0].length;
    if (out.some((f) => f.start < runEnd && f.end > runStart)) continue;
    // Only starts with at least seven digits after them can begin a phone number.
    const starts = [...m[0].matchAll(/[^\d+(][+(]?\d/g)]
      .map((g) => runStart + g.index + 1)
      .filter((st) => text.slice(st, runEnd).replace(/\D/g, '').length >= 7)
      .slice(0, MAX_RESCANS);
    const dates = [...m[0].matchAll(DATE_ANYWHERE)].map((d) => [runStart + d.index, runStart + d.index + d[0].length]);
    for (const st of starts) {
      const found: PhoneFinding[] = [];
      scanRange(text, st, runEnd, region, found, MAX_RESCANS);
      // Part of a date is not the start of a phone number ("01-05-1990 1000 AB").
      const kept = found.filter((f) => !dates.some(([a, b]) => f.start < b && f.end > a));
      out.push(...kept);
      if (found.length > 0) break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const ENOUGH_DIGITS = /(?:\d[\s().\-/\u00a0+\u2010-\u2015\u2212]{0,4}){6}\d/;

const WA_LINK = /(?:wa\.me\/|whatsapp\.com\/send\/?\?phone=)\+?(\d{7,15})(?!\d)/gi;

/** Digits with the separators people put between groups, long enough to hold a phone number. */
const DIGIT_RUN = /[+(]?\d[\d \u00a0().\-/\u2010-\u2015\u2212]{7,}\d/g;

/** A candidate that starts with a stray number ("om 16:11 06 12 34 00 11") is searched again without its first group. */
const MAX_RESCANS = 3;

function scanRange(text: string, from: number, to: number, region: string, out: PhoneFinding[], depth: number): void {
  const slice = text.slice(from, to);
  for (const found of searchPhoneNumbersInText(slice, { defaultCountry: region as CountryCode })) {
    const { number } = found;
    const startsAt = from + found.startsAt;
    const endsAt = from + found.endsAt;
    const raw = text.slice(startsAt, endsAt);
    // "00:00 13-10-1990": digits glued to a time or a decimal before them are not an international prefix.
    const gluedToTime = /\d[:.,]$/.test(text.slice(Math.max(0, startsAt - 2), startsAt));
    if (!hasDialPrefix(raw, region) || gluedToTime) {
      const firstGroup = /^[+(]?\d+[^\d]+/.exec(raw);
      if (firstGroup && depth < MAX_RESCANS) scanRange(text, startsAt + firstGroup[0].length, endsAt, region, out, depth + 1);
      continue;
    }
    if (DATE_INSIDE.test(raw)) continue;
    const before = text.slice(Math.max(0, startsAt - 40), startsAt);
    if (NOT_A_PHONE_BEFORE.test(before)) continue;
    if (TME_PLUS_BEFORE.test(before) || (raw.startsWith('+') && TME_PLUS_BEFORE.test(text.slice(Math.max(0, startsAt - 12), startsAt)))) {
      // An invite link t.me/+AbC12... shares the shape; only a pure digit run up to the next word end is a phone.
      if (/^[\w-]/.test(text.slice(endsAt))) continue;
    }
    if (/^[\w@]/.test(text.slice(endsAt)) && /[A-Za-z@]/.test(text.charAt(endsAt))) continue;
    out.push({
      kind: 'phone',
      value: number.number,
      numberType: number.getType() ?? null,
      country: number.country ?? null,
      display: redactPhone(number.number, number.countryCallingCode),
      start: startsAt,
      end: endsAt,
    });
  }
}

/**
 * Normalises one string that should be a whole phone number (e.g. a shared contact's `phone_number`) to E.164,
 * or returns null when it is not a valid number.
 * @example normalisePhone('06 12 34 56 78') // '+31612345678'
 */
export function normalisePhone(text: string, options: PhoneFinderOptions = {}): PhoneFinding | null {
  let found = findPhoneNumbers(text, options);
  // Contact cards sometimes hold the number as bare international digits ("31612345678").
  if (found.length === 0 && /^\s*\d{8,15}\s*$/.test(text) && !text.trim().startsWith('0')) found = findPhoneNumbers(`+${text.trim()}`, options).map((f) => ({ ...f, start: 0, end: text.length }));
  if (found.length === 1 && found[0].end === text.length && found[0].start === 0) return found[0];
  return found.length === 1 && text.slice(0, found[0].start).trim() === '' && text.slice(found[0].end).trim() === '' ? found[0] : null;
}
