/**
 * Identifiers in free text: phone numbers and social-media handles, normalised and redacted for display.
 */
export * from './identifier.js';
export * from './redact.js';
export * from './phone-finder.js';
export * from './handle-finder.js';
export * from './find-identifiers.js';
export * from './normalise-text.js';
export * from './redact-untrusted.js';
