import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, splitLineBatches, splitLines } from './read-lines.js';

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

describe('splitLineBatches', () => {
  // Lines of CSV-ish text (multi-byte characters too), joined by LF or CRLF, the last one with or without a break,
  // cut into chunks anywhere (inside a CRLF or a multi-byte character as well).
  const line = fc.string({ unit: fc.constantFrom('a', 'f', '0', ',', ' ', 'é', '€', '\r'), maxLength: 12 });
  it('gives the lines splitLines gives, whatever the chunks', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(line, fc.boolean()), { maxLength: 20 }), fc.boolean(), fc.array(fc.nat(40), { maxLength: 8 }),
      async (rows, lastBreak, cuts) => {
        const text = rows.map(([l, crlf], i) => `${l}${i < rows.length - 1 || lastBreak ? (crlf ? '\r\n' : '\n') : ''}`).join('');
        const bytes = Buffer.from(text);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, k) => bytes.subarray(from, k < at.length ? at[k] : bytes.length));
        const batched: string[] = [];
        for await (const b of splitLineBatches((async function* () { yield* chunks; })(), 10)) batched.push(...b);
        const single: string[] = [];
        for await (const l of splitLines((async function* () { yield bytes; })(), 10)) single.push(l);
        expect(batched).toEqual(single);
        // The reference: split on LF, drop one CR at the end of each line, no empty line after a final break.
        // A line over the limit (counted before the CR goes) is replaced by the note.
        const raw = text === '' ? [] : text.split('\n');
        if (text.endsWith('\n')) raw.pop();
        expect(single).toEqual(raw.map((l) => (l.length > 10 ? `(a line of ${l.length} characters, over the limit of 10: skipped)` : l.endsWith('\r') ? l.slice(0, -1) : l)));
      }), { numRuns: 300 });
  });

  it('reads a file a batch at a time or a line at a time, the same lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-lines-'));
    try {
      const file = path.join(dir, 'rows.csv');
      const rows = Array.from({ length: 50_000 }, (_, i) => `pdq,${i.toString(16).padStart(64, '0')},${i % 101},,`);
      writeFileSync(file, `${rows.join('\r\n')}\nlast without a break`);
      const batched: string[] = [];
      for await (const b of readLines(file).batches()) batched.push(...b);
      const single: string[] = [];
      for await (const l of readLines(file)) single.push(l);
      expect(batched).toEqual([...rows, 'last without a break']);
      expect(single).toEqual(batched);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
