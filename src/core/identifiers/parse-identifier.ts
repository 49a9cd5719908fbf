/**
 * One identifier written on its own, as a victim registers it ("+31 6 12345678", "instagram:jane.doe",
 * "@jane.doe" with a platform): normalised exactly as the finders normalise what they find in chats, so that its
 * keyed hash equals the hash of every finding of it. Errors never repeat the identifier (it is personal data).
 */
import { InvalidSignalError } from '../errors.js';
import { normaliseHandle } from './handle-finder.js';
import { identifierKey, type HandleFinding, type PhoneFinding, type Platform } from './identifier.js';
import { normalisePhone, type PhoneFinderOptions } from './phone-finder.js';
import { redactHandle } from './redact.js';

const PLATFORM_WORDS: Record<string, Platform> = {
  instagram: 'instagram', insta: 'instagram', ig: 'instagram',
  snapchat: 'snapchat', snap: 'snapchat', sc: 'snapchat',
  tiktok: 'tiktok', tt: 'tiktok',
};

export interface ParsedIdentifier {
  kind: 'phone' | 'handle';
  platform: Platform | null;
  /** "phone:+31612345678" or "handle:instagram:jane.doe": the text that is keyed-hashed. Personal data. */
  key: string;
  /** Redacted for display; safe to store. */
  display: string;
}

/**
 * The platform named by a word (instagram, insta, ig, snapchat, snap, sc, tiktok, tt), or undefined.
 * @example platformOf('IG') // 'instagram'
 */
export function platformOf(word: string): Platform | undefined {
  return PLATFORM_WORDS[word.trim().toLowerCase()];
}

function handle(platform: Platform, written: string): ParsedIdentifier {
  const name = normaliseHandle(platform, written);
  if (name === null) throw new InvalidSignalError(`not a ${platform} name (check the characters and length)`);
  const f: Pick<HandleFinding, 'kind' | 'platform' | 'value'> = { kind: 'handle', platform, value: name };
  return { kind: 'handle', platform, key: identifierKey(f), display: redactHandle(platform, name) };
}

/**
 * Parses a phone number or a handle. `kind` forces one; `platform` names a handle's platform when the text does
 * not ("@jane.doe"). Phone numbers without a country code are read in `defaultRegion` (default NL).
 * @example parseIdentifier('06 12345678').display // '+31 6 •••• ••78'
 */
export function parseIdentifier(text: string, opts: PhoneFinderOptions & { kind?: 'phone' | 'handle'; platform?: Platform } = {}): ParsedIdentifier {
  const t = text.trim();
  const labelled = /^([A-Za-z]+)\s*[:=]\s*(.+)$/.exec(t);
  if (opts.kind !== 'phone' && labelled && platformOf(labelled[1])) return handle(platformOf(labelled[1])!, labelled[2]);
  if (opts.kind === 'handle' || (opts.kind === undefined && t.startsWith('@'))) {
    if (!opts.platform) throw new InvalidSignalError('a handle needs its platform: write platform:name (instagram, snapchat, tiktok)');
    return handle(opts.platform, t);
  }
  const phone: PhoneFinding | null = normalisePhone(t, opts);
  if (phone) return { kind: 'phone', platform: null, key: identifierKey(phone), display: phone.display };
  throw new InvalidSignalError(opts.kind === 'phone'
    ? 'not a phone number (write it with its country code, e.g. +31 6 ...)'
    : 'not a phone number or handle (write +country number, or platform:name such as instagram:name)');
}
