/**
 * The queue for a store: pg-boss on PostgreSQL (several processes, several machines), the in-process queue on
 * SQLite (the embedded default). Faces call this and never pick an engine themselves.
 */
import type { Store } from '../services/store.js';
import { InProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';
import { PgBossQueue } from './pg-boss-queue.js';
import { queueSettingsFromEnv, type QueueSettings } from './queue-settings.js';

export interface OpenQueueOptions {
  /** The PostgreSQL URL the store was opened with (pg-boss opens its own connections). */
  databaseUrl?: string;
  settings?: QueueSettings;
  /** pg-boss housekeeping interval (expiry of lost jobs); default 30 s, tests shorten it. */
  maintenanceSeconds?: number;
  onError?: (err: Error) => void;
}

/** @example const queue = await openQueue(store, { databaseUrl: process.env.DATABASE_URL }) */
export async function openQueue(store: Pick<Store, 'db' | 'dialect'>, opts: OpenQueueOptions = {}): Promise<JobQueue> {
  const settings = opts.settings ?? queueSettingsFromEnv();
  const maintenanceSeconds = opts.maintenanceSeconds ?? (process.env.UNEXPOSE_JOB_MAINTENANCE ? Number(process.env.UNEXPOSE_JOB_MAINTENANCE) : undefined);
  const queue: JobQueue = store.dialect === 'postgres' && opts.databaseUrl
    ? new PgBossQueue(opts.databaseUrl, settings, { maintenanceSeconds, onError: opts.onError })
    : new InProcessQueue(store.db, settings);
  await queue.start();
  return queue;
}
