/**
 * Opens the store for a face (CLI command, server, bot): the composition root that makes the repositories the
 * services receive. An explicit SQLite path wins, else DATABASE_URL
 * (PostgreSQL), else ./unexpose.db. Returns the repositories, each knowing its dialect, so services receive
 * repositories and never check which database they run on.
 */
import type { Kysely } from 'kysely';
import { loadIdentifierKey, type IdentifierKey } from '../io/crypto/identifier-key.js';
import { DEFAULT_DB_PATH, openDatabase, type DialectName } from '../io/db/open-database.js';
import { BankChangeRepo } from '../io/db/repos/bank-change-repo.js';
import { BankRepo } from '../io/db/repos/bank-repo.js';
import { ClusterRepo } from '../io/db/repos/cluster-repo.js';
import { MatchRepo } from '../io/db/repos/match-repo.js';
import { NoticeRepo } from '../io/db/repos/notice-repo.js';
import { ScanRepo } from '../io/db/repos/scan-repo.js';
import { StoredSignalRepo } from '../io/db/repos/stored-signal-repo.js';
import type { Database } from '../io/db/schema.js';
import { UnexposeError } from '../core/errors.js';
import { KEY_FILE_ENV, SECRET_ENV } from '../io/crypto/identifier-key.js';
import { bindIdentifierKey, showFingerprint, storedFingerprint } from './identifier-key-binding.js';

// What a face needs to name the default store and write its reports (0600), so that faces never import io themselves.
export { DEFAULT_DB_PATH } from '../io/db/open-database.js';
export { writePrivateFile } from '../io/fs/private-file.js';

export interface Store {
  db: Kysely<Database>;
  banks: BankRepo;
  /** The bank change log that replicas follow. */
  changes: BankChangeRepo;
  scans: ScanRepo;
  matches: MatchRepo;
  clusters: ClusterRepo;
  stored: StoredSignalRepo;
  /** The takedown outbox (withdrawing a case deletes its notices). */
  notices: NoticeRepo;
  dialect: DialectName;
  /** Where the data lives, for messages (a PostgreSQL URL is shown without its password). */
  location: string;
  /** The SQLite file, when the store is one (the index loads it on several threads; the key file sits beside it). */
  dbPath?: string;
  close(): Promise<void>;
}

/** The repositories over an open database. */
export function storeRepos(db: Kysely<Database>, dialect: DialectName): Pick<Store, 'banks' | 'changes' | 'scans' | 'matches' | 'clusters' | 'stored' | 'notices'> {
  return {
    banks: new BankRepo(db, dialect), changes: new BankChangeRepo(db), scans: new ScanRepo(db), matches: new MatchRepo(db), clusters: new ClusterRepo(db, dialect),
    stored: new StoredSignalRepo(db), notices: new NoticeRepo(db),
  };
}

/**
 * Opens the store (cacheMb: SQLite page cache, see OpenDatabaseOptions).
 * @example const store = await openStore({ dbPath: 'x.db' }); try { ... } finally { await store.close() }
 */
export async function openStore(opts: { dbPath?: string; databaseUrl?: string; cacheMb?: number; readOnly?: boolean }): Promise<Store> {
  const useUrl = opts.dbPath === undefined && opts.databaseUrl ? opts.databaseUrl : undefined;
  const opened = await openDatabase({ ...(useUrl ? { databaseUrl: useUrl } : { dbPath: opts.dbPath ?? DEFAULT_DB_PATH, cacheMb: opts.cacheMb }), requireMigrated: opts.readOnly });
  const location = useUrl ? useUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : opts.dbPath ?? DEFAULT_DB_PATH;
  return {
    db: opened.db, dialect: opened.dialect, location, dbPath: useUrl ? undefined : opts.dbPath ?? DEFAULT_DB_PATH, close: opened.close,
    ...storeRepos(opened.db, opened.dialect),
  };
}

/**
 * The identifier key of this store: UNEXPOSE_SECRET, or the key file beside the SQLite file (created on first
 * use). The store is bound to it: a store written with another key is refused (see identifier-key-binding.ts).
 */
export async function loadStoreKey(store: Pick<Store, 'dbPath' | 'db'>): Promise<IdentifierKey> {
  const stored = await storedFingerprint(store.db);
  let key: IdentifierKey;
  try {
    // A store that already has a key must not get a fresh one by accident (a database moved without its key).
    key = await loadIdentifierKey({ dbPath: store.dbPath, create: stored === null });
  } catch (err) {
    if (err instanceof UnexposeError && err.code === 'not_found' && stored !== null) {
      throw new UnexposeError('conflict', `${err.message}, but this database was written with the identifier key whose fingerprint is `
        + `${showFingerprint(stored)}: put that key file back, point ${KEY_FILE_ENV} at it, or set ${SECRET_ENV} to the secret used before`, { cause: err });
    }
    throw err;
  }
  await bindIdentifierKey(store.db, key);
  return key;
}
