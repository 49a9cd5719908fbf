/**
 * One video frame to hash, as sent to a frame-hashing thread, and the handler that hashes it. The thread's PDQ engine
 * keeps scratch buffers between frames (and for a few sizes), so that videos hashed side by side share a thread.
 */
import type { PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { pdqEngine } from './pdq-engine-default.js';
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

/**
 * PDQ of one frame as stored (the reference's), and as shown when `turn` is given.
 * @example await hashFrameTask({ width: 320, height: 240, rgb, turn: 90 }) // { hash, quality, shown: { hash, quality } }
 */
export async function hashFrameTask(t: FrameTask): Promise<FrameHash> {
  const engine = await pdqEngine(); // this thread's; it keeps scratch memory between frames
  const stored = engine.hash({ data: t.rgb, width: t.width, height: t.height, channels: 3 });
  if (!t.turn) return stored;
  const shown = turnPixels(t.rgb, t.width, t.height, 3, t.turn);
  return { ...stored, shown: engine.hash({ data: shown.data, width: shown.width, height: shown.height, channels: 3 }) };
}
