/**
 * The job queue contract, with two implementations that run one shared suite (job-queue.case.ts): PgBossQueue
 * (PostgreSQL: any number of worker processes on any machine) and InProcessQueue (the SQLite default: the same
 * jobs in this process, over the job_queue table). A job that throws is retried with back-off up to its policy's
 * limit, then stays `failed` — the dead-letter state an operator lists and retries (`unexpose jobs`).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../io/db/schema.js';
import type { JobName } from './job-names.js';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled';

export const JOB_STATES: JobState[] = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'];

/** A job as an operator sees it. Payloads hold ids only, so showing one reveals nobody. */
export interface JobRecord {
  id: string;
  name: string;
  state: JobState;
  payload: unknown;
  retryCount: number;
  retryLimit: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** While active: the handler's last progress; when done: its result; when failed: { message } (redacted). */
  output: unknown;
}

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists if and only if the rows it belongs to do. */
  tx?: Transaction<Database>;
  /** At most one job with this key waiting or running per name (a fan-in sent twice is sent once). */
  singletonKey?: string;
}

export interface JobContext {
  id: string;
  name: JobName;
  /** Earlier attempts of this job (0 on the first). */
  retryCount: number;
  /** True on the last attempt before the dead-letter state. */
  lastAttempt: boolean;
  /** Records the handler's progress on the job (shown by `unexpose jobs show`). */
  progress(p: Record<string, number | string>): Promise<void>;
  /** Aborted when the worker stops. */
  signal: AbortSignal;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;

export interface JobQueue {
  readonly engine: 'pg-boss' | 'in-process';
  /** Creates the queue's tables and queues (idempotent). */
  start(): Promise<void>;
  /** Returns the job's id, or null when a singleton with the same key is already waiting or running. */
  send(name: JobName, payload: unknown, opts?: SendOptions): Promise<string | null>;
  /** Runs the handler for every job of this name, `concurrency` at a time, until stop(). */
  work(name: JobName, concurrency: number, handler: JobHandler): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter?: { state?: JobState; name?: JobName; limit?: number }): Promise<JobRecord[]>;
  /** Puts a failed (dead) or cancelled job back in the queue; false when there is no such job in that state. */
  retry(id: string): Promise<boolean>;
  /** Stops taking jobs and waits for the running ones (up to graceMs), then closes. */
  stop(graceMs?: number): Promise<void>;
}
