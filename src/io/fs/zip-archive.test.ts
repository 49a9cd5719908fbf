import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../../test/fixtures/zip-writer.js';
import { openZipArchive } from './zip-archive.js';
import { openExportFiles } from './export-files.js';

let dir: string;
const enc = (s: string) => new TextEncoder().encode(s);
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'unexpose-zip-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('openZipArchive', () => {
  it('lists good entries, refuses escaping names by name, and reads bytes into memory', async () => {
    const path = await writeZip(join(dir, 'mixed.zip'), [
      { name: 'export/result.json', data: enc('{"messages":[]}') },
      { name: 'export/photos/a.jpg', data: new Uint8Array([1, 2, 3]), deflate: false },
      { name: '../evil.txt', data: enc('x') },
      { name: '/etc/evil', data: enc('x') },
      { name: 'export/photos/', data: new Uint8Array() },
    ]);
    const zip = await openZipArchive(path);
    expect([...zip.entries.keys()]).toEqual(['export/result.json', 'export/photos/a.jpg']);
    expect(zip.refused.map((r) => [r.name, r.code])).toEqual([['../evil.txt', 'unsafe_path'], ['/etc/evil', 'unsafe_path']]);
    expect(zip.refused[0].message).toContain('"../evil.txt"');
    expect([...(await zip.readBytes('export/photos/a.jpg'))]).toEqual([1, 2, 3]);
    const chunks: Buffer[] = [];
    for await (const c of await zip.openStream('export/result.json', 2)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('messages":[]}');
    zip.close();
  });

  it('refuses a zip bomb entry by ratio with a clear message and keeps the others', async () => {
    const path = await writeZip(join(dir, 'bomb.zip'), [
      { name: 'zeros.bin', data: new Uint8Array(20 * 2 ** 20) },
      { name: 'ok.txt', data: enc('fine') },
    ]);
    const zip = await openZipArchive(path);
    expect([...zip.entries.keys()]).toEqual(['ok.txt']);
    expect(zip.refused[0]).toMatchObject({ name: 'zeros.bin', code: 'decompression_bomb' });
    expect(zip.refused[0].message).toMatch(/zip bomb/);
    zip.close();
  });

  it('refuses a whole archive over the total limit, and an entry over the in-memory limit', async () => {
    const path = await writeZip(join(dir, 'big.zip'), [{ name: 'a.bin', data: new Uint8Array(4096).map((_, i) => (i * 7919) & 255) }]);
    await expect(openZipArchive(path, { maxTotalBytes: 1000 })).rejects.toThrow(expect.objectContaining({ code: 'decompression_bomb', message: expect.stringContaining('big.zip') }));
    const zip = await openZipArchive(path);
    await expect(zip.readBytes('a.bin', 100)).rejects.toThrow(/over the in-memory limit/);
    zip.close();
  });

  it('refuses a whole archive whose entries, each under the per-entry ratio check, add up to a bomb', async () => {
    const small = new Uint8Array(60 * 1024); // under ratioMinBytes: not checked one by one
    const entries = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}.bin`, data: small }));
    const path = await writeZip(join(dir, 'many-small.zip'), [{ name: 'result.json', data: enc('{"messages":[]}') }, ...entries]);
    await expect(openZipArchive(path)).rejects.toThrow(expect.objectContaining({
      code: 'decompression_bomb', message: expect.stringMatching(/many-small\.zip .*ratio over 500 for the archive as a whole/),
    }));
  });

  it('refuses, by name, an entry just under 1 MiB of zeros (checked from 64 KiB), and a zip of too many entries', async () => {
    const path = await writeZip(join(dir, 'under.zip'), [{ name: 'z.bin', data: new Uint8Array(2 ** 20 - 1) }, { name: 'ok.txt', data: enc('fine') }]);
    const zip = await openZipArchive(path);
    expect(zip.refused.map((r) => [r.name, r.code])).toEqual([['z.bin', 'decompression_bomb']]);
    zip.close();
    await expect(openZipArchive(path, { maxEntries: 1 })).rejects.toThrow(/has 2 entries, more than the limit of 1/);
  });

  it('catches a header that lies about the size while reading', async () => {
    const path = await writeZip(join(dir, 'liar.zip'), [{ name: 'a.bin', data: new Uint8Array(5000).fill(7), claimSize: 10 }]);
    const zip = await openZipArchive(path);
    await expect(zip.readBytes('a.bin')).rejects.toThrow(expect.objectContaining({ code: 'decode_failed', message: expect.stringContaining('"a.bin"') }));
    zip.close();
  });

  it('says clearly when a file is not a zip', async () => {
    const path = join(dir, 'not.zip');
    await (await import('node:fs/promises')).writeFile(path, 'hello');
    await expect(openZipArchive(path)).rejects.toThrow(/not a readable zip file/);
  });

  it('through ExportFiles: refused entries stay refused, missing ones are not_found', async () => {
    const path = await writeZip(join(dir, 'ef.zip'), [{ name: 'r/x.jpg', data: enc('x') }, { name: 'r/../../y.jpg', data: enc('y') }]);
    const files = await openExportFiles(path);
    expect(files.kind).toBe('zip');
    expect(await files.list()).toEqual(['r/x.jpg']);
    await expect(files.readBytes('r/../../y.jpg')).rejects.toThrow(expect.objectContaining({ code: 'unsafe_path' }));
    await expect(files.readBytes('r/none.jpg')).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(await files.localPath('r/x.jpg')).toBeNull();
    await files.close();
  });
});

describe('openExportFiles on a single file', () => {
  it('opens the file\'s folder as the root and names the file as the only message file', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const root = join(dir, 'single');
    await mkdir(join(root, 'photos'), { recursive: true });
    await writeFile(join(root, 'result.json'), '{}');
    await writeFile(join(root, 'photos', 'a.jpg'), 'x');
    const files = await openExportFiles(join(root, 'result.json'));
    expect([files.kind, files.only, files.label]).toEqual(['folder', 'result.json', root]);
    expect(await files.size('photos/a.jpg')).toBe(1);
    await expect(openExportFiles(join(dir, 'nothing-here'))).rejects.toThrow(/does not exist/);
  });
});
