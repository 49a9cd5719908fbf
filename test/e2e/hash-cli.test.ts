/**
 * `unexpose hash` end to end, on generated images in a temporary folder: what a user sees on stdout, the exit code,
 * and that a bad file is named and skipped while the rest is hashed.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { jsonLines, runCli } from '../support/run-cli.js';
import { pngHeaderClaiming, syntheticImage } from '../support/synthetic-images.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';

let dir: string;
const good = ['a.jpg', 'b.png', 'nested/c.webp', 'nested/deeper/d-copy.jpg'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-hash-'));
  await mkdir(join(dir, 'nested/deeper'), { recursive: true });
  const a = await syntheticImage(800, 600, 1, 'jpeg');
  await writeFile(join(dir, 'a.jpg'), a);
  await writeFile(join(dir, 'b.png'), await syntheticImage(300, 400, 2, 'png'));
  await writeFile(join(dir, 'nested/c.webp'), await syntheticImage(500, 500, 3, 'webp'));
  await writeFile(join(dir, 'nested/deeper/d-copy.jpg'), await sharp(a).resize(640).jpeg({ quality: 75 }).toBuffer());
  await writeFile(join(dir, 'bomb.png'), pngHeaderClaiming(60000, 60000));
  await writeFile(join(dir, 'notes.jpg'), 'this is text with a .jpg name');
  await writeFile(join(dir, 'truncated.jpg'), a.subarray(0, 500));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('unexpose hash', () => {
  it('prints one JSON line per file, names each bad file with the reason, exits 1', async () => {
    const before = (await readdir(dir, { recursive: true })).sort();
    const run = await runCli(['hash', dir]);
    expect(run.code).toBe(1);
    const lines = jsonLines<{ path: string; kind?: string; pdq?: string; quality?: number; sha256?: string; md5?: string; error?: string }>(run.stdout);
    expect(lines).toHaveLength(7);
    const byName = new Map(lines.map((l) => [l.path.slice(dir.length + 1), l]));
    for (const name of good) {
      const r = byName.get(name)!;
      expect(r).toMatchObject({ kind: 'photo', pdq: expect.stringMatching(/^[0-9a-f]{64}$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(r.quality).toBeGreaterThanOrEqual(50);
    }
    expect(byName.get('bomb.png')!.error).toMatch(/60000x60000.*decompression bomb/);
    expect(byName.get('notes.jpg')!.error).toMatch(/not a photo or video/);
    expect(byName.get('truncated.jpg')!.error).toMatch(/could not decode|not an image/);
    expect(pdqDistance(byName.get('a.jpg')!.pdq!, byName.get('nested/deeper/d-copy.jpg')!.pdq!)).toBeLessThanOrEqual(31);
    expect(pdqDistance(byName.get('a.jpg')!.pdq!, byName.get('b.png')!.pdq!)).toBeGreaterThan(31);
    expect(run.stderr).toMatch(/3 file\(s\) could not be hashed/);
    // nothing was written next to the images
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(before);
  });

  it('exits 0 when every file was hashed; the same file gives the same hash in every output order', async () => {
    const run = await runCli(['hash', '--workers', '2', join(dir, 'a.jpg'), join(dir, 'b.png')]);
    expect(run.code).toBe(0);
    const [a, b] = jsonLines<{ path: string; pdq: string }>(run.stdout);
    expect(a.path.endsWith('a.jpg') && b.path.endsWith('b.png')).toBe(true);
    const again = jsonLines<{ pdq: string }>((await runCli(['hash', '--workers', '1', join(dir, 'b.png'), join(dir, 'a.jpg')])).stdout);
    expect(again.map((r) => r.pdq)).toEqual([b.pdq, a.pdq]);
  });

  it('prints CSV with the documented header, and dihedral columns when asked', async () => {
    const run = await runCli(['hash', '--format', 'csv', '--dihedral', join(dir, 'a.jpg'), join(dir, 'notes.jpg')]);
    const [header, row, bad] = run.stdout.trim().split('\n');
    expect(header).toBe('path,kind,pdq,quality,sha256,md5,error,rot90,rot180,rot270,flipx,flipy,flipplus1,flipminus1');
    expect(row.split(',')).toHaveLength(14);
    expect(row.split(',')[1]).toBe('photo');
    expect(bad).toMatch(/notes\.jpg,,,,,,not a photo or video/);
    const plain = await runCli(['hash', '--format', 'csv', join(dir, 'a.jpg')]);
    expect(plain.stdout.split('\n')[0]).toBe('path,kind,pdq,quality,sha256,md5,error');
  });

  it('adds the 7 dihedral variants in JSON with --dihedral', async () => {
    const [r] = jsonLines<{ dihedral: Record<string, string> }>((await runCli(['hash', '--dihedral', join(dir, 'a.jpg')])).stdout);
    expect(Object.keys(r.dihedral).sort()).toEqual(['flipminus1', 'flipplus1', 'flipx', 'flipy', 'rot180', 'rot270', 'rot90']);
  });

  it('the three pipelines agree closely on a photo', async () => {
    const hashes: string[] = [];
    for (const p of ['fast', 'reference', 'full']) {
      const [r] = jsonLines<{ pdq: string }>((await runCli(['hash', '--pipeline', p, join(dir, 'a.jpg')])).stdout);
      hashes.push(r.pdq);
    }
    expect(pdqDistance(hashes[0], hashes[2])).toBeLessThanOrEqual(10);
    expect(pdqDistance(hashes[1], hashes[2])).toBeLessThanOrEqual(16);
  });

  it('exits 2 on bad usage with a message', async () => {
    const bad = await runCli(['hash', '--pipeline', 'nope', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are fast, reference, full/);
    expect((await runCli(['hash'])).code).toBe(2);
    expect((await runCli(['hash', '--fps', '-1', dir])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('names a path that does not exist and goes on', async () => {
    const run = await runCli(['hash', join(dir, 'missing.jpg'), join(dir, 'a.jpg')]);
    expect(run.code).toBe(1);
    const lines = jsonLines<{ error?: string; pdq?: string }>(run.stdout);
    expect(lines[0].error).toBe('no such file or folder');
    expect(lines[1].pdq).toMatch(/^[0-9a-f]{64}$/);
  });
});
