/** The first bytes of a file (fewer when it is shorter), for telling media kinds apart by their bytes. */
import { open } from 'node:fs/promises';

/** Reads up to n bytes from the start of the file. */
export async function readFileHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Opens the file once, reads its first n bytes and, when `wantAll(head)` says so, the whole file from the same
 * handle (a photo: decoded and digested from that one buffer). `bytes` is absent when not wanted.
 */
export async function readHeadThenAll(path: string, n: number, wantAll: (head: Uint8Array) => boolean): Promise<{ head: Uint8Array; bytes?: Uint8Array }> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    const head = buf.subarray(0, bytesRead);
    if (!wantAll(head)) return { head };
    const { size } = await fh.stat();
    const bytes = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const { bytesRead: r } = await fh.read(bytes, got, size - got, got);
      if (r === 0) break;
      got += r;
    }
    return { head, bytes: got === size ? bytes : bytes.subarray(0, got) };
  } finally {
    await fh.close();
  }
}
