/**
 * bench:scale, scan section: N of the journalists' months (the month of bench/scan-bench.ts, generated in code;
 * `--scale` shrinks every count of a month by that factor, said in the output) scanned as one queued scan job —
 * one ExportScan part per month — by 1, 2 and 4 `unexpose worker` processes over PostgreSQL (a private cluster
 * when the server binaries are here, else DATABASE_URL in schemas of its own). Prints wall time, CPU seconds per
 * month (every worker and the enqueuer, all threads) and what the queue costs per job: the pick-up latency of
 * jobs sent to idle workers, pg-boss's bookkeeping around each handler, and the whole run against one
 * `unexpose scan` process on SQLite of the same months.
 * Usage: npm run bench:scale [-- --months 10] [--scale 0.05] [--workers 1,2,4] [--threads 1]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { generateTelegramExport } from '../../test/fixtures/telegram/generate-telegram-export.js';
import { privatePostgresMissing, startPrivatePostgres } from '../../test/support/private-postgres.js';
// @ts-expect-error: a plain .mjs helper shared with the other benchmarks
import { childrenCpuSeconds, runMeasured } from '../support/run-measured.mjs';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli/main.js');
const MONTH = { messages: 200_000, photos: 3718, videos: 2463, phoneNumbers: 137, chats: 4, days: 30 };
const SECRET = 'b7e1c3a5f9d2e4c6a8f0b1d3e5c7a9f2b4d6e8a0c1e3f5a7b9d2c4e6f8a0b1c3';

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
}

async function sql<T>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

export async function run(argv: string[]): Promise<void> {
  const months = Number(flag(argv, 'months', '10'));
  const scale = Number(flag(argv, 'scale', '1'));
  const workerCounts = flag(argv, 'workers', '1,2,4').split(',').map(Number);
  const threads = flag(argv, 'threads', '1');
  const month = {
    ...MONTH, messages: Math.round(MONTH.messages * scale), photos: Math.round(MONTH.photos * scale), videos: Math.round(MONTH.videos * scale),
    phoneNumbers: Math.max(1, Math.round(MONTH.phoneNumbers * scale)),
  };
  const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-scale-'));
  const noPrivate = privatePostgresMissing();
  if (noPrivate && !process.env.DATABASE_URL) throw new Error(`bench:scale needs PostgreSQL: ${noPrivate}, and DATABASE_URL is not set`);
  const cluster = noPrivate ? undefined : await startPrivatePostgres();
  const dbs: string[] = [];
  try {
    const dirs: string[] = [];
    for (let m = 0; m < months; m++) {
      const dir = join(tmp, `month-${m + 1}`);
      await generateTelegramExport({ dir, seed: 1000 + m, ...month, startUnix: 1_740_787_200 + m * 30 * 86_400 });
      dirs.push(dir);
    }
    console.log(`${months} month(s) of ${month.messages} messages, ${month.photos} photos, ${month.videos} video placeholders each`
      + `${scale === 1 ? '' : ` (the journalists' month scaled by ${scale})`}; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`
      + `; PostgreSQL: ${cluster ? 'private cluster' : 'DATABASE_URL'}; ${threads} hashing thread(s) per worker\n`);

    const base = await runMeasured(cli, ['scan', ...dirs, '--db', join(tmp, 'one.db'), '--json', join(tmp, 'one.json'), '--quiet', '--workers', threads], { UNEXPOSE_SECRET: SECRET });
    const oneSummary = JSON.parse(readFileSync(join(tmp, 'one.json'), 'utf8')).summary;
    console.log(`one process, SQLite (unexpose scan --workers ${threads}): ${(base.ms / 1000).toFixed(1)} s wall, ${(base.cpuS / months).toFixed(1)} CPU s per month\n`);
    console.log('workers | wall (s) | CPU s per month | jobs | pick-up latency per job (ms) | pg-boss bookkeeping per job (ms) | vs one process, per job (ms) | same figures');
    console.log('---|---|---|---|---|---|---|---');
    for (const n of workerCounts) {
      const url = await freshDatabase(cluster?.url, n, dbs);
      const env: NodeJS.ProcessEnv = { ...process.env, ...url.env, UNEXPOSE_SECRET: SECRET, UNEXPOSE_JOB_POLL_MS: '500' };
      const cpu0 = childrenCpuSeconds();
      const workers = Array.from({ length: n }, () => spawn(process.execPath, [cli, 'worker', '--threads', threads], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
      const exited = workers.map((w) => new Promise((r) => w.on('close', r)));
      // The clock starts once every worker is up (its first line), so the wall time is the scan's, not the boot's.
      await Promise.all(workers.map((w) => new Promise<void>((r) => {
        w.stderr!.setEncoding('utf8').on('data', (d: string) => {
          if (d.includes('unexpose worker:')) r();
          process.stderr.write(d);
        });
      })));
      const t0 = performance.now();
      const enq = await runMeasured(cli, ['jobs', 'scan', ...dirs, '--wait', '--quiet', '--json', join(tmp, `w${n}.json`)], { ...url.env, UNEXPOSE_SECRET: SECRET, UNEXPOSE_JOB_POLL_MS: '500' });
      const wallMs = performance.now() - t0;
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(exited);
      const cpuS = childrenCpuSeconds() - cpu0;
      const summary = JSON.parse(readFileSync(join(tmp, `w${n}.json`), 'utf8')).summary;
      const jobs = await sql<{ name: string; pickup: number; active: number; handler: number | null }>(url.admin,
        `select name, extract(epoch from started_on - created_on) * 1000 as pickup, extract(epoch from completed_on - started_on) * 1000 as active, `
        + `(output->>'handlerMs')::float as handler from ${url.boss}.job where state = 'completed' union all `
        + `select name, extract(epoch from started_on - created_on) * 1000, extract(epoch from completed_on - started_on) * 1000, (output->>'handlerMs')::float from ${url.boss}.archive where state = 'completed'`);
      const followers = jobs.filter((j) => j.name !== 'ExportScan');
      const pickup = followers.reduce((a, j) => a + Number(j.pickup), 0) / Math.max(1, followers.length);
      const timed = jobs.filter((j) => j.handler !== null);
      const bookkeeping = timed.reduce((a, j) => a + Number(j.active) - Number(j.handler), 0) / Math.max(1, timed.length);
      const vsOne = (wallMs - base.ms) / Math.max(1, jobs.length);
      console.log(`${n} | ${(wallMs / 1000).toFixed(1)} | ${(cpuS / months).toFixed(1)} | ${jobs.length} | ${pickup.toFixed(0)} | ${bookkeeping.toFixed(1)} | ${vsOne.toFixed(0)} | ${JSON.stringify(summary) === JSON.stringify(oneSummary) && enq.code === 0 ? 'yes' : 'NO'}`);
    }
    console.log('\npick-up latency: ClusterUpdate and ScanReport, sent when the workers are idle (polling every 500 ms); bookkeeping: a job\'s active time in pg-boss minus its handler\'s own time;'
      + ' vs one process: (wall time − one-process scan) / jobs, which also holds the parallel speed-up (negative: faster than one process).');
  } finally {
    await cluster?.destroy();
    if (!cluster && process.env.DATABASE_URL) for (const s of dbs) await sql(process.env.DATABASE_URL, `DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A fresh database (private cluster) or schema pair (DATABASE_URL) for one run; env points the CLI at it. */
async function freshDatabase(clusterUrl: string | undefined, n: number, dbs: string[]): Promise<{ env: Record<string, string>; admin: string; boss: string }> {
  if (clusterUrl) {
    const name = `scale_${n}_${Date.now()}`;
    await sql(clusterUrl, `CREATE DATABASE ${name}`);
    const url = clusterUrl.replace(/\/postgres$/, `/${name}`);
    return { env: { DATABASE_URL: url }, admin: url, boss: 'pgboss' };
  }
  const base = process.env.DATABASE_URL!;
  const schema = `bench_scale_${process.pid}_${n}`;
  dbs.push(schema, `${schema}_boss`);
  await sql(base, `CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { env: { DATABASE_URL: u.toString(), UNEXPOSE_JOB_SCHEMA: `${schema}_boss` }, admin: base, boss: `${schema}_boss` };
}
