/**
 * Identifier alerts, retro-matching and withdrawal on both databases: a victim's number registered after a scan is
 * found in the stored messages (retro), a banked number in a new scan is reported like a media match (scan), a
 * photo hash imported later finds its earlier posts, and withdrawing the bank deletes every match it produced and
 * every trace of its name, labels, source reference and values (SQLite: in the files' bytes; PostgreSQL: in
 * every row of every table).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import type { OpenedDatabase } from '../../src/io/db/open-database.js';
import { addIdentifier, removeIdentifier } from '../../src/services/bank-identifier.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank, withdrawBank } from '../../src/services/bank-manage.js';
import { hashMediaFile } from '../../src/services/hash-file.js';
import { scanExports } from '../../src/services/scan/scan-exports.js';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

let dir: string;
let first: TelegramExportManifest;
let second: TelegramExportManifest;
const key = identifierKeyFromBytes(new Uint8Array(32).fill(9), 'test');
const BANK = 'case-victim-7731';
const LABEL = 'label-victim-9913';
const REF = 'ref-victim-4417';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-alerts-'));
  first = await generateTelegramExport({ dir: join(dir, 'january'), seed: 21, messages: 300, photos: 16, distinctPhotos: 5, videos: 0, phoneNumbers: 3, chats: 1 });
  second = await generateTelegramExport({ dir: join(dir, 'march'), seed: 22, messages: 200, photos: 4, videos: 0, phoneNumbers: 6, chats: 1 });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Flips the lowest `bits` bits of a PDQ hash (a near copy of it). */
function near(pdq: string, bits: number): string {
  const last = parseInt(pdq.slice(-2), 16) ^ ((1 << bits) - 1);
  return pdq.slice(0, -2) + last.toString(16).padStart(2, '0');
}

/**
 * Which needles are still somewhere: PostgreSQL, in the text of any row of any table; SQLite, in the bytes of the
 * database file and its -wal/-shm (after a checkpoint, as the CLI leaves them).
 */
async function traces(opened: OpenedDatabase, needles: string[]): Promise<string[]> {
  const found = new Set<string>();
  if (opened.dialect === 'postgres') {
    const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(opened.db)).rows;
    for (const { name } of tables) {
      const rows = (await sql<{ t: string }>`select t::text as t from ${sql.table(name)} t`.execute(opened.db)).rows;
      for (const n of needles) if (rows.some((r) => r.t.includes(n))) found.add(n);
    }
  } else {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(opened.db);
    const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(opened.db)).rows[0].file;
    const folder = dirname(file);
    const files = (await readdir(folder)).filter((x) => x.startsWith(basename(file)));
    expect(files).toContain(basename(file));
    for (const f of files) {
      const bytes = (await readFile(join(folder, f))).toString('latin1');
      for (const n of needles) if (bytes.includes(n)) found.add(n);
    }
  }
  return needles.filter((n) => found.has(n));
}

