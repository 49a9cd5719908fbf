/**
 * The shared suite every JobQueue implementation runs (test/db/job-queue.test.ts runs it on the in-process queue
 * over SQLite and on pg-boss over PostgreSQL): jobs run with their payload; a failing job is retried with
 * back-off, then dead (failed) without holding up the others, and an operator's retry runs it again; a job sent
 * in a transaction that rolls back never exists; a singleton is sent once; progress shows while a job runs.
 */
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../io/db/schema.js';
import type { JobQueue, JobRecord } from './job-queue.js';

export interface QueueUnderTest {
  queue: JobQueue;
  db: Kysely<Database>;
  close(): Promise<void>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const done = (q: JobQueue, id: string, state: JobRecord['state']) => until(`job ${id} ${state}`, async () => {
  const j = await q.get(id);
  return j?.state === state ? j : undefined;
});

/** Declares the cases; `open` gives a fresh queue (retry limit 1, retry delay 1 s, fast polling). */
export function jobQueueCases(open: () => Promise<QueueUnderTest>): void {
  it('runs a job with its payload and records the result', async () => {
    const t = await open();
    try {
      const seen: unknown[] = [];
      await t.queue.work('ScanReport', 1, async (payload) => {
        seen.push(payload);
        return { ok: 1 };
      });
      const payload = { scanJobId: '5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2a11' };
      const id = (await t.queue.send('ScanReport', payload))!;
      const job = await done(t.queue, id, 'completed');
      expect(seen).toEqual([payload]);
      expect(job).toMatchObject({ name: 'ScanReport', payload, output: { ok: 1 }, retryCount: 0 });
    } finally {
      await t.close();
    }
  }, 40_000);

  it('a failing job is retried with back-off, then dead; the rest go on; an operator retry runs it again', async () => {
    const t = await open();
    try {
      const attempts: number[] = [];
      let heal = false;
      await t.queue.work('ExportScan', 2, async (payload, jc) => {
        const p = payload as { part: number };
        if (p.part === 0 && !heal) {
          attempts.push(Date.now());
          throw new Error('poison part');
        }
        return { part: p.part };
      });
      const scanJobId = '5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2a12';
      const poison = (await t.queue.send('ExportScan', { scanJobId, part: 0 }))!;
      const others = await Promise.all([1, 2, 3].map(async (part) => (await t.queue.send('ExportScan', { scanJobId, part }))!));
      for (const id of others) await done(t.queue, id, 'completed');
      const dead = await done(t.queue, poison, 'failed');
      expect(dead.retryCount).toBe(1);
      expect(JSON.stringify(dead.output)).toContain('poison part');
      expect(attempts).toHaveLength(2);
      expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(900);
      expect((await t.queue.list({ state: 'failed' })).map((j) => j.id)).toEqual([poison]);
      heal = true;
      expect(await t.queue.retry(poison)).toBe(true);
      expect(await t.queue.retry('5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2aff')).toBe(false);
      expect((await done(t.queue, poison, 'completed')).output).toEqual({ part: 0 });
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a job sent in a transaction that rolls back does not exist; a singleton is sent once', async () => {
    const t = await open();
    try {
      const before = (await t.queue.list({ name: 'ClusterUpdate' })).length;
      await t.db.transaction().execute(async (trx) => {
        await t.queue.send('ClusterUpdate', { scanJobId: '5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2a13' }, { tx: trx });
        throw new Error('roll back');
      }).catch(() => undefined);
      expect((await t.queue.list({ name: 'ClusterUpdate' })).length).toBe(before);
      const payload = { scanJobId: '5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2a14' };
      const first = await t.db.transaction().execute((trx) => t.queue.send('ClusterUpdate', payload, { tx: trx, singletonKey: payload.scanJobId }));
      expect(first).toEqual(expect.any(String));
      expect(await t.queue.send('ClusterUpdate', payload, { singletonKey: payload.scanJobId })).toBeNull();
    } finally {
      await t.close();
    }
  }, 40_000);

  it('shows a running job\'s progress', async () => {
    const t = await open();
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await t.queue.work('ScanReport', 1, async (_p, jc) => {
        await jc.progress({ phase: 'report', done: 3 });
        await held;
        return null;
      });
      const id = (await t.queue.send('ScanReport', { scanJobId: '5b0c6a4e-3a4c-4a53-9c55-0d4f1f0e2a15' }))!;
      const active = await until('progress', async () => {
        const j = await t.queue.get(id);
        return j?.state === 'active' && j.output ? j : undefined;
      });
      expect(active.output).toEqual({ phase: 'report', done: 3 });
      release();
      await done(t.queue, id, 'completed');
    } finally {
      await t.close();
    }
  }, 40_000);
}
