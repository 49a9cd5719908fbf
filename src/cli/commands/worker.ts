/**
 * `unexpose worker [--concurrency N] [--role hasher|matcher|curator|all] [--threads N]`: runs job handlers until
 * SIGTERM or SIGINT, on any machine that reaches the database (DATABASE_URL: pg-boss shares the jobs between
 * every worker). On SQLite (no DATABASE_URL) it runs the embedded queue's jobs in this process. On a stop signal
 * it takes no new job and lets running ones end their batch; an unfinished part is retried and resumes from
 * its checkpoint.
 */
import { Command, Option } from 'commander';
import { WORKER_ROLES, type WorkerRole } from '../../jobs/job-names.js';
import { openJobSession } from '../../jobs/job-session.js';
import { runWorkers } from '../../jobs/run-workers.js';
import { DEFAULT_DB_PATH } from '../../services/store.js';
import { parsePositiveNumber } from '../parse-options.js';
import { printNote } from '../render/terminal-text.js';

interface WorkerOptions {
  concurrency: number;
  role: WorkerRole;
  threads?: number;
  db?: string;
}

async function runWorker(o: WorkerOptions): Promise<void> {
  const session = await openJobSession({
    dbPath: o.db, databaseUrl: process.env.DATABASE_URL, threads: o.threads,
    onError: (err) => printNote(`unexpose worker: queue: ${err.message}`),
  });
  const names = await runWorkers(session.rt, o.role, o.concurrency);
  printNote(`unexpose worker: ${session.rt.queue.engine}, role ${o.role} (${names.join(', ') || 'no job'}), ${o.concurrency} at a time; pid ${process.pid}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      printNote(`unexpose worker: ${signal}: letting running jobs save their batch, then stopping`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await session.close(30_000);
}

/** Adds `worker` to the program. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run job handlers (scans, clustering, reports) for the queue in DATABASE_URL; any number of workers on any machine')
    .option('--concurrency <n>', 'export scans run at once in this process (default 1)', parsePositiveNumber, 1)
    .addOption(new Option('--role <role>', 'which jobs: hasher (export scans), curator (clusters, reports, banks), matcher, or all').choices(WORKER_ROLES).default('all'))
    .option('--threads <n>', 'hashing threads (default: one per core)', parsePositiveNumber)
    .option('--db <path>', `SQLite file (default ${DEFAULT_DB_PATH}; PostgreSQL from DATABASE_URL when --db is not given)`)
    .action(async (o: WorkerOptions) => {
      await runWorker(o);
    });
}
