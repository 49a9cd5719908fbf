/**
 * What the identifier finders return: a phone number or a social-media handle found in free text, already
 * normalised (E.164; lower-case handle with its platform) and with a redacted form for display.
 * The normalised value is personal data: callers store only its keyed hash (see io/crypto) and `display`.
 */

export type Platform = 'instagram' | 'snapchat' | 'tiktok';

/** Where in the text a finding was, as UTF-16 offsets (end exclusive), as String.prototype.slice takes them. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface PhoneFinding extends TextSpan {
  kind: 'phone';
  /** E.164, e.g. "+31612345678". Personal data: hash before storing. */
  value: string;
  /** The number type libphonenumber gives (MOBILE, FIXED_LINE, ...), or null when it cannot tell. */
  numberType: string | null;
  /** ISO country of the number, when known. */
  country: string | null;
  /** Redacted for display, e.g. "+31 6 •••• ••78". Safe to store and show. */
  display: string;
}

export interface HandleFinding extends TextSpan {
  kind: 'handle';
  platform: Platform;
  /** The user name in lower case without "@", e.g. "jane.doe". Personal data: hash before storing. */
  value: string;
  /** Redacted for display, e.g. "ig:@j••••e". Safe to store and show. */
  display: string;
  /** How it was written: a profile URL, or a platform word next to a name. */
  via: 'url' | 'label';
}

export type IdentifierFinding = PhoneFinding | HandleFinding;

/**
 * The one string per identifier that is keyed-hashed for storage: "phone:+31612345678",
 * "handle:instagram:jane.doe". The prefix keeps a phone and a handle with the same characters apart.
 * @example identifierKey({ kind: 'phone', value: '+31612345678', ... }) // 'phone:+31612345678'
 */
export function identifierKey(f: Pick<PhoneFinding, 'kind' | 'value'> | Pick<HandleFinding, 'kind' | 'value' | 'platform'>): string {
  return f.kind === 'phone' ? `phone:${f.value}` : `handle:${(f as HandleFinding).platform}:${f.value}`;
}