describeEachDialect('bank_alerts', (open) => {
  it('alerts on a registered number in earlier and later scans, retro-matches a photo, and withdraws without a trace', async () => {
    const opened = await open();
    const store = testStore(opened);
    const deps = { ...store, key };
    try {
      await scanExports(deps, [join(dir, 'january')]);
      await createBank(deps, BANK, { labels: [LABEL], source: 'case:victim' });

      // The victim registers her number in March, written as she would write it.
      const phone = first.phones[0];
      const alert = await addIdentifier(deps, BANK, phone.replace('+31', '0').replace(/(\d{2})(\d{4})(\d{4})$/, '$1 $2 $3'), { sourceRef: REF });
      expect(alert).toMatchObject({ bank: BANK, signalType: 'phone', added: true });
      expect(alert.display).toMatch(/^\+31 6 •+/);
      expect(alert.newMatches.length).toBeGreaterThan(0);
      for (const m of alert.newMatches) {
        expect(m).toMatchObject({ kind: 'identifier', bank: BANK, signalType: 'phone', identifier: alert.display, foundBy: 'retro', sourceRef: REF });
        expect(m.link === null || m.link.startsWith('https://t.me/')).toBe(true);
      }
      const stored = await opened.db.selectFrom('identifier_finding').select(['chat_id', 'message_id']).where('hmac', '=', key.hmac(`phone:${phone}`)).execute();
      expect(alert.newMatches.map((m) => m.messageId).sort()).toEqual(stored.map((r) => Number(r.message_id)).sort());
      // Registering it again adds nothing and finds nothing new.
      expect(await addIdentifier(deps, BANK, phone)).toMatchObject({ added: false, newMatches: [] });
      // Nothing of the number in clear went into the bank.
      const entries = await opened.db.selectFrom('bank_entry').selectAll().execute();
      expect(JSON.stringify(entries)).not.toContain(phone.slice(3));

      // A photo hash imported later finds the earlier posts of that picture (a near copy of its hash: distance 3).
      const known = first.photoFiles.find((f) => f.alteration === 'none')!;
      const hashed = await hashMediaFile(join(dir, 'january', known.path));
      if (!('pdq' in hashed)) throw new Error('photo not hashed');
      const banked = near(hashed.pdq, 3);
      const imported = await importBank(deps, BANK, [banked]);
      expect(imported.added).toBe(1);
      const posts = first.photoFiles.filter((f) => f.image === known.image).length;
      expect(imported.newMatchCount).toBeGreaterThanOrEqual(1);
      expect(imported.newMatchCount).toBeLessThanOrEqual(posts);
      expect(imported.newMatches[0]).toMatchObject({ kind: 'media', mediaClass: 'photo', signalType: 'pdq', foundBy: 'retro', labels: [LABEL] });

      // A later scan of another export reports a banked number there as a scan match, with its message.
      // (The synthetic numbers come from one list: take one the first export does not hold.)
      const marchPhone = second.phones.find((p) => !first.phones.includes(p))!;
      expect(await addIdentifier(deps, BANK, marchPhone)).toMatchObject({ added: true, newMatches: [] });
      const march = await scanExports(deps, [join(dir, 'march')], { banks: [BANK] });
      const scanned = march.matches.filter((m) => m.kind === 'identifier');
      expect(scanned.length).toBeGreaterThan(0);
      expect(scanned[0]).toMatchObject({ foundBy: 'scan', signalType: 'phone', bank: BANK });
      const january = await scanExports(deps, [join(dir, 'january')]);
      expect(january.matches.some((m) => m.foundBy === 'retro' && m.kind === 'identifier')).toBe(true);
      expect(january.summary.bankMatches).toBeGreaterThan(0);
      // Removing one number, written as the victim writes it, removes its matches with it.
      const before = (await scanExports(deps, [join(dir, 'march')])).matches.filter((m) => m.kind === 'identifier').length;
      const removed = await removeIdentifier(deps, BANK, marchPhone);
      expect(removed).toHaveLength(1);
      expect(await opened.db.selectFrom('bank_match').selectAll().where('entry_id', '=', removed[0].id).execute()).toEqual([]);
      expect((await scanExports(deps, [join(dir, 'march')])).matches.filter((m) => m.kind === 'identifier').length).toBeLessThan(before);

      // Withdrawal: every match goes with the entries, and nothing names the bank or holds its values any more.
      const needles = [BANK, LABEL, REF, 'case:victim', banked];
      expect(await traces(opened, needles)).toEqual(expect.arrayContaining([BANK, LABEL, REF, banked]));
      await withdrawBank(deps, BANK);
      expect(await opened.db.selectFrom('bank_match').selectAll().execute()).toEqual([]);
      const after = await scanExports(deps, [join(dir, 'january')]);
      expect(after.matches).toEqual([]);
      expect(await traces(opened, needles)).toEqual([]);
    } finally {
      await store.pool.close();
      await opened.close();
    }
  });
});
