import { describe, expect, it } from 'vitest';
import { splitLines } from './read-lines.js';

async function lines(chunks: string[], max?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const l of splitLines((async function* () { for (const c of chunks) yield Buffer.from(c); })(), max)) out.push(l);
  return out;
}

describe('splitLines', () => {
  it('splits on LF and CRLF across chunks, keeping a last line without a break', async () => {
    expect(await lines(['a\r\nb', 'c\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
    expect(await lines(['é'.slice(0, 1), '\n'])).toEqual(['é']);
  });

  it('replaces a line over the limit by a short note, and goes on with the next', async () => {
    const got = await lines(['ok\n', 'x'.repeat(30), 'y'.repeat(30), '\nnext\n'], 50);
    expect(got).toEqual(['ok', '(a line of 60 characters, over the limit of 50: skipped)', 'next']);
  });
});
