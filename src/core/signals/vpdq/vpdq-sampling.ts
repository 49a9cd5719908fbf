/**
 * Which video frames vPDQ hashes, as the reference does it: every decoded frame gets a 0-based number in output
 * order; frame n is hashed iff n % trunc(secondsPerHash * frameRate) == 0 (at least 1); its timestamp is
 * n / frameRate. At 30 fps and 1 hash per second that is frames 0, 30, 60, ...; at 29.97 fps every 29th frame.
 */

/** python-threatexchange's default: one hash per second of video. */
export const DEFAULT_SECONDS_PER_HASH = 1;

export interface VpdqSampling {
  /** Hash every frame (vpdq-hash-video -r 0), ignoring fps. */
  everyFrame?: boolean;
  /** Hashes per second of video (default 1). */
  fps?: number;
  /** Downsample frames to size x size before hashing (vpdq -s); default full resolution. */
  size?: number;
}

/**
 * The frame-number modulus for a sampling rule: 1 hashes every frame.
 * @example frameModulus({ fps: 1 }, 30) // 30
 */
export function frameModulus(sampling: VpdqSampling, frameRate: number): number {
  if (sampling.everyFrame) return 1;
  const fps = sampling.fps ?? 1 / DEFAULT_SECONDS_PER_HASH;
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`fps must be a number greater than 0, got ${fps}`);
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) return 1;
  return Math.max(1, Math.trunc((1 / fps) * frameRate));
}

/**
 * The timestamp in seconds of frame number n, as the reference computes it (n / frameRate).
 * @example frameTimestamp(45, 30) // 1.5
 */
export function frameTimestamp(frame: number, frameRate: number): number {
  return frameRate > 0 ? frame / frameRate : 0;
}

/**
 * Words for the output that say how frames were chosen and at what size.
 * @example samplingLabel({ fps: 1 }) // '1 fps, full resolution'
 */
export function samplingLabel(sampling: VpdqSampling): string {
  const rate = sampling.everyFrame ? 'every frame' : `${sampling.fps ?? 1 / DEFAULT_SECONDS_PER_HASH} fps`;
  const size = sampling.size ? `downsampled to ${sampling.size}x${sampling.size}` : 'full resolution';
  return `${rate}, ${size}`;
}
