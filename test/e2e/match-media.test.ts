/**
 * `unexpose match` on media beyond plain photos: a rotated photo found only with --dihedral, and a video found by
 * its vPDQ frames (a re-encoded copy too) once its frame hashes are in a bank. Generated media in a temporary folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { ffmpeg, hasFfmpeg, lavfiVideo, warnIfNoFfmpeg } from './video-fixtures.js';

interface Answer {
  query: string;
  matches: { bank: string; signalType: string; distance: number; queryMatchPercent?: number }[];
  error?: string;
}

let dir: string;
let db: string;
const cli = (args: string[], input?: string) => runCli([...args, '--db', db], { input });
const answers = async (args: string[]) => jsonLines<Answer>((await cli(['match', '--format', 'jsonl', ...args])).stdout);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-match-media-'));
  db = join(dir, 'm.db');
  await cli(['bank', 'create', 'media']);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('unexpose match on media', () => {
  it('finds a rotated copy of a banked photo with --dihedral', async () => {
    const img = await syntheticImage(600, 400, 21, 'png');
    await writeFile(join(dir, 'p.png'), img);
    await writeFile(join(dir, 'p-rot90.png'), await sharp(img).rotate(90).png().toBuffer());
    const { pdq } = jsonLines<{ pdq: string }>((await runCli(['hash', '--format', 'jsonl', join(dir, 'p.png')])).stdout)[0];
    await writeFile(join(dir, 'p.txt'), `${pdq}\n`);
    await cli(['bank', 'import', 'media', join(dir, 'p.txt')]);
    const plain = await answers([join(dir, 'p-rot90.png')]);
    expect(plain[0].matches.filter((m) => m.signalType === 'pdq')).toEqual([]);
    const turned = await answers(['--dihedral', join(dir, 'p-rot90.png')]);
    expect(turned[0].matches).toEqual([expect.objectContaining({ bank: 'media', signalType: 'pdq' })]);
    expect(turned[0].matches[0].distance).toBeLessThanOrEqual(31);
  });

  describe.skipIf(!hasFfmpeg)('videos', () => {
    it('finds a banked video and a re-encoded copy by vPDQ, and the original by MD5', async () => {
      const video = join(dir, 'v.mp4');
      await lavfiVideo(video, 'testsrc=size=160x120:rate=10:duration=4');
      await ffmpeg('-i', video, '-c:v', 'libx264', '-crf', '35', '-vf', 'scale=128:96', join(dir, 'v-copy.mp4'));
      await lavfiVideo(join(dir, 'other.mp4'), 'mandelbrot=size=160x120:rate=10', ['-t', '4']);
      const hashed = jsonLines<{ md5: string; vpdq: unknown[] }>((await runCli(['hash', '--format', 'jsonl', video])).stdout)[0];
      expect(hashed.vpdq.length).toBeGreaterThan(0);
      const lines = [
        JSON.stringify({ signal_type: 'vpdq', signal: hashed.vpdq, source_ref: 'video-1' }),
        JSON.stringify({ signal_type: 'md5', signal: hashed.md5, source_ref: 'video-1' }),
      ];
      await writeFile(join(dir, 'v.jsonl'), `${lines.join('\n')}\n`);
      const imported = await cli(['bank', 'import', 'media', join(dir, 'v.jsonl'), '--format', 'jsonl']);
      expect(jsonLines(imported.stdout)[0]).toMatchObject({ added: 2, skipped: 0 });
      const [orig, copy, other] = await answers([video, join(dir, 'v-copy.mp4'), join(dir, 'other.mp4')]);
      expect(orig.matches.map((m) => [m.signalType, m.distance]).sort()).toEqual([['md5', 0], ['vpdq', 0]]);
      expect(copy.matches.map((m) => m.signalType)).toEqual(['vpdq']);
      expect(copy.matches[0].queryMatchPercent).toBeGreaterThanOrEqual(80);
      expect(other.matches).toEqual([]);
    });
  });
  warnIfNoFfmpeg('the vPDQ match cases');
});
