/**
 * Lines of a file or of standard input, for commands that read one item per line (`bank import`, `match -`).
 * Bounded: a line longer than MAX_INPUT_LINE_CHARS is not kept whole (a file without line breaks would otherwise be
 * held in memory entire); it is replaced by a short text saying so, which the importer then names as a bad line.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Longest input line kept: a vPDQ JSON line of an hour of video at 1 frame per second is about 400 KB. */
export const MAX_INPUT_LINE_CHARS = 4 * 2 ** 20;

/**
 * Splits a byte stream into lines ("\n" or "\r\n"), cutting over-long ones.
 * @example for await (const line of splitLines(process.stdin)) ...
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>, maxChars = MAX_INPUT_LINE_CHARS): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let dropped = 0;
  const finish = (line: string): string => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (dropped === 0) return text;
    const total = text.length + dropped;
    dropped = 0;
    return `(a line of ${total} characters, over the limit of ${maxChars}: skipped)`;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const piece = text.slice(from, nl);
      yield finish(carry.length + piece.length > maxChars ? keep(piece) : carry + piece);
      carry = '';
      from = nl + 1;
    }
    const rest = text.slice(from);
    carry = carry.length + rest.length > maxChars ? keep(rest) : carry + rest;
  }
  carry += decoder.end();
  if (carry.length > 0 || dropped > 0) yield finish(carry);

  function keep(more: string): string {
    // Over the limit: count what is dropped, keep nothing more of this line.
    dropped += carry.length + more.length;
    carry = '';
    return '';
  }
}

/** Lines of a file, or of standard input for "-". */
export function readLines(file: string): AsyncIterable<string> {
  return splitLines(file === '-' ? process.stdin : createReadStream(file));
}
