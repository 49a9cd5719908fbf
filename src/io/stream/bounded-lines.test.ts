import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedLineBatches, boundedLines, OVERLONG_LINE } from './bounded-lines.js';

async function collect(chunks: (string | Uint8Array)[], maxLineChars = 1000, maxTotalBytes = 1e9): Promise<string[]> {
  const out: string[] = [];
  for await (const l of boundedLines(chunks, { maxLineChars, maxTotalBytes })) out.push(l);
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

  /** The lines of these chunks, an over-long line named with its length. */
  async function lines(chunks: Uint8Array[], max: number): Promise<string[]> {
    const out: string[] = [];
    for await (const b of boundedLineBatches(chunks, { maxLineChars: max, overlong: (n) => `<${n}>` })) out.push(...b);
    return out;
  }
  const cutsOf = (bytes: Uint8Array, cuts: number[]) => {
    const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    return [0, ...at].map((from, k) => bytes.subarray(from, k < at.length ? at[k] : bytes.length));
  };

  it('counts an over-long line whole, however many chunks it spans', async () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', '\r'), maxLength: 40, size: 'max' });
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(400), { maxLength: 30, size: 'max' }), async (rows, cuts) => {
      const bytes = Buffer.from(rows.map((l) => `${l}\n`).join(''));
      expect(await lines(cutsOf(bytes, cuts), 10)).toEqual(rows.map((l) => (l.length > 10 ? `<${l.length}>` : l.endsWith('\r') ? l.slice(0, -1) : l)));
    }), { numRuns: 300 });
  });

  it('reads bytes that are not valid UTF-8 the same whatever the chunks (a character cut off by an ASCII chunk included)', async () => {
    const byte = fc.constantFrom(0x61, 0x0a, 0x0d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0x80);
    await fc.assert(fc.asyncProperty(fc.array(byte, { maxLength: 40 }), fc.array(fc.nat(100), { maxLength: 10 }), async (raw, cuts) => {
      const bytes = Uint8Array.from(raw);
      expect(await lines(cutsOf(bytes, cuts), 1000)).toEqual(await lines([bytes], 1000));
    }), { numRuns: 500 });
  });
});
