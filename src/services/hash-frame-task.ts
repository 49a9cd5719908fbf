/**
 * One video frame to hash, as sent to a frame-hashing thread, and the handler that hashes it. The thread's PDQ engine
 * keeps scratch buffers for the last few frame sizes, so that videos hashed side by side share a thread.
 */
import type { PdqResult } from '../core/signals/pdq/pdq-hash.js';
import { pdqEngine } from './pdq-engine-default.js';

export interface FrameTask {
  width: number;
  height: number;
  /** Packed RGB24, width * height * 3 bytes. */
  rgb: Uint8Array;
}

/** PDQ of one frame, with this thread's engine (it keeps its scratch memory between frames). */
export async function hashFrameTask(t: FrameTask): Promise<PdqResult> {
  return (await pdqEngine()).hash({ data: t.rgb, width: t.width, height: t.height, channels: 3 });
}
