/**
 * MD5 and SHA-256 of bytes or of a file streamed from disk (a large video is never held in memory for this).
 * MD5 is what StopNCII exchanges for video; SHA-256 identifies the exact file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigests {
  md5: string;
  sha256: string;
}

/** Digests of bytes already in memory. */
export function digestBytes(bytes: Uint8Array): FileDigests {
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Digests of a file, read as a stream. */
export async function digestFile(path: string): Promise<FileDigests> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    md5.update(chunk as Buffer);
    sha256.update(chunk as Buffer);
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}

/** Digests of a stream of bytes (a zip entry, a socket), read once. */
export async function digestStream(stream: AsyncIterable<Uint8Array | string>): Promise<FileDigests> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  for await (const chunk of stream) {
    md5.update(chunk);
    sha256.update(chunk);
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}

/** SHA-256 (hex) of bytes or text (UTF-8). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
