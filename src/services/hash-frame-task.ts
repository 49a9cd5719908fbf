/**
 * One video frame to hash, as sent to a frame-hashing thread, and the handler that hashes it. The hasher (and its
 * scratch buffers) is kept between frames of the same size.
 */
import type { PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { RgbFrameHasher } from '../core/signals/vpdq/rgb-frame-hasher.js';

export interface FrameTask {
  width: number;
  height: number;
  /** Packed RGB24, width * height * 3 bytes. */
  rgb: Uint8Array;
}

let hasher: RgbFrameHasher | undefined;

/** PDQ of one frame. */
export async function hashFrameTask(t: FrameTask): Promise<PdqResult> {
  if (!hasher || hasher.width !== t.width || hasher.height !== t.height) hasher = new RgbFrameHasher(t.width, t.height);
  return hasher.hash(t.rgb);
}
