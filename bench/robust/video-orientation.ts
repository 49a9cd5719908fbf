/**
 * bench:robust, videos with an orientation tag (issue 12): a video with a display matrix (90/180/270) and its
 * re-encode with the rotation applied and recompressed, banked one way and looked up the other. vPDQ alone compares
 * the frames as stored (the reference's values); unexpose also banks and looks up the frames as shown (a second
 * vPDQ value), and a pair matches when any value of the query meets any value of the banked video.
 * Videos are generated here with ffmpeg (lavfi testsrc2, mandelbrot, and a pan over a synthetic scene), in a
 * temporary folder removed at the end; nothing is kept.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashVideoFile } from '../../src/services/hash-video.js';
import { compareVpdq } from '../../src/core/signals/vpdq/vpdq-compare.js';
import { DEFAULT_VPDQ_THRESHOLD, vpdqSignal } from '../../src/core/signals/vpdq/vpdq-signal.js';
import { syntheticImage } from '../../test/support/synthetic-images.js';

export interface VideoOrientationCase { source: string; turn: number; banked: 'tagged' | 'baked'; vpdqAlone: boolean; ours: boolean; alonePercent: number; oursPercent: number }

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const p = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res() : rej(new Error(`ffmpeg exited ${code}: ${err.slice(0, 300)}`))));
  });
}

const SECONDS = 4;

/** The bench's video cases; null when ffmpeg is missing. */
export async function videoOrientationCases(): Promise<VideoOrientationCase[] | null> {
  try { await ffmpeg(['-version']); } catch { return null; }
  const dir = await mkdtemp(join(tmpdir(), 'ux-bench-vorient-'));
  try {
    const x264 = ['-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '20'];
    const sources: [string, string[]][] = [
      ['testsrc2', ['-f', 'lavfi', '-i', `testsrc2=size=480x320:rate=10:duration=${SECONDS}`]],
      ['mandelbrot', ['-f', 'lavfi', '-i', `mandelbrot=size=480x320:rate=10`, '-t', String(SECONDS)]],
    ];
    const scene = join(dir, 'scene.jpg');
    await writeFile(scene, await syntheticImage(960, 640, 4242, 'jpeg', 92));
    sources.push(['scene pan', ['-loop', '1', '-framerate', '10', '-i', scene, '-vf', "crop=640:426:x='t*60':y='t*40'", '-t', String(SECONDS)]]);
    const out: VideoOrientationCase[] = [];
    for (const [name, input] of sources) {
      const stored = join(dir, 'stored.mp4');
      await ffmpeg([...input, ...x264, stored]);
      for (const turn of [90, 180, 270]) {
        const tagged = join(dir, `tagged-${turn}.mp4`);
        const baked = join(dir, `baked-${turn}.mp4`);
        // The same stream with a display matrix (a phone's video), and its re-encode with the rotation applied
        // (ffmpeg autorotates), recompressed harder as a platform would.
        await ffmpeg(['-i', stored, '-c', 'copy', '-metadata:s:v:0', `rotate=${turn}`, tagged]);
        await ffmpeg(['-i', tagged, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '30', baked]);
        // hashVideoFile leaves out the path (the caller adds it, as `unexpose hash` does).
        const hashed = { tagged: { path: tagged, ...await hashVideoFile(tagged, { fps: 2 }) }, baked: { path: baked, ...await hashVideoFile(baked, { fps: 2 }) } };
        if (name === 'testsrc2' && !hashed.tagged.displayTurn) throw new Error(`ffmpeg wrote no display matrix for rotate=${turn}`);
        for (const banked of ['tagged', 'baked'] as const) {
          const bank = hashed[banked];
          const query = hashed[banked === 'tagged' ? 'baked' : 'tagged'];
          const alone = compareVpdq(query.vpdq, bank.vpdq);
          let best = 0;
          let ours = false;
          for (const q of vpdqSignal.fromMedia?.(query) ?? []) {
            for (const b of vpdqSignal.fromMedia?.(bank) ?? []) {
              const c = vpdqSignal.compare(q.value, b.value, DEFAULT_VPDQ_THRESHOLD);
              ours ||= c.match;
              best = Math.max(best, Number((c.detail as { queryMatchPercent: number }).queryMatchPercent));
            }
          }
          out.push({ source: name, turn, banked, vpdqAlone: alone.match, ours, alonePercent: alone.queryMatchPercent, oursPercent: best });
        }
      }
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = await videoOrientationCases();
  for (const c of cases ?? []) console.log(c);
}
