/**
 * The scan job handlers are idempotent: each run a second time (a retried or duplicated job) changes nothing —
 * no row added, no figure counted twice, the report the same. And the chain run by the queue gives the report a
 * one-process scan of the same export gives. On SQLite and PostgreSQL.
 */
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../../src/io/db/schema.js';
import { clusterUpdate } from '../../src/jobs/handlers/cluster-update.js';
import { exportScan } from '../../src/jobs/handlers/export-scan.js';
import { scanReport } from '../../src/jobs/handlers/scan-report.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobContext } from '../../src/jobs/job-queue.js';
import { createJobRuntime } from '../../src/jobs/job-runtime.js';
import { runWorkers } from '../../src/jobs/run-workers.js';
import { ScanJobBoard } from '../../src/jobs/scan-job-board.js';
import { createHashPool } from '../../src/services/hash-media.js';
import { scanExports } from '../../src/services/scan/scan-exports.js';
import { loadStoreKey, storeRepos, type Store } from '../../src/services/store.js';
import { generateTelegramExport } from '../fixtures/telegram/generate-telegram-export.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { describeEachDialect } from './each-dialect.js';

process.env.UNEXPOSE_SECRET ??= '9a1c3e5f7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a';
const tempDir = useTempDirs();
const settings = { retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 60, pollMs: 50, bossSchema: 'unused' };

function jc(name: JobContext['name']): JobContext {
  return { id: 'test', name, retryCount: 0, lastAttempt: false, progress: async () => undefined, signal: new AbortController().signal };
}

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['message', 'media', 'media_signal', 'identifier_finding', 'media_cluster', 'ingest_checkpoint', 'chat']) {
    out[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n);
  }
  return out;
}

describeEachDialect('scan_job_handlers', (open) => {
  it('ExportScan, ClusterUpdate and ScanReport run twice change nothing the second time', async () => {
    const opened = await open();
    const store: Store = { db: opened.db, dialect: opened.dialect, location: 'test', close: opened.close, ...storeRepos(opened.db, opened.dialect) };
    const queue = new InProcessQueue(opened.db, settings);
    const rt = createJobRuntime(store, queue, { poolMode: 'inline' });
    try {
      const dir = path.join(await tempDir('ux-idem-'), 'export');
      await generateTelegramExport({ dir, seed: 41, messages: 400, photos: 10, videos: 1, phoneNumbers: 3 });
      const board = new ScanJobBoard(rt);
      const job = await board.submit({ paths: [dir], label: 'export', options: { batchSize: 50 } });
      const payload = { scanJobId: job.id, part: 0 };
      await exportScan(rt, payload, jc('ExportScan'));
      const afterFirst = await counts(opened.db);
      const partFirst = (await rt.scanJobs.parts(job.id))[0];
      expect(afterFirst.message).toBeGreaterThan(400);
      expect(await exportScan(rt, payload, jc('ExportScan'))).toEqual({ skipped: 'done' });
      // Even with the part put back to running (a worker killed after its last batch): nothing stored twice.
      await opened.db.updateTable('scan_job_part').set({ status: 'running' }).where('scan_job_id', '=', job.id).execute();
      await exportScan(rt, payload, jc('ExportScan'));
      expect(await counts(opened.db)).toEqual(afterFirst);
      const partAgain = (await rt.scanJobs.parts(job.id))[0];
      expect([partAgain.messages, partAgain.new_messages, partAgain.media_hashed].map(Number))
        .toEqual([partFirst.messages, partFirst.new_messages, partFirst.media_hashed].map(Number));
      await clusterUpdate(rt, { scanJobId: job.id }, jc('ClusterUpdate'));
      const clustered = await counts(opened.db);
      await clusterUpdate(rt, { scanJobId: job.id }, jc('ClusterUpdate'));
      expect(await counts(opened.db)).toEqual(clustered);
      await scanReport(rt, { scanJobId: job.id }, jc('ScanReport'));
      const report = (await board.get(job.id))!.report!;
      expect(await scanReport(rt, { scanJobId: job.id }, jc('ScanReport'))).toEqual({ skipped: 'done' });
      expect((await board.get(job.id))!.report).toEqual(report);
      expect(report.summary.messages).toBe(400);
      await board.close();
    } finally {
      await queue.stop(1000);
      await rt.close();
      await opened.close();
    }
  }, 60_000);

  it('the chain run by the queue gives the report of a one-process scan', async () => {
    const dir = await tempDir('ux-chain-');
    const exports = [path.join(dir, 'a'), path.join(dir, 'b')];
    await generateTelegramExport({ dir: exports[0], seed: 42, messages: 300, photos: 8, videos: 0, phoneNumbers: 3 });
    await generateTelegramExport({ dir: exports[1], seed: 43, messages: 300, photos: 8, videos: 0, phoneNumbers: 3 });
    const one = await open();
    const pool = createHashPool({ mode: 'inline' });
    const oneStore = { ...storeRepos(one.db, one.dialect), db: one.db };
    const expected = await scanExports({ ...oneStore, pool, key: await loadStoreKey({ db: one.db }) }, exports);
    await pool.close();
    await one.close();
    const opened = await open();
    const store: Store = { db: opened.db, dialect: opened.dialect, location: 'test', close: opened.close, ...storeRepos(opened.db, opened.dialect) };
    const queue = new InProcessQueue(opened.db, settings);
    const rt = createJobRuntime(store, queue, { poolMode: 'inline' });
    try {
      await runWorkers(rt, 'all', 2);
      const board = new ScanJobBoard(rt);
      const job = await board.submit({ paths: exports, label: 'two exports' });
      let got = await board.get(job.id);
      for (let i = 0; i < 400 && got?.status !== 'done' && got?.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        got = await board.get(job.id);
      }
      expect(got?.error).toBeUndefined();
      expect(got?.status).toBe('done');
      expect(got!.report!.summary).toEqual(expected.summary);
      expect(got!.report!.run.newMessages).toBe(expected.run.newMessages);
      await board.close();
    } finally {
      await queue.stop(1000);
      await rt.close();
      await opened.close();
    }
  }, 90_000);
});
