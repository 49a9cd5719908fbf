/**
 * A personal chat's id is the other person's Telegram user id (promise 2): a scan stores it only keyed, while
 * groups and channels keep their number (message links need it). A store written before keeps working: its plain
 * personal chat ids are re-keyed when it is opened, and scanning the same export again adds nothing twice.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateTelegramExport } from '../fixtures/telegram/generate-telegram-export.js';
import { runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();
const env = { UNEXPOSE_SECRET: '7d41c0e9a25b8f36d1e07c4a9b52f8e3016d9c7a4e2b5f80c3a1d6e9b7f04c25' };

function chats(db: string): { external_id: string; type: string; chat_key: string }[] {
  const s = new Sqlite(db, { readonly: true });
  try {
    return s.prepare('SELECT external_id, type, chat_key FROM chat ORDER BY id').all() as { external_id: string; type: string; chat_key: string }[];
  } finally {
    s.close();
  }
}

function count(db: string, table: string): number {
  const s = new Sqlite(db, { readonly: true });
  try {
    return (s.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    s.close();
  }
}

describe('a personal chat\'s id', () => {
  it('is stored keyed; group and channel ids stay numbers; an older store is re-keyed without duplicates', async () => {
    const dir = await tempDir('unexpose-personal-');
    const m = await generateTelegramExport({ dir: join(dir, 'export'), seed: 21, messages: 200, photos: 4, videos: 0, phoneNumbers: 1, handles: 1, chats: 5, days: 2 });
    const personal = m.chats.find((c) => c.type === 'personal_chat')!;
    expect(personal, 'the generator makes one personal chat among five').toBeDefined();
    const db = join(dir, 'u.db');
    const run = await runCli(['scan', join(dir, 'export'), '--db', db, '--quiet'], { env });
    expect(run.code, run.stderr).toBe(0);
    const stored = chats(db);
    expect(stored).toHaveLength(5);
    for (const c of stored) {
      if (c.type === 'personal_chat') expect(c.external_id).toMatch(/^k:[0-9a-f]{24}$/);
      else expect(m.chats.map((x) => String(x.id))).toContain(c.external_id);
    }
    // Checkpoint off (WAL merged): the id appears nowhere in the database's bytes.
    expect((await readFile(db)).toString('latin1')).not.toContain(String(personal.id));

    // A store from before: the personal chat's number in clear. Opening it re-keys; a second scan adds nothing.
    const messages = count(db, 'message');
    const s = new Sqlite(db);
    s.prepare("UPDATE chat SET external_id = ?, chat_key = ? WHERE type = 'personal_chat'").run(String(personal.id), `telegram_export:${personal.id}`);
    s.close();
    const again = await runCli(['scan', join(dir, 'export'), '--db', db, '--quiet'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(chats(db)).toEqual(stored);
    expect(count(db, 'message')).toBe(messages);
  }, 60_000);
});
