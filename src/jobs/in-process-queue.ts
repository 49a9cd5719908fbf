/**
 * The embedded default's queue (SQLite, one process): jobs are rows of job_queue, sent in the caller's
 * transaction, claimed one by one and run in this process with the same retries, back-off, dead-letter state and
 * progress as pg-boss gives on PostgreSQL. A job left active by a killed process runs again once it expires.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { describeError } from '../core/errors.js';
import { redactUntrusted } from '../core/identifiers/index.js';
import type { JobQueueTable } from '../io/db/job-schema.js';
import type { Database } from '../io/db/schema.js';
import type { JobName } from './job-names.js';
import type { JobHandler, JobQueue, JobRecord, JobState, SendOptions } from './job-queue.js';
import { policyOf, type QueueSettings } from './queue-settings.js';

function toRecord(r: Selectable<JobQueueTable>): JobRecord {
  return {
    id: r.id, name: r.name, state: r.state as JobState, payload: JSON.parse(r.payload), retryCount: Number(r.retry_count), retryLimit: Number(r.retry_limit),
    createdAt: r.created_at, startedAt: r.started_at, completedAt: r.completed_at,
    output: r.state === 'active' ? (r.progress ? JSON.parse(r.progress) : null) : r.output ? JSON.parse(r.output) : null,
  };
}

export class InProcessQueue implements JobQueue {
  readonly engine = 'in-process';
  private readonly workers: { name: JobName; concurrency: number; handler: JobHandler; running: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly db: Kysely<Database>, private readonly settings: QueueSettings, private readonly now: () => Date = () => new Date()) {}

  async start(): Promise<void> {}

  async send(name: JobName, payload: unknown, opts: SendOptions = {}): Promise<string | null> {
    const db = opts.tx ?? this.db;
    if (opts.singletonKey !== undefined) {
      const open = await db.selectFrom('job_queue').select('id').where('name', '=', name).where('singleton_key', '=', opts.singletonKey)
        .where('state', 'in', ['created', 'retry', 'active']).executeTakeFirst();
      if (open) return null;
    }
    const id = randomUUID();
    const at = this.now().toISOString();
    await db.insertInto('job_queue').values({
      id, name, payload: JSON.stringify(payload), state: 'created', singleton_key: opts.singletonKey ?? null, retry_count: 0,
      retry_limit: policyOf(name, this.settings).retryLimit, start_after: at, created_at: at,
    }).execute();
    this.kick();
    return id;
  }

  async work(name: JobName, concurrency: number, handler: JobHandler): Promise<void> {
    this.workers.push({ name, concurrency, handler, running: 0 });
    this.timer ??= setInterval(() => this.kick(), this.settings.pollMs);
    this.kick();
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const r = await this.db.selectFrom('job_queue').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async list(filter: { state?: JobState; name?: JobName; limit?: number } = {}): Promise<JobRecord[]> {
    let q = this.db.selectFrom('job_queue').selectAll().orderBy('created_at', 'desc').limit(filter.limit ?? 100);
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.name) q = q.where('name', '=', filter.name);
    return (await q.execute()).map(toRecord);
  }

  async retry(id: string): Promise<boolean> {
    const r = await this.db.updateTable('job_queue').set({ state: 'retry', start_after: this.now().toISOString(), completed_at: null })
      .where('id', '=', id).where('state', 'in', ['failed', 'cancelled']).executeTakeFirst();
    this.kick();
    return Number(r.numUpdatedRows) > 0;
  }

  async stop(graceMs = 30_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const all = Promise.all([...this.inFlight]);
    const late = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
    if (late) this.abort.abort();
    await all;
  }

  /** Takes due jobs for every worker with room. */
  private kick(): void {
    if (this.stopped) return;
    for (const w of this.workers) {
      while (w.running < w.concurrency) {
        w.running++;
        const p = this.claimAndRun(w).then((ran) => {
          w.running--;
          this.inFlight.delete(p);
          if (ran) this.kick();
        }, () => {
          w.running--;
          this.inFlight.delete(p);
        });
        this.inFlight.add(p);
      }
    }
  }

  private async claimAndRun(w: { name: JobName; handler: JobHandler }): Promise<boolean> {
    const policy = policyOf(w.name, this.settings);
    const now = this.now();
    // A job active for longer than its expiry was left by a killed process: it runs again.
    await this.db.updateTable('job_queue').set({ state: 'retry', start_after: now.toISOString() })
      .where('name', '=', w.name).where('state', '=', 'active')
      .where('started_at', '<', new Date(now.getTime() - policy.expireSeconds * 1000).toISOString()).execute();
    if (policy.singleton) {
      const active = await this.db.selectFrom('job_queue').select('id').where('name', '=', w.name).where('state', '=', 'active').executeTakeFirst();
      if (active) return false;
    }
    const next = await this.db.selectFrom('job_queue').select('id').where('name', '=', w.name).where('state', 'in', ['created', 'retry'])
      .where('start_after', '<=', now.toISOString()).orderBy('created_at').limit(1).executeTakeFirst();
    if (!next) return false;
    const claimed = await this.db.updateTable('job_queue').set({ state: 'active', started_at: now.toISOString(), progress: null })
      .where('id', '=', next.id).where('state', 'in', ['created', 'retry']).returningAll().executeTakeFirst();
    if (!claimed) return true;
    const job = toRecord(claimed);
    try {
      const result = await w.handler(job.payload, {
        id: job.id, name: w.name, retryCount: job.retryCount, lastAttempt: job.retryCount >= job.retryLimit, signal: this.abort.signal,
        progress: async (p) => {
          await this.db.updateTable('job_queue').set({ progress: JSON.stringify(p) }).where('id', '=', job.id).where('state', '=', 'active').execute();
        },
      });
      await this.db.updateTable('job_queue').set({ state: 'completed', completed_at: this.now().toISOString(), output: JSON.stringify(result ?? null) })
        .where('id', '=', job.id).where('state', '=', 'active').execute();
    } catch (err) {
      // Error texts can name files, and file names can name people: stored redacted.
      const output = JSON.stringify({ message: redactUntrusted(describeError(err)).slice(0, 2000) });
      const dead = job.retryCount >= job.retryLimit;
      const delay = policy.retryDelaySeconds * 1000 * 2 ** job.retryCount;
      await this.db.updateTable('job_queue').set(dead
        ? { state: 'failed', completed_at: this.now().toISOString(), output }
        : { state: 'retry', retry_count: job.retryCount + 1, start_after: new Date(this.now().getTime() + delay).toISOString(), output })
        .where('id', '=', job.id).where('state', '=', 'active').execute();
    }
    return true;
  }
}
