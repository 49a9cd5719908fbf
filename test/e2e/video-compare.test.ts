/**
 * `unexpose compare-video` end to end on synthetic videos: a re-encoded, resized copy matches; a different video
 * does not; a trimmed copy shows why the two percentages differ; hash files stand in for videos; bad input is named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { ffmpeg, hasFfmpeg, lavfiVideo, warnIfNoFfmpeg } from './video-fixtures.js';

warnIfNoFfmpeg('compare-video e2e tests');

interface Comparison {
  query: { path: string; source: string; hashes: number; sampling?: string };
  compared: { path: string; source: string; hashes: number };
  queryMatchPercent: number; comparedMatchPercent: number; match: boolean; queryFrames: number; comparedFrames: number; rule: string;
}

let dir: string;
const p = (name: string) => join(dir, name);

async function compare(...args: string[]): Promise<Comparison> {
  const run = await runCli(['compare-video', ...args, '--format', 'jsonl']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return jsonLines<Comparison>(run.stdout)[0];
}

beforeAll(async () => {
  if (!hasFfmpeg) return;
  dir = await mkdtemp(join(tmpdir(), 'unexpose-compare-'));
  // A zoom into the Mandelbrot set: every second looks different (about 100 bits apart), and it has the
  // mid-frequency detail PDQ needs. (testsrc's thin lines alias in PDQ's 64x64 sampling once the frame is halved.)
  await lavfiVideo(p('original.mp4'), 'mandelbrot=size=640x480:rate=10', ['-t', '10']);
  // Re-encoded at low quality and half the size, as a chat app would forward it.
  await ffmpeg('-i', p('original.mp4'), '-vf', 'scale=320:240', '-c:v', 'libx264', '-crf', '35', p('forwarded.mp4'));
  // The last 4 seconds only (frames 60.. of the original, re-encoded).
  await ffmpeg('-ss', '6', '-i', p('original.mp4'), '-c:v', 'libx264', p('clip.mp4'));
  await lavfiVideo(p('other.mp4'), 'testsrc2=size=640x480:rate=10:duration=10');
  await writeFile(p('notes.mp4'), 'not a video\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasFfmpeg)('unexpose compare-video', () => {
  it('finds a re-encoded, resized copy: both percentages high, MATCH', async () => {
    const r = await compare(p('forwarded.mp4'), p('original.mp4'));
    expect(r.query).toMatchObject({ source: 'video', hashes: 10, sampling: '1 fps, full resolution' });
    expect(r.queryMatchPercent).toBeGreaterThanOrEqual(90);
    expect(r.comparedMatchPercent).toBeGreaterThanOrEqual(90);
    expect(r.match).toBe(true);
  });

  it('does not match a different video', async () => {
    const r = await compare(p('other.mp4'), p('original.mp4'));
    expect(r.queryMatchPercent).toBeLessThan(20);
    expect(r.match).toBe(false);
  });

  it('a trimmed clip is all found in the original, but covers only part of it', async () => {
    const clipInOriginal = await compare(p('clip.mp4'), p('original.mp4'));
    expect(clipInOriginal.queryMatchPercent).toBe(100);
    expect(clipInOriginal.comparedMatchPercent).toBe(40); // 4 of the original's 10 seconds
    expect(clipInOriginal.match).toBe(true);
    const originalInClip = await compare(p('original.mp4'), p('clip.mp4'));
    expect(originalInClip.queryMatchPercent).toBe(clipInOriginal.comparedMatchPercent);
    expect(originalInClip.match).toBe(false); // under the 80% query threshold
    expect((await compare(p('original.mp4'), p('clip.mp4'), '--query-threshold', '30')).match).toBe(true);
  });

  it('accepts hash files in place of videos: unexpose hash output, the reference format, the pytx signal', async () => {
    const hashed = await runCli(['hash', p('original.mp4'), '--format', 'jsonl']);
    await writeFile(p('original.jsonl'), hashed.stdout);
    const frames = jsonLines<{ vpdq: { frame: number; quality: number; pdq: string; timestamp: number }[] }>(hashed.stdout)[0].vpdq;
    await writeFile(p('original.txt'), frames.map((f) => `${f.frame},${f.quality},${f.pdq},${f.timestamp.toFixed(3)}\n`).join(''));
    await writeFile(p('original.pytx.json'), JSON.stringify(frames.map((f) => `${f.pdq},${f.quality},${f.timestamp}`)));
    const fromVideo = await compare(p('forwarded.mp4'), p('original.mp4'));
    for (const [file, source] of [['original.jsonl', 'unexpose-json'], ['original.txt', 'hash-file'], ['original.pytx.json', 'pytx-signal']]) {
      const r = await compare(p('forwarded.mp4'), p(file));
      expect(r.compared).toMatchObject({ source, hashes: 10 });
      expect([r.queryMatchPercent, r.comparedMatchPercent, r.match]).toEqual([fromVideo.queryMatchPercent, fromVideo.comparedMatchPercent, fromVideo.match]);
    }
  });

  it('prints both percentages and the verdict as text', async () => {
    const run = await runCli(['compare-video', p('clip.mp4'), p('original.mp4'), '--format', 'text']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^query +100\.00% of 4 usable frames found in the other .*clip\.mp4/);
    expect(lines[1]).toMatch(/^compared +40\.00% of 10 usable frames/);
    expect(lines.at(-1)).toMatch(/^MATCH +\(query >= 80% and compared >= 0%; frames match at distance <= 31, quality >= 50; python-threatexchange rule\)/);
  });

  it('names a file that is neither a video nor hashes, and refuses bad options', async () => {
    const bad = await runCli(['compare-video', p('notes.mp4'), p('original.mp4')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/notes\.mp4: neither a video .* nor a vPDQ hash file/);
    const missing = await runCli(['compare-video', p('missing.mp4'), p('original.mp4')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.mp4: cannot read the file \(ENOENT\)/);
    const usage = await runCli(['compare-video', p('clip.mp4'), p('original.mp4'), '--quality', '101']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/"101" is not a whole number from 0 to 100/);
  });
});
