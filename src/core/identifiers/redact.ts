/**
 * Redacted display forms of identifiers: enough to tell two findings apart in a report, not enough to call or
 * look anyone up. A phone keeps its country code, the first national digit and the last two digits; a handle
 * keeps its platform, first and last character, and hides its length.
 */
import type { Platform } from './identifier.js';

export const MASK = '•';

const PLATFORM_SHORT: Record<Platform, string> = { instagram: 'ig', snapchat: 'sc', tiktok: 'tt' };

/**
 * Redacts an E.164 number, grouping the hidden digits in fours from the right.
 * @example redactPhone('+31612345678', '31') // '+31 6 •••• ••78'
 */
export function redactPhone(e164: string, countryCallingCode: string): string {
  const digits = e164.replace(/\D/g, '');
  const cc = digits.startsWith(countryCallingCode) ? countryCallingCode : digits.slice(0, Math.min(3, digits.length - 1));
  const national = digits.slice(cc.length);
  if (national.length < 4) return `+${cc} ${MASK.repeat(national.length)}`;
  const head = national[0];
  const rest = national.slice(1);
  const masked = MASK.repeat(rest.length - 2) + rest.slice(-2);
  const groups: string[] = [];
  for (let end = masked.length; end > 0; end -= 4) groups.unshift(masked.slice(Math.max(0, end - 4), end));
  return `+${cc} ${head} ${groups.join(' ')}`;
}

/**
 * Redacts a normalised handle; the length is hidden (always four dots between first and last character).
 * @example redactHandle('instagram', 'jane.doe') // 'ig:@j••••e'
 */
export function redactHandle(platform: Platform, name: string): string {
  const chars = [...name];
  const body = chars.length <= 2 ? `${chars[0] ?? ''}${MASK.repeat(4)}` : `${chars[0]}${MASK.repeat(4)}${chars[chars.length - 1]}`;
  return `${PLATFORM_SHORT[platform]}:@${body}`;
}
