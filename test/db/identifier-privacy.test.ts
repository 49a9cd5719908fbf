/**
 * Issue 8 §1 and §3 on both databases: a database is bound to one identifier key (another is refused, naming both
 * fingerprints); rows from before the binding are re-keyed exactly as a fresh scan would write them; and an
 * interrupted scan — whose checkpoint holds parser state — leaves no planted identifier in any row of any table.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_TEXT_EXAMINED } from '../../src/core/identifiers/find-identifiers.js';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from './each-dialect.js';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import { bindIdentifierKey, showFingerprint } from '../../src/services/identifier-key-binding.js';
import { keyedChatId, keyedInputKey, keyedMessageDigest } from '../../src/services/scan/untrusted-keys.js';
import { scanExports, ScanInterrupted } from '../../src/services/scan/scan-exports.js';
import type { Database } from '../../src/io/db/schema.js';
import { normaliseForPhones } from '../../src/core/identifiers/normalise-text.js';
import { migrateToLatest, migrateUpTo } from '../../src/io/db/migrate.js';
import { writePlantedTelegramExport, writePlantedWhatsAppExport, type Plant } from '../fixtures/planted-export.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { testStore } from './test-store.js';

const tempDir = useTempDirs();
const keyA = identifierKeyFromBytes(new Uint8Array(32).fill(1), 'key A');
const keyB = identifierKeyFromBytes(new Uint8Array(32).fill(2), 'key B');

const PLANTS: Plant[] = [
  { written: '０６-１２３４００４２', secret: '12340042' },
  { written: 'insta: exsynth_0042', secret: 'exsynth_0042' },
  { written: 'lisa0612340043', secret: '12340043' },
  { written: '👻 exsynth_0044', secret: 'exsynth_0044' },
  { written: '31612340045', secret: '12340045' },
  { written: '@exsynth_0046', secret: 'exsynth_0046' },
  { written: '0 6 1 2 3 4 0 0 4 7', secret: '12340047' },
];

/** Every value of every row of every table, as one text. */
async function everything(db: Kysely<Database>): Promise<string> {
  // PostgreSQL lists the tables of every schema (other test files work in theirs): keep this one's.
  const tables = await db.introspection.getTables();
  const current = await sql<{ s: string }>`select current_schema() as s`.execute(db).then((r) => r.rows[0]?.s, () => undefined);
  const parts: string[] = [];
  const mine = tables.filter((x) => !x.schema || x.schema === current);
  expect(mine.map((t) => t.name)).toEqual(expect.arrayContaining(['chat', 'message', 'media', 'ingest_checkpoint', 'scan']));
  for (const t of mine) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(db);
    for (const r of rows.rows) parts.push(JSON.stringify(r));
  }
  return parts.join('\n');
}

function expectNoPlant(where: string, text: string): void {
  const folded = normaliseForPhones(text).text.toLowerCase();
  const joined = folded.replace(/[\s\-._/()*~·•\\]+/g, '');
  for (const p of PLANTS) {
    expect(text.includes(p.written), `${where} holds "${p.written}"`).toBe(false);
    expect(folded.includes(p.secret), `${where} holds "${p.secret}"`).toBe(false);
    if (/^\d+$/.test(p.secret)) expect(joined.includes(p.secret), `${where} holds the digits of "${p.written}"`).toBe(false);
  }
}

