import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRelativePath, resolveSafePath } from './safe-path.js';

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'unexpose-safe-'));
  root = join(base, 'export');
  await mkdir(join(root, 'photos'), { recursive: true });
  await writeFile(join(root, 'photos', 'a.jpg'), 'x');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await symlink(join(base, 'secret.txt'), join(root, 'photos', 'link-out.jpg'));
  await symlink(join(root, 'photos', 'a.jpg'), join(root, 'photos', 'link-in.jpg'));
  await symlink(base, join(root, 'dir-out'));
});
afterAll(async () => { await rm(base, { recursive: true, force: true }); });

describe('checkRelativePath', () => {
  it('normalises harmless paths', () => {
    expect(checkRelativePath('photos/./a.jpg')).toBe('photos/a.jpg');
    expect(checkRelativePath('photos\\a.jpg')).toBe('photos/a.jpg');
    expect(checkRelativePath('a..b/c..jpg')).toBe('a..b/c..jpg');
  });
  it.each([
    ['/etc/passwd', 'absolute'], ['\\\\server\\share', 'absolute'], ['C:\\x.jpg', 'drive letter'], ['../x.jpg', '".."'],
    ['photos/../../x.jpg', '".."'], ['photos\\..\\..\\x', '".."'], ['', 'empty'], ['a\0b', 'NUL'], ['~/x', '~'], ['./', 'names no file'],
  ])('refuses %s (%s), naming it', (p, why) => {
    expect(() => checkRelativePath(p, 'export E')).toThrow(expect.objectContaining({ code: 'unsafe_path' }));
    expect(() => checkRelativePath(p, 'export E')).toThrow(why);
    expect(() => checkRelativePath(p, 'export E')).toThrow(`"${p}" in export E`);
  });
  it('property: whatever it accepts has no ".." segment and is relative', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('..', '.', 'a', 'b.jpg', '', '/', '\\', 'C:', '~'), { maxLength: 8 }), (parts) => {
      const p = parts.join('/');
      let ok: string | null = null;
      try { ok = checkRelativePath(p); } catch { /* refused */ }
      if (ok !== null) {
        expect(ok.split('/')).not.toContain('..');
        expect(ok.startsWith('/')).toBe(false);
      }
    }));
  });
});

describe('resolveSafePath', () => {
  it('gives the real path of a file inside, also through a link that stays inside', async () => {
    expect(await resolveSafePath(root, 'photos/a.jpg')).toMatch(/photos[\\/]a\.jpg$/);
    expect(await resolveSafePath(root, 'photos/link-in.jpg')).toMatch(/photos[\\/]a\.jpg$/);
  });
  it('refuses a link to a file outside, and a path through a linked folder outside', async () => {
    await expect(resolveSafePath(root, 'photos/link-out.jpg')).rejects.toThrow(/unsafe path "photos\/link-out.jpg" .*a link leads outside/);
    await expect(resolveSafePath(root, 'dir-out/secret.txt')).rejects.toThrow(expect.objectContaining({ code: 'unsafe_path' }));
  });
  it('refuses ".." before touching the disk and reports a missing file as not_found', async () => {
    await expect(resolveSafePath(root, '../secret.txt')).rejects.toThrow(expect.objectContaining({ code: 'unsafe_path' }));
    await expect(resolveSafePath(root, 'photos/missing.jpg')).rejects.toThrow(expect.objectContaining({ code: 'not_found', message: expect.stringContaining('photos/missing.jpg') }));
  });
  it('refuses a folder where a file should be', async () => {
    await expect(resolveSafePath(root, 'photos')).rejects.toThrow(/not a regular file/);
  });
});
