/**
 * Lines of a file or of standard input, for commands that read one item per line (`bank import`, `match -`).
 * Bounded: a line longer than MAX_INPUT_LINE_CHARS is not kept whole (a file without line breaks would otherwise be
 * held in memory entire); it is replaced by a short text saying so, which the importer then names as a bad line.
 */
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { LineBatches } from '../services/bank-import.js';

/** Longest input line kept: a vPDQ JSON line of an hour of video at 1 frame per second is about 400 KB. */
export const MAX_INPUT_LINE_CHARS = 4 * 2 ** 20;

/**
 * Splits a byte stream into lines ("\n" or "\r\n"), cutting over-long ones.
 * @example for await (const line of splitLines(process.stdin)) ...
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>, maxChars = MAX_INPUT_LINE_CHARS): AsyncGenerator<string> {
  for await (const batch of splitLineBatches(input, maxChars)) yield* batch;
}

/**
 * The lines of splitLines, a chunk's worth at a time (one await per chunk, not per line: what a 10M-line import
 * reads). A batch may be empty.
 * @example for await (const lines of splitLineBatches(createReadStream(file))) for (const line of lines) ...
 */
export async function* splitLineBatches(input: AsyncIterable<Buffer | string>, maxChars = MAX_INPUT_LINE_CHARS): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let dropped = 0;
  const finish = (line: string): string => {
    const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    if (dropped === 0) return text;
    const total = text.length + dropped;
    dropped = 0;
    return `(a line of ${total} characters, over the limit of ${maxChars}: skipped)`;
  };
  // Whether the decoder may hold the first bytes of a character: only when the last chunk it read ended in one.
  let pending = false;
  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else if (!pending && isAscii(chunk)) text = chunk.toString('latin1'); // ASCII (every hash list): a copy, no UTF-8 decoding
    else {
      text = decoder.write(chunk);
      pending = chunk.length > 0 && chunk[chunk.length - 1] >= 0x80;
    }
    const batch: string[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (carry.length === 0) {
        batch.push(finish(nl - from > maxChars ? keep(text.slice(from, nl)) : text.slice(from, nl)));
      } else {
        const piece = text.slice(from, nl);
        batch.push(finish(carry.length + piece.length > maxChars ? keep(piece) : carry + piece));
        carry = '';
      }
      from = nl + 1;
    }
    const rest = text.slice(from);
    carry = carry.length + rest.length > maxChars ? keep(rest) : carry + rest;
    yield batch;
  }
  carry += decoder.end();
  if (carry.length > 0 || dropped > 0) yield [finish(carry)];

  function keep(more: string): string {
    // Over the limit: count what is dropped, keep nothing more of this line.
    dropped += carry.length + more.length;
    carry = '';
    return '';
  }
}

/** Lines that can also be read a batch at a time (importBank takes them so). */
export interface BatchedLines extends AsyncIterable<string>, LineBatches {}

/** Lines of a file, or of standard input for "-". */
export function readLines(file: string): BatchedLines {
  const input = () => (file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 }));
  return {
    [Symbol.asyncIterator]: () => splitLines(input())[Symbol.asyncIterator](),
    batches: () => splitLineBatches(input()),
  };
}
