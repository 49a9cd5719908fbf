import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaHashResult } from '../core/content/media-hash.js';
import { hashMediaFile } from './hash-file.js';
import type { HashTask } from './hash-media-worker.js';
import { PhotosHerePool } from './hash-photos-here.js';
import { WorkerPool } from './worker-pool.js';

let dir: string;
const photos: string[] = [];
let video: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-photos-here-'));
  for (let i = 0; i < 5; i++) {
    const w = 300 + i * 40, h = 200 + i * 30, px = Buffer.alloc(w * h * 3);
    for (let j = 0; j < px.length; j++) px[j] = (j * (i + 3) + (j >> 9)) & 255;
    const path = join(dir, `p${i}.jpg`);
    await writeFile(path, await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ progressive: i % 2 === 1 }).toBuffer());
    photos.push(path);
  }
  // An MP4's first box: enough for the kind to be told from the bytes (the video pool here does not decode it).
  video = join(dir, 'clip.mp4');
  await writeFile(video, Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PhotosHerePool', () => {
  it('hashes photos here with the same results as hashMediaFile, in input order, and hands videos to the video pool', async () => {
    const sentToVideoPool: HashTask[] = [];
    const videoPool = () => new WorkerPool<HashTask, MediaHashResult>({
      workerUrl: new URL('file:///none.js'), mode: 'inline',
      inline: async (t) => { sentToVideoPool.push(t); return { path: t.path, error: 'hashed by the video pool' }; },
    });
    const pool = new PhotosHerePool(videoPool, 1);
    const items = [photos[0], video, ...photos.slice(1)];
    async function* walk() { for (const p of items) yield p; }
    const out: MediaHashResult[] = [];
    for await (const r of pool.map(walk(), (path) => ({ path, opts: {} }))) out.push(r);
    await pool.close();
    const expected = await Promise.all(items.filter((p) => p !== video).map((p) => hashMediaFile(p)));
    expect(out.map((r) => r.path)).toEqual(items);
    expect(out.filter((r) => r.path !== video)).toEqual(expected);
    expect(out.find((r) => r.path === video)).toEqual({ path: video, error: 'hashed by the video pool' });
    expect(sentToVideoPool.map((t) => t.path)).toEqual([video]);
  });
});
