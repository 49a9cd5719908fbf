/**
 * Opens the bank store for a command: an explicit SQLite path wins, else DATABASE_URL (PostgreSQL), else
 * ./unexpose.db. Returns the repository and the dialect (deletes are scrubbed per dialect).
 */
import { DEFAULT_DB_PATH, openDatabase, type DialectName } from '../io/db/open-database.js';
import { BankRepo } from '../io/db/repos/bank-repo.js';
import { NoticeRepo } from '../io/db/repos/notice-repo.js';
import type { Kysely } from 'kysely';
import type { Database } from '../io/db/schema.js';

export interface BankStore {
  /** The database itself, for services that keep more than banks there (scans). */
  db: Kysely<Database>;
  repo: BankRepo;
  /** The takedown outbox (withdrawing a case deletes its notices). */
  notices: NoticeRepo;
  dialect: DialectName;
  /** Where the data lives, for messages (a PostgreSQL URL is shown without its password). */
  location: string;
  /** The SQLite file, when the store is one (the index loads it on several threads). */
  dbPath?: string;
  close(): Promise<void>;
}

/**
 * @example const store = await openBankStore({ dbPath: 'x.db' }); try { ... } finally { await store.close() }
 */
export async function openBankStore(opts: { dbPath?: string; databaseUrl?: string }): Promise<BankStore> {
  const useUrl = opts.dbPath === undefined && opts.databaseUrl ? opts.databaseUrl : undefined;
  const opened = await openDatabase(useUrl ? { databaseUrl: useUrl } : { dbPath: opts.dbPath ?? DEFAULT_DB_PATH });
  const location = useUrl ? useUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : opts.dbPath ?? DEFAULT_DB_PATH;
  return { db: opened.db, repo: new BankRepo(opened.db), notices: new NoticeRepo(opened.db), dialect: opened.dialect, location, close: opened.close };
}
