/**
 * Hashes one video file: MD5 and SHA-256 of its bytes (streamed from disk) and vPDQ frame features as the
 * reference computes them — frames chosen by frame number (every trunc(frameRate / fps)-th decoded frame, or every
 * frame), converted to RGB24 by ffmpeg and hashed with PDQ at full resolution (or size x size when asked).
 * Frames come one by one through a pipe; nothing is written to disk. Runs inside a worker thread of hash-media.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UnexposeError } from '../core/errors.js';
import { frameModulus, frameTimestamp, samplingLabel, type VpdqSampling } from '../core/signals/vpdq/vpdq-sampling.js';
import type { VpdqFeature } from '../core/signals/vpdq/vpdq-feature.js';
import { digestBytes, digestFile } from '../io/crypto/file-digests.js';
import { serveVideoOnLoopback } from '../io/video/loopback-video-url.js';
import { ensureFfmpeg } from '../io/video/ffmpeg-tools.js';
import { probeVideo } from '../io/video/probe-video.js';
import { readVideoFrames, type FrameReadSummary } from '../io/video/read-video-frames.js';
import type { PdqResult } from '../core/signals/pdq/pdq-hash.js';
import type { PdqFrameStream } from '../core/signals/pdq/pdq-engine.js';
import { pdqEngine } from './pdq-engine-default.js';
import type { VideoHashResult as MediaVideoHashResult } from '../core/content/media-hash.js';
import { hashFrameTask, type FrameHash, type FrameTask } from './hash-frame-task.js';
import { turnPixels, type QuarterTurn } from '../core/picture/turn-pixels.js';
import { WorkerPool } from './worker-pool.js';

export interface VideoHashOptions {
  /** Hashes per second of video; default 1 (python-threatexchange's default). */
  fps?: number;
  /** Hash every decoded frame (vpdq-hash-video -r 0). */
  everyFrame?: boolean;
  /** Hash only the first maxSeconds of the video; the result says so when it cuts. */
  maxSeconds?: number;
  /** Downsample frames to size x size before hashing, like vpdq -s; default: full resolution. */
  size?: number;
  /** Helper threads hashing frames when frames are dense (every frame, high fps); 0 (default): hash in this thread. */
  hashThreads?: number;
  /** Wall-clock limit for one video in seconds (default MAX_VIDEO_HASH_SECONDS); past it ffmpeg is killed. */
  maxWallSeconds?: number;
}

/**
 * Pixels any video may have decoded (all decoded frames, sampled or not), however small its file: 5e8 is 8 s of
 * 1080p at 30 fps or 60 frames of a 4K canvas. Past it, and past what the file's size justifies (below), decoding
 * stops and the frames hashed so far are kept, with a note: a tiny file (a 4 KB GIF with a huge canvas and
 * hundreds of frames) cannot make a scan decode for minutes. Any real video file justifies more by its size.
 */
export const MIN_DECODED_PIXEL_BUDGET = 5e8;
/**
 * Decoded pixels a video may have per byte of file: real video codes 100-5,000 pixels in a byte (H.264 at 100
 * kbit/s for a still screen is ~5,000), so 20,000 leaves room and a long real video is never cut.
 */
export const DECODED_PIXELS_PER_FILE_BYTE = 20_000;
/** Wall-clock limit per video: past it ffmpeg is killed and the frames hashed so far are kept, with a note. */
export const MAX_VIDEO_HASH_SECONDS = 120;
/** Frames larger than this are hashed in this thread (no copies for helper threads): one 8K frame is 100 MB. */
const MAX_HELPER_FRAME_PIXELS = 3840 * 2160;

/** What hashVideoFile gives: a video's signals as `unexpose hash` prints them (without the path). */
export type VideoHashResult = Omit<MediaVideoHashResult, 'path' | 'frameRate' | 'sampling'> & { frameRate: number; sampling: string };

/**
 * Above this many hashed frames per second of video, frames are hashed in a helper thread so that this thread can
 * keep reading the pipe (ffmpeg waits while nobody reads). Sparse frames are hashed here: ffmpeg decodes the
 * skipped frames meanwhile.
 */
const DENSE_FRAMES_PER_SECOND = 3;

/** A video whose decoded frames fall this far short of the count its container records is damaged. */
const MIN_DECODED_SHARE = 0.9;

