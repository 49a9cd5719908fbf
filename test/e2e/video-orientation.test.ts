/**
 * Orientation tags on videos (issue 12): a video with a display matrix and its re-encode with the rotation applied
 * (ffmpeg autorotates) are the same video to a viewer. vPDQ stays the reference's (frames as stored); the hash
 * output also carries the frames as shown, banked as a second vPDQ value, so either copy finds the other.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { ffmpeg, hasFfmpeg, lavfiVideo, warnIfNoFfmpeg } from './video-fixtures.js';
import { displayTurn } from '../../src/io/video/probe-video.js';

warnIfNoFfmpeg('video orientation e2e tests');

let dir: string;
const p = (name: string) => join(dir, name);

beforeAll(async () => {
  if (!hasFfmpeg) return;
  dir = await mkdtemp(join(tmpdir(), 'unexpose-vorient-'));
  await lavfiVideo(p('stored.mp4'), 'mandelbrot=size=320x240:rate=5', ['-t', '3']);
  // The same stream with a display matrix (a phone's portrait video), and its re-encode with the rotation applied.
  await ffmpeg('-i', p('stored.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', p('tagged.mp4'));
  await ffmpeg('-i', p('tagged.mp4'), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', p('baked.mp4'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasFfmpeg)('video display rotation', () => {
  it('hashes a tagged video as stored (reference vPDQ) and as shown', async () => {
    const [tagged] = jsonLines<{ vpdq: { pdq: string }[]; vpdqShown?: { pdq: string }[]; displayTurn?: number }>((await runCli(['hash', '--format', 'jsonl', p('tagged.mp4')])).stdout);
    const [stored] = jsonLines<{ vpdq: { pdq: string }[]; vpdqShown?: unknown }>((await runCli(['hash', '--format', 'jsonl', p('stored.mp4')])).stdout);
    expect(tagged.vpdq).toEqual(stored.vpdq);
    expect(stored.vpdqShown).toBeUndefined();
    expect(tagged.displayTurn).toBe(270);
    expect(tagged.vpdqShown).toHaveLength(tagged.vpdq.length);
  });

  it('a banked tagged video is found from its re-encode with the rotation applied, and the other way round', async () => {
    for (const [banked, query] of [['tagged.mp4', 'baked.mp4'], ['baked.mp4', 'tagged.mp4']]) {
      const db = p(`${banked}.db`);
      await runCli(['bank', 'create', 'v', '--db', db]);
      const hashed = await runCli(['hash', '--format', 'jsonl', p(banked)]);
      expect((await runCli(['bank', 'import', 'v', '-', '--db', db], { input: hashed.stdout })).code).toBe(0);
      const r = await runCli(['match', '--format', 'jsonl', '--db', db, p(query)]);
      const [answer] = jsonLines<{ matches: { signalType: string }[] }>(r.stdout);
      expect(answer.matches.map((m) => m.signalType), `${query} in a bank of ${banked}`).toContain('vpdq');
    }
  });
});

describe('display matrix as read from ffprobe', () => {
  it('reads the matrix angle (counter-clockwise) and the old rotate tag (clockwise) as a clockwise turn', () => {
    expect(displayTurn({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })).toBe(90);
    expect(displayTurn({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(displayTurn({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })).toBe(180);
    expect(displayTurn({ tags: { rotate: '90' } })).toBe(90);
    expect(displayTurn({})).toBe(0);
    expect(displayTurn({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 33 }] })).toBe(0);
  });
});
