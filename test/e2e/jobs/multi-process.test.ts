/**
 * Scans shared by several real processes over one PostgreSQL (a private cluster started for this file, so that
 * it can be stopped): an enqueuer (`unexpose jobs scan --wait`) and three `unexpose worker` processes. A worker
 * killed with SIGKILL mid-scan, or the database stopped for a few seconds, and the scan still ends with the same
 * report as a one-process `unexpose scan` of the same generated exports: no message lost or counted twice. A
 * poison job ends dead (state failed) without holding up the rest, and an operator can list and retry it.
 * Skips with a message without DATABASE_URL or without PostgreSQL server binaries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBossQueue } from '../../../src/jobs/pg-boss-queue.js';
import { queueSettingsFromEnv } from '../../../src/jobs/queue-settings.js';
import { generateTelegramExport } from '../../fixtures/telegram/generate-telegram-export.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.js';
import { cliPath, runCli } from '../../support/run-cli.js';
import { useTempDirs } from '../../support/temp-dirs.js';

const SECRET = '3c9e1a7f5b2d8c4e6a0f9b1d3e5c7a9f2b4d6e8a0c1e3f5a7b9d2c4e6f8a0b1c';
const skipWhy = !process.env.DATABASE_URL ? 'DATABASE_URL is not set' : privatePostgresMissing();
if (skipWhy) console.warn(`multi-process jobs: skipping: ${skipWhy}`);

const tempDir = useTempDirs();

/** Short queue timings: a killed worker's part is retried after ~12 s instead of 30 min. */
const QUEUE_ENV = {
  UNEXPOSE_SECRET: SECRET, UNEXPOSE_JOB_EXPIRE: '12', UNEXPOSE_JOB_MAINTENANCE: '1', UNEXPOSE_JOB_RETRY_DELAY: '1', UNEXPOSE_JOB_POLL_MS: '500',
};

interface Proc {
  child: ChildProcess;
  out: string;
  exited: Promise<number>;
}

