import { describe, expect, it } from 'vitest';
import { frameModulus, frameTimestamp, samplingLabel } from './vpdq-sampling.js';

describe('vPDQ frame sampling', () => {
  it('hashes every trunc(frameRate / fps)-th frame, as the reference does', () => {
    expect(frameModulus({}, 30)).toBe(30);
    expect(frameModulus({ fps: 1 }, 30000 / 1001)).toBe(29);
    expect(frameModulus({ fps: 2 }, 25)).toBe(12);
    expect(frameModulus({ fps: 0.5 }, 30)).toBe(60);
  });

  it('never goes below every frame', () => {
    expect(frameModulus({ everyFrame: true }, 30)).toBe(1);
    expect(frameModulus({ fps: 60 }, 30)).toBe(1);
    expect(frameModulus({ fps: 1 }, 0)).toBe(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => frameModulus({ fps: 0 }, 30)).toThrow(/greater than 0/);
  });

  it('timestamps frames at frame / frameRate', () => {
    expect(frameTimestamp(45, 30)).toBe(1.5);
    expect(frameTimestamp(10, 0)).toBe(0);
  });

  it('says how frames were sampled and at what size', () => {
    expect(samplingLabel({})).toBe('1 fps, full resolution');
    expect(samplingLabel({ everyFrame: true, size: 128 })).toBe('every frame, downsampled to 128x128');
    expect(samplingLabel({ fps: 5 })).toBe('5 fps, full resolution');
  });
});
