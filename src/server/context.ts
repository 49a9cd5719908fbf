/**
 * What a running server holds, built once from its configuration: the store, the live index and its change feed
 * (PostgreSQL), the API key verifier, the upload hasher, the job queue with the scan jobs, and the metrics. Every route reaches the
 * services through this; two listeners (the keyed one and the open HMA one) share one context.
 */
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { KEY_FILE_ENV, type IdentifierKey } from '../services/face-imports.js';
import { ApiKeyRepo } from '../services/face-imports.js';
import { BankChangeFeed, FEED_POLL_MS } from '../services/bank-change-feed.js';
import type { ImportDeps } from '../services/bank-import.js';
import { loadStoreKey, openStore, type Store } from '../services/store.js';
import { UploadHasher } from '../services/hash-upload.js';
import { LiveIndex } from '../services/live-index.js';
import { createJobRuntime } from '../jobs/job-runtime.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { openQueue } from '../jobs/open-queue.js';
import { runWorkers } from '../jobs/run-workers.js';
import { ScanJobBoard } from '../jobs/scan-job-board.js';
import { KeyVerifier } from './auth/api-key-auth.js';
import { servesLookups, servesWrites, type ServerConfig } from './config.js';
import { ServerMetrics } from './metrics.js';
import { indexPages } from '../services/index-pages.js';

export interface ServerContext {
  config: ServerConfig;
  store: Store;
  index: LiveIndex;
  /** Follows the bank change log (writes of other processes); absent on a curator, which loads no index. */
  feed: BankChangeFeed | undefined;
  /** Bank services' deps: writes reach this process's index at once (others through the change log); new entries are retro-matched. */
  banks: ImportDeps;
  keys: KeyVerifier;
  apiKeyRepo: ApiKeyRepo;
  hasher: UploadHasher;
  scans: ScanJobBoard;
  /** The job queue: in-process on SQLite, pg-boss on PostgreSQL. */
  queue: JobQueue;
  metrics: ServerMetrics;
  identifierKey(): Promise<IdentifierKey>;
  /** Starts loading the index in the background (call once the log is in place). */
  startIndexLoad(): void;
  close(): Promise<void>;
}

/**
 * Opens the store; startIndexLoad() then loads the index in the background (routes that need it answer 503 until then).
 * @example const ctx = await createServerContext(config, app.log)
 */
export async function createServerContext(config: ServerConfig, log: Pick<FastifyBaseLogger, 'error' | 'info' | 'warn'>, mode: 'threads' | 'inline' = 'threads'): Promise<ServerContext> {
  const store = await openStore({ dbPath: config.databaseUrl ? undefined : config.dbPath, databaseUrl: config.databaseUrl, readOnly: config.role === 'matcher' });
  const dbPath = store.dbPath;
  const index = new LiveIndex(store.banks, { ...(mode === 'threads' ? { dbPath, threads: 2 } : {}), indexMemory: config.indexMemory }, undefined, store.changes);
  const lookups = servesLookups(config.role);
  let feed: BankChangeFeed | undefined;
  try {
    if (lookups) {
      const schema = config.databaseUrl ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s ?? 'public' : undefined;
      feed = await BankChangeFeed.start(index, {
        pollMs: config.databaseUrl ? FEED_POLL_MS.postgres : FEED_POLL_MS.sqlite,
        reloadMs: config.indexReloadSeconds * 1000,
        listen: config.databaseUrl && schema ? { url: config.databaseUrl, schema } : undefined,
        onError: (err) => log.error({ err }, 'bank change feed'),
      });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  let key: Promise<IdentifierKey> | undefined;
  // The store's own key, bound to it as the CLI's (--key-file is UNEXPOSE_KEY_FILE; UNEXPOSE_SECRET wins over both).
  const identifierKey = () => (key ??= (async () => {
    if (config.keyFile && !process.env[KEY_FILE_ENV]) process.env[KEY_FILE_ENV] = config.keyFile;
    return loadStoreKey(store);
  })());
  const apiKeyRepo = new ApiKeyRepo(store.db);
  let queue: JobQueue;
  try {
    queue = await openQueue(store, { databaseUrl: config.databaseUrl, onError: (err) => log.error({ err }, 'job queue') });
  } catch (err) {
    await feed?.close();
    await store.close();
    throw err;
  }
  const runtime = createJobRuntime(store, queue, { poolMode: mode, key: identifierKey });
  const scans = new ScanJobBoard(runtime);
  // On SQLite the server runs the jobs itself; on PostgreSQL too unless UNEXPOSE_SERVE_JOBS=0 (workers run them).
  // A matcher replica never does: jobs write.
  if (servesWrites(config.role) && (store.dialect === 'sqlite' || process.env.UNEXPOSE_SERVE_JOBS !== '0')) await runWorkers(runtime, 'all', 1);
  const ctx: ServerContext = {
    config, store, index, feed, apiKeyRepo,
    banks: {
      banks: store.banks, stored: store.stored, matches: store.matches, notices: store.notices, listeners: lookups ? [index] : [],
      // New entries are retro-matched by a BankRetroMatch job (a curator worker, or this process), not in the request.
      retroInBackground: (added) => queue.send('BankRetroMatch', added),
    },
    keys: new KeyVerifier({ repo: apiKeyRepo }),
    hasher: new UploadHasher(mode, 1),
    scans, queue,
    metrics: new ServerMetrics({
      indexSize: () => index.size,
      entriesPerBank: async () => Promise.all((await store.banks.listBanks()).map(async (b) => {
        const c = await store.banks.countEntries(b.id);
        return { bank: b.name, entries: Object.values(c.byType).reduce((a, n) => a + n, 0) };
      })),
      jobQueueDepth: () => scans.depth,
    }),
    identifierKey,
    startIndexLoad() {
      if (!lookups) return;
      const started = Date.now();
      index.load().then(
        () => {
          const { hugePages, warn } = indexPages(index.bytes);
          log.info({ entries: index.size, bytes: index.bytes, hugePages, ms: Date.now() - started }, 'index loaded');
          if (warn) {
            log.warn({ bytes: index.bytes }, 'the match index is on 4 KiB pages: set GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (docs/deploy.md) for faster lookups');
          }
        },
        (err) => log.error({ err }, 'index load failed'),
      );
    },
    async close() {
      await scans.close();
      await queue.stop(5000);
      await runtime.close();
      await ctx.hasher.close();
      await feed?.close();
      await store.close();
    },
  };
  return ctx;
}
