/**
 * Validation of phone-number candidates with libphonenumber-js (full metadata), made cheap enough to run on every
 * digit run: a cache of results per digit string, a regular-expression pre-check with the country's national
 * number pattern, and a per-text budget of full validations. Also the region's trunk prefix.
 */
import { getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/** Validated digit strings kept per region (a cache, bounded). */
const MAX_CACHE = 20_000;

export type Parsed = { n: PhoneNumber } | null;
const caches = new Map<string, Map<string, Parsed>>();

/**
 * Full validation costs ~20-100 µs a candidate; a regular expression of the country's national number
 * pattern rules out most digit strings in a microsecond first.
 */
const nsnPatterns = new Map<string, RegExp | null>();

export function nsnPattern(callingCode: string): RegExp | null {
  let re = nsnPatterns.get(callingCode);
  if (re === undefined) {
    const m = new Metadata() as unknown as { selectNumberingPlan(c: string): void; numberingPlan?: { nationalNumberPattern(): string } };
    try {
      m.selectNumberingPlan(callingCode);
      const p = m.numberingPlan?.nationalNumberPattern();
      re = p ? new RegExp(`^(?:${p})$`) : null;
    } catch {
      re = null;
    }
    nsnPatterns.set(callingCode, re);
  }
  return re;
}

/** Could these international digits (no "+") be a number? Some calling code of 1-3 digits must take the rest. */
export function plausibleInternational(digits: string): boolean {
  for (let k = 1; k <= 3; k++) {
    const re = nsnPattern(digits.slice(0, k));
    if (re && re.test(digits.slice(k))) return true;
  }
  return false;
}

/** Validates with libphonenumber, cached; a cache miss costs one unit of the text's budget (none left: null). */
export function parseCached(region: string, input: string, budget: { left: number }): Parsed {
  let cache = caches.get(region);
  if (!cache) caches.set(region, (cache = new Map()));
  let p = cache.get(input);
  if (p !== undefined) return p;
  if (budget.left <= 0) return null;
  budget.left--;
  const n = parsePhoneNumberFromString(input, region as CountryCode);
  p = n && n.isValid() ? { n } : null;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(input, p);
  return p;
}

const trunkCache = new Map<string, string>();

/** The region's national (trunk) prefix, e.g. "0" for NL, "" where there is none. */
export function nationalTrunk(region: string): string {
  let p = trunkCache.get(region);
  if (p === undefined) {
    const m = new Metadata();
    m.selectNumberingPlan(region as CountryCode);
    // nationalPrefix() exists at run time but is missing from the published types.
    const plan = m.numberingPlan as unknown as { nationalPrefix(): string | undefined } | undefined;
    p = plan?.nationalPrefix() ?? '';
    trunkCache.set(region, p);
  }
  return p;
}

/**
 * Whether a digit string, however it is read, could be someone's phone number: with "+" before it, with the
 * region's trunk prefix, or as written. For conservative redaction, which hides a long digit run unless it
 * cannot be a number (a byte count of 25165824 stays readable; 31612345678 does not).
 * @example couldBePhoneNumber('31612345678') // true
 */
export function couldBePhoneNumber(digits: string, options: { defaultRegion?: string } = {}): boolean {
  const region = (options.defaultRegion ?? 'NL').toUpperCase();
  if (!isSupportedCountry(region) || !/^\d{1,20}$/.test(digits)) return true;
  const budget = { left: 4 };
  const trunk = nationalTrunk(region);
  const tries = [`+${digits}`, digits, `${trunk}${digits}`, digits.startsWith('00') ? `+${digits.slice(2)}` : ''];
  return tries.some((t) => t !== '' && parseCached(region, t, budget) !== null);
}