describeEachDialect('identifier_privacy', (open) => {
  it('binds a database to its first key and refuses another, naming both fingerprints and what to do', async () => {
    const { db, close } = await open();
    try {
      await bindIdentifierKey(db, keyA);
      await bindIdentifierKey(db, keyA);
      const err = await bindIdentifierKey(db, keyB).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toContain(showFingerprint(keyA.keyId));
      expect(err!.message).toContain(showFingerprint(keyB.keyId));
      expect(err!.message).toMatch(/UNEXPOSE_KEY_FILE|UNEXPOSE_SECRET/);
      expect(err!.message).toMatch(/new database/);
      const rows = await db.selectFrom('identifier_key').select('key_id').execute();
      expect(rows.map((r) => r.key_id)).toEqual([keyA.keyId]);
    } finally {
      await close();
    }
  });

  it('re-keys rows written before the binding exactly as a fresh scan writes them', async () => {
    const { db, close } = await open();
    try {
      const sha = 'ab'.repeat(32);
      await db.insertInto('chat').values({ chat_key: 'whatsapp_export:wa:0123456789abcdef', source: 'whatsapp_export', external_id: 'wa:0123456789abcdef', name: null, type: 'whatsapp_chat', first_scan_id: 1 }).execute();
      await db.insertInto('chat').values({ chat_key: 'telegram_export:1900000001', source: 'telegram_export', external_id: '1900000001', name: 'Groep', type: 'private_supergroup', first_scan_id: 1 }).execute();
      const chat = await db.selectFrom('chat').select('id').where('external_id', '=', 'wa:0123456789abcdef').executeTakeFirstOrThrow();
      await db.insertInto('message').values({ chat_id: chat.id, message_id: 1, type: 'message', forwarded: 0, raw_hmac: `sha256:${sha}`, scan_id: 1 }).execute();
      await db.insertInto('input_chat').values({ input_key: `sha256:${sha}`, chat_id: chat.id }).execute();
      await bindIdentifierKey(db, keyA);
      const m = await db.selectFrom('message').select('raw_hmac').executeTakeFirstOrThrow();
      expect(m.raw_hmac).toBe(keyedMessageDigest(keyA, sha));
      const chats = await db.selectFrom('chat').select(['external_id', 'chat_key']).orderBy('id').execute();
      const wa = keyedChatId(keyA, 'whatsapp_export', 'wa:0123456789abcdef');
      expect(wa).toMatch(/^k:[0-9a-f]{24}$/);
      expect(chats).toEqual([{ external_id: wa, chat_key: `whatsapp_export:${wa}` }, { external_id: '1900000001', chat_key: 'telegram_export:1900000001' }]);
      const inputs = await db.selectFrom('input_chat').select('input_key').execute();
      expect(inputs.map((i) => i.input_key)).toEqual([keyedInputKey(keyA, sha)]);
    } finally {
      await close();
    }
  });

  it('looks for identifiers in a bounded part of a huge message and says so, naming the message', async () => {
    const root = await tempDir('unexpose-privacy-cut-');
    const dir = join(root, 'export');
    await mkdir(dir);
    const text = `bel 06-12340042 ${'bla '.repeat(MAX_TEXT_EXAMINED / 4)} en 06-12340043`;
    await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'Groep', type: 'private_supergroup', id: 1900000002, messages: [
      { id: 1, type: 'message', date: '2025-03-01T12:00:00', date_unixtime: '1740830400', from: 'A', from_id: 'user1', text, text_entities: [] },
    ] }));
    const { db, close, dialect } = await open();
    try {
      const report = await scanExports({ ...testStore({ db, dialect }), key: keyA }, [dir], {});
      expect(report.summary.phoneNumbers).toBe(1);
      const cut = report.notices.filter((n) => n.code === 'text_cut');
      expect(cut).toHaveLength(1);
      expect(cut[0].message).toMatch(new RegExp(`message 1 has ${text.length} characters of text; identifiers were looked for in the first ${MAX_TEXT_EXAMINED} only`));
    } finally {
      await close();
    }
  });

  it('migration 202611301221 marks plain digests for re-keying, drops clear checkpoints and redacts stored names, paths and errors', async () => {
    const { db, close, dialect } = await open({ migrate: false });
    try {
      const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined;
      await migrateUpTo(db as Kysely<unknown>, '202611281400-create-scan', schema);
      const raw = db as unknown as Kysely<any>;
      await raw.insertInto('scan').values({ started_at: 'x', status: 'finished', inputs: JSON.stringify({ paths: ['/exports/WhatsApp Chat with +31 6 12340042.txt'], banks: null }) }).execute();
      await raw.insertInto('chat').values({ chat_key: 'telegram_export:1', source: 'telegram_export', external_id: '1', name: 'Expose ０６１２３４００４３', type: 'private_group', first_scan_id: 1 }).execute();
      await raw.insertInto('message').values({ chat_id: 1, message_id: 1, type: 'message', forwarded: 0, raw_sha256: 'cd'.repeat(32), scan_id: 1 }).execute();
      await raw.insertInto('media').values({ chat_id: 1, message_id: 1, media_class: 'photo', media_kind: 'photo', status: 'error', error: 'photos/lisa0612340044.jpg: not found' }).execute();
      await raw.insertInto('ingest_checkpoint').values({ input_key: 'ab'.repeat(32), file: 'whatsapp_export:WhatsApp Chat with +31 6 12340045.txt', checkpoint: '{}', updated_at: 'x' }).execute();
      await migrateToLatest(db as Kysely<unknown>, schema);
      const all = await everything(db);
      for (const secret of ['12340042', '12340043', '12340044', '12340045']) expect(normaliseForPhones(all).text).not.toContain(secret);
      expect((await db.selectFrom('message').select('raw_hmac').executeTakeFirstOrThrow()).raw_hmac).toBe(`sha256:${'cd'.repeat(32)}`);
      expect(await db.selectFrom('ingest_checkpoint').selectAll().execute()).toEqual([]);
      await bindIdentifierKey(db, keyA);
      expect((await db.selectFrom('message').select('raw_hmac').executeTakeFirstOrThrow()).raw_hmac).toBe(keyedMessageDigest(keyA, 'cd'.repeat(32)));
    } finally {
      await close();
    }
  });

  it('an interrupted scan and its checkpoints hold no planted identifier, and the scan resumes', async () => {
    const root = await tempDir('unexpose-privacy-db-');
    const tg = await writePlantedTelegramExport(root, PLANTS);
    const wa = await writePlantedWhatsAppExport(root, PLANTS);
    const { db, close, file, dialect } = await open();
    try {
      const abort = new AbortController();
      await expect(scanExports({ ...testStore({ db, dialect }), key: keyA }, [tg, wa], { batchSize: 2, signal: abort.signal }, (e) => {
        if (e.type === 'progress') abort.abort();
      })).rejects.toBeInstanceOf(ScanInterrupted);
      const checkpoints = await db.selectFrom('ingest_checkpoint').selectAll().execute();
      expect(checkpoints.length).toBeGreaterThan(0);
      expect(checkpoints.every((c) => c.checkpoint.startsWith('v1:'))).toBe(true);
      expectNoPlant('database rows after an interrupted scan', await everything(db));
      const report = await scanExports({ ...testStore({ db, dialect }), key: keyA }, [tg, wa], { batchSize: 2 });
      expect(report.chats).toHaveLength(3);
      expect(Number((await db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(17);
      expectNoPlant('database rows after the scan', await everything(db));
      expectNoPlant('the report', JSON.stringify(report));
      await expect(scanExports({ ...testStore({ db, dialect }), key: keyB }, [tg], {})).rejects.toThrow(/fingerprint/);
    } finally {
      await close();
    }
    // On SQLite, the file itself (free pages included) too.
    if (file) expectNoPlant('the database file', (await readFile(file)).toString('utf8'));
  });
});
