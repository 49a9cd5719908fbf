/**
 * `bank import` on both databases (the bulk path: rows held in memory and written in key order, or past the memory
 * budget a staging table, then one transaction): bad rows named and skipped
 * with the rest imported, duplicates (in the bank and in the file) stored once, an import stopped half-way leaving
 * the bank as it was, every new entry announced once, and export → import round-tripping every field.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLines } from '../../src/cli/read-lines.js';
import { describe, expect, it } from 'vitest';
import { type BankEntry } from '../../src/core/banks/bank.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import type { ChangedEntry } from '../../src/services/bank-changes.js';
import { exportBank } from '../../src/services/bank-export.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank, type BankDeps } from '../../src/services/bank-manage.js';
import { describeEachDialect } from './each-dialect.js';

/** A distinct PDQ-shaped value per i. */
const hex = (i: number) => {
  let x = (i * 2654435761 + 7) >>> 0;
  let out = '';
  for (let k = 0; k < 8; k++) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out;
};

async function entriesOf(repo: BankRepo, name: string): Promise<BankEntry[]> {
  const bank = await repo.requireBank(name);
  const out: BankEntry[] = [];
  for await (const e of repo.streamEntries(bank.id)) out.push(e);
  return out;
}

function recorder(): { listener: { entriesAdded(e: readonly ChangedEntry[]): void; entriesRemoved(): void }; added: ChangedEntry[] } {
  const added: ChangedEntry[] = [];
  return { listener: { entriesAdded: (e) => added.push(...e), entriesRemoved: () => undefined }, added };
}

