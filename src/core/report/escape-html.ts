/**
 * Escapes text for HTML content and attribute values: chat names and file names are untrusted input. Besides
 * the five HTML specials, bidirectional formatting characters (overrides, embeddings, isolates, marks) and
 * control characters are shown escaped as `[U+202E]`, so a name cannot make itself read backwards or hide text;
 * names are also wrapped in <bdi> by `isolated` so that a right-to-left name cannot reorder what follows it.
 */

// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * HTML-escaped text with bidi and control characters made visible.
 * @example escapeHtml('<b>\u202Eabc') // '&lt;b&gt;[U+202E]abc'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => SPECIAL[c]!)
    .replace(HIDDEN, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/**
 * Untrusted text (a name, a label) as an isolated run: escaped, and in <bdi> so its direction stays its own.
 * @example isolated('קבוצה') // '<bdi>קבוצה</bdi>'
 */
export function isolated(text: string): string {
  return `<bdi>${escapeHtml(text)}</bdi>`;
}
