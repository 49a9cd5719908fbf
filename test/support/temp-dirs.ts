/** Temporary folders for one test file, all removed after its tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Call once at the top of a test file; returns a function that makes a fresh temporary folder. */
export function useTempDirs(): (prefix: string) => Promise<string> {
  const temps: string[] = [];
  afterAll(async () => {
    for (const d of temps) await rm(d, { recursive: true, force: true });
  });
  return async (prefix) => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    temps.push(d);
    return d;
  };
}
