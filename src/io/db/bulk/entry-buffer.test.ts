import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EntryBuffer } from './entry-buffer.js';
import type { StagedEntry } from './entry-bulk-load.js';

const row = (signalType: string, key: string, quality: number | null = null, sourceRef: string | null = null): StagedEntry =>
  ({ signalType, key, longSignal: null, quality, sourceRef, labels: null, display: null });

/** The reference: (type, key) order by bytes, the first row of each key. */
function expected(rows: StagedEntry[]): number[] {
  const first = new Map<string, number>();
  rows.forEach((r, i) => { if (!first.has(`${r.signalType}\n${r.key}`)) first.set(`${r.signalType}\n${r.key}`, i); });
  return [...first.values()].sort((a, b) => Buffer.compare(Buffer.from(`${rows[a].signalType}\n${rows[a].key}`), Buffer.from(`${rows[b].signalType}\n${rows[b].key}`)));
}

describe('EntryBuffer', () => {
  it('gives the rows in (type, key) order, each key once, the first of repeated keys', () => {
    const rows: StagedEntry[] = [];
    for (let i = 0; i < 3000; i++) rows.push(row('pdq', randomBytes(32).toString('hex'), i % 101));
    // Keys sharing their first 7 (and more) digits, and repeats of earlier keys with other fields.
    for (let i = 0; i < 200; i++) rows.push(row('pdq', `abcdef0${i % 3}${randomBytes(28).toString('hex')}${'0'.repeat(6)}`.slice(0, 64)));
    for (let i = 0; i < 300; i++) rows.push(row('pdq', rows[i * 7].key, 3, 'later'));
    for (let i = 0; i < 100; i++) rows.push(row('md5', randomBytes(16).toString('hex')));
    rows.push(row('md5', rows[rows.length - 1].key, 1));
    const b = new EntryBuffer();
    for (const r of rows) expect(b.push(r)).toBe(true);
    const order = [...b.sortedUnique()];
    expect(order).toEqual(expected(rows));
    for (const i of order) expect(b.row(i)).toEqual(rows[i]);
  });

  it('orders a load big enough for the bucket pass like the reference, repeats and shared prefixes included', () => {
    const rows: StagedEntry[] = [];
    for (let i = 0; i < 70_000; i++) rows.push(row('pdq', randomBytes(32).toString('hex'), i % 101));
    // Keys equal in their first 7 digits (one bucket, one run), and in all but the last digit.
    for (let i = 0; i < 500; i++) rows.push(row('pdq', `0000000${randomBytes(29).toString('hex')}`.slice(0, 64)));
    for (let i = 0; i < 16; i++) rows.push(row('pdq', `${'f'.repeat(63)}${i.toString(16)}`));
    for (let i = 0; i < 2000; i++) rows.push(row('pdq', rows[(i * 37) % rows.length].key, 7));
    const b = new EntryBuffer();
    for (const r of rows) b.push(r);
    expect([...b.sortedUnique()]).toEqual(expected(rows));
  });

  it('orders keys that are not hex (a long value\'s sha256: key, other text) by their bytes', () => {
    const rows = [row('vpdq', 'sha256:ff'), row('vpdq', 'sha256:0a'), row('vpdq', 'sha'), row('x', 'Zeta'), row('x', 'alpha'), row('x', 'Zeta', 5),
      row('x', 'ab'), row('x', 'a'), row('pdq', '0'.repeat(64), 1, 'ref, "quoted"')];
    const b = new EntryBuffer();
    for (const r of rows) b.push(r);
    const order = [...b.sortedUnique()];
    expect(order).toEqual(expected(rows));
    expect(order.map((i) => b.row(i))).toEqual(expected(rows).map((i) => rows[i]));
  });

  it('refuses a row it cannot hold as bytes, so the load stages it instead', () => {
    const b = new EntryBuffer();
    expect(b.push(row('pdq', 'ключ'))).toBe(false);
    expect(b.push(row('pdq', 'tab\there'))).toBe(false);
    expect(b.size).toBe(0);
  });
});
