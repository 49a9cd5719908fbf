/**
 * Serves a video already in memory (an entry of a zip export, bounded by the zip limits) to ffprobe and ffmpeg
 * without writing it to disk: an HTTP server on 127.0.0.1 only, on a port the system picks, answering only GET
 * and HEAD on one random path, with byte ranges — an MP4 whose index (moov) sits at the end needs seeking, which a
 * pipe cannot give. Closed as soon as the video is hashed. Nothing is logged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackVideo {
  /** http://127.0.0.1:<port>/<random>: give it to ffprobe/ffmpeg as the input. */
  url: string;
  close(): Promise<void>;
}


/** Parses "bytes=a-b", "bytes=a-" or "bytes=-n" against a size; null when it is not one satisfiable range. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

/**
 * Serves the bytes at a random loopback URL until close().
 * @example const v = await serveVideoOnLoopback(bytes); try { await probe(v.url) } finally { await v.close() }
 */
export async function serveVideoOnLoopback(bytes: Uint8Array): Promise<LoopbackVideo> {
  const path = `/${randomBytes(16).toString('hex')}.bin`;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
    const range = req.headers.range ? parseRange(req.headers.range, body.length) : undefined;
    if (range === null) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: body.length - 1 };
    res.writeHead(range ? 206 : 200, {
      ...headers, 'content-length': String(end - start + 1), ...(range ? { 'content-range': `bytes ${start}-${end}/${body.length}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
