/**
 * Resource bounds of hashing one file (issue 8 §4): a photo file refused by its size before it is read, and a video
 * whose frames would decode to more pixels than its file justifies, or that takes too long, cut with a note.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hugeCanvasGif } from '../../test/fixtures/hostile/hostile-inputs.js';
import { makeJpeg } from '../../test/fixtures/synthetic-random.js';
import { useTempDirs } from '../../test/support/temp-dirs.js';
import { hasFfmpeg, warnIfNoFfmpeg } from '../../test/e2e/video-fixtures.js';
import { isFailedHash } from '../core/content/media-hash.js';
import { hashMediaFile } from './hash-file.js';
import { hashVideoFile, MIN_DECODED_PIXEL_BUDGET } from './hash-video.js';

const tempDir = useTempDirs();
warnIfNoFfmpeg('the video bounds tests');

describe('hashing stays bounded', () => {
  it('refuses a 700 MB file that starts like a JPEG by its size, without reading it', async () => {
    const dir = await tempDir('unexpose-bounds-');
    const path = join(dir, 'huge.jpg');
    const fh = await open(path, 'w');
    await fh.write(await makeJpeg(32, 32, 1));
    await fh.truncate(700 * 2 ** 20);
    await fh.close();
    const before = process.memoryUsage().rss;
    const r = await hashMediaFile(path);
    expect(isFailedHash(r) && r.code).toBe('too_large');
    expect(isFailedHash(r) && r.error).toMatch(/734003200 bytes is over the limit of 128 MiB for a photo file/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it.skipIf(!hasFfmpeg)('cuts a tiny GIF whose frames decode to more pixels than its size justifies, with a note', async () => {
    const dir = await tempDir('unexpose-bounds-');
    const path = join(dir, 'canvas.gif');
    await writeFile(path, hugeCanvasGif(1920, 1080, 300)); // 30 s at 10 fps, 7 KB
    const r = await hashVideoFile(path);
    const budgetFrames = Math.floor(MIN_DECODED_PIXEL_BUDGET / (1920 * 1080));
    expect(r.vpdq.length).toBeLessThanOrEqual(Math.ceil(budgetFrames / 10) + 1);
    expect(r.vpdq.length).toBeGreaterThan(0);
    expect(r.notes?.join(' ')).toMatch(new RegExp(`only the first ${budgetFrames} frames .*were decoded`));
  }, 60_000);

  it.skipIf(!hasFfmpeg)('stops a video at the wall-clock limit and keeps what was hashed, or names the limit', async () => {
    const dir = await tempDir('unexpose-bounds-');
    const path = join(dir, 'canvas.gif');
    await writeFile(path, hugeCanvasGif(1920, 1080, 200));
    const t0 = Date.now();
    const r = await hashVideoFile(path, { maxWallSeconds: 0.2, everyFrame: true }).catch((err: Error) => err);
    expect(Date.now() - t0).toBeLessThan(5000);
    const said = r instanceof Error ? r.message : r.notes?.join(' ');
    expect(said).toMatch(/limit of 0\.2 s/);
  }, 60_000);
});
