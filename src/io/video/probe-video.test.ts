import { describe, expect, it } from 'vitest';
import { UnexposeError } from '../../core/errors.js';
import { lastLine, parseProbeJson, parseRate } from './probe-video.js';

function probe(streams: object[], format: object = { duration: '20.466667', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' }): string {
  return JSON.stringify({ streams, format });
}

const video = { index: 0, codec_type: 'video', codec_name: 'h264', width: 480, height: 720, avg_frame_rate: '30/1', r_frame_rate: '30/1', nb_frames: '614' };

describe('reading ffprobe output', () => {
  it('takes size, frame rate, duration and frame count of the first video stream', () => {
    expect(parseProbeJson(probe([video, { index: 1, codec_type: 'audio' }]), 'a.mp4')).toEqual({
      streamIndex: 0, codec: 'h264', width: 480, height: 720, frameRate: 30, durationSeconds: 20.466667, frameCount: 614,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
  });

  it('uses avg_frame_rate, else r_frame_rate, as the reference does', () => {
    expect(parseProbeJson(probe([{ ...video, avg_frame_rate: '30000/1001' }]), 'a').frameRate).toBeCloseTo(29.97, 2);
    expect(parseProbeJson(probe([{ ...video, avg_frame_rate: '0/0', r_frame_rate: '25/1' }]), 'a').frameRate).toBe(25);
    expect(parseRate('0/0')).toBe(0);
    expect(parseRate(undefined)).toBe(0);
  });

  it('skips cover art and says so when there is no real video stream', () => {
    const cover = { ...video, index: 1, disposition: { attached_pic: 1 } };
    expect(() => parseProbeJson(probe([{ index: 0, codec_type: 'audio' }, cover]), 'song.m4a'))
      .toThrow(/song\.m4a: no video stream in the file \(it has audio, video\)/);
    expect(parseProbeJson(probe([cover, { ...video, index: 2 }]), 'a').streamIndex).toBe(2);
  });

  it('refuses a 20000x20000 frame before decoding', () => {
    let err: unknown;
    try { parseProbeJson(probe([{ ...video, width: 20000, height: 20000 }]), 'bomb.mkv'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UnexposeError);
    expect((err as UnexposeError).code).toBe('decompression_bomb');
    expect((err as Error).message).toMatch(/bomb\.mkv: frame size 20000x20000 is over the limit/);
    expect(() => parseProbeJson(probe([{ ...video, width: 3840, height: 2160 }]), '4k.mp4')).not.toThrow();
  });

  it('says when ffprobe printed nothing usable', () => {
    expect(() => parseProbeJson('', 'x.mp4')).toThrow(/x\.mp4: ffprobe gave no readable description/);
    expect(() => parseProbeJson(probe([{ ...video, width: 0 }]), "x.mp4", "[rawvideo @ 0x5] width is not set\n")).toThrow(/x\.mp4: the video stream has no usable frame size \(ffprobe: width is not set\)/);
  });

  it("keeps the last error line of a tool without ffmpeg's context prefix", () => {
    expect(lastLine('[mov,mp4 @ 0x55f9] moov atom not found\nfile:/tmp/x.mp4: Invalid data found when processing input\n'))
      .toBe('Invalid data found when processing input');
  });
});
