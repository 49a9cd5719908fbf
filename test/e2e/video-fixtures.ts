/**
 * Synthetic test videos, made at test time with ffmpeg's lavfi sources (testsrc, color, sine) in a temporary folder
 * and deleted afterwards; never committed. Also the damaged variants the bad-input tests need.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether ffmpeg and ffprobe are installed; video tests skip (saying why) when they are not. */
export const hasFfmpeg = ['ffmpeg', 'ffprobe'].every((t) => spawnSync(t, ['-version'], { stdio: 'ignore' }).status === 0);

export function warnIfNoFfmpeg(what: string): void {
  if (!hasFfmpeg) console.warn(`skipping ${what}: ffmpeg/ffprobe are not installed (apt-get install ffmpeg)`);
}

/** Runs ffmpeg quietly with the given arguments (overwriting the output). */
export async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args]);
}

/** An H.264 MP4 of a lavfi source, e.g. lavfiVideo(out, 'testsrc=size=160x120:rate=30:duration=3'). */
export async function lavfiVideo(out: string, source: string, extra: string[] = []): Promise<void> {
  await ffmpeg('-f', 'lavfi', '-i', source, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', ...extra, out);
}

/** Copies the first share of a file's bytes, as an interrupted download would leave it. */
export async function truncateCopy(from: string, to: string, share: number): Promise<void> {
  const bytes = await readFile(from);
  await writeFile(to, bytes.subarray(0, Math.floor(bytes.length * share)));
}

/** Replaces every occurrence of a byte pattern (same length) in a file. */
async function patchBytes(path: string, patches: [Uint8Array, Uint8Array][]): Promise<void> {
  const bytes = new Uint8Array(await readFile(path));
  for (const [from, to] of patches) {
    const i = Buffer.from(bytes).indexOf(Buffer.from(from));
    if (i < 0) throw new Error(`pattern not found in ${path}`);
    bytes.set(to, i);
  }
  await writeFile(path, bytes);
}

/**
 * A one-frame Matroska video whose header claims width x height (up to 65535), made by patching the PixelWidth
 * and PixelHeight elements of a 256x256 raw video. With unknownCodec, the codec id is one no decoder handles, so
 * ffprobe reports the claimed size as is and ffmpeg fails to decode it.
 */
export async function matroskaClaiming(out: string, width: number, height: number, unknownCodec = false): Promise<void> {
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:size=256x256:rate=1:duration=1', '-c:v', 'rawvideo', '-pix_fmt', 'gray', out);
  const u16 = (n: number) => new Uint8Array([n >> 8, n & 255]);
  const patches: [Uint8Array, Uint8Array][] = [
    [new Uint8Array([0xb0, 0x82, 0x01, 0x00]), new Uint8Array([0xb0, 0x82, ...u16(width)])],
    [new Uint8Array([0xba, 0x82, 0x01, 0x00]), new Uint8Array([0xba, 0x82, ...u16(height)])],
  ];
  if (unknownCodec) patches.push([new TextEncoder().encode('V_UNCOMPRESSED'), new TextEncoder().encode('V_XUNKNOWNCODE')]);
  await patchBytes(out, patches);
}
