/**
 * Lines of a byte stream (UTF-8, LF or CRLF), with bounds, for every face that reads one item a line (`bank import`
 * and `match -` in the CLI, the server's bank import): a line longer than maxLineChars is not kept in memory (it comes
 * out as a short text saying so, which no parser accepts, so it is reported by its line number), and more than
 * maxTotalBytes in all stops the stream with a too_large error.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { UnexposeError } from '../../core/errors.js';

/** What an over-long line becomes unless the caller says otherwise. */
export const OVERLONG_LINE = '\u0000(line too long)';

type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface LineLimits {
  /** Longest line kept, in characters (a final CR counted). */
  maxLineChars: number;
  /** Bytes in all before the stream stops with too_large (default: no limit). */
  maxTotalBytes?: number;
  /** The text that stands for a line over maxLineChars, from its length (default OVERLONG_LINE). */
  overlong?: (chars: number) => string;
}

/**
 * @example for await (const line of boundedLines(req.raw, { maxLineChars: 1 << 20, maxTotalBytes: 1 << 30 })) …
 */
export async function* boundedLines(source: Source, limits: LineLimits): AsyncGenerator<string> {
  for await (const batch of boundedLineBatches(source, limits)) yield* batch;
}

/**
 * The lines of boundedLines, a chunk's worth at a time (one await per chunk, not per line: what a 10M-line import
 * reads). A batch may be empty. An ASCII chunk (every hash list) is read as latin1: a copy, no UTF-8 decoding.
 * @example importBank(deps, name, { batches: () => boundedLineBatches(req.raw, limits) })
 */
export async function* boundedLineBatches(source: Source, limits: LineLimits): AsyncGenerator<string[]> {
  const { maxLineChars, maxTotalBytes = Infinity, overlong = () => OVERLONG_LINE } = limits;
  const decoder = new StringDecoder('utf8');
  // Whether the decoder may hold the first bytes of a character: only when the last chunk it read ended in one.
  let pending = false;
  let total = 0;
  /** The current line's start, from earlier chunks. */
  let carry = '';
  /** Characters of the current line so far once it went over the limit (then nothing of it is kept), else -1. */
  let dropped = -1;
  const endLine = (text: string, from: number, to: number): string => {
    if (dropped >= 0 || carry.length + (to - from) > maxLineChars) {
      const chars = (dropped >= 0 ? dropped : carry.length) + (to - from);
      carry = '';
      dropped = -1;
      return overlong(chars);
    }
    const line = carry.length === 0 ? text.slice(from, to) : carry + text.slice(from, to);
    carry = '';
    return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  };
  const take = (text: string): string[] => {
    const out: string[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      out.push(endLine(text, from, nl));
      from = nl + 1;
    }
    const rest = text.length - from;
    if (dropped >= 0) dropped += rest;
    else if (carry.length + rest > maxLineChars) {
      dropped = carry.length + rest;
      carry = '';
    } else if (rest > 0) carry += text.slice(from);
    return out;
  };
  for await (const chunk of source) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (total > maxTotalBytes) throw new UnexposeError('too_large', `the body is larger than the limit of ${maxTotalBytes} bytes`);
    if (typeof chunk === 'string') {
      yield take(chunk);
      continue;
    }
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (!pending && isAscii(bytes)) {
      yield take(bytes.toString('latin1'));
      continue;
    }
    const text = decoder.write(bytes);
    pending = bytes.length > 0 && bytes[bytes.length - 1] >= 0x80;
    yield take(text);
  }
  const last = take(decoder.end());
  if (dropped >= 0) last.push(overlong(dropped));
  else if (carry !== '') last.push(endLine('', 0, 0));
  yield last;
}
