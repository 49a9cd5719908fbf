/**
 * Videos inside a zip export are hashed from memory, never written to disk: FFmpeg reads them from a loopback-only
 * URL with byte ranges (an MP4 whose index sits at the end needs seeking). The hashes equal those of the same file
 * unzipped; a scan of the zipped export hashes its videos.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashMediaFile } from '../../src/services/hash-file.js';
import { parseRange, serveVideoOnLoopback } from '../../src/io/video/loopback-video-url.js';
import { zipExportFiles } from '../../src/io/fs/export-files.js';
import { writeZip } from '../fixtures/zip-writer.js';
import { hasFfmpeg, lavfiVideo, warnIfNoFfmpeg } from './video-fixtures.js';

let dir: string;
warnIfNoFfmpeg('video-in-zip');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-video-zip-'));
  if (!hasFfmpeg) return;
  // ffmpeg writes MP4 with the moov atom at the end unless asked for +faststart: the case a pipe cannot serve.
  await lavfiVideo(join(dir, 'clip.mp4'), 'testsrc=size=96x64:rate=15:duration=3');
  await lavfiVideo(join(dir, 'fast.mp4'), 'testsrc2=size=80x60:rate=10:duration=2', ['-movflags', '+faststart']);
  await lavfiVideo(join(dir, 'clip.mkv'), 'testsrc=size=64x64:rate=10:duration=2');
}, 180_000);

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('loopback URL', () => {
  it('parses byte ranges', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
  });

  it('serves only its random path on 127.0.0.1, with ranges, and stops when closed', async () => {
    const bytes = new Uint8Array(1000).map((_, i) => i % 251);
    const v = await serveVideoOnLoopback(bytes);
    expect(v.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\.bin$/);
    const part = await fetch(v.url, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...bytes.subarray(10, 20)]);
    expect((await fetch(v.url)).status).toBe(200);
    expect((await fetch(v.url.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).status).toBe(404);
    expect((await fetch(v.url, { method: 'POST' })).status).toBe(404);
    await v.close();
    await expect(fetch(v.url)).rejects.toThrow();
  });
});

describe.skipIf(!hasFfmpeg)('videos in memory hash like the same file on disk (skipped without ffmpeg)', () => {
  for (const name of ['clip.mp4', 'fast.mp4', 'clip.mkv']) {
    it(name, async () => {
      const fromDisk = await hashMediaFile(join(dir, name));
      const fromMemory = await hashMediaFile(name, {}, await readFile(join(dir, name)));
      expect('error' in fromMemory ? fromMemory.error : undefined).toBeUndefined();
      expect({ ...fromMemory, path: '' }).toEqual({ ...fromDisk, path: '' });
      expect(fromMemory).toMatchObject({ kind: 'video' });
    });
  }

  it('reads a video entry of a zip export to memory and hashes it, writing nothing', async () => {
    const zip = join(dir, 'export.zip');
    await writeZip(zip, [{ name: 'video_files/video_1.mp4', data: await readFile(join(dir, 'clip.mp4')) }]);
    const before = await readdir(tmpdir());
    const files = await zipExportFiles(zip);
    try {
      const r = await hashMediaFile('video_files/video_1.mp4', {}, await files.readBytes('video_files/video_1.mp4'));
      expect(r).toMatchObject({ kind: 'video', md5: (await hashMediaFile(join(dir, 'clip.mp4')) as { md5: string }).md5 });
    } finally {
      await files.close();
    }
    const after = await readdir(tmpdir());
    expect(after.filter((f) => !before.includes(f) && !f.startsWith('unexpose-') && !f.startsWith('vitest'))).toEqual([]);
  });
});

