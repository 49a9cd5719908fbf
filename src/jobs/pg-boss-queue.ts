/**
 * The queue on PostgreSQL: pg-boss (v10, the newest major that runs on Node 20). Each job name is a pg-boss queue
 * with its policy from job-flow.ts (retries with exponential back-off, expiry of a job whose worker died, one
 * active at a time for singletons). Jobs are sent through the caller's Kysely transaction, so a job exists if and
 * only if the rows it belongs to were committed. Progress is written into the job's output while it runs.
 * Workers on any machine that reaches the database share the queues.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import { describeError } from '../core/errors.js';
import { redactUntrusted } from '../core/identifiers/index.js';
import type { Database } from '../io/db/schema.js';
import { JOB_NAMES, type JobName } from './job-names.js';
import type { JobHandler, JobQueue, JobRecord, JobState, SendOptions } from './job-queue.js';
import { policyOf, type QueueSettings } from './queue-settings.js';

/** pg-boss's own housekeeping (expiry of lost jobs, retries due) runs this often; tests shorten it. */
export interface PgBossOptions {
  maintenanceSeconds?: number;
  onError?: (err: Error) => void;
}

/** How long a worker waits for the database to come back before handing a job's outcome to pg-boss. */
const DATABASE_WAIT_MS = 5 * 60_000;

const COLUMNS = 'id, name, state, data, retry_count, retry_limit, created_on, started_on, completed_on, output';

interface JobRow {
  id: string; name: string; state: JobState; data: unknown; retry_count: number; retry_limit: number;
  created_on: Date; started_on: Date | null; completed_on: Date | null; output: unknown;
}

function toRecord(r: JobRow): JobRecord {
  const output = r.output && typeof r.output === 'object' && 'value' in r.output ? (r.output as { value: unknown }).value : r.output;
  return {
    id: r.id, name: r.name, state: r.state, payload: r.data, retryCount: r.retry_count, retryLimit: r.retry_limit,
    createdAt: r.created_on.toISOString(), startedAt: r.started_on?.toISOString() ?? null, completedAt: r.completed_on?.toISOString() ?? null, output: output ?? null,
  };
}

/** pg-boss's executor over a Kysely transaction: its insert runs on the transaction's connection. */
function txExecutor(tx: Transaction<Database>): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: [...(await tx.executeQuery(CompiledQuery.raw(text, values))).rows] }) };
}

export class PgBossQueue implements JobQueue {
  readonly engine = 'pg-boss';
  private readonly boss: PgBoss;
  private readonly schema: string;
  private readonly abort = new AbortController();

  constructor(databaseUrl: string, private readonly settings: QueueSettings, opts: PgBossOptions = {}) {
    this.schema = settings.bossSchema;
    this.boss = new PgBoss({
      connectionString: databaseUrl, schema: this.schema, max: 4, application_name: 'unexpose-jobs',
      maintenanceIntervalSeconds: opts.maintenanceSeconds ?? 30, monitorStateIntervalSeconds: 60,
      archiveCompletedAfterSeconds: 3600, archiveFailedAfterSeconds: 14 * 86_400, deleteAfterDays: 30,
    });
    // Connection losses are reported here and retried by pg-boss's loops: a worker rides out a database restart.
    this.boss.on('error', opts.onError ?? (() => undefined));
  }

