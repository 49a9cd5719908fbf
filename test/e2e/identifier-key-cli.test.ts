/**
 * The identifier key from the command line (issue 8 §3): a database remembers its key's fingerprint and a run
 * with another key stops before anything is written, naming both fingerprints and what to do; a weak
 * UNEXPOSE_SECRET and a symlinked key file are refused with a message that says why.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlantedTelegramExport } from '../fixtures/planted-export.js';
import { runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();
const STRONG = 'c1f0e9a2b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e';

describe('unexpose scan and the identifier key', () => {
  it('refuses a database made with another key, naming both fingerprints and what to do', async () => {
    const root = await tempDir('unexpose-keycli-');
    const tg = await writePlantedTelegramExport(root, [{ written: 'hallo', secret: 'hallo' }]);
    const db = join(root, 'k.db');
    const first = await runCli(['scan', tg, '--db', db, '--workers', '1'], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
    expect(first.code, first.stderr).toBe(0);
    const other = await runCli(['scan', tg, '--db', db, '--workers', '1'], { env: { UNEXPOSE_SECRET: STRONG, UNEXPOSE_KEY_FILE: '' } });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/written with the identifier key whose fingerprint is [0-9a-f]{4}(:[0-9a-f]{4}){3}, but the key from env UNEXPOSE_SECRET has fingerprint [0-9a-f]{4}(:[0-9a-f]{4}){3}/);
    expect(other.stderr).toMatch(/unexpose\.key/);
    expect(other.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
    const again = await runCli(['scan', tg, '--db', db, '--workers', '1'], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);

  it('refuses a database moved without its key file, without making a new key beside it', async () => {
    const root = await tempDir('unexpose-keycli-');
    const tg = await writePlantedTelegramExport(root, [{ written: 'hallo', secret: 'hallo' }]);
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    const first = await runCli(['scan', tg, '--db', join(root, 'a', 'k.db'), '--workers', '1'], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
    expect(first.code, first.stderr).toBe(0);
    await copyFile(join(root, 'a', 'k.db'), join(root, 'b', 'k.db'));
    const moved = await runCli(['scan', tg, '--db', join(root, 'b', 'k.db'), '--workers', '1'], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/key file .*b\/unexpose\.key does not exist, but this database was written with the identifier key whose fingerprint is [0-9a-f]{4}(:[0-9a-f]{4}){3}: put that key file back/);
    expect(existsSync(join(root, 'b', 'unexpose.key'))).toBe(false);
    const back = await runCli(['scan', tg, '--db', join(root, 'b', 'k.db'), '--workers', '1'], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: join(root, 'a', 'unexpose.key') } });
    expect(back.code, back.stderr).toBe(0);
  }, 60_000);

  it('refuses a weak UNEXPOSE_SECRET and a key file that is a symbolic link', async () => {
    const root = await tempDir('unexpose-keycli-');
    const tg = await writePlantedTelegramExport(root, [{ written: 'hallo', secret: 'hallo' }]);
    const weak = await runCli(['scan', tg, '--db', join(root, 'w.db')], { env: { UNEXPOSE_SECRET: 'a'.repeat(32), UNEXPOSE_KEY_FILE: '' } });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/UNEXPOSE_SECRET is too weak to key identifier hashes: it has only 1 different character/);
    const link = join(root, 'link.key');
    await symlink(join(root, 'nowhere.key'), link);
    const linked = await runCli(['scan', tg, '--db', join(root, 'l.db')], { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: link } });
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/key file .*link\.key is a symbolic link \(to .*nowhere\.key, which does not exist\)/);
  }, 60_000);
});
