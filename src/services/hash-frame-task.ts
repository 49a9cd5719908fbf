/**
 * One video frame to hash, as sent to a frame-hashing thread, and the handler that hashes it. Hashers (and their
 * scratch buffers) are kept per frame size, a few sizes at most, so that videos hashed side by side share a thread.
 */
import { hashPdqGrid, type PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { PdqHasher } from '../core/signals/pdq/pdq-hasher.js';

export interface FrameTask {
  width: number;
  height: number;
  /** Packed RGB24, width * height * 3 bytes. */
  rgb: Uint8Array;
}

const MAX_KEPT_SIZES = 4;
const hashers = new Map<string, PdqHasher>();

/** PDQ of one frame. */
export async function hashFrameTask(t: FrameTask): Promise<PdqResult> {
  const key = `${t.width}x${t.height}`;
  let hasher = hashers.get(key);
  if (!hasher) {
    if (hashers.size >= MAX_KEPT_SIZES) hashers.delete(hashers.keys().next().value!);
    hasher = new PdqHasher(t.width, t.height);
    hashers.set(key, hasher);
  }
  return hashPdqGrid(hasher.grid64(t.rgb, 3));
}
