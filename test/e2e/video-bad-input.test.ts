/**
 * `unexpose hash` on videos, end to end on synthetic videos: the vPDQ output a user sees (frames, timestamps,
 * digests, sampling), the --every-frame, --fps, --max-seconds and --video-size flags, and one clear error per bad
 * file while the rest of the run goes on.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { ffmpeg, hasFfmpeg, lavfiVideo, matroskaClaiming, truncateCopy, warnIfNoFfmpeg } from './video-fixtures.js';

warnIfNoFfmpeg('video e2e tests');

interface VideoLine {
  path: string; kind?: string; md5?: string; sha256?: string; durationSeconds?: number; width?: number; height?: number;
  frameRate?: number; sampling?: string; truncatedAt?: number; notes?: string[]; error?: string;
  vpdq?: { frame: number; timestamp: number; pdq: string; quality: number }[];
}

let dir: string;
let good: string;
let bad: string;
const byName = (lines: VideoLine[], name: string) => lines.find((l) => l.path.endsWith(`/${name}`))!;

beforeAll(async () => {
  if (!hasFfmpeg) return;
  dir = await mkdtemp(join(tmpdir(), 'unexpose-video-'));
  good = join(dir, 'good');
  bad = join(dir, 'bad');
  await mkdir(good);
  await mkdir(bad);
  await lavfiVideo(join(good, 'clip.mp4'), 'testsrc=size=160x120:rate=30:duration=5');
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=2', join(good, 'animation.gif'));
  // A round video message: square, no audio, sent as MP4 with a misleading name.
  await lavfiVideo(join(good, 'round-message.jpg'), 'testsrc2=size=240x240:rate=25:duration=2', ['-f', 'mp4']);

  // Cut without re-encoding: the MP4 keeps all 150 frames but its edit list shows only the last 1.5 s.
  await ffmpeg('-ss', '3.5', '-i', join(good, 'clip.mp4'), '-c', 'copy', join(good, 'trimmed-copy.mp4'));

  await lavfiVideo(join(dir, 'faststart.mp4'), 'testsrc=size=160x120:rate=30:duration=5', ['-movflags', '+faststart']);
  await truncateCopy(join(dir, 'faststart.mp4'), join(bad, 'cut-download.mp4'), 0.5);
  await truncateCopy(join(good, 'clip.mp4'), join(bad, 'no-index.mp4'), 0.5); // moov atom at the end: lost
  await writeFile(join(bad, 'notes.mp4'), 'these are notes, not a video\n');
  await writeFile(join(bad, 'empty.mp4'), new Uint8Array(0));
  await ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', join(bad, 'voice.m4a'));
  await matroskaClaiming(join(bad, 'huge.mkv'), 20000, 20000, true);
  await matroskaClaiming(join(bad, 'no-decoder.mkv'), 256, 256, true);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasFfmpeg)('unexpose hash on videos', () => {
  it('prints vPDQ frames at 1 fps, timestamps, file digests and how it sampled', async () => {
    const run = await runCli(['hash', good, '--format', 'jsonl']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines<VideoLine>(run.stdout);
    const clip = byName(lines, 'clip.mp4');
    const bytes = await readFile(join(good, 'clip.mp4'));
    expect(clip).toMatchObject({
      kind: 'video', width: 160, height: 120, frameRate: 30, durationSeconds: 5, sampling: '1 fps, full resolution',
      md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(clip.vpdq!.map((f) => [f.frame, f.timestamp])).toEqual([[0, 0], [30, 1], [60, 2], [90, 3], [120, 4]]);
    for (const f of clip.vpdq!) expect(f.pdq).toMatch(/^[0-9a-f]{64}$/);
    expect(clip.vpdq!.every((f) => f.quality >= 50)).toBe(true);
    // testsrc moves: consecutive seconds do not hash alike.
    expect(new Set(clip.vpdq!.map((f) => f.pdq)).size).toBe(5);
    // Animations and round video messages are videos, whatever their names say.
    expect(byName(lines, 'animation.gif')).toMatchObject({ kind: 'video', frameRate: 10 });
    expect(byName(lines, 'animation.gif').vpdq!.map((f) => f.frame)).toEqual([0, 10]);
    expect(byName(lines, 'round-message.jpg')).toMatchObject({ kind: 'video', width: 240, height: 240 });
    // Fewer frames than the header counts, without decoder errors, is not damage.
    expect(byName(lines, 'trimmed-copy.mp4')).toMatchObject({ kind: 'video', durationSeconds: 1.5 });
    expect(byName(lines, 'trimmed-copy.mp4').vpdq!.map((f) => f.frame)).toEqual([0, 30]);
  });

  it('hashes every frame, or N per second, or downsampled frames when asked', async () => {
    const clip = join(good, 'clip.mp4');
    const every = jsonLines<VideoLine>((await runCli(['hash', clip, '--every-frame', '--format', 'jsonl'])).stdout)[0];
    expect(every.vpdq).toHaveLength(150);
    expect(every.sampling).toBe('every frame, full resolution');
    expect(every.vpdq![31]).toMatchObject({ frame: 31, timestamp: 1.033 });
    const five = jsonLines<VideoLine>((await runCli(['hash', clip, '--fps', '5', '--format', 'jsonl'])).stdout)[0];
    expect(five.vpdq!.map((f) => f.frame).slice(0, 4)).toEqual([0, 6, 12, 18]);
    // Frames chosen by ffmpeg's select filter are the same frames as in the every-frame run.
    for (const f of five.vpdq!) expect(f.pdq).toBe(every.vpdq![f.frame].pdq);
    const small = jsonLines<VideoLine>((await runCli(['hash', clip, '--video-size', '32', '--format', 'jsonl'])).stdout)[0];
    expect(small.sampling).toBe('1 fps, downsampled to 32x32');
    expect(small.vpdq).toHaveLength(5);
    expect(small.vpdq![0].pdq).not.toBe(every.vpdq![0].pdq);
  });

  it('stops at --max-seconds and says so', async () => {
    const r = jsonLines<VideoLine>((await runCli(['hash', join(good, 'clip.mp4'), '--max-seconds', '2', '--format', 'jsonl'])).stdout)[0];
    expect(r.vpdq!.map((f) => f.frame)).toEqual([0, 30]);
    expect(r.truncatedAt).toBe(2);
    expect(r.notes).toEqual(['only the first 2 s of 5 s were hashed (--max-seconds 2)']);
    const whole = jsonLines<VideoLine>((await runCli(['hash', join(good, 'clip.mp4'), '--max-seconds', '60', '--format', 'jsonl'])).stdout)[0];
    expect(whole.truncatedAt).toBeUndefined();
    expect(whole.vpdq).toHaveLength(5);
  });

  it('gives each bad video one clear error naming it, and hashes the rest', async () => {
    await copyFile(join(good, 'clip.mp4'), join(bad, 'fine.mp4'));
    const run = await runCli(['hash', bad, '--format', 'jsonl']);
    expect(run.code).toBe(1);
    const lines = jsonLines<VideoLine>(run.stdout);
    expect(lines).toHaveLength(8);
    expect(byName(lines, 'fine.mp4').vpdq).toHaveLength(5);
    const error = (name: string) => byName(lines, name).error;
    expect(error('cut-download.mp4')).toMatch(/cut-download\.mp4: the video (file )?is truncated/);
    expect(error('no-index.mp4')).toMatch(/no-index\.mp4: incomplete or truncated MP4\/MOV video/);
    expect(error('notes.mp4')).toMatch(/not a photo or video/);
    expect(error('empty.mp4')).toMatch(/empty file/);
    expect(error('voice.m4a')).toMatch(/voice\.m4a: no video stream in the file \(it has audio\)/);
    expect(error('huge.mkv')).toMatch(/huge\.mkv: frame size 20000x20000 is over the limit .*not decoded/);
    expect(error('no-decoder.mkv')).toMatch(/no-decoder\.mkv: ffmpeg could not decode the video \(Decoder .*not found/);
  });

  it('says how to install ffmpeg when it is missing', async () => {
    const fakeDir = join(dir, 'bin');
    await mkdir(fakeDir, { recursive: true });
    const run = await runCli(['hash', join(good, 'clip.mp4'), '--format', 'jsonl'], { env: { FFMPEG_PATH: join(fakeDir, 'no-ffmpeg'), FFPROBE_PATH: join(fakeDir, 'no-ffprobe') } });
    expect(run.code).toBe(1);
    expect(jsonLines<VideoLine>(run.stdout)[0].error).toMatch(/not installed.*apt-get install ffmpeg/);
  });

  it('reports ffmpeg failing midway as an error for that file', async () => {
    const fake = join(dir, 'bin', 'failing-ffmpeg');
    await mkdir(join(dir, 'bin'), { recursive: true });
    // Answers -version like ffmpeg, then fails the way a crashing decoder would.
    await writeFile(fake, '#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version 5.1.9"; exit 0; fi\necho "Error while decoding stream #0:0: Invalid data found" >&2\nexit 69\n');
    await chmod(fake, 0o755);
    // At 1 fps frames are hashed in the reading thread; at every frame in a helper thread: both paths report it.
    for (const flags of [[], ['--every-frame']]) {
      const run = await runCli(['hash', join(good, 'clip.mp4'), ...flags, '--format', 'jsonl'], { env: { FFMPEG_PATH: fake } });
      expect(run.code).toBe(1);
      expect(jsonLines<VideoLine>(run.stdout)[0].error).toMatch(/clip\.mp4: ffmpeg could not decode the video \(Error while decoding stream #0:0: Invalid data found\)/);
    }
  });
});
