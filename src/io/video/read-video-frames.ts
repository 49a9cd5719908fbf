/**
 * Streams the chosen frames of a video out of ffmpeg as packed RGB24, one frame at a time, straight from the pipe:
 * nothing is written to disk and only one frame is held in memory. The next frame is not read until the consumer
 * asks for it, so a slow consumer pauses ffmpeg instead of filling memory. Stopping early kills ffmpeg.
 */
import { spawn } from 'node:child_process';
import { UnexposeError } from '../../core/errors.js';
import { buildFrameArgs, type FfmpegFeatures, type FrameExtraction } from './ffmpeg-args.js';
import { appendCapped, ffmpegPath, toolError } from './ffmpeg-tools.js';
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
  const child = spawn(ffmpegPath(), buildFrameArgs(x, features), { stdio: ['ignore', 'pipe', 'pipe'] });
  // A time limit: kill ffmpeg even while it decodes without output (frames it skips), and end as a cut.
  const stop = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', stop, { once: true });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr = appendCapped(stderr, b.toString('utf8')); });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const own = sink ? undefined : new Uint8Array(frameBytes);
  let frame = own ?? sink!.buffer();
  let filled = 0;
  let frames = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
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
    const end = await closed;
    finished = true;
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
  } finally {
    signal?.removeEventListener('abort', stop);
    if (!finished) {
      // The consumer stopped early (a --max-seconds cap, or an error): stop decoding now.
      child.kill('SIGKILL');
      await closed;
    }
  }
}
