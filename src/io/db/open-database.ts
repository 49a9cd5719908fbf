/**
 * Opens the database: SQLite (better-sqlite3, WAL, one file, no server) by default, PostgreSQL (pg) when a URL is
 * given, and brings it to the newest schema. The caller closes it.
 */
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { UnexposeError } from '../../core/errors.js';
import { createPrivateFileSync, tightenModes } from '../fs/private-file.js';
import { registerBulkHandle } from './bulk/bulk-handle.js';
import { migrateToLatest, pendingMigrations } from './migrate.js';
import type { Database } from './schema.js';

import { DEFAULT_DB_PATH } from './default-db-path.js';

export { DEFAULT_DB_PATH };

export type DialectName = 'sqlite' | 'postgres';

export interface OpenDatabaseOptions {
  /** SQLite file; default ./unexpose.db. Ignored when databaseUrl is set. */
  dbPath?: string;
  /** postgres://... ; usually from DATABASE_URL. */
  databaseUrl?: string;
  /** PostgreSQL schema to work in (created when missing); tests use one per file. */
  schema?: string;
  /** Run the migrations (default true); helper threads that only read an open store skip them. */
  migrate?: boolean;
  /** Do not migrate, but refuse a store that needs migrations (matcher replicas never change the schema). */
  requireMigrated?: boolean;
  /**
   * SQLite page cache in MiB (default 64: big bank imports insert into a unique index at random). A scan, which
   * appends, keeps a small one: the cache fills as the store grows and would count in its peak memory.
   */
  cacheMb?: number;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The SQLite file (absent for PostgreSQL), for callers that check its bytes. */
  file?: string;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens and migrates.
 * @example const { db, close } = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dbPath: 'x.db' })
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const opened = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.schema) : await openSqlite(opts.dbPath ?? DEFAULT_DB_PATH, opts.cacheMb);
  if (opts.migrate === false) return opened;
  try {
    // Kysely looks for its migration tables in the schema it is told (public by default), so name the one in use.
    const schema = opened.dialect === 'postgres'
      ? opts.schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(opened.db)).rows[0]?.s
      : undefined;
    if (opts.requireMigrated) {
      const pending = await pendingMigrations(opened.db as Kysely<unknown>, schema);
      if (pending.length > 0) {
        throw new UnexposeError('unavailable', `the database needs ${pending.length} migration(s) (first: ${pending[0]}); start the curator (or any writing command) first, which migrates it`);
      }
      return opened;
    }
    await migrateToLatest(opened.db as Kysely<unknown>, schema);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

/** SQLite names that are not files on disk. */
const NOT_A_FILE = /^(?::memory:|file:.*mode=memory.*)$|^$/;

async function openSqlite(dbPath: string, cacheMb = 64): Promise<OpenedDatabase> {
  let file: Sqlite.Database;
  try {
    // Created 0600 before SQLite opens it; SQLite gives -wal and -shm the database file's mode.
    if (!NOT_A_FILE.test(dbPath)) createPrivateFileSync(dbPath);
    file = new Sqlite(dbPath);
  } catch (err) {
    throw new UnexposeError('invalid_input', `cannot open database ${dbPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = NORMAL');
  // 64 MiB page cache by default (SQLite's is 2 MiB): big imports insert into the unique (bank, type, value) index at random.
  file.pragma(`cache_size = ${-Math.max(1, Math.round(cacheMb)) * 1024}`);
  // Removed and withdrawn hashes must not linger in free pages of the file.
  file.pragma('secure_delete = ON');
  if (!NOT_A_FILE.test(dbPath)) await tightenModes([dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`]);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  registerBulkHandle(db, { dialect: 'sqlite', file });
  return { db, dialect: 'sqlite', file: dbPath, close: () => db.destroy() };
}

async function openPostgres(url: string, schema?: string): Promise<OpenedDatabase> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new UnexposeError('usage', `not a schema name: ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server drops (a restart, a failover) is an 'error' event: without a listener it would
  // end the process. The pool discards the connection, and the next query opens a fresh one.
  pool.on('error', () => undefined);
  // The same for a connection in use (a transaction between two statements): its statement fails with the error.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: schema ? async (conn) => { await conn.executeQuery(CompiledQuery.raw(`SET search_path TO "${schema}"`)); } : undefined,
    }),
  });
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    await db.destroy();
    throw new UnexposeError('invalid_input', `cannot reach PostgreSQL at DATABASE_URL: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  registerBulkHandle(db, { dialect: 'postgres', pool, schema });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
