import { describe, expect, it } from 'vitest';
import { buildFrameArgs, buildProbeArgs, buildVideoFilter, parseFfmpegVersion } from './ffmpeg-args.js';

const x = { path: '/v/-i clip.mp4', streamIndex: 2, frameModulus: 30, width: 480, height: 720 };

describe('ffmpeg and ffprobe command lines', () => {
  it('passes the input as a file: URL with only the file protocol allowed', () => {
    for (const args of [buildProbeArgs(x.path), buildFrameArgs(x, { hasFpsMode: true })]) {
      const i = args.indexOf('-i');
      expect(args[i + 1]).toBe('file:/v/-i clip.mp4');
      expect(args.slice(args.indexOf('-protocol_whitelist'), args.indexOf('-protocol_whitelist') + 2)).toEqual(['-protocol_whitelist', 'file']);
    }
  });

  it('selects frames by decoded frame number and converts them to RGB24 with area + accurate rounding', () => {
    const args = buildFrameArgs(x, { hasFpsMode: true });
    expect(args[args.indexOf('-vf') + 1]).toBe('select=not(mod(n\\,30)),scale=480:720:flags=area+accurate_rnd');
    expect(args).toEqual(expect.arrayContaining(['-map', '0:2', '-an', '-noautorotate', '-sws_flags', 'area+accurate_rnd']));
    expect(args.slice(-5)).toEqual(['-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1']);
  });

  it('decodes every frame without a select filter, and never drops or duplicates frames', () => {
    expect(buildVideoFilter({ frameModulus: 1, width: 128, height: 128 })).toBe('scale=128:128:flags=area+accurate_rnd');
    expect(buildFrameArgs({ ...x, frameModulus: 1 }, { hasFpsMode: true })).toEqual(expect.arrayContaining(['-fps_mode', 'passthrough']));
    const old = buildFrameArgs({ ...x, frameModulus: 1 }, { hasFpsMode: false });
    expect(old).toEqual(expect.arrayContaining(['-vsync', '0']));
    expect(old).not.toContain('-fps_mode');
  });

  it('reads the FFmpeg version and whether it has -fps_mode (5.1 and later)', () => {
    expect(parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026')).toEqual({ version: '5.1.9-0+deb12u1', hasFpsMode: true });
    expect(parseFfmpegVersion('ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright').hasFpsMode).toBe(false);
    expect(parseFfmpegVersion('ffmpeg version n7.1 Copyright').hasFpsMode).toBe(true);
    expect(parseFfmpegVersion('ffmpeg version N-113000-g1234 Copyright').hasFpsMode).toBe(true);
  });
});
