/**
 * PostgreSQL: a large load into a small bank_entry builds its secondary indexes once, after the rows are in, instead
 * of growing them a row at a time (issue 11). At 10M rows the unique key (bank_id, signal_type, signal_key) cost
 * ~2.9 µs of the server's ~5.3 µs a row when kept up row by row; built afterwards from the (already key-ordered)
 * heap it costs ~1 µs a row, and its WAL is whole pages instead of one record a row.
 * The primary key stays (bank_match references it, and it is cheap: ids arrive in order). Every other index and
 * unique or exclusion constraint of bank_entry is dropped inside the load's transaction and made again from its own
 * definition (pg_get_indexdef / pg_get_constraintdef) before commit: a failure rolls back to the indexes as they
 * were, and a repeated key makes the rebuilt unique constraint fail, so the load fails rather than store it twice.
 * Dropping an index needs the table's ACCESS EXCLUSIVE lock: readers of bank_entry wait until the load commits,
 * which is why the path is taken only when the rows to load outnumber the rows the table holds.
 */
import type pg from 'pg';

/** Rows below which a load keeps the indexes up row by row (the rebuild's fixed costs and the exclusive lock are not worth it). */
export const REBUILD_MIN_ROWS = 100_000;
/** Memory for each index build: the sort of 10M PDQ keys then mostly stays in memory. */
const BUILD_MEMORY = '512MB';

/** An index of bank_entry as dropped, with the statement that makes it again. */
export interface DroppedIndex {
  name: string;
  create: string;
}

/**
 * True when a load of `rows` new rows should rebuild the indexes: at least minRows rows, and no fewer than the table
 * holds (`held`, at most the largest id: ids are never reused).
 */
export function shouldRebuildIndexes(rows: number, held: number, minRows = REBUILD_MIN_ROWS): boolean {
  return rows >= minRows && held <= rows;
}

/**
 * Drops every index of bank_entry but the primary key and returns how to make them again, or undefined (nothing
 * dropped) when one cannot simply be made again: a foreign key leans on it, or it is the replica identity or the
 * clustering index. The caller holds bank_entry's ACCESS EXCLUSIVE lock, in a transaction.
 */
export async function dropSecondaryIndexes(client: pg.PoolClient): Promise<DroppedIndex[] | undefined> {
  const { rows } = await client.query<{ name: string; constraint_name: string | null; constraint_def: string | null; index_def: string; pinned: boolean }>(
    `SELECT i.indexrelid::regclass::text AS name, quote_ident(c.conname) AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_def,
       pg_get_indexdef(i.indexrelid) AS index_def,
       i.indisreplident OR i.indisclustered OR EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) AS pinned
     FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('u', 'x')
     WHERE i.indrelid = 'bank_entry'::regclass AND NOT i.indisprimary ORDER BY i.indexrelid`);
  if (rows.some((r) => r.pinned)) return undefined;
  const dropped: DroppedIndex[] = [];
  for (const r of rows) {
    if (r.constraint_name !== null && r.constraint_def !== null) {
      await client.query(`ALTER TABLE bank_entry DROP CONSTRAINT ${r.constraint_name}`);
      dropped.push({ name: r.name, create: `ALTER TABLE bank_entry ADD CONSTRAINT ${r.constraint_name} ${r.constraint_def}` });
    } else {
      await client.query(`DROP INDEX ${r.name}`);
      dropped.push({ name: r.name, create: r.index_def });
    }
  }
  return dropped;
}

/** Makes the dropped indexes again (in the same transaction), with the memory for a large sort. */
export async function recreateIndexes(client: pg.PoolClient, dropped: readonly DroppedIndex[]): Promise<void> {
  if (dropped.length === 0) return;
  await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
  for (const d of dropped) await client.query(d.create);
}
