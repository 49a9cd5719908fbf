/**
 * Migration 202611301210 on both databases: a store made by the old migrations (fixed hash columns, pdq_threshold,
 * media_match with copies of entry values) moves to media_signal rows, per-type thresholds and bank_match rows that
 * point at their entries; matches whose entry is gone (traces of an old withdrawal) are dropped.
 * Also: every migration file is listed in migrations/index.ts.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/io/db/migrate.js';
import { migrations } from '../../src/io/db/migrations/index.js';
import { openDatabase } from '../../src/io/db/open-database.js';
import { describeEachDialect } from './each-dialect.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const FRAMES = JSON.stringify([{ frame: 0, timestamp: 0, pdq: 'a'.repeat(64), quality: 90 }]);

describe('the migration list', () => {
  it('names every migration file in the folder', async () => {
    const dir = fileURLToPath(new URL('../../src/io/db/migrations/', import.meta.url));
    const files = (await readdir(dir)).filter((f) => /^\d{12}-[a-z0-9-]+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations).sort()).toEqual(files.sort());
  });
});

async function fillOldStore(db: Kysely<any>): Promise<void> {
  const t = '2026-01-01T00:00:00.000Z';
  // One row per insert: SQLite fills a column missing from one row of a multi-row insert with NULL, not its default.
  await db.insertInto('bank').values({ name: 'case-1', pdq_threshold: 20, created_at: t, updated_at: t }).execute();
  await db.insertInto('bank').values({ name: 'kept', created_at: t, updated_at: t }).execute();
  await db.insertInto('bank_entry').values({ bank_id: 1, signal_type: 'pdq', signal: PDQ, signal_key: PDQ, added_at: t, added_by: 't', labels: '["x"]', source_ref: 'ref-1' }).execute();
  await db.insertInto('scan').values({ started_at: t, status: 'finished', inputs: '{}' }).execute();
  await db.insertInto('chat').values({ chat_key: 'telegram_export:1', source: 'telegram_export', external_id: '1', name: 'g', type: 'private_group', first_scan_id: 1 }).execute();
  await db.insertInto('message').values([1, 2].map((id) => ({ chat_id: 1, message_id: id, type: 'message', forwarded: 0, raw_sha256: 'r', scan_id: 1, media_class: id === 1 ? 'photo' : 'video' }))).execute();
  await db.insertInto('media').values({ chat_id: 1, message_id: 1, media_class: 'photo', media_kind: 'photo', status: 'hashed', pdq: PDQ, quality: 88, md5: MD5, sha256: SHA, vpdq: null }).execute();
  await db.insertInto('media').values({ chat_id: 1, message_id: 2, media_class: 'video', media_kind: 'video_file', status: 'hashed', pdq: null, quality: null, md5: 'b'.repeat(32), sha256: 'c'.repeat(64), vpdq: FRAMES }).execute();
  await db.insertInto('media_match').values([
    { chat_id: 1, message_id: 1, bank_name: 'case-1', signal_type: 'pdq', entry_key: PDQ, distance: 0, source_ref: 'ref-1', labels: '["x"]', scan_id: 1 },
    // A match whose bank was withdrawn before this migration existed: a trace that must not survive.
    { chat_id: 1, message_id: 2, bank_name: 'gone-bank', signal_type: 'md5', entry_key: 'b'.repeat(32), distance: 0, source_ref: 'victim-ref', labels: null, scan_id: 1 },
  ]).execute();
}

describeEachDialect('migrate_signals', (open) => {
  it('moves media hashes, thresholds and matches of an old store to rows', async () => {
    // Open without migrating, then build the old schema with the old migrations only.
    const fresh = await open();
    const schema = fresh.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(fresh.db)).rows[0].s : undefined;
    await fresh.close();
    const url = process.env.DATABASE_URL;
    const { db, close, dialect } = schema ? await openDatabase({ databaseUrl: url, schema: `${schema}_old`, migrate: false }) : await open();
    try {
      if (dialect === 'sqlite') {
        // open() migrated already: empty the file instead.
        await sql`PRAGMA foreign_keys = OFF`.execute(db);
        const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
        for (const { name } of tables.rows) await sql`drop table ${sql.table(name)}`.execute(db);
        await sql`PRAGMA foreign_keys = ON`.execute(db);
      }
      const s = schema ? `${schema}_old` : undefined;
      await migrateUpTo(db as Kysely<unknown>, '202611281400-create-scan', s);
      await fillOldStore(db as Kysely<any>);
      await migrateToLatest(db as Kysely<unknown>, s);

      const signals = await db.selectFrom('media_signal').select(['media_id', 'signal_type', 'value', 'quality']).orderBy('media_id').orderBy('signal_type').execute();
      expect(signals.map((r) => [Number(r.media_id), r.signal_type, r.value, r.quality === null ? null : Number(r.quality)])).toEqual([
        [1, 'md5', MD5, null], [1, 'pdq', PDQ, 88], [1, 'sha256', SHA, null],
        [2, 'md5', 'b'.repeat(32), null], [2, 'sha256', 'c'.repeat(64), null],
        [2, 'vpdq', JSON.stringify([{ pdq: 'a'.repeat(64), quality: 90, timestamp: 0 }]), null],
      ]);
      const banks = await db.selectFrom('bank').select(['name', 'thresholds']).orderBy('name').execute();
      expect(banks.map((b) => [b.name, JSON.parse(b.thresholds)])).toEqual([['case-1', { pdq: 20 }], ['kept', { pdq: 31 }]]);
      const matches = await db.selectFrom('bank_match').selectAll().execute();
      expect(matches.map((m) => [Number(m.chat_id), Number(m.message_id), Number(m.entry_id), m.signal_type, Number(m.distance), m.found_by, Number(m.scan_id)]))
        .toEqual([[1, 1, 1, 'pdq', 0, 'scan', 1]]);
      const mediaColumns = Object.keys((await db.selectFrom('media').selectAll().executeTakeFirstOrThrow()) as object);
      for (const gone of ['pdq', 'quality', 'md5', 'sha256', 'vpdq']) expect(mediaColumns).not.toContain(gone);
      const tables = dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${s}`.execute(db)).rows.map((r) => r.name);
      expect(tables).not.toContain('media_match');
    } finally {
      await close();
      if (schema) {
        const pg = await import('pg');
        const c = new pg.default.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}_old" CASCADE`);
        await c.end();
      }
    }
  });
});
