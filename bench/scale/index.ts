/**
 * npm run bench:scale — issue 14's figures, section by section: each file of this folder named in SECTIONS is
 * imported in turn if it is there and runs its part (its `run(argv)` prints its own table). `scans` is the scan
 * half (worker processes over PostgreSQL); `lookups` (matcher replicas) is added by its own change.
 * Usage: npm run bench:scale [-- --only scans] [section flags, see each section]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SECTIONS = ['scans', 'lookups'];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : SECTIONS;
for (const name of SECTIONS.filter((s) => only.includes(s))) {
  const file = join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench:scale: no ${name} section (bench/scale/${name}.ts) on this branch: skipped`);
    continue;
  }
  console.log(`\n## ${name}\n`);
  const section = (await import(file)) as { run(argv: string[]): Promise<void> };
  await section.run(process.argv.slice(2));
}