describeEachDialect('bank_import', (open) => {
  describe('importBank', () => {
    it('imports the good rows, names the bad ones by line, and stores each value once', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const rec = recorder();
        const deps: BankDeps = { banks: repo, listeners: [rec.listener] };
        await createBank(deps, 'case', {});
        const csv = [
          'signal_type,signal,quality,labels,source_ref',
          `pdq,${hex(1)},90,victim;upload,case:1`,
          `pdq,${hex(2).slice(0, 60)},90,,`,
          `pdq,${hex(3)},101,,`,
          `pdq,${hex(1)},80,,`,
          `md5,${hex(4).slice(0, 32)},,,"ref, with comma"`,
          'nonsense,abc,,,',
          `pdq,${hex(5)},,"tab\there",`,
        ];
        const report = await importBank(deps, 'case', csv);
        expect(report).toMatchObject({ lines: 8, added: 3, duplicates: 1, skipped: 3 });
        expect(report.badLines.map((b) => b.line)).toEqual([3, 4, 7]);
        for (const b of report.badLines) expect(b.reason.length).toBeGreaterThan(5);
        const stored = await entriesOf(repo, 'case');
        expect(stored.map((e) => e.signal).sort()).toEqual([hex(1), hex(4).slice(0, 32), hex(5)].sort());
        const first = stored.find((e) => e.signal === hex(1));
        expect(first).toMatchObject({ quality: 90, labels: ['victim', 'upload'], sourceRef: 'case:1', addedBy: 'import' });
        expect(stored.find((e) => e.signalType === 'md5')?.sourceRef).toBe('ref, with comma');
        expect(stored.find((e) => e.signal === hex(5))?.labels).toEqual(['tab\there']);
        expect(rec.added.map((e) => e.id).sort((a, b) => a - b)).toEqual(stored.map((e) => e.id).sort((a, b) => a - b));

        const again = await importBank(deps, 'case', [hex(1), hex(6), hex(6)]);
        expect(again).toMatchObject({ added: 1, duplicates: 2, skipped: 0 });
        expect(rec.added.map((e) => e.signal).filter((s) => s === hex(6))).toHaveLength(1);
        expect(await entriesOf(repo, 'case')).toHaveLength(4);
      } finally {
        await close();
      }
    });

    it('imports a file read a chunk at a time: CRLF, bad lines named by number across chunks, a last line without a break', async () => {
      const { db, close } = await open();
      const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-import-'));
      try {
        const repo = new BankRepo(db);
        await createBank({ banks: repo }, 'case', {});
        // 40,000 rows (~2.9 MB: several read chunks), every 9th with labels (the one-by-one insert between plain rows).
        const rows = Array.from({ length: 40_000 }, (_, i) => `pdq,${hex(i)},${i % 101},${i % 9 === 0 ? 'x' : ''},`);
        rows[17_000] = `pdq,${hex(1).toUpperCase().slice(0, 63)}g,50,,`;
        rows[29_999] = 'pdq,not hex,,,';
        const file = path.join(dir, 'bank.csv');
        writeFileSync(file, `signal_type,signal,quality,labels,source_ref\r\n${rows.join('\r\n')}\r\n${`pdq,${hex(40_000)},7,,`}`);
        const report = await importBank({ banks: repo }, 'case', readLines(file));
        expect(report).toMatchObject({ lines: 40_002, added: 39_999, duplicates: 0, skipped: 2 });
        expect(report.badLines.map((b) => b.line)).toEqual([17_002, 30_001]);
        const entries = await entriesOf(repo, 'case');
        expect(entries.find((e) => e.signal === hex(40_000))?.quality).toBe(7);
        expect(entries.find((e) => e.signal === hex(9))?.labels).toEqual(['x']);
        // The ids follow the key order, plain rows and rows with labels alike.
        const byId = [...entries].sort((a, b) => a.id - b.id).map((e) => e.signal);
        expect(byId).toEqual([...byId].sort());
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await close();
      }
    });

    it('imports every signal of `unexpose hash --format jsonl` lines', async () => {
      const { db, close } = await open();
      try {
        const deps: BankDeps = { banks: new BankRepo(db) };
        await createBank(deps, 'h', {});
        const line = JSON.stringify({ path: 'x/p1.jpg', kind: 'photo', pdq: hex(7), quality: 88, md5: hex(8).slice(0, 32), sha256: hex(9) });
        const report = await importBank(deps, 'h', [line, '{"kind":"photo"', line]);
        expect(report.badLines).toEqual([{ line: 2, reason: expect.stringMatching(/JSON/) }]);
        const stored = await entriesOf(deps.banks, 'h');
        expect(stored.map((e) => e.signalType).sort()).toEqual(expect.arrayContaining(['md5', 'pdq', 'sha256']));
        expect(report.added).toBe(stored.length);
        expect(report.duplicates).toBe(stored.length);
        expect(new Set(stored.map((e) => e.sourceRef))).toEqual(new Set([`sha256:${hex(9).slice(0, 16)}`]));
      } finally {
        await close();
      }
    });

    it('leaves the bank as it was when the import stops half-way, and imports in full when run again', async () => {
      const { db, close } = await open();
      try {
        const deps: BankDeps = { banks: new BankRepo(db) };
        await createBank(deps, 'a', {});
        await importBank(deps, 'a', [hex(100)]);
        async function* broken(): AsyncGenerator<string> {
          for (let i = 0; i < 30_000; i++) yield hex(i);
          throw new Error('input closed');
        }
        await expect(importBank(deps, 'a', broken())).rejects.toThrow(/input closed/);
        expect((await entriesOf(deps.banks, 'a')).map((e) => e.signal)).toEqual([hex(100)]);
        const lines = Array.from({ length: 30_000 }, (_, i) => hex(i));
        const report = await importBank(deps, 'a', lines);
        expect(report).toMatchObject({ added: 29_999, duplicates: 1 });
        expect(await entriesOf(deps.banks, 'a')).toHaveLength(30_000);
      } finally {
        await close();
      }
    });

    it('stores the same entries whether the rows wait in memory or, past the memory budget, in a staging table', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const deps: BankDeps = { banks: repo };
        const rows = Array.from({ length: 3000 }, (_, i) => ({ signalType: i % 10 === 0 ? 'md5' : 'pdq', signal: i % 10 === 0 ? hex(i).slice(0, 32) : hex(i % 2500),
          quality: i % 101, sourceRef: i % 7 === 0 ? `ref ${i}, "é"` : null, labels: i % 11 === 0 ? ['a', 'b'] : [] }));
        const results = [];
        const stored = [];
        for (const [name, memoryBytes] of [['memory', undefined], ['staged', 0]] as const) {
          await createBank(deps, name, {});
          const bank = await repo.requireBank(name);
          await importBank(deps, name, [hex(5), hex(2999)]);
          const load = await repo.bulkInsert(bank.id, 'test', new Date().toISOString(), memoryBytes);
          for (const r of rows) if (load.push(r)) await load.flush();
          const result = await load.commit();
          results.push({ staged: result.staged, added: result.added });
          // The new entries are exactly those in the id range commit() names.
          const inRange = [];
          for await (const page of repo.streamAddedEntries(bank.id, result.afterId, result.lastId)) inRange.push(...page);
          expect(inRange).toHaveLength(result.added);
          stored.push((await entriesOf(repo, name)).map((e) => ({ type: e.signalType, signal: e.signal, quality: e.quality, sourceRef: e.sourceRef, labels: e.labels }))
            .sort((a, b) => (a.signal < b.signal ? -1 : 1)));
        }
        // 3000 rows: 300 md5, 2700 pdq of which 2500 distinct minus those with i % 10 === 0 (250), one (hex(5)) already held.
        expect(results[0]).toEqual({ staged: 3000, added: 300 + 2250 - 1 });
        expect(results[1]).toEqual(results[0]);
        expect(stored[1]).toEqual(stored[0]);
        // The first row of a repeated value is the one kept.
        expect(stored[0].find((e) => e.signal === hex(7))).toEqual({ type: 'pdq', signal: hex(7), quality: 7, sourceRef: 'ref 7, "é"', labels: [] });
      } finally {
        await close();
      }
    });

    it('numbers a new bank\'s entries after every id in use, and later entries after those', async () => {
      const { db, close } = await open();
      try {
        const repo = new BankRepo(db);
        const deps: BankDeps = { banks: repo };
        await createBank(deps, 'a', {});
        await importBank(deps, 'a', [hex(1), hex(2), hex(3)]);
        // The newest entry goes: the largest id in use is now below the last one handed out (on PostgreSQL).
        await repo.removeEntries((await repo.requireBank('a')).id, hex(3));
        await createBank(deps, 'b', {});
        const b = await repo.requireBank('b');
        const load = await repo.bulkInsert(b.id, 'test', new Date().toISOString());
        for (let i = 10; i < 2010; i++) load.push({ signalType: 'pdq', signal: hex(i), quality: null, sourceRef: null, labels: [] });
        const result = await load.commit();
        const ids = (await entriesOf(repo, 'b')).map((e) => e.id).sort((x, y) => x - y);
        expect(ids).toHaveLength(2000);
        expect(ids[0]).toBeGreaterThan(result.afterId);
        expect(ids[ids.length - 1]).toBe(result.lastId);
        expect(new Set(ids).size).toBe(2000);
        const a = (await entriesOf(repo, 'a')).map((e) => e.id);
        expect(Math.max(...a)).toBeLessThanOrEqual(result.afterId);
        // An entry added later (the database numbers it) gets an id after the import's.
        const later = await repo.insertEntries(b.id, [{ signalType: 'pdq', signal: hex(5000), quality: null, sourceRef: null, labels: [] }], 'test', new Date().toISOString());
        expect(later.added[0].id).toBeGreaterThan(result.lastId);
      } finally {
        await close();
      }
    });

    it('round-trips every field through export and import (csv and jsonl)', async () => {
      const { db, close } = await open();
      try {
        const deps: BankDeps = { banks: new BankRepo(db) };
        const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.trim() !== '' && !s.includes(';') && !/[\u0000-\u001f\u007f]/.test(s));
        const entry = fc.record({
          i: fc.integer({ min: 0, max: 1_000_000 }),
          quality: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
          labels: fc.uniqueArray(text, { maxLength: 3 }),
          sourceRef: fc.option(text, { nil: null }),
        });
        let run = 0;
        await fc.assert(fc.asyncProperty(fc.uniqueArray(entry, { selector: (e) => e.i, minLength: 1, maxLength: 20 }), fc.constantFrom('csv', 'jsonl') as fc.Arbitrary<'csv' | 'jsonl'>, async (rows, format) => {
          const src = `src${run}`;
          const dst = `dst${run++}`;
          await createBank(deps, src, {});
          await createBank(deps, dst, {});
          const lines = ['signal_type,signal,quality,labels,source_ref', ...rows.map((r) =>
            ['pdq', hex(r.i), r.quality ?? '', r.labels.join(';'), r.sourceRef ?? ''].map((c) => (/[",]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c)).join(','))];
          const first = await importBank(deps, src, lines);
          expect(first.skipped).toBe(0);
          const exported: string[] = [];
          for await (const l of exportBank(deps, src, format)) exported.push(l);
          const second = await importBank(deps, dst, exported);
          expect(second).toMatchObject({ added: rows.length, skipped: 0, duplicates: 0 });
          const shape = (e: BankEntry) => ({ signalType: e.signalType, signal: e.signal, quality: e.quality, labels: e.labels, sourceRef: e.sourceRef });
          const a = (await entriesOf(deps.banks, src)).map(shape).sort((x, y) => x.signal.localeCompare(y.signal));
          const b = (await entriesOf(deps.banks, dst)).map(shape).sort((x, y) => x.signal.localeCompare(y.signal));
          expect(b).toEqual(a);
          expect(a).toHaveLength(rows.length);
        }), { numRuns: 15 });
      } finally {
        await close();
      }
    });
  });
});
