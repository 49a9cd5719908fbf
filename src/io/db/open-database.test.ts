import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'unexpose-open-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const mode = async (p: string) => ((await stat(p)).mode & 0o777).toString(8);

describe.skipIf(process.platform === 'win32')('openDatabase file modes (POSIX only)', () => {
  it('creates the SQLite file and its -wal and -shm readable by the owner only, whatever the umask', async () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir, 'new.db');
      const { db, close } = await openDatabase({ dbPath: path });
      try {
        await db.insertInto('identifier_key').values({ key_id: 'abcd', created_at: 'now' }).execute();
        expect(existsSync(`${path}-wal`)).toBe(true);
        for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(await mode(f), f).toBe('600');
      } finally {
        await close();
      }
    } finally {
      process.umask(old);
    }
  });

  it('narrows a database made readable by everyone before', async () => {
    const path = join(dir, 'old.db');
    await writeFile(path, '');
    await chmod(path, 0o644);
    const { close } = await openDatabase({ dbPath: path });
    await close();
    expect(await mode(path)).toBe('600');
  });
});