function checkOptions(opts: VideoHashOptions, name: string): void {
  const bad = (what: string) => new UnexposeError('usage', `${name}: ${what}`);
  if (opts.fps !== undefined && !(Number.isFinite(opts.fps) && opts.fps > 0)) throw bad(`fps must be a number greater than 0 (got ${opts.fps})`);
  if (opts.maxSeconds !== undefined && !(Number.isFinite(opts.maxSeconds) && opts.maxSeconds > 0)) {
    throw bad(`max seconds must be a number greater than 0 (got ${opts.maxSeconds})`);
  }
  if (opts.size !== undefined && !(Number.isInteger(opts.size) && opts.size >= 5 && opts.size <= 4096)) {
    throw bad(`video size must be a whole number from 5 to 4096 (got ${opts.size})`);
  }
}

/** Millisecond precision, as the reference's hash files print timestamps. */
function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Hashes the video at path.
 * @example await hashVideoFile('clip.mp4') // { kind: 'video', md5, sha256, durationSeconds: 20.47, vpdq: [{ frame: 0, ... }, ...] }
 * @throws UnexposeError naming the file: missing or empty file, not a video, no video stream, frame size over the
 *   limit, damaged or truncated video, ffmpeg missing or failing.
 */
export async function hashVideoFile(path: string, opts: VideoHashOptions = {}): Promise<VideoHashResult> {
  const name = path;
  checkOptions(opts, name);
  const abs = resolve(path);
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    throw new UnexposeError('not_found', `${name}: cannot read the file (${err.code ?? err.message})`);
  });
  if (!st.isFile()) throw new UnexposeError('invalid_input', `${name}: not a regular file`);
  if (st.size === 0) throw new UnexposeError('unsupported_media', `${name}: empty file (0 bytes), not a video`);
  const digests = digestFile(abs);
  digests.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  return hashVideoInput(abs, name, st.size, digests, opts);
}

/**
 * Hashes a video held in memory (an entry of a zip export) without writing it anywhere: ffprobe and ffmpeg read
 * it from a loopback-only URL with byte ranges, so an MP4 with its index at the end works too. Same result as
 * hashVideoFile on the same bytes.
 * @example await hashVideoBytes('export.zip/video_files/a.mp4', bytes) // { kind: 'video', md5, vpdq: [...] }
 */
export async function hashVideoBytes(name: string, bytes: Uint8Array, opts: VideoHashOptions = {}): Promise<VideoHashResult> {
  checkOptions(opts, name);
  if (bytes.length === 0) throw new UnexposeError('unsupported_media', `${name}: empty file (0 bytes), not a video`);
  const served = await serveVideoOnLoopback(bytes);
  try {
    return await hashVideoInput(served.url, name, bytes.length, Promise.resolve(digestBytes(bytes)), opts);
  } finally {
    await served.close();
  }
}

