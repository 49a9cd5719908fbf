/**
 * Migration 202612020000 on both databases: a store made before it (each value twice, as signal and signal_key)
 * keeps every entry's value, now stored once (long values such as vPDQ frames in long_signal), and works on:
 * readers return the same values, a value is found exactly, a re-import counts the old values as duplicates, and a
 * withdrawn bank takes its entries along (PostgreSQL no longer has the foreign key that cascaded).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/io/db/migrate.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { describeEachDialect } from './each-dialect.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const FRAMES = JSON.stringify([0, 1, 2].map((i) => ({ pdq: String(i).repeat(64), quality: 90, timestamp: i })));
const FRAMES_KEY = `sha256:${createHash('sha256').update(FRAMES).digest('hex')}`;

describeEachDialect('migrate_value_once', (open) => {
  it('keeps every value of an old store, stored once, and the store works on', async () => {
    const { db, dialect, close } = await open({ migrate: false });
    try {
      const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined;
      await migrateUpTo(db as Kysely<unknown>, '202612010080-drop-bank-entry-signal-index', schema);
      const old = db as Kysely<any>;
      const t = '2026-01-01T00:00:00.000Z';
      await old.insertInto('bank').values({ name: 'case-1', created_at: t, updated_at: t }).execute();
      const rows = [['pdq', PDQ, PDQ, 88], ['md5', MD5, MD5, null], ['vpdq', FRAMES, FRAMES_KEY, null]] as const;
      for (const [type, signal, key, quality] of rows) {
        await old.insertInto('bank_entry').values({ bank_id: 1, signal_type: type, signal, signal_key: key, quality, added_at: t, added_by: 't', source_ref: 'ref-1' }).execute();
      }
      await migrateToLatest(db as Kysely<unknown>, schema);

      const columns = Object.keys((await old.selectFrom('bank_entry').selectAll().executeTakeFirstOrThrow()) as object);
      expect(columns).not.toContain('signal');
      const stored = await old.selectFrom('bank_entry').select(['signal_type', 'signal_key', 'long_signal']).orderBy('id').execute();
      expect(stored).toEqual([
        { signal_type: 'pdq', signal_key: PDQ, long_signal: null },
        { signal_type: 'md5', signal_key: MD5, long_signal: null },
        { signal_type: 'vpdq', signal_key: FRAMES_KEY, long_signal: FRAMES },
      ]);

      const repo = new BankRepo(db, dialect);
      const bank = await repo.requireBank('case-1');
      const entries = [];
      for await (const e of repo.streamEntries(bank.id)) entries.push([e.signalType, e.signal, e.quality]);
      expect(entries).toEqual(rows.map(([type, signal, , quality]) => [type, signal, quality]));
      expect((await repo.findExact('md5', MD5)).map((e) => e.bank.name)).toEqual(['case-1']);
      expect((await repo.entriesOfType('vpdq')).map((e) => e.signal)).toEqual([FRAMES]);
      const pdqPages = [];
      for await (const p of repo.streamSignals('pdq')) pdqPages.push(...p.signals);
      expect(pdqPages).toEqual([PDQ]);

      // The old values are duplicates of a new bulk load; a new long value is stored once, readable whole.
      const more = FRAMES.replace('"quality":90', '"quality":91');
      const load = await repo.bulkInsert(bank.id, 'test', t);
      for (const [type, signal] of [...rows.map((r) => [r[0], r[1]]), ['vpdq', more]]) load.push({ signalType: type, signal, quality: null, sourceRef: null, labels: [] });
      const result = await load.commit();
      expect({ staged: result.staged, added: result.added }).toEqual({ staged: 4, added: 1 });
      const added = [];
      for await (const page of repo.streamAddedEntries(bank.id, result.afterId, result.lastId)) added.push(...page.map((e) => e.signal));
      expect(added).toEqual([more]);

      const gone = await repo.withdrawBank(bank.id);
      expect(gone.map((e) => e.signal).sort()).toEqual([FRAMES, MD5, PDQ, more].sort());
      expect(await old.selectFrom('bank_entry').selectAll().execute()).toEqual([]);
    } finally {
      await close();
    }
  });
});

