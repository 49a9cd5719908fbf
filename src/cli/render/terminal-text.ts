/**
 * What the CLI writes to a terminal, made safe: text from an export, a file name or a bank can hold terminal
 * control sequences (ESC, BEL, CSI...) that would rewrite or hide lines, and bidirectional overrides that make
 * text read differently from what it is. Every printer of the CLI passes its text through `safeTerminalText`
 * (writeLine and printNote do it), so no untrusted string reaches the terminal raw.
 *
 * Dangerous characters are shown escaped as `\uXXXX`. That is also how JSON writes them, so a JSON line stays
 * valid JSON with the same value after this function (JSON.stringify never leaves C0 controls raw).
 */

/** C0 controls except tab, DEL, C1 controls, bidi embeddings/overrides/isolates and marks, line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One line of text made safe to print: controls and bidi formatting characters escaped (a line break too, so one
 * untrusted value cannot forge a second line).
 * @example safeTerminalText('a\u001b[2Jb') // 'a\\u001b[2Jb'
 */
export function safeTerminalText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Writes lines of diagnostics (notices, warnings, summaries) to stderr, each made safe. */
export function printNote(text: string): void {
  process.stderr.write(`${text.split('\n').map(safeTerminalText).join('\n')}\n`);
}
