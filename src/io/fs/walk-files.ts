/**
 * Lists the files under the paths a user gave: files as they are, folders recursively in name order.
 * Symbolic links inside folders are not followed (a link could lead anywhere); paths that do not exist are
 * reported as items with an error, so that the caller prints them and goes on.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type WalkItem = { path: string; error?: undefined } | { path: string; error: string };

/** Yields every regular file under the given paths, depth first, sorted by name. */
export async function* walkFiles(paths: string[]): AsyncGenerator<WalkItem> {
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      yield { path: p, error: 'no such file or folder' };
      continue;
    }
    if (s.isDirectory()) yield* walkDir(p);
    else if (s.isFile()) yield { path: p };
    else yield { path: p, error: 'not a regular file' };
  }
}

async function* walkDir(dir: string): AsyncGenerator<WalkItem> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    yield { path: dir, error: `cannot read folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    const s = await lstat(p).catch(() => null);
    if (!s) continue;
    if (s.isDirectory()) yield* walkDir(p);
    else if (s.isFile()) yield { path: p };
  }
}

/** Counts what walkFiles would yield, for a progress bar's total. */
export async function countFiles(paths: string[]): Promise<number> {
  let n = 0;
  for await (const _ of walkFiles(paths)) n++;
  return n;
}
