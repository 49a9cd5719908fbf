/**
 * One call that finds every phone number and handle in a piece of text, with handles' URLs never also counted
 * as phone numbers (a TikTok name of digits is a name).
 */
import { findHandles } from './handle-finder.js';
import type { IdentifierFinding } from './identifier.js';
import { findPhoneNumbers, type PhoneFinderOptions } from './phone-finder.js';

export type IdentifierOptions = PhoneFinderOptions;

/**
 * Text examined per message, in UTF-16 units: identifiers after this point are not found (a real message is far
 * shorter; a hostile one cannot make the finders take longer). Callers tell the user when a text was cut.
 */
export const MAX_TEXT_EXAMINED = 64 * 1024;

/** True when findIdentifiers looks at only the first MAX_TEXT_EXAMINED units of this text. */
export function isCutForFinding(text: string): boolean {
  return text.length > MAX_TEXT_EXAMINED;
}

/**
 * Phone numbers and handles in the text, ordered by position.
 * @example findIdentifiers('bel 0612345678 / insta: jane.doe').map((f) => f.display) // ['+31 6 •••• ••78', 'ig:@j••••e']
 */
export function findIdentifiers(whole: string, options: IdentifierOptions = {}): IdentifierFinding[] {
  const text = isCutForFinding(whole) ? whole.slice(0, MAX_TEXT_EXAMINED) : whole;
  const handles = findHandles(text);
  const phones = findPhoneNumbers(text, options).filter((p) => !handles.some((h) => p.start < h.end && p.end > h.start));
  return [...phones, ...handles].sort((a, b) => a.start - b.start);
}

/**
 * The text with every phone number and handle the finders see replaced by its redacted form. Precise, like the
 * finders: for untrusted text that is stored, printed or rendered use redactUntrusted, which hides more.
 * @example redactIdentifiers('photos/0612345678.jpg: not an image') // 'photos/+31 6 •••• ••78.jpg: not an image'
 */
export function redactIdentifiers(text: string, options: IdentifierOptions = {}): string {
  let out = text;
  for (const f of findIdentifiers(text, options).reverse()) out = out.slice(0, f.start) + f.display + out.slice(f.end);
  return out;
}
