/**
 * One call that finds every phone number and handle in a piece of text, with handles' URLs never also counted
 * as phone numbers (a TikTok name of digits is a name).
 */
import { findHandles } from './handle-finder.js';
import type { IdentifierFinding } from './identifier.js';
import { findPhoneNumbers, type PhoneFinderOptions } from './phone-finder.js';

export type IdentifierOptions = PhoneFinderOptions;

/**
 * Phone numbers and handles in the text, ordered by position.
 * @example findIdentifiers('bel 0612345678 / insta: jane.doe').map((f) => f.display) // ['+31 6 •••• ••78', 'ig:@j••••e']
 */
export function findIdentifiers(text: string, options: IdentifierOptions = {}): IdentifierFinding[] {
  const handles = findHandles(text);
  const phones = findPhoneNumbers(text, options).filter((p) => !handles.some((h) => p.start < h.end && p.end > h.start));
  return [...phones, ...handles].sort((a, b) => a.start - b.start);
}