function startCli(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', exited: new Promise((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : -1)))) };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (p.out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (p.out += d));
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe.skipIf(!!skipWhy)('scans on several worker processes (private PostgreSQL)', () => {
  let cluster: PrivatePostgres;
  let exports: string[];
  let reference: { summary: Record<string, number>; messagesInDb: number };
  let dbN = 0;
  const procs: Proc[] = [];

  /** A fresh database on the private cluster. */
  async function freshDb(): Promise<string> {
    const name = `jobs_${dbN++}`;
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return cluster.url.replace(/\/postgres$/, `/${name}`);
  }

  async function query<T>(url: string, text: string): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text)).rows as T[];
    } finally {
      await c.end();
    }
  }

  function workers(url: string, n: number): Proc[] {
    const started = Array.from({ length: n }, () => startCli(['worker', '--concurrency', '1', '--threads', '1'], { ...QUEUE_ENV, DATABASE_URL: url }));
    procs.push(...started);
    return started;
  }

  async function stopAll(list: Proc[]): Promise<void> {
    for (const p of list) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(list.map((p) => p.exited));
  }

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
    const dir = await tempDir('ux-jobs-mp-');
    exports = [];
    for (let i = 0; i < 6; i++) {
      const d = path.join(dir, `export-${i}`);
      await generateTelegramExport({ dir: d, seed: 500 + i, messages: 3000, photos: 20, videos: 2, phoneNumbers: 5 });
      exports.push(d);
    }
    const json = path.join(dir, 'reference.json');
    const ref = await runCli(['scan', ...exports, '--db', path.join(dir, 'reference.db'), '--json', json, '--quiet', '--workers', '1'], { env: { UNEXPOSE_SECRET: SECRET } });
    expect(ref.code, ref.stderr).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8'));
    reference = { summary: report.summary, messagesInDb: report.summary.messages + report.summary.serviceMessages };
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await cluster?.destroy();
  });

  /** Queues the scan of the six exports and returns the enqueuer following it. */
  function enqueue(url: string, json: string): Proc {
    const p = startCli(['jobs', 'scan', ...exports, '--batch-size', '100', '--wait', '--json', json], { ...QUEUE_ENV, DATABASE_URL: url });
    procs.push(p);
    return p;
  }

  async function expectSameAsReference(url: string, json: string): Promise<void> {
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.summary).toEqual(reference.summary);
    const [{ n }] = await query<{ n: string }>(url, 'select count(*) as n from message');
    expect(Number(n)).toBe(reference.messagesInDb);
    const [{ d }] = await query<{ d: string }>(url, 'select count(*) as d from (select chat_id, message_id from message group by 1, 2 having count(*) > 1) x');
    expect(Number(d)).toBe(0);
  }

  it('a worker killed with SIGKILL mid-scan: its part is retried from its checkpoint and the report matches a one-process scan', async () => {
    const url = await freshDb();
    const dir = await tempDir('ux-jobs-kill-');
    const json = path.join(dir, 'report.json');
    const ws = workers(url, 3);
    const enq = enqueue(url, json);
    // The worker that holds a part with batches saved and more to come is killed mid-part.
    const pid = await until('a part under way', async () => {
      const rows = await query<{ pid: string }>(url, "select j.output->'value'->>'pid' as pid from pgboss.job j join scan_job_part p on p.part = (j.data->>'part')::int "
        + "where j.name = 'ExportScan' and j.state = 'active' and p.status = 'running' and p.messages > 0 and p.bytes_done < p.total_bytes / 2");
      return rows.find((r) => r.pid)?.pid;
    });
    const victim = ws.find((w) => String(w.child.pid) === pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    expect(await victim.exited).not.toBe(0);
    expect(await enq.exited, enq.out).toBe(0);
    await expectSameAsReference(url, json);
    const retried = await query<{ n: string }>(url, "select count(*) as n from pgboss.job where name = 'ExportScan' and retry_count > 0");
    expect(Number(retried[0].n)).toBeGreaterThan(0);
    await stopAll(ws);
  }, 120_000);

  it('the database stopped for a few seconds mid-scan: workers and enqueuer ride it out and the report matches', async () => {
    const url = await freshDb();
    const dir = await tempDir('ux-jobs-dbstop-');
    const json = path.join(dir, 'report.json');
    const ws = workers(url, 3);
    const enq = enqueue(url, json);
    await until('a part under way', async () => Number((await query<{ n: string }>(url, "select count(*) as n from scan_job_part where messages > 0"))[0].n) >= 1);
    await cluster.stop();
    await sleep(3000);
    await cluster.start();
    // Bounded, and on a timeout it says where the scan stood (seen once under a full suite's load: a 120 s wait).
    const code = await Promise.race([enq.exited, sleep(200_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      const parts = await query(url, 'select part, status, messages, updated_at from scan_job_part order by part').catch((e: Error) => e.message);
      const jobs = await query(url, "select name, state, retry_count from pgboss.job order by created_on").catch((e: Error) => e.message);
      throw new Error(`the scan did not end within 200 s after the restart; parts: ${JSON.stringify(parts)}; jobs: ${JSON.stringify(jobs)}\nenqueuer: ${enq.out.slice(-2000)}\nworkers: ${ws.map((w) => w.out.slice(-1500)).join('\n---\n')}`);
    }
    expect(code, enq.out).toBe(0);
    await expectSameAsReference(url, json);
    for (const w of ws) expect(w.child.exitCode, w.out).toBeNull();
    await stopAll(ws);
  }, 300_000);

  it('a poison job ends dead (failed) without holding up a scan; jobs list shows it and jobs retry queues it again', async () => {
    const url = await freshDb();
    const dir = await tempDir('ux-jobs-poison-');
    const json = path.join(dir, 'report.json');
    const env = { ...QUEUE_ENV, DATABASE_URL: url, UNEXPOSE_JOB_RETRY_LIMIT: '1' };
    const ws = Array.from({ length: 2 }, () => startCli(['worker', '--threads', '1'], env));
    procs.push(...ws);
    // A job whose scan job does not exist fails every attempt: the poison.
    const poisonId = '00000000-0000-4000-8000-000000000000';
    const queue = new PgBossQueue(url, { ...queueSettingsFromEnv(env), pollMs: 500 });
    await queue.start();
    const sent = { id: (await queue.send('ExportScan', { scanJobId: poisonId, part: 0 }))! };
    await queue.stop(1000);
    const p = startCli(['jobs', 'scan', exports[0], '--wait', '--json', json], env);
    procs.push(p);
    expect(await p.exited, p.out).toBe(0);
    const dead = await until('the poison job to be dead', async () => {
      const r = await runCli(['jobs', 'list', '--state', 'failed', '--format', 'jsonl'], { env });
      const list = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return list.find((j) => j.id === sent.id);
    });
    expect(dead).toMatchObject({ name: 'ExportScan', state: 'failed', retryCount: 1 });
    expect(JSON.stringify(dead.output)).toMatch(/no part 0 of scan job/);
    const retry = await runCli(['jobs', 'retry', sent.id], { env });
    expect(retry.code, retry.stderr).toBe(0);
    const shown = await runCli(['jobs', 'show', sent.id], { env });
    expect(JSON.parse(shown.stdout).state).toMatch(/retry|created|active|failed/);
    expect((await runCli(['jobs', 'retry', '11111111-1111-4111-8111-111111111111'], { env })).code).toBe(1);
    await stopAll(ws);
  }, 120_000);
});
