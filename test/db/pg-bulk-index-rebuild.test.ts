/**
 * PostgreSQL only (DATABASE_URL): a large load into a small bank_entry drops the secondary indexes and builds them
 * after the COPY (io/db/bulk/pg-index-rebuild.ts). What a user checks: afterwards the table has exactly the indexes
 * and constraints it had (those of the migrations, and any added by hand), every row once, the unique key still
 * refuses a repeat; a load that fails half-way leaves the rows and the indexes as they were; a table holding more
 * rows than the load, or an index a foreign key leans on, keeps its indexes up row by row instead.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkHandleOf } from '../../src/io/db/bulk/bulk-handle.js';
import { BufferedEntryLoad } from '../../src/io/db/bulk/buffered-entry-load.js';
import type { BulkLoadResult, StagedEntry } from '../../src/io/db/bulk/entry-bulk-load.js';
import { writePgBuffered } from '../../src/io/db/bulk/pg-entry-load.js';
import { openDatabase, type OpenedDatabase } from '../../src/io/db/open-database.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { createBank } from '../../src/services/bank-manage.js';

const databaseUrl = process.env.DATABASE_URL;
const schemas: string[] = [];
let n = 0;

const pdq = (): string => randomBytes(32).toString('hex');
const row = (key: string, quality: number | null = 50, signalType = 'pdq'): StagedEntry =>
  ({ signalType, key, longSignal: null, quality, sourceRef: null, labels: null, display: null });

interface Store { opened: OpenedDatabase; client: pg.PoolClient; pool: pg.Pool; schema: string; bankId: (name: string) => Promise<number> }

async function store(): Promise<Store> {
  const schema = `t_pg_index_rebuild_${process.pid}_${n++}`;
  schemas.push(schema);
  const opened = await openDatabase({ databaseUrl, schema });
  const handle = bulkHandleOf(opened.db);
  if (handle?.dialect !== 'postgres') throw new Error('expected PostgreSQL');
  const client = await handle.pool.connect();
  await client.query(`SET search_path TO "${schema}"`);
  const repo = new BankRepo(opened.db);
  const bankId = async (name: string) => {
    if (!(await repo.findBank(name))) await createBank({ banks: repo }, name, {});
    return (await repo.requireBank(name)).id;
  };
  return { opened, client, pool: handle.pool, schema, bankId };
}

async function close(s: Store): Promise<void> {
  s.client.release();
  await s.opened.close();
}

/** Loads the rows the way `bank import` does (in memory, then one transaction), rebuilding from minRows rows. */
async function load(s: Store, bankId: number, rows: StagedEntry[], minRows: number): Promise<BulkLoadResult> {
  const l = new BufferedEntryLoad(writePgBuffered(s.pool, s.schema, bankId, 'test', new Date().toISOString(), minRows),
    () => Promise.reject(new Error('no staging in this test')));
  for (const r of rows) l.push(r);
  return l.commit();
}

/** The indexes and constraints of bank_entry (and those pointing at it), as PostgreSQL defines them. */
async function indexShape(client: pg.PoolClient): Promise<string[]> {
  const indexes = await client.query<{ d: string }>("SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'bank_entry'");
  const constraints = await client.query<{ d: string }>(`SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
    WHERE conrelid = 'bank_entry'::regclass OR confrelid = 'bank_entry'::regclass`);
  return [...indexes.rows, ...constraints.rows].map((r) => r.d).sort();
}

async function keysOf(client: pg.PoolClient, bankId: number): Promise<string[]> {
  return (await client.query<{ k: string }>('SELECT signal_key AS k FROM bank_entry WHERE bank_id = $1 ORDER BY id', [bankId])).rows.map((r) => r.k);
}

