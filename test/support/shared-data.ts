/**
 * Where the read-only reference data lives (../shared beside the repo), and whether it is here.
 * A newcomer's clone has no ../shared: tests that need it skip with a message saying so; CI always has it.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const hasShared = existsSync(resolve(sharedDir, 'conformance'));
export const pdqConformanceDir = resolve(sharedDir, 'conformance/pdq');

/** Absolute path of a file under ../shared/conformance/pdq. */
export function pdqFile(rel: string): string {
  return resolve(pdqConformanceDir, rel);
}

/** Warns once per test file that the reference cases are skipped, and why. */
export function warnIfNoShared(what: string): void {
  if (!hasShared) console.warn(`skipping ${what}: ../shared/conformance is absent (a fresh clone has no ../shared; CI has it)`);
}

/** Reads a CSV with a header line into objects (no quoted commas in the reference CSVs). */
export function parseSimpleCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const keys = header.split(',');
  return rows.filter((r) => r.trim()).map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}
