/**
 * What handlers work with, made once per process: the store's repositories, the scan job rows, the queue, the
 * identifier key (loaded on first use) and one hashing pool shared by the process's handlers.
 */
import type { IdentifierKey } from '../io/crypto/identifier-key.js';
import { ScanJobRepo } from '../io/db/repos/scan-job-repo.js';
import { createHashPool, type HashPool } from '../services/hash-media.js';
import { loadStoreKey, type Store } from '../services/store.js';
import type { JobQueue } from './job-queue.js';

export interface JobRuntime {
  store: Store;
  scanJobs: ScanJobRepo;
  queue: JobQueue;
  key(): Promise<IdentifierKey>;
  pool(): HashPool;
  now(): Date;
  close(): Promise<void>;
}

export interface JobRuntimeOptions {
  /** Hashing threads (the compiled worker) or this thread (tests on the sources). */
  poolMode: 'threads' | 'inline';
  /** Hashing threads; default one per core. */
  threads?: number;
  /** The key, when the face has it already (the server). */
  key?: () => Promise<IdentifierKey>;
}

/** @example const rt = createJobRuntime(store, queue, { poolMode: 'threads' }) */
export function createJobRuntime(store: Store, queue: JobQueue, opts: JobRuntimeOptions): JobRuntime {
  let key: Promise<IdentifierKey> | undefined;
  let pool: HashPool | undefined;
  return {
    store, queue, scanJobs: new ScanJobRepo(store.db, store.dialect), now: () => new Date(),
    key: opts.key ?? (() => (key ??= loadStoreKey(store))),
    pool: () => (pool ??= createHashPool({ mode: opts.poolMode, workers: opts.threads })),
    async close() {
      await pool?.close();
    },
  };
}
