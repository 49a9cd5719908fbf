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
