/**
 * `unexpose jobs list [--state failed] | show ID | retry ID | scan PATH... [--wait]`: the job queue as an operator
 * sees it. A job that failed every attempt stays in state `failed` (the dead-letter state) until retried here.
 * `jobs scan` queues a scan for the workers (each path is one part) and, with --wait, follows it to its report.
 * Payloads hold ids only, so listing jobs shows nobody's path or number.
 */
import { Command, Option } from 'commander';
import { JOB_NAMES, type JobName } from '../../jobs/job-names.js';
import { JOB_STATES, type JobRecord, type JobState } from '../../jobs/job-queue.js';
import { openJobSession, type JobSession } from '../../jobs/job-session.js';
import { runWorkers } from '../../jobs/run-workers.js';
import { ScanJobBoard, type ScanJob } from '../../jobs/scan-job-board.js';
import { DEFAULT_DB_PATH, writePrivateFile } from '../../services/store.js';
import { EXIT_FAILED, EXIT_NO_INPUT, EXIT_OK } from '../exit-codes.js';
import { parsePositiveNumber } from '../parse-options.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { printNote } from '../render/terminal-text.js';
import { summaryParagraph } from './scan.js';

const dbHelp = `SQLite file (default ${DEFAULT_DB_PATH}; PostgreSQL from DATABASE_URL when --db is not given)`;

async function withSession<T>(o: { db?: string }, fn: (s: JobSession) => Promise<T>): Promise<T> {
  const s = await openJobSession({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL });
  try {
    return await fn(s);
  } finally {
    await s.close(1000);
  }
}

function jobLine(j: JobRecord): string {
  const out = j.output && typeof j.output === 'object' ? ` ${JSON.stringify(j.output)}` : '';
  return `${j.id}  ${j.name.padEnd(13)} ${j.state.padEnd(9)} attempts ${j.retryCount + 1}/${j.retryLimit + 1}  created ${j.createdAt}${out}`;
}

async function printJobs(jobs: JobRecord[], format: OutputFormat | undefined): Promise<void> {
  for (const j of jobs) await writeLine(resolveFormat(format) === 'text' ? jobLine(j) : JSON.stringify(j));
}

async function followScan(board: ScanJobBoard, id: string, quiet: boolean): Promise<ScanJob> {
  let last = '';
  for (;;) {
    const job = await board.get(id).catch(() => undefined);
    if (job) {
      const line = `${job.status}: ${job.progress.messages} messages, ${job.progress.mediaHashed} media hashed; parts ${job.parts.map((p) => p.status).join(',')}`;
      if (!quiet && line !== last) printNote(`unexpose jobs scan: ${line}`);
      last = line;
      if (job.status !== 'queued' && job.status !== 'running') return job;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function registerJobsCommand(program: Command): void {
  const cmd = program.command('jobs').description('the job queue: list, show and retry jobs (failed ones are the dead letters); queue a scan for the workers');

  cmd.command('list')
    .description('jobs, newest first')
    .addOption(new Option('--state <state>', 'only jobs in this state (failed: the dead letters)').choices(JOB_STATES))
    .addOption(new Option('--name <name>', 'only jobs of this name').choices(JOB_NAMES))
    .option('--limit <n>', 'at most this many (default 100)', parsePositiveNumber, 100)
    .option('--db <path>', dbHelp)
    .addOption(formatOption())
    .action(async (o: { state?: JobState; name?: JobName; limit: number; db?: string; format?: OutputFormat }) => {
      await withSession(o, async (s) => printJobs(await s.rt.queue.list({ state: o.state, name: o.name, limit: o.limit }), o.format));
    });

  cmd.command('show')
    .description('one job: state, attempts, payload (ids only), progress or result or last error')
    .argument('<id>', 'job id')
    .option('--db <path>', dbHelp)
    .action(async (id: string, o: { db?: string }) => {
      await withSession(o, async (s) => {
        const j = await s.rt.queue.get(id);
        if (!j) {
          printNote(`unexpose jobs: no job ${id}`);
          process.exitCode = EXIT_FAILED;
          return;
        }
        await writeLine(JSON.stringify(j));
      });
    });

  cmd.command('retry')
    .description('put failed (dead) or cancelled jobs back in the queue')
    .argument('<ids...>', 'job ids')
    .option('--db <path>', dbHelp)
    .action(async (ids: string[], o: { db?: string }) => {
      await withSession(o, async (s) => {
        for (const id of ids) {
          const ok = await s.rt.queue.retry(id);
          printNote(ok ? `unexpose jobs: ${id} queued again` : `unexpose jobs: ${id}: no failed or cancelled job with that id`);
          if (!ok) process.exitCode = EXIT_FAILED;
        }
      });
    });

  cmd.command('scan')
    .description('queue a scan for the workers (each path is one part, shared out); --wait follows it to its report')
    .argument('<paths...>', 'export folders or .zip files (each must be reachable by the workers at the same path)')
    .option('--bank <name>', 'match against this bank (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--region <code>', 'country for phone numbers written without +country (ISO code)', 'NL')
    .option('--batch-size <n>', 'messages per batch (default 1000)', parsePositiveNumber)
    .option('--wait', 'follow the scan until it ends and print its summary')
    .option('--json <file>', 'with --wait: write the JSON report here')
    .option('--quiet', 'no progress lines')
    .option('--db <path>', dbHelp)
    .action(async (paths: string[], o: { bank?: string[]; region: string; batchSize?: number; wait?: boolean; json?: string; quiet?: boolean; db?: string }) => {
      process.exitCode = await withSession(o, async (s) => {
        const board = new ScanJobBoard(s.rt);
        try {
          const job = await board.submit({ paths, label: paths.length === 1 ? paths[0] : `${paths.length} exports`,
            options: { banks: o.bank, region: o.region.toUpperCase(), batchSize: o.batchSize } });
          printNote(`unexpose jobs scan: queued scan job ${job.id} (${paths.length} part(s))`);
          // The embedded queue has no workers elsewhere: waiting on it means running its jobs here.
          if (o.wait && s.rt.queue.engine === 'in-process') await runWorkers(s.rt, 'all', 1);
          if (!o.wait) {
            await writeLine(JSON.stringify({ id: job.id }));
            return EXIT_OK;
          }
          const done = await followScan(board, job.id, o.quiet ?? false);
          if (done.status !== 'done' || !done.report) {
            printNote(`unexpose jobs scan: ${done.status}${done.error ? `: ${done.error}` : ''}`);
            return done.error?.startsWith('nothing to scan') ? EXIT_NO_INPUT : EXIT_FAILED;
          }
          if (o.json) await writePrivateFile(o.json, `${JSON.stringify(done.report, null, 2)}\n`);
          await writeLine(summaryParagraph(done.report));
          return EXIT_OK;
        } finally {
          await board.close();
        }
      });
    });
}
