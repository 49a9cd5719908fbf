import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedLines, OVERLONG_LINE } from './bounded-lines.js';

async function collect(chunks: (string | Uint8Array)[], maxLineBytes = 1000, maxTotalBytes = 1e9): Promise<string[]> {
  const out: string[] = [];
  for await (const l of boundedLines(chunks, { maxLineBytes, maxTotalBytes })) out.push(l);
  return out;
}

describe('boundedLines', () => {
  it('splits LF and CRLF lines across chunk borders, multi-byte characters included', async () => {
    const bytes = Buffer.from('a,b\r\nhé\nlast');
    expect(await collect([bytes.subarray(0, 6), bytes.subarray(6)])).toEqual(['a,b', 'hé', 'last']);
  });

  it('replaces an overlong line by a marker and goes on', async () => {
    expect(await collect(['short\n', 'x'.repeat(50), 'y'.repeat(50), '\nnext\n'], 60)).toEqual(['short', OVERLONG_LINE, 'next']);
  });

  it('stops with too_large past the total limit', async () => {
    await expect(collect(['aaaa\n', 'bbbb\n', 'cccc\n'], 100, 12)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('gives back the lines of any text split anywhere', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\n') && !s.includes('\r')), { minLength: 1, maxLength: 20 }), fc.nat(), async (lines, cut) => {
      const bytes = Buffer.from(lines.join('\n'));
      const at = bytes.length === 0 ? 0 : cut % bytes.length;
      const got = await collect([bytes.subarray(0, at), bytes.subarray(at)]);
      const want = lines.join('\n') === '' ? [] : lines;
      expect(got).toEqual(want.length && lines[lines.length - 1] === '' ? lines.slice(0, -1) : want);
    }));
  });
});
