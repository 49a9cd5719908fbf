/**
 * Command lines for ffprobe and ffmpeg, built as pure functions so they can be read and tested without running
 * anything. Inputs are always given as `file:<absolute path>` with only the file protocol allowed, so a file name
 * that looks like a URL or an option, or a playlist inside a chat export, cannot make ffmpeg fetch anything.
 */

/** The swscale flags that reproduce the reference's YUV->RGB24 frames most closely (see conformance README). */
export const SWS_FLAGS = 'area+accurate_rnd';

export interface FfmpegFeatures {
  /** `-fps_mode` exists from FFmpeg 5.1; older versions spell passthrough `-vsync 0`. */
  hasFpsMode: boolean;
}

export interface FrameExtraction {
  /** Absolute path of the video file. */
  path: string;
  /** Absolute stream index of the video stream to decode (from ffprobe). */
  streamIndex: number;
  /** Hash frame numbers n with n % frameModulus == 0; 1 decodes every frame to the pipe. */
  frameModulus: number;
  /** Scale frames to size x size (vpdq -s); omitted keeps each frame's own size. */
  size?: number;
  /** Frame size of the output: the stream's size, or size x size. Needed to keep every frame the same size. */
  width: number;
  height: number;
}

/**
 * A loopback URL made by loopback-video-url.ts for a video held in memory (a zip entry): the only input ffmpeg may
 * read over HTTP (127.0.0.1, a random path).
 */
export const LOOPBACK_VIDEO_URL = /^http:\/\/127\.0\.0\.1:\d{1,5}\/[0-9a-f]{32}\.bin$/;

/** The input part shared by ffprobe and ffmpeg: a file by absolute path, or a loopback URL over http only. */
function inputArgs(path: string): string[] {
  if (LOOPBACK_VIDEO_URL.test(path)) return ['-protocol_whitelist', 'http,tcp', '-i', path];
  return ['-protocol_whitelist', 'file', '-i', `file:${path}`];
}

/**
 * ffprobe arguments that print streams and format as JSON.
 * @example buildProbeArgs('/v/a.mp4') // ['-v', 'error', '-print_format', 'json', ..., '-i', 'file:/v/a.mp4']
 */
export function buildProbeArgs(path: string): string[] {
  return ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_streams', '-show_format', ...inputArgs(path)];
}

/**
 * The filter chain: choose frames by decoded frame number (select's n counts every frame the decoder outputs,
 * the same numbering as the reference's frame counter), then convert to RGB24 at a fixed size. An explicit scale
 * keeps every frame the size the reader expects even if the stream changes resolution midway.
 * @example buildVideoFilter({ frameModulus: 30, width: 480, height: 720 }) // "select=not(mod(n\\,30)),scale=480:720:flags=area+accurate_rnd"
 */
export function buildVideoFilter(x: Pick<FrameExtraction, 'frameModulus' | 'width' | 'height'>): string {
  const parts: string[] = [];
  if (x.frameModulus > 1) parts.push(`select=not(mod(n\\,${x.frameModulus}))`);
  parts.push(`scale=${x.width}:${x.height}:flags=${SWS_FLAGS}`);
  return parts.join(',');
}

/**
 * ffmpeg arguments that decode the chosen frames of one video stream to packed RGB24 on stdout, nothing else:
 * no audio, no subtitles, no rotation (the reference hashes frames as stored), no frame dropping or duplication.
 * @example buildFrameArgs({ path: '/v/a.mp4', streamIndex: 0, frameModulus: 30, width: 480, height: 720 }, { hasFpsMode: true })
 */
export function buildFrameArgs(x: FrameExtraction, features: FfmpegFeatures): string[] {
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    '-noautorotate', ...inputArgs(x.path),
    '-map', `0:${x.streamIndex}`, '-an', '-sn', '-dn',
    '-vf', buildVideoFilter(x),
    ...(features.hasFpsMode ? ['-fps_mode', 'passthrough'] : ['-vsync', '0']),
    '-sws_flags', SWS_FLAGS,
    '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
  ];
}

/**
 * Reads FFmpeg's version from the first line of `ffmpeg -version` and what it supports.
 * Git builds ("N-12345-g...") and unknown forms count as new.
 * @example parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright ...') // { version: '5.1.9-0+deb12u1', hasFpsMode: true }
 */
export function parseFfmpegVersion(firstLine: string): FfmpegFeatures & { version: string } {
  const m = /version\s+(\S+)/.exec(firstLine);
  const version = m?.[1] ?? 'unknown';
  const num = /^n?(\d+)\.(\d+)/.exec(version);
  const hasFpsMode = num ? Number(num[1]) > 5 || (Number(num[1]) === 5 && Number(num[2]) >= 1) : true;
  return { version, hasFpsMode };
}
