/**
 * Streams the chosen frames of a video out of ffmpeg as packed RGB24, one frame at a time, straight from its
 * stdout: nothing is written to disk and only one frame is held in memory. The next frame is not read until the
 * consumer asks for it, so a slow consumer pauses ffmpeg instead of filling memory. Stopping early kills ffmpeg.
 * On Linux ffmpeg's stdout is a local socket read straight into the frame buffer (frame-socket.ts); elsewhere a
 * pipe whose chunks are copied into it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { UnexposeError } from '../../core/errors.js';
import { buildFrameArgs, type FfmpegFeatures, type FrameExtraction } from './ffmpeg-args.js';
import { appendCapped, ffmpegPath, toolError } from './ffmpeg-tools.js';
import { openFrameSocket } from './frame-socket.js';
import { lastLine } from './probe-video.js';

export interface FrameReadSummary {
  /** Frames delivered. */
  frames: number;
  /** ffmpeg's error output (last 8 KB), for diagnosing damaged input. */
  stderr: string;
  /** True when the demuxer reported that the file ends before its data does. */
  partialFile: boolean;
  /** True when decoding was stopped by the signal (a time limit): the frames delivered are all there is. */
  stopped?: boolean;
}

/**
 * Where frames go instead of the reader's own buffer: `buffer()` at the start of each frame, `written(n)` after
 * each piece (the first n bytes of the frame are there), so that the consumer can work on rows as they arrive.
 * `buffer()` must give the same bytes every time (one frame's buffer, reused).
 */
export interface FrameSink {
  buffer(): Uint8Array;
  written(bytes: number): void;
}

/**
 * Yields each frame as a view of one reused buffer (width * height * 3 bytes; the sink's when given): use it
 * before asking for the next.
 * At the end, calls onEnd with what happened; throws an UnexposeError naming the file when ffmpeg fails.
 * @example for await (const rgb of readVideoFrames(x, features, 'a.mp4')) hasher.hash(rgb);
 */
export async function* readVideoFrames(
  x: FrameExtraction, features: FfmpegFeatures, name: string, onEnd?: (s: FrameReadSummary) => void, signal?: AbortSignal,
  sink?: FrameSink,
): AsyncGenerator<Uint8Array, void, undefined> {
  const frameBytes = x.width * x.height * 3;
  const frame = sink ? sink.buffer() : new Uint8Array(frameBytes);
  // Bytes of the current frame read so far; reads go into the rest, and reading pauses once the frame is full.
  let filled = 0;
  let wake: (() => void) | undefined;
  const socket = await openFrameSocket(
    () => frame.subarray(filled === frameBytes ? 0 : filled, frameBytes),
    (n) => {
      filled += n;
      sink?.written(filled);
      if (filled < frameBytes) return true;
      wake?.();
      return false;
    },
  );
  if (!socket) {
    yield* readFramesFromPipe(x, features, name, frameBytes, onEnd, signal, sink);
    return;
  }
  const { reader, peer } = socket;
  let readerDone = false;
  let readerError: Error | undefined;
  const readerClosed = new Promise<void>((resolve) => {
    reader.once('error', (err) => { readerError = err; });
    reader.once('close', () => { readerDone = true; wake?.(); resolve(); });
  });
  let child: ChildProcess;
  try {
    child = spawn(ffmpegPath(), buildFrameArgs(x, features), { stdio: ['ignore', peer, 'pipe'] });
  } catch (err) {
    reader.destroy();
    throw err;
  } finally {
    peer.destroy(); // ffmpeg holds its own copy; at its exit the reader sees the end
  }
  const ff = watchFfmpeg(child, signal);
  let frames = 0;
  let finished = false;
  try {
    for (;;) {
      while (filled < frameBytes && !readerDone) await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
      if (filled < frameBytes) break;
      frames++;
      yield frame;
      if (sink && !sameBytes(sink.buffer(), frame)) throw new Error('FrameSink.buffer() must give the same bytes every time');
      filled = 0;
      reader.resume();
    }
    await readerClosed;
    const end = await ff.closed;
    finished = true;
    if (readerError && end.code === 0 && !signal?.aborted) throw readerError; // else ffmpeg's own failure says more
    finishRead(end, ff, name, frames, filled, onEnd, signal);
  } finally {
    ff.detach();
    if (!finished) {
      // The consumer stopped early (a --max-seconds cap, or an error): stop decoding now.
      reader.destroy();
      child.kill('SIGKILL');
      await ff.closed;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
}

interface FfmpegEnd { code: number | null; signal: NodeJS.Signals | null; error?: Error }

/** ffmpeg's stderr (capped), its end, and the time limit's kill; detach() when done. */
function watchFfmpeg(child: ChildProcess, signal?: AbortSignal): { closed: Promise<FfmpegEnd>; stderr: () => string; detach: () => void } {
  // A time limit: kill ffmpeg even while it decodes without output (frames it skips), and end as a cut.
  const stop = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', stop, { once: true });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = appendCapped(stderr, b.toString('utf8')); });
  const closed = new Promise<FfmpegEnd>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { closed, stderr: () => stderr, detach: () => signal?.removeEventListener('abort', stop) };
}

/** What the end of ffmpeg means: throws on failure, else reports the summary. */
function finishRead(end: FfmpegEnd, ff: { stderr: () => string }, name: string, frames: number, filled: number,
  onEnd?: (s: FrameReadSummary) => void, signal?: AbortSignal): void {
  const stderr = ff.stderr();
  if (end.error) throw toolError(ffmpegPath(), end.error as NodeJS.ErrnoException);
  if (signal?.aborted) {
    onEnd?.({ frames, stderr, partialFile: false, stopped: true });
    return;
  }
  if (end.code !== 0) {
    throw new UnexposeError('decode_failed', `${name}: ffmpeg could not decode the video (${lastLine(stderr) || `exit code ${end.code ?? end.signal}`})`);
  }
  if (filled !== 0) throw new UnexposeError('truncated_input', `${name}: ffmpeg stopped in the middle of a frame`);
  onEnd?.({ frames, stderr, partialFile: /partial file/i.test(stderr) });
}

/** The same over a plain pipe (no frame socket on this platform): each chunk Node reads is copied into the frame. */
async function* readFramesFromPipe(
  x: FrameExtraction, features: FfmpegFeatures, name: string, frameBytes: number, onEnd?: (s: FrameReadSummary) => void,
  signal?: AbortSignal, sink?: FrameSink,
): AsyncGenerator<Uint8Array, void, undefined> {
  const child = spawn(ffmpegPath(), buildFrameArgs(x, features), { stdio: ['ignore', 'pipe', 'pipe'] });
  const ff = watchFfmpeg(child, signal);
  const own = sink ? undefined : new Uint8Array(frameBytes);
  let frame = own ?? sink!.buffer();
  let filled = 0;
  let frames = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - off);
        if (filled === 0 && sink) frame = sink.buffer();
        frame.set(chunk.subarray(off, off + take), filled);
        filled += take;
        off += take;
        sink?.written(filled);
        if (filled === frameBytes) {
          filled = 0;
          frames++;
          yield frame;
        }
      }
    }
    const end = await ff.closed;
    finished = true;
    finishRead(end, ff, name, frames, filled, onEnd, signal);
  } finally {
    ff.detach();
    if (!finished) {
      // The consumer stopped early (a --max-seconds cap, or an error): stop decoding now.
      child.kill('SIGKILL');
      await ff.closed;
    }
  }
}
