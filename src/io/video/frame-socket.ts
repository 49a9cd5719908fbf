/**
 * A local stream socket between ffmpeg's stdout and this process, read straight into the caller's frame buffer.
 * A plain stdout pipe hands Node a freshly allocated 64 KB chunk for every read (about 17 a 480x720 frame; page
 * faults and zeroing included), which the reader then copies into the frame: on a video hashed at every frame
 * that cost as much CPU as PDQ itself. Here every read lands in the bytes the frame still lacks (Node's `onread`
 * with a buffer of our choosing), so nothing is allocated or copied, and a read never crosses a frame boundary.
 * Linux only: the socket lives in the abstract namespace (no file anywhere) under a random 128-bit name, and the
 * listener closes after its one connection. Elsewhere openFrameSocket gives undefined and the caller uses a pipe.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';

export interface FrameSocket {
  /** The end to give ffmpeg as its stdout (spawn's stdio[1]); destroy it here once the child is spawned. */
  peer: Socket;
  /** This process's end; reads go into `buffer()` and are reported to `onRead` (see openFrameSocket). */
  reader: Socket;
}

/** True where openFrameSocket works (the abstract socket namespace is Linux's). */
export const frameSocketSupported = process.platform === 'linux';

/**
 * Opens a connected socket pair. After each read, `onRead(n)` says n bytes more were written into the buffer that
 * `buffer()` gave (returning false pauses reading until `reader.resume()`); then `buffer()` is asked where the next
 * read goes — it must return a non-empty Uint8Array.
 * @example const s = await openFrameSocket(() => frame.subarray(filled), (n) => { filled += n; return true; });
 */
export async function openFrameSocket(buffer: () => Uint8Array, onRead: (bytes: number) => boolean): Promise<FrameSocket | undefined> {
  if (!frameSocketSupported) return undefined;
  const path = `\0unexpose-frames-${randomBytes(16).toString('hex')}`;
  const server = createServer({ pauseOnConnect: true });
  try {
    const accepted = new Promise<Socket>((resolve, reject) => {
      server.once('connection', resolve);
      server.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    const reader = connect({ path, onread: { buffer, callback: (n: number) => onRead(n) } });
    const connected = new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve);
      reader.once('error', reject);
    });
    const [peer] = await Promise.all([accepted, connected]);
    return { peer, reader };
  } finally {
    server.close();
  }
}