if (!databaseUrl) console.warn('pg-bulk-index-rebuild: skipping: DATABASE_URL is not set');
describe.skipIf(!databaseUrl)('a large bulk load on PostgreSQL', () => {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  });

  it('builds the indexes after the rows: the same indexes and constraints as before, each key once, repeats still refused', async () => {
    const s = await store();
    try {
      // An index added by hand (partial, on another column) is made again as it was, too.
      await s.client.query('CREATE INDEX bank_entry_quality_idx ON bank_entry (quality) WHERE quality < 10');
      const before = await indexShape(s.client);
      expect(before.join('\n')).toMatch(/UNIQUE \(bank_id, signal_type, signal_key\)/);
      const small = await s.bankId('small');
      await load(s, small, [row(pdq()), row(pdq())], 1000);
      const big = await s.bankId('big');
      const keys = Array.from({ length: 3000 }, pdq);
      // Repeats within the file (the first row of a key is kept), and a key with a backslash (escaped in COPY).
      const rows = [...keys.map((k, i) => row(k, i % 101)), ...keys.slice(0, 50).map((k) => row(k, 7)), row('a\\b', 1, 'toy')];
      const result = await load(s, big, rows, 1000);
      expect(result.phases.indexBuild).toBeGreaterThan(0);
      expect(result).toMatchObject({ staged: rows.length, added: 3001 });
      expect(await indexShape(s.client)).toEqual(before);
      const stored = await keysOf(s.client, big);
      expect(stored).toHaveLength(3001);
      expect(new Set(stored)).toEqual(new Set([...keys, 'a\\b']));
      expect((await s.client.query('SELECT quality FROM bank_entry WHERE bank_id = $1 AND signal_key = $2', [big, keys[3]])).rows).toEqual([{ quality: 3 }]);
      const ids = (await s.client.query<{ id: number }>('SELECT id FROM bank_entry WHERE bank_id = $1', [big])).rows.map((r) => r.id);
      expect(Math.min(...ids)).toBe(result.afterId + 1);
      expect(Math.max(...ids)).toBe(result.lastId);
      await expect(s.client.query("INSERT INTO bank_entry (bank_id, signal_type, signal_key, added_at, added_by) VALUES ($1, 'pdq', $2, 'now', 'test')", [big, keys[0]]))
        .rejects.toMatchObject({ code: '23505' });
      // The unique index is in use for lookups again (not just present).
      const plan = (await s.client.query("EXPLAIN SELECT id FROM bank_entry WHERE bank_id = 1 AND signal_type = 'pdq' AND signal_key = 'x'")).rows.map((r) => Object.values(r)[0]).join('\n');
      expect(plan).toMatch(/bank_entry_bank_signal_unique/);
    } finally {
      await close(s);
    }
  });

  it('leaves the rows and the indexes as they were when the load fails after the indexes went', async () => {
    const s = await store();
    try {
      const a = await s.bankId('a');
      await load(s, a, [row(pdq()), row(pdq())], 1000);
      const before = await indexShape(s.client);
      const rowsBefore = await keysOf(s.client, a);
      // A check that the last row (in key order) breaks: the COPY fails after the drop.
      await s.client.query("ALTER TABLE bank_entry ADD CONSTRAINT no_f CHECK (signal_key NOT LIKE 'ffff%')");
      const b = await s.bankId('b');
      const rows = [...Array.from({ length: 2000 }, () => row(pdq())), row(`ffff${pdq().slice(4)}`)];
      await expect(load(s, b, rows, 1000)).rejects.toThrow(/no_f/);
      await s.client.query('ALTER TABLE bank_entry DROP CONSTRAINT no_f');
      expect(await indexShape(s.client)).toEqual(before);
      expect(await keysOf(s.client, a)).toEqual(rowsBefore);
      expect(await keysOf(s.client, b)).toEqual([]);
      // And the same rows load once the check is gone.
      expect((await load(s, b, rows, 1000)).added).toBe(2001);
    } finally {
      await close(s);
    }
  });

  it('keeps the indexes up row by row when the table holds more rows than the load, the bank holds entries, or a foreign key leans on an index', async () => {
    const s = await store();
    try {
      const a = await s.bankId('a');
      await load(s, a, Array.from({ length: 3000 }, () => row(pdq())), 1_000_000);
      const b = await s.bankId('b');
      const smaller = await load(s, b, Array.from({ length: 2000 }, () => row(pdq())), 1000);
      expect(smaller.phases.indexBuild).toBeUndefined();
      expect(smaller.added).toBe(2000);
      // A bank that holds entries already takes the path that leaves out what it holds (its unique key in use).
      const again = await load(s, a, Array.from({ length: 20_000 }, () => row(pdq())), 1000);
      expect(again.phases.indexBuild).toBeUndefined();
      expect(again.added).toBe(20_000);
      await s.client.query('CREATE TABLE entry_note (bank_id integer, signal_type text COLLATE "C", signal_key text COLLATE "C", '
        + 'FOREIGN KEY (bank_id, signal_type, signal_key) REFERENCES bank_entry (bank_id, signal_type, signal_key))');
      const before = await indexShape(s.client);
      const c = await s.bankId('c');
      const pinned = await load(s, c, Array.from({ length: 40_000 }, () => row(pdq())), 1000);
      expect(pinned.phases.indexBuild).toBeUndefined();
      expect(pinned.added).toBe(40_000);
      expect(await indexShape(s.client)).toEqual(before);
    } finally {
      await close(s);
    }
  });
});
