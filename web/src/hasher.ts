/**
 * The page's side of hashing: one Web Worker for PDQ, the robust photo signals and MD5, and the video loop — a hidden video element seeked
 * once a second, each frame handed to the worker as an ImageBitmap. Cancellable with an AbortSignal.
 */
import type { WorkerReply, WorkerRequest } from './hash-worker.js';

/** Longest video hashed (frames at one a second): 3 hours. */
export const MAX_VIDEO_FRAMES = 3 * 3600;

/** A photo's signals as the server banks them: PDQ (stored pixels) and the region_dct and region_mag values (upright). */
export interface PhotoResult { pdq: string; quality: number; engine: string; ms: number; pdqMs: number; regionDct: RegionValue[]; regionMag: RegionValue[] }
export interface RegionValue { value: string; quality: number }
export interface VideoResult { vpdq: string; md5: string; frames: number; ms: number }
export class UndecodableError extends Error {}

type Done = Extract<WorkerReply, { ok: true }>;
type Ask = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Pending = { resolve: (r: Done) => void; reject: (e: Error) => void; progress?: (p: number) => void };

export class Hasher {
  private readonly worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      if ('progress' in e.data) return p.progress?.(e.data.progress);
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data as Done);
      else p.reject(e.data.error === 'undecodable' ? new UndecodableError(e.data.message) : new Error(e.data.message));
    };
  }

  private ask(req: Ask, transfer: Transferable[] = [], progress?: (p: number) => void): Promise<Done> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    });
  }

  async photo(file: File): Promise<PhotoResult> {
    const r = await this.ask({ kind: 'photo', file });
    return { pdq: r.pdq!, quality: r.quality!, engine: r.engine ?? 'js', ms: r.ms, pdqMs: r.pdqMs ?? r.ms, regionDct: r.regionDct ?? [], regionMag: r.regionMag ?? [] };
  }

  /** vPDQ at one frame a second and MD5 of the bytes; progress from 0 to 1. */
  async video(file: File, onProgress: (p: number) => void, signal: AbortSignal): Promise<VideoResult> {
    const t0 = performance.now();
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    video.src = url;
    try {
      await new Promise<void>((resolve, reject) => {
        video.onloadedmetadata = () => resolve();
        video.onerror = () => reject(new UndecodableError('this browser cannot play this video'));
      });
      const seconds = Math.min(MAX_VIDEO_FRAMES, Math.max(1, Math.floor(video.duration)));
      const frames: { pdq: string; quality: number; timestamp: number }[] = [];
      let md5Part = 0;
      const md5 = this.ask({ kind: 'md5', file }, [], (p) => { md5Part = p; });
      for (let s = 0; s < seconds; s++) {
        if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
        await new Promise<void>((resolve, reject) => {
          video.onseeked = () => resolve();
          video.onerror = () => reject(new UndecodableError('this browser cannot read this video'));
          video.currentTime = Math.min(s, Math.max(0, video.duration - 0.001));
        });
        if (video.videoWidth === 0) throw new UndecodableError('this video has no picture this browser can read');
        const bitmap = await createImageBitmap(video);
        const r = await this.ask({ kind: 'frame', bitmap }, [bitmap]);
        frames.push({ pdq: r.pdq!, quality: r.quality!, timestamp: s });
        onProgress(0.9 * ((s + 1) / seconds) + 0.1 * md5Part);
      }
      const m = await md5;
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
      onProgress(1);
      return { vpdq: JSON.stringify(frames), md5: m.md5!, frames: frames.length, ms: performance.now() - t0 };
    } finally {
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
    }
  }
}
