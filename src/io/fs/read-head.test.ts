import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileHead, readHeadThenAll } from './read-head.js';
import { useTempDirs } from '../../../test/support/temp-dirs.js';

const tempDir = useTempDirs();
/** Compared by digest: a deep equality of megabytes, element by element, would block the test worker for a minute. */
const digest = (b: Uint8Array | undefined) => (b ? `${b.length}:${createHash('sha256').update(b).digest('hex')}` : 'absent');

describe('readHeadThenAll', () => {
  it('returns the head, and the whole file from the same open when asked', async () => {
    const dir = await tempDir('unexpose-read-head-');
    const path = join(dir, 'big.bin');
    const data = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 10)) & 255;
    await writeFile(path, data);
    const all = await readHeadThenAll(path, 32, (h) => h[0] === data[0]);
    expect(all.head).toEqual(data.subarray(0, 32));
    expect(digest(all.bytes)).toBe(digest(data));
    const headOnly = await readHeadThenAll(path, 32, () => false);
    expect(headOnly.bytes).toBeUndefined();
    expect(headOnly.head).toEqual(await readFileHead(path, 32));
  });

  it('handles files shorter than the head and empty files', async () => {
    const dir = await tempDir('unexpose-read-head-');
    await writeFile(join(dir, 'short'), new Uint8Array([1, 2, 3]));
    await writeFile(join(dir, 'empty'), new Uint8Array());
    expect(await readHeadThenAll(join(dir, 'short'), 32, () => true)).toEqual({ head: new Uint8Array([1, 2, 3]), bytes: new Uint8Array([1, 2, 3]) });
    expect((await readHeadThenAll(join(dir, 'empty'), 32, () => true)).head.length).toBe(0);
    await expect(readHeadThenAll(join(dir, 'missing'), 32, () => true)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
