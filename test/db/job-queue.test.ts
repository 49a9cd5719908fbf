/** The JobQueue suite on both engines: the in-process queue over SQLite, pg-boss over PostgreSQL (own schemas). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openDatabase } from '../../src/io/db/open-database.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { jobQueueCases } from '../../src/jobs/job-queue.case.js';
import { PgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import type { QueueSettings } from '../../src/jobs/queue-settings.js';

const settings = (bossSchema = 'pgboss'): QueueSettings => ({ retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 60, pollMs: 100, bossSchema });
const databaseUrl = process.env.DATABASE_URL;

describe('in-process queue on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-jobq-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  jobQueueCases(async () => {
    const opened = await openDatabase({ dbPath: path.join(dir, `q${n++}.db`) });
    const queue = new InProcessQueue(opened.db, settings());
    await queue.start();
    return { queue, db: opened.db, close: async () => { await queue.stop(1000); await opened.close(); } };
  });
});

if (!databaseUrl) console.warn('job-queue: skipping the pg-boss cases: DATABASE_URL is not set');
describe.skipIf(!databaseUrl)('pg-boss queue on PostgreSQL', () => {
  const schemas: string[] = [];
  let n = 0;
  afterAll(async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await c.end();
  });
  jobQueueCases(async () => {
    const schema = `t_jobq_${process.pid}_${n++}`;
    schemas.push(schema, `${schema}_boss`);
    const opened = await openDatabase({ databaseUrl, schema });
    const queue = new PgBossQueue(databaseUrl!, settings(`${schema}_boss`), { maintenanceSeconds: 1 });
    await queue.start();
    return { queue, db: opened.db, close: async () => { await queue.stop(1000); await opened.close(); } };
  });
});
