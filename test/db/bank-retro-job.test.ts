/**
 * The BankRetroMatch job on both databases: an import and an added identifier through the server's deps hand the
 * new entries' id range to a job (ids only, no value in the queue), the job stores the same retro-matches the
 * synchronous retro-match stores, a second run stores nothing, and a poison job ends dead without blocking the rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import type { OpenedDatabase } from '../../src/io/db/open-database.js';
import { bankRetroMatch } from '../../src/jobs/handlers/bank-retro-match.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobContext, JobQueue } from '../../src/jobs/job-queue.js';
import { createJobRuntime } from '../../src/jobs/job-runtime.js';
import { runWorkers } from '../../src/jobs/run-workers.js';
import { addIdentifier } from '../../src/services/bank-identifier.js';
import { importBank, type AddedRange } from '../../src/services/bank-import.js';
import { createBank } from '../../src/services/bank-manage.js';
import { retroMatch } from '../../src/services/bank-retro-match.js';
import { hashMediaFile } from '../../src/services/hash-file.js';
import { scanExports } from '../../src/services/scan/scan-exports.js';
import type { Store } from '../../src/services/store.js';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

let dir: string;
let manifest: TelegramExportManifest;
const key = identifierKeyFromBytes(new Uint8Array(32).fill(7), 'test');
const settings = { retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 60, pollMs: 50, bossSchema: 'unused' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-retro-job-'));
  manifest = await generateTelegramExport({ dir: join(dir, 'january'), seed: 31, messages: 300, photos: 12, distinctPhotos: 4, videos: 0, phoneNumbers: 3, chats: 1 });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jc(): JobContext {
  return { id: 'test', name: 'BankRetroMatch', retryCount: 0, lastAttempt: false, progress: async () => undefined, signal: new AbortController().signal };
}

/** The retro-matches stored, in a comparable form (found_at aside). */
async function retroRows(opened: OpenedDatabase): Promise<string[]> {
  const rows = await opened.db.selectFrom('bank_match').select(['chat_id', 'message_id', 'entry_id', 'signal_type', 'distance'])
    .where('found_by', '=', 'retro').execute();
  return rows.map((r) => `${Number(r.chat_id)}:${Number(r.message_id)}:${Number(r.entry_id)}:${r.signal_type}:${Number(r.distance)}`).sort();
}

async function until(queue: JobQueue, id: string, states: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const j = await queue.get(id);
    if (j && states.includes(j.state)) return j.state;
    await new Promise((r) => setTimeout(r, 50));
  }
  return (await queue.get(id))?.state ?? 'missing';
}

describeEachDialect('bank_retro_job', (open) => {
  async function setUp() {
    const opened = await open();
    const repos = testStore(opened);
    const store: Store = { db: opened.db, dialect: opened.dialect, location: 'test', close: opened.close, ...repos };
    const queue = new InProcessQueue(opened.db, settings);
    const rt = createJobRuntime(store, queue, { poolMode: 'inline', key: async () => key });
    const sent: AddedRange[] = [];
    const deps = { ...repos, key, retroInBackground: async (r: AddedRange) => { sent.push(r); return queue.send('BankRetroMatch', r); } };
    await scanExports({ ...repos, key }, [join(dir, 'january')]);
    return { opened, queue, rt, deps, sent };
  }

  it('an import and an identifier are retro-matched by a job, the same matches as in-line, once however often it runs', async () => {
    const { opened, queue, rt, deps, sent } = await setUp();
    try {
      await createBank(deps, 'case-a', {});
      const photo = manifest.photoFiles.find((f) => f.alteration === 'none')!;
      const hashed = await hashMediaFile(join(dir, 'january', photo.path));
      if (!('pdq' in hashed)) throw new Error('photo not hashed');
      const imported = await importBank(deps, 'case-a', [hashed.pdq]);
      expect(imported).toMatchObject({ added: 1, newMatchCount: 0 });
      const alert = await addIdentifier(deps, 'case-a', manifest.phones[0]);
      expect(alert).toMatchObject({ added: true, newMatches: [] });
      // Nothing matched in the requests: two jobs wait, holding ids only.
      expect(await retroRows(opened)).toEqual([]);
      const jobs = await queue.list({ name: 'BankRetroMatch' });
      expect(jobs).toHaveLength(2);
      for (const j of jobs) {
        expect(Object.keys(j.payload as object).sort()).toEqual(['afterId', 'bankId', 'lastId']);
        expect(JSON.stringify(j.payload)).not.toContain(hashed.pdq.slice(0, 16));
      }

      await runWorkers(rt, 'curator', 1);
      for (const j of jobs) expect(await until(queue, j.id, ['completed', 'failed'])).toBe('completed');
      const byJob = await retroRows(opened);
      expect(byJob.some((r) => r.includes(':pdq:'))).toBe(true);
      expect(byJob.some((r) => r.includes(':phone:'))).toBe(true);

      // Run again (a retried or duplicated job): nothing more is stored.
      for (const r of sent) expect(await bankRetroMatch(rt, r, jc())).toMatchObject({ matches: 0 });
      expect(await retroRows(opened)).toEqual(byJob);

      // The synchronous retro-match of the same entries stores the same rows.
      await opened.db.deleteFrom('bank_match').where('found_by', '=', 'retro').execute();
      for (const r of sent) {
        for await (const page of deps.banks.streamAddedEntries(r.bankId, r.afterId, r.lastId)) await retroMatch(deps, page);
      }
      expect(await retroRows(opened)).toEqual(byJob);
    } finally {
      await queue.stop(5000);
      await rt.close();
      await opened.close();
    }
  }, 120_000);

  it('a poison job (a bank that is gone, a bad payload) ends dead after its retries and does not block the rest', async () => {
    const { opened, queue, rt, deps } = await setUp();
    try {
      await runWorkers(rt, 'curator', 1);
      const gone = (await queue.send('BankRetroMatch', { bankId: 999_999, afterId: 0, lastId: 10 }))!;
      const bad = (await queue.send('BankRetroMatch', { bankId: 'case-a', afterId: 0, lastId: 10 }))!;
      await createBank(deps, 'case-b', {});
      const alert = await addIdentifier(deps, 'case-b', manifest.phones[1]);
      expect(alert.added).toBe(true);
      const good = (await queue.list({ name: 'BankRetroMatch' })).find((j) => j.id !== gone && j.id !== bad)!;
      expect(await until(queue, good.id, ['completed', 'failed'])).toBe('completed');
      for (const id of [gone, bad]) {
        expect(await until(queue, id, ['failed'])).toBe('failed');
        expect(await queue.get(id)).toMatchObject({ retryCount: settings.retryLimit });
      }
      expect((await retroRows(opened)).some((r) => r.includes(':phone:'))).toBe(true);
    } finally {
      await queue.stop(5000);
      await rt.close();
      await opened.close();
    }
  }, 120_000);
});
