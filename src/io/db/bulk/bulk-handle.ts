/**
 * The driver handle behind an open Kysely instance, for bulk loads Kysely cannot express: prepared multi-row inserts
 * on one better-sqlite3 statement, and COPY on a pg client. open-database.ts registers it; repositories that load in
 * bulk ask for it and fall back to Kysely when there is none (a Kysely made elsewhere, e.g. in a test).
 */
import type Sqlite from 'better-sqlite3';
import type pg from 'pg';

export type BulkHandle =
  | { dialect: 'sqlite'; file: Sqlite.Database }
  | { dialect: 'postgres'; pool: pg.Pool; schema?: string };

const handles = new WeakMap<object, BulkHandle>();

/** Remembers the driver handle of a Kysely instance (called once, where the database is opened). */
export function registerBulkHandle(db: object, handle: BulkHandle): void {
  handles.set(db, handle);
}

/** The driver handle of a Kysely instance opened by openDatabase, if any. */
export function bulkHandleOf(db: object): BulkHandle | undefined {
  return handles.get(db);
}
