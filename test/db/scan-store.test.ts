/**
 * The scan's storage on both dialects: a scan stopped after its first batch resumes where it stopped and ends with
 * exactly one row per message (nothing lost, nothing twice), and the same figures as a scan that ran through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect } from './each-dialect.js';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { scanExports, ScanInterrupted } from '../../src/services/scan/scan-exports.js';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import { testStore } from './test-store.js';

let dir: string;
let manifest: TelegramExportManifest;
const key = identifierKeyFromBytes(new Uint8Array(32).fill(7), 'test');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-scan-db-'));
  manifest = await generateTelegramExport({ dir: join(dir, 'export'), seed: 3, messages: 1500, photos: 30, videos: 10, phoneNumbers: 5, chats: 2 });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeEachDialect('scan_store', (open) => {
  it('resumes a stopped scan without losing or duplicating a message', async () => {
    const opened = await open();
    const { db, close } = opened;
    const store = testStore(opened);
    try {
      const abort = new AbortController();
      let batches = 0;
      await expect(scanExports({ ...store, key }, [join(dir, 'export')], { batchSize: 200, signal: abort.signal }, (e) => {
        if (e.type === 'progress' && ++batches === 2) abort.abort();
      })).rejects.toBeInstanceOf(ScanInterrupted);
      const partial = Number((await db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const total = manifest.counts.messages + manifest.counts.serviceMessages;
      // Whole batches were saved (the one in flight too), and not everything.
      expect(partial % 200).toBe(0);
      expect(partial).toBeGreaterThanOrEqual(400);
      expect(partial).toBeLessThan(total);
      const scans = await db.selectFrom('scan').select(['status']).execute();
      expect(scans.map((s) => s.status)).toEqual(['interrupted']);

      const report = await scanExports({ ...store, key }, [join(dir, 'export')], { batchSize: 200 });
      expect(report.run.newMessages).toBe(total - partial);
      const rows = await db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(total);
      const dupes = await db.selectFrom('media').select(['chat_id', 'message_id', sql<number>`count(*)`.as('n')])
        .groupBy(['chat_id', 'message_id']).having(sql`count(*)`, '>', 1).execute();
      expect(dupes).toEqual([]);
      expect(report.summary.messages).toBe(manifest.counts.messages);
      expect(report.summary.photos).toBe(manifest.counts.photos);
      expect(report.summary.phoneNumbers).toBe(manifest.counts.phoneNumbers);
      expect(report.chats).toHaveLength(2);

      // A third run over the finished export adds nothing and reports the same figures.
      const again = await scanExports({ ...store, key }, [join(dir, 'export')], { batchSize: 200 });
      expect(again.run.newMessages).toBe(0);
      expect(again.summary).toEqual(report.summary);
    } finally {
      await close();
    }
  });

  it('stores identifiers only as keyed hashes and redacted forms', async () => {
    const opened = await open();
    const { db, close } = opened;
    const store = testStore(opened);
    try {
      await scanExports({ ...store, key }, [join(dir, 'export')], {});
      const findings = await db.selectFrom('identifier_finding').selectAll().execute();
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.hmac).toMatch(/^[0-9a-f]{64}$/);
        expect(f.display).toContain('•');
      }
      const phones = new Set(findings.filter((f) => f.kind === 'phone').map((f) => f.hmac));
      expect(phones.size).toBe(manifest.counts.phoneNumbers);
      expect(phones).toEqual(new Set(manifest.phones.map((p) => key.hmac(`phone:${p}`))));
    } finally {
      await close();
    }
  });
});
