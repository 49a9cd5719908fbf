/**
 * Finds phone numbers in free text (messages, file names, contact cards) with libphonenumber-js and its full
 * ("max") metadata, then drops what people write that merely looks like a number: order, invoice, tracking
 * and account numbers (by the word before them), digit runs without a trunk or international prefix, and
 * Telegram invite links that resemble `t.me/+<phone>` links.
 */
import { isSupportedCountry, Metadata, searchPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
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
  if (!/\d/.test(text)) return out;
  for (const found of searchPhoneNumbersInText(text, { defaultCountry: region as CountryCode })) {
    const { number, startsAt, endsAt } = found;
    const raw = text.slice(startsAt, endsAt);
    if (!hasDialPrefix(raw, region)) continue;
    if (DATE_INSIDE.test(raw)) continue;
    // "00:00 13-10-1990": digits glued to a time or a decimal before them are not an international prefix.
    if (/\d[:.,]$/.test(text.slice(Math.max(0, startsAt - 2), startsAt))) continue;
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
  return out;
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