  async start(): Promise<void> {
    await this.boss.start();
    // A dropped connection in use must fail its statement, not end the process (see open-database.ts).
    (this.boss.getDb() as { pool?: { on(e: 'connect', fn: (c: { on(e: 'error', fn: () => void): void }) => void): void } }).pool
      ?.on('connect', (client) => client.on('error', () => undefined));
    for (const name of JOB_NAMES) {
      const p = policyOf(name, this.settings);
      const queue = {
        name, policy: p.singleton ? 'singleton' as const : 'standard' as const, retryLimit: p.retryLimit, retryDelay: p.retryDelaySeconds,
        retryBackoff: true, expireInSeconds: p.expireSeconds,
      };
      // Several processes start at once: each creates or updates only what differs, and retries on a clash.
      for (let attempt = 1; ; attempt++) {
        try {
          const have = await this.boss.getQueue(name);
          if (!have) await this.boss.createQueue(name, queue);
          else if (have.policy !== queue.policy || have.retryLimit !== queue.retryLimit || have.retryDelay !== queue.retryDelay
            || have.expireInSeconds !== queue.expireInSeconds) await this.boss.updateQueue(name, queue);
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    }
  }

  async send(name: JobName, payload: unknown, opts: SendOptions = {}): Promise<string | null> {
    const db = opts.tx ? txExecutor(opts.tx) : this.boss.getDb();
    if (opts.singletonKey !== undefined) {
      const open = await db.executeSql(`SELECT 1 FROM ${this.schema}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed' LIMIT 1`, [name, opts.singletonKey]);
      if (open.rows.length > 0) return null;
    }
    return this.boss.send(name, payload as object, { db, ...(opts.singletonKey !== undefined ? { singletonKey: opts.singletonKey } : {}) });
  }

  async work(name: JobName, concurrency: number, handler: JobHandler): Promise<void> {
    const pollingIntervalSeconds = Math.max(0.5, this.settings.pollMs / 1000);
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
        // pg-boss records the outcome without awaiting it: with the database away that write would be an unhandled
        // rejection. So the outcome is handed over only once the database answers again.
        try {
          const result = await handler(job.data, {
            id: job.id, name, retryCount: job.retryCount, lastAttempt: job.retryCount >= job.retryLimit, signal: this.abort.signal,
            progress: async (p) => {
              await this.boss.getDb().executeSql(`UPDATE ${this.schema}.job SET output = $3 WHERE name = $1 AND id = $2 AND state = 'active'`,
                [name, job.id, JSON.stringify({ value: p })]);
            },
          });
          await this.databaseBack();
          return result ?? null;
        } catch (err) {
          await this.databaseBack();
          // What pg-boss stores of an error is ours to choose: a redacted message, no stack with paths in it.
          throw new Error(redactUntrusted(describeError(err)).slice(0, 2000));
        }
      });
    }
  }

  /** Waits (up to DATABASE_WAIT_MS) until the database answers; a worker stopping does not wait. */
  private async databaseBack(): Promise<void> {
    const end = Date.now() + DATABASE_WAIT_MS;
    while (!this.abort.signal.aborted && Date.now() < end) {
      try {
        await this.boss.getDb().executeSql('SELECT 1', []);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const r = await this.boss.getDb().executeSql(
      `SELECT ${COLUMNS} FROM ${this.schema}.job WHERE id = $1 UNION ALL SELECT ${COLUMNS} FROM ${this.schema}.archive WHERE id = $1 LIMIT 1`, [id]);
    return r.rows[0] ? toRecord(r.rows[0] as JobRow) : undefined;
  }

  async list(filter: { state?: JobState; name?: JobName; limit?: number } = {}): Promise<JobRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.state) where.push(`state = $${values.push(filter.state)}`);
    if (filter.name) where.push(`name = $${values.push(filter.name)}`);
    const r = await this.boss.getDb().executeSql(
      `SELECT ${COLUMNS} FROM ${this.schema}.job ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_on DESC LIMIT ${Math.min(10_000, filter.limit ?? 100)}`, values);
    return r.rows.map((row) => toRecord(row as JobRow));
  }

  async retry(id: string): Promise<boolean> {
    const job = await this.get(id);
    if (!job || (job.state !== 'failed' && job.state !== 'cancelled')) return false;
    if (job.state === 'cancelled') await this.boss.resume(job.name, id);
    else await this.boss.retry(job.name, id);
    return true;
  }

  async stop(graceMs = 30_000): Promise<void> {
    this.abort.abort();
    await this.boss.stop({ graceful: true, wait: true, timeout: graceMs });
  }
}
