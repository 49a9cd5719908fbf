/**
 * A CLI face's way in to the jobs: opens the store (--db, else DATABASE_URL, else ./unexpose.db), its queue and
 * a job runtime; close() stops the queue (waiting for running handlers) and closes the store.
 */
import { openStore } from '../services/store.js';
import { createJobRuntime, type JobRuntime } from './job-runtime.js';
import { openQueue } from './open-queue.js';

export interface JobSession {
  rt: JobRuntime;
  close(graceMs?: number): Promise<void>;
}

/** @example const s = await openJobSession({ databaseUrl: process.env.DATABASE_URL }); try { … } finally { await s.close() } */
export async function openJobSession(opts: { dbPath?: string; databaseUrl?: string; threads?: number; onError?: (err: Error) => void }): Promise<JobSession> {
  const store = await openStore({ dbPath: opts.dbPath, databaseUrl: opts.databaseUrl });
  try {
    const databaseUrl = opts.dbPath === undefined ? opts.databaseUrl : undefined;
    const queue = await openQueue(store, { databaseUrl, onError: opts.onError });
    const rt = createJobRuntime(store, queue, { poolMode: 'threads', threads: opts.threads });
    return {
      rt,
      async close(graceMs = 30_000) {
        await queue.stop(graceMs);
        await rt.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
