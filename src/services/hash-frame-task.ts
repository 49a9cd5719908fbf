/**
 * One video frame to hash, as sent to a frame-hashing thread, and the handler that hashes it. Hashers (and their
 * scratch buffers) are kept per frame size, a few sizes at most, so that videos hashed side by side share a thread.
 */
import { hashPdqGrid, type PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { PdqHasher } from '../core/signals/pdq/pdq-hasher.js';
import { turnPixels, type QuarterTurn } from '../core/picture/turn-pixels.js';

export interface FrameTask {
  width: number;
  height: number;
  /** Packed RGB24, width * height * 3 bytes. */
  rgb: Uint8Array;
  /** Also hash the frame turned clockwise by this much (the video's display rotation). */
  turn?: QuarterTurn;
}

/** A frame's PDQ as stored, and as shown when the task asked for a turn. */
export interface FrameHash extends PdqResult {
  shown?: PdqResult;
}

const MAX_KEPT_SIZES = 4;
const hashers = new Map<string, PdqHasher>();

function hasherFor(width: number, height: number): PdqHasher {
  const key = `${width}x${height}`;
  let hasher = hashers.get(key);
  if (!hasher) {
    if (hashers.size >= MAX_KEPT_SIZES) hashers.delete(hashers.keys().next().value!);
    hasher = new PdqHasher(width, height);
    hashers.set(key, hasher);
  }
  return hasher;
}

/**
 * PDQ of one frame as stored (the reference's), and as shown when `turn` is given.
 * @example await hashFrameTask({ width: 320, height: 240, rgb, turn: 90 }) // { hash, quality, shown: { hash, quality } }
 */
export async function hashFrameTask(t: FrameTask): Promise<FrameHash> {
  const stored = hashPdqGrid(hasherFor(t.width, t.height).grid64(t.rgb, 3));
  if (!t.turn) return stored;
  const shown = turnPixels(t.rgb, t.width, t.height, 3, t.turn);
  return { ...stored, shown: hashPdqGrid(hasherFor(shown.width, shown.height).grid64(shown.data, 3)) };
}
