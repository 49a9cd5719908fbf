/**
 * Opens the bank store for a command: an explicit SQLite path wins, else DATABASE_URL (PostgreSQL), else
 * ./unexpose.db. Returns the repository and the dialect (deletes are scrubbed per dialect).
 */
import { DEFAULT_DB_PATH, openDatabase, type DialectName } from '../io/db/open-database.js';
import { BankRepo } from '../io/db/repos/bank-repo.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../io/db/schema.js';

export interface BankStore {
  /** The database itself, for services that keep more than banks there (scans). */
  db: Kysely<Database>;
  repo: BankRepo;
  dialect: DialectName;
  /** Where the data lives, for messages (a PostgreSQL URL is shown without its password). */
  location: string;
  /** The SQLite file, when the store is one (the index loads it on several threads). */
  dbPath?: string;
  close(): Promise<void>;
}

/**
 * SQLite page cache of a scan: it reads back little of what it writes (one chat at a time, in batches), so a big cache
 * only adds to its peak memory (issue #11: a month's scan in <= 300 MB).
 */
export const SCAN_SQLITE_CACHE_MB = 16;

/**
 * `sqliteCacheMb` sets the SQLite page cache of this connection (the default suits big imports).
 * @example const store = await openBankStore({ dbPath: 'x.db' }); try { ... } finally { await store.close() }
 */
export async function openBankStore(opts: { dbPath?: string; databaseUrl?: string; sqliteCacheMb?: number }): Promise<BankStore> {
  const useUrl = opts.dbPath === undefined && opts.databaseUrl ? opts.databaseUrl : undefined;
  const opened = await openDatabase(useUrl ? { databaseUrl: useUrl } : { dbPath: opts.dbPath ?? DEFAULT_DB_PATH });
  if (opened.dialect === 'sqlite' && opts.sqliteCacheMb !== undefined) {
    await sql.raw(`pragma cache_size = -${Math.max(1, Math.round(opts.sqliteCacheMb * 1024))}`).execute(opened.db);
  }
  const location = useUrl ? useUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : opts.dbPath ?? DEFAULT_DB_PATH;
  return { db: opened.db, repo: new BankRepo(opened.db), dialect: opened.dialect, location, close: opened.close };
}
