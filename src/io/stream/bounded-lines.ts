/**
 * Lines of a byte stream (UTF-8, LF or CRLF) with bounds: a line longer than maxLineBytes is not kept in memory
 * (it comes out as a short marker text that no parser accepts, so it is reported by its line number), and more
 * than maxTotalBytes in all stops the stream with a too_large error.
 */
import { StringDecoder } from 'node:string_decoder';
import { UnexposeError } from '../../core/errors.js';

export const OVERLONG_LINE = '\u0000(line too long)';

type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
type Limits = { maxLineBytes: number; maxTotalBytes: number };

/**
 * @example for await (const line of boundedLines(req.raw, { maxLineBytes: 1 << 20, maxTotalBytes: 1 << 30 })) …
 */
export async function* boundedLines(source: Source, limits: Limits): AsyncGenerator<string> {
  for await (const batch of boundedLineBatches(source, limits)) yield* batch;
}

/**
 * The lines of boundedLines, a chunk's worth at a time (one await per chunk of the body, not per line: what a
 * large import streams). A batch may be empty.
 * @example importBank(deps, name, { batches: () => boundedLineBatches(req.raw, limits) })
 */
export async function* boundedLineBatches(source: Source, limits: Limits): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let total = 0;
  let current = '';
  let overlong = false;
  const take = (text: string): string[] => {
    const out: string[] = [];
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const piece = nl < 0 ? text.slice(from) : text.slice(from, nl);
      if (!overlong) {
        current += piece;
        if (current.length > limits.maxLineBytes) {
          overlong = true;
          current = '';
        }
      }
      if (nl < 0) return out;
      out.push(overlong ? OVERLONG_LINE : current.endsWith('\r') ? current.slice(0, -1) : current);
      current = '';
      overlong = false;
      from = nl + 1;
    }
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    total += bytes;
    if (total > limits.maxTotalBytes) throw new UnexposeError('too_large', `the body is larger than the limit of ${limits.maxTotalBytes} bytes`);
    yield take(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)));
  }
  const last = take(decoder.end());
  if (overlong) last.push(OVERLONG_LINE);
  else if (current !== '') last.push(current.endsWith('\r') ? current.slice(0, -1) : current);
  yield last;
}
