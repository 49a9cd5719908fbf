/**
 * Lines of a file or of standard input, for commands that read one item per line (`bank import`, `match -`).
 * Bounded: a line longer than MAX_INPUT_LINE_CHARS is not kept whole (a file without line breaks would otherwise be
 * held in memory entire); it is replaced by a short text saying so, which the importer then names as a bad line.
 */
import { createReadStream } from 'node:fs';
import type { LineBatches } from '../services/bank-import.js';
import { boundedLineBatches, boundedLines, type LineLimits } from '../services/face-imports.js';

/** Longest input line kept: a vPDQ JSON line of an hour of video at 1 frame per second is about 400 KB. */
export const MAX_INPUT_LINE_CHARS = 4 * 2 ** 20;

/**
 * Splits a byte stream into lines ("\n" or "\r\n"), cutting over-long ones.
 * @example for await (const line of splitLines(process.stdin)) ...
 */
export function splitLines(input: AsyncIterable<Buffer | string>, maxChars = MAX_INPUT_LINE_CHARS): AsyncGenerator<string> {
  return boundedLines(input, limits(maxChars));
}

/**
 * The lines of splitLines, a chunk's worth at a time (one await per chunk, not per line: what a 10M-line import
 * reads). A batch may be empty. The splitting is the server's (boundedLineBatches); an over-long line is named here
 * with its length.
 * @example for await (const lines of splitLineBatches(createReadStream(file))) for (const line of lines) ...
 */
export function splitLineBatches(input: AsyncIterable<Buffer | string>, maxChars = MAX_INPUT_LINE_CHARS): AsyncGenerator<string[]> {
  return boundedLineBatches(input, limits(maxChars));
}

/** The bounds of the CLI's lines: an over-long line is named with its length. */
function limits(maxChars: number): LineLimits {
  return { maxLineChars: maxChars, overlong: (chars) => `(a line of ${chars} characters, over the limit of ${maxChars}: skipped)` };
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