/** The hashing itself, on an absolute path or a loopback URL (see ffmpeg-args). */
async function hashVideoInput(abs: string, name: string, fileSize: number, digests: Promise<{ md5: string; sha256: string }>, opts: VideoHashOptions): Promise<VideoHashResult> {
  const features = await ensureFfmpeg();
  const probe = await probeVideo(abs, name);

  const sampling: VpdqSampling = { everyFrame: opts.everyFrame, fps: opts.fps, size: opts.size };
  const notes: string[] = [];
  const frameRate = probe.frameRate;
  if (!(frameRate > 0)) notes.push('the video has no frame rate: every frame was hashed and timestamps are 0');
  const mod = frameModulus(sampling, frameRate);
  const width = opts.size ?? probe.width;
  const height = opts.size ?? probe.height;
  const secondsLimit = opts.maxSeconds !== undefined && frameRate > 0 ? opts.maxSeconds * frameRate : Infinity;
  // Decoded frames the file's size justifies (see MIN_DECODED_PIXEL_BUDGET).
  const pixelBudget = Math.max(MIN_DECODED_PIXEL_BUDGET, fileSize * DECODED_PIXELS_PER_FILE_BYTE);
  const budgetFrames = Math.max(1, Math.floor(pixelBudget / (probe.width * probe.height)));
  const budgetCuts = budgetFrames < secondsLimit;
  const frameLimit = Math.min(secondsLimit, budgetFrames);

  let truncatedAt: number | undefined;
  let cutBy: 'seconds' | 'pixels' | 'time' | undefined;
  let summary: FrameReadSummary | undefined;
  const dense = (!(frameRate > 0) || frameRate / mod > DENSE_FRAMES_PER_SECOND) && width * height <= MAX_HELPER_FRAME_PIXELS;
  const inHelpers = dense && (opts.hashThreads ?? 0) > 0;
  // Hashed here: frames go from the pipe straight into the engine's buffer, and are worked on as rows arrive.
  const stream = inHelpers ? undefined : (await pdqEngine()).frames?.(width, height, 3) ?? undefined;
  const wall = new AbortController();
  const timer = setTimeout(() => wall.abort(), (opts.maxWallSeconds ?? MAX_VIDEO_HASH_SECONDS) * 1000);
  const decoded = readVideoFrames(
    {
      path: abs, streamIndex: probe.streamIndex, frameModulus: mod, width, height, ...(opts.size ? { size: opts.size } : {}),
      // Stop ffmpeg's decoding too, not only the hashing (it would decode the skipped frames up to the next sample).
      ...(budgetCuts && frameRate > 0 ? { maxInputSeconds: roundMs((budgetFrames + mod) / frameRate) } : {}),
    },
    features, name, (s) => { summary = s; }, wall.signal, stream,
  );
  const numbered = numberFrames(decoded, mod, frameLimit, () => {
    cutBy = budgetCuts ? 'pixels' : 'seconds';
    truncatedAt = budgetCuts ? (frameRate > 0 ? roundMs(budgetFrames / frameRate) : undefined) : opts.maxSeconds;
  });
  const vpdq: VpdqFeature[] = [];
  // A display rotation: the frames are also hashed as shown (a second vPDQ value); vpdq stays as stored.
  const turn = probe.displayTurn;
  const vpdqShown: VpdqFeature[] = [];
  try {
    for await (const { frame, result } of inHelpers ? hashInHelperThreads(numbered, width, height, opts.hashThreads!, turn) : hashHere(numbered, width, height, turn, stream)) {
      const timestamp = roundMs(frameTimestamp(frame, frameRate));
      vpdq.push({ frame, timestamp, pdq: result.hash, quality: result.quality });
      if (result.shown) vpdqShown.push({ frame, timestamp, pdq: result.shown.hash, quality: result.shown.quality });
      if (wall.signal.aborted) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (cutBy === undefined && budgetCuts && ((probe.frameCount ?? 0) > budgetFrames || probe.durationSeconds * frameRate > budgetFrames + mod)) {
    // ffmpeg stopped at the input time limit before the frame past the budget came out.
    cutBy = 'pixels';
    truncatedAt = frameRate > 0 ? roundMs(budgetFrames / frameRate) : undefined;
  }
  if (wall.signal.aborted && cutBy === undefined) {
    cutBy = 'time';
    const last = vpdq.at(-1);
    truncatedAt = last ? last.timestamp : 0;
  }

  if (cutBy === undefined) {
    if (summary?.partialFile) {
      throw new UnexposeError('truncated_input', `${name}: the video file is truncated (its data ends early; ${vpdq.length} frames could be read)`);
    }
    // A shortfall alone is not damage (an MP4 edit list can hide frames the header counts); with decoder errors it is.
    const expected = probe.frameCount !== undefined ? Math.ceil(probe.frameCount / mod) : undefined;
    if (expected !== undefined && vpdq.length < expected * MIN_DECODED_SHARE - 1 && summary?.stderr.trim()) {
      throw new UnexposeError('truncated_input',
        `${name}: the video is truncated or damaged (decoded ${vpdq.length} of the ${expected} sampled frames its header lists)`);
    }
  }
  if (vpdq.length === 0) {
    if (cutBy === 'time') throw new UnexposeError('too_large', `${name}: no frame could be decoded within the limit of ${opts.maxWallSeconds ?? MAX_VIDEO_HASH_SECONDS} s; ffmpeg was stopped`);
    throw new UnexposeError('decode_failed', `${name}: no video frame could be decoded`);
  }
  const total = probe.durationSeconds ? ` of ${roundMs(probe.durationSeconds)} s` : '';
  if (cutBy === 'seconds') notes.push(`only the first ${truncatedAt} s${total} were hashed (--max-seconds ${truncatedAt})`);
  if (cutBy === 'pixels') {
    notes.push(`only the first ${budgetFrames} frames${truncatedAt !== undefined ? ` (${truncatedAt} s${total})` : ''} were decoded: `
      + `${probe.width}x${probe.height} frames from a ${fileSize}-byte file are more than such a file holds (limit ${pixelBudget.toExponential(1)} decoded pixels)`);
  }
  if (cutBy === 'time') notes.push(`hashing stopped after the limit of ${opts.maxWallSeconds ?? MAX_VIDEO_HASH_SECONDS} s per video; ${vpdq.length} frames hashed`);
  const { md5, sha256 } = await digests;
  return {
    kind: 'video', md5, sha256,
    durationSeconds: roundMs(probe.durationSeconds || vpdq.length * mod / (frameRate || 1)),
    width: probe.width, height: probe.height, frameRate, sampling: samplingLabel(sampling),
    ...(truncatedAt !== undefined ? { truncatedAt } : {}),
    ...(notes.length ? { notes } : {}),
    vpdq,
    ...(turn ? { displayTurn: turn, vpdqShown } : {}),
  };
}

interface NumberedFrame { frame: number; rgb: Uint8Array }

/** Gives each delivered frame its decoded frame number; stops (and says so) at the first frame past the limit. */
async function* numberFrames(frames: AsyncIterable<Uint8Array>, mod: number, frameLimit: number, onCut: () => void): AsyncGenerator<NumberedFrame> {
  let k = 0;
  for await (const rgb of frames) {
    const frame = k++ * mod;
    if (frame >= frameLimit) {
      onCut();
      return;
    }
    yield { frame, rgb };
  }
}

/** Hashes each frame in this thread: the stream's when the frames were read into it, else a copy's. */
async function* hashHere(
  frames: AsyncIterable<NumberedFrame>, width: number, height: number, turn?: QuarterTurn, stream?: PdqFrameStream,
): AsyncGenerator<{ frame: number; result: FrameHash }> {
  const engine = await pdqEngine();
  let scratch: Uint8Array | undefined;
  for await (const { frame, rgb } of frames) {
    const result: FrameHash = stream ? stream.finish() : engine.hash({ data: rgb, width, height, channels: 3 });
    if (turn) {
      const shown = turnPixels(rgb, width, height, 3, turn, scratch);
      scratch = shown.data;
      result.shown = engine.hash({ data: shown.data, width: shown.width, height: shown.height, channels: 3 });
    }
    yield { frame, result };
  }
}

/**
 * The helper threads, kept for the life of this thread so that the JIT stays warm from one video to the next
 * (idle workers do not keep the process alive).
 */
let helpers: { pool: WorkerPool<FrameTask, FrameHash>; size: number } | undefined;

function helperPool(threads: number): WorkerPool<FrameTask, FrameHash> {
  const size = Math.max(1, Math.floor(threads));
  if (helpers?.size !== size) {
    void helpers?.pool.close();
    helpers = { pool: new WorkerPool({ workerUrl: new URL('./hash-frame-worker.js', import.meta.url), mode: 'threads', inline: hashFrameTask, size }), size };
  }
  return helpers.pool;
}

/** Hashes in helper threads while this one reads the pipe; results come back in frame order. */
async function* hashInHelperThreads(
  frames: AsyncIterable<NumberedFrame>, width: number, height: number, threads: number, turn?: QuarterTurn,
): AsyncGenerator<{ frame: number; result: FrameHash }> {
  const numbers: number[] = [];
  // The reader reuses its frame buffer, so each task gets its own copy before the next frame is read; in shared
  // memory, so that posting it to the helper thread does not copy the megabytes again.
  const copy = (rgb: Uint8Array) => {
    const shared = new Uint8Array(new SharedArrayBuffer(rgb.length));
    shared.set(rgb);
    return shared;
  };
  const results = helperPool(threads).map(frames, ({ frame, rgb }) => { numbers.push(frame); return { width, height, rgb: copy(rgb), ...(turn ? { turn } : {}) }; });
  for await (const result of results) yield { frame: numbers.shift()!, result };
}
