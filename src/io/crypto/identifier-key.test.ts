import { chmod, chown, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identifierKeyFromBytes, KEY_FILE_NAME, loadIdentifierKey, secretWeakness } from './identifier-key.js';
import { digestBytes, digestStream, sha256Hex } from './file-digests.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'unexpose-key-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('loadIdentifierKey', () => {
  it('creates a 0600 key file beside the database on first use and reuses it afterwards', async () => {
    const dbPath = join(dir, 'unexpose.db');
    const first = await loadIdentifierKey({ env: {}, dbPath });
    expect(first.created).toBe(true);
    expect(first.source).toBe(join(dir, KEY_FILE_NAME));
    const s = await stat(first.source);
    if (process.platform !== 'win32') expect(s.mode & 0o777).toBe(0o600);
    expect((await readFile(first.source, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    const second = await loadIdentifierKey({ env: {}, dbPath });
    expect(second.created).toBe(false);
    expect(second.keyId).toBe(first.keyId);
    expect(second.hmac('phone:+31612345678')).toBe(first.hmac('phone:+31612345678'));
  });

  it('is a real HMAC-SHA256 under the key in the file', async () => {
    const k = await loadIdentifierKey({ env: {}, dbPath: join(dir, 'x.db') });
    const raw = Buffer.from((await readFile(k.source, 'utf8')).trim(), 'hex');
    expect(k.hmac('abc')).toBe(createHmac('sha256', raw).update('abc').digest('hex'));
  });

  it('takes UNEXPOSE_SECRET over the key file and refuses a short one', async () => {
    const secret = '9f2c4e7a1b8d3f6c0e5a2d7b4c1f8e3a';
    const k = await loadIdentifierKey({ env: { UNEXPOSE_SECRET: secret }, dbPath: join(dir, 'x.db') });
    expect(k.source).toBe('env UNEXPOSE_SECRET');
    expect(k.hmac('a')).toBe(createHmac('sha256', secret).update('a').digest('hex'));
    await expect(loadIdentifierKey({ env: { UNEXPOSE_SECRET: 'short' } })).rejects.toThrow(/UNEXPOSE_SECRET is too weak .*5 characters long/);
  });

  it.each([
    ['a'.repeat(32), /only 1 different/],
    ['x'.repeat(40), /only 1 different/],
    ['abababababababababababababababab', /only 2 different/],
    ['abcdefghij'.repeat(4), /same 10 character\(s\) repeated/],
    ['abcdefghijklmnopqrstuvwxyzABCDEF', /consecutive/],
    ['0123456789012345678901234567890123', /repeated|consecutive/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcdefghijk', /entropy/],
  ])('refuses the weak secret %s', (secret, why) => {
    expect(secretWeakness(secret)).toMatch(why);
  });

  it.each([
    ['openssl rand -hex 32', 'c1f0e9a2b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e'],
    ['openssl rand -hex 16', '4be1f07c92d35a68e0b7c1d24f9a3e56'],
    ['openssl rand -base64 32', 'q0Vt3m+8XkZ1yR7bN2fH5sLpW9cJ4gDa6uEoTiYxQmA='],
    ['a passphrase', 'correct horse battery staple, violet kite 42'],
  ])('accepts a secret made with %s', (_, secret) => {
    expect(secretWeakness(secret)).toBeNull();
  });

  it.skipIf(process.platform === 'win32')('refuses a key file that is a symbolic link, naming it and its target', async () => {
    const real = join(dir, 'real.key');
    await writeFile(real, 'ab'.repeat(32), { mode: 0o600 });
    const link = join(dir, KEY_FILE_NAME);
    await symlink(real, link);
    await expect(loadIdentifierKey({ env: {}, keyFile: link })).rejects.toThrow(`key file ${link} is a symbolic link (to ${real})`);
    await expect(loadIdentifierKey({ env: {}, dbPath: join(dir, 'x.db') })).rejects.toThrow(/is a symbolic link/);
  });

  it.skipIf(process.platform === 'win32')('says clearly when the key path is a dangling link or its folder is missing', async () => {
    const link = join(dir, KEY_FILE_NAME);
    await symlink(join(dir, 'gone.key'), link);
    await expect(loadIdentifierKey({ env: {}, keyFile: link })).rejects.toThrow(/is a symbolic link \(to .*gone\.key, which does not exist\)/);
    const missing = join(dir, 'no-such-folder', 'unexpose.key');
    await expect(loadIdentifierKey({ env: { UNEXPOSE_KEY_FILE: missing } })).rejects.toThrow(`key file ${missing} cannot be created: its folder ${join(dir, 'no-such-folder')} does not exist`);
  });

  it('takes the key file from UNEXPOSE_KEY_FILE', async () => {
    const path = join(dir, 'elsewhere.key');
    const k = await loadIdentifierKey({ env: { UNEXPOSE_KEY_FILE: path }, dbPath: join(dir, 'x.db') });
    expect(k.source).toBe(path);
    expect(k.created).toBe(true);
  });

  const isRoot = process.getuid?.() === 0;
  it.skipIf(!isRoot)('refuses a key file owned by another user (needs root to make one; skipped otherwise)', async () => {
    const path = join(dir, KEY_FILE_NAME);
    await writeFile(path, 'ab'.repeat(32), { mode: 0o600 });
    await chown(path, 4321, 4321);
    await expect(loadIdentifierKey({ env: {}, keyFile: path })).rejects.toThrow(/belongs to another user \(uid 4321/);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file others can read, naming it', async () => {
    const path = join(dir, KEY_FILE_NAME);
    await writeFile(path, 'ab'.repeat(32));
    await chmod(path, 0o644);
    await expect(loadIdentifierKey({ env: {}, keyFile: path })).rejects.toThrow(`key file ${path} can be read by other users`);
  });

  it('two processes starting at once end up with the same key', async () => {
    const dbPath = join(dir, 'race.db');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadIdentifierKey({ env: {}, dbPath })));
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
  });

  it('refuses a damaged key file', async () => {
    const path = join(dir, KEY_FILE_NAME);
    await writeFile(path, 'not hex', { mode: 0o600 });
    await expect(loadIdentifierKey({ env: {}, keyFile: path })).rejects.toThrow(/does not hold 64 hex digits/);
  });

  it('property: different keys give different hashes, the same key the same hash', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.string(), (a, b, text) => {
      const ka = identifierKeyFromBytes(a);
      expect(ka.hmac(text)).toMatch(/^[0-9a-f]{64}$/);
      expect(ka.hmac(text)).toBe(identifierKeyFromBytes(a).hmac(text));
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) expect(ka.hmac(text)).not.toBe(identifierKeyFromBytes(b).hmac(text));
    }));
  });
});

describe('digests', () => {
  it('gives the known SHA-256 and MD5 of "abc", from bytes and from a stream in pieces', async () => {
    const abc = new TextEncoder().encode('abc');
    const expected = { md5: '900150983cd24fb0d6963f7d28e17f72', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' };
    expect(digestBytes(abc)).toEqual(expected);
    async function* pieces() { yield abc.subarray(0, 1); yield abc.subarray(1); }
    expect(await digestStream(pieces())).toEqual(expected);
    expect(sha256Hex('abc')).toBe(expected.sha256);
  });
});
