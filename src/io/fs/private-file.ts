/**
 * Files only their owner can read (0600): the database and its -wal/-shm, reports, JSON summaries. They hold
 * hashes and figures about people; on a shared machine others must not read them.
 */
import { chmod, open } from 'node:fs/promises';
import { closeSync, constants, openSync, statSync } from 'node:fs';

export const PRIVATE_MODE = 0o600;

/**
 * Writes the file with mode 0600, also when it existed before with wider permissions.
 * @example await writePrivateFile('report.html', html)
 */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, PRIVATE_MODE);
  try {
    if (process.platform !== 'win32') await fh.chmod(PRIVATE_MODE);
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}

/** Creates an empty file 0600 when it does not exist yet (SQLite then creates -wal/-shm with the same mode). */
export function createPrivateFileSync(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Narrows the files that exist among these to 0600 when they are ours and wider (a database made before). */
export async function tightenModes(paths: string[]): Promise<void> {
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  for (const p of paths) {
    let s;
    try {
      s = statSync(p);
    } catch {
      continue;
    }
    if ((s.mode & 0o077) !== 0 && (uid === undefined || s.uid === uid)) await chmod(p, PRIVATE_MODE).catch(() => undefined);
  }
}
