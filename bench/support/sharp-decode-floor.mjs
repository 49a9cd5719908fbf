/**
 * The floor of `unexpose hash`, run as its own process by bench/hash-bench.mjs: sharp decoding every file of a
 * folder to <= 512 px, 2 at a time (sharp.concurrency(1), as the command). Plain sharp: glibc's malloc as it starts,
 * without the thresholds that src/io/memory/malloc-threshold.ts raises. For benchmarks only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

sharp.concurrency(1);
const folder = process.argv[2];
const files = readdirSync(folder).map((n) => join(folder, n));
let next = 0;
const lane = async () => {
  while (next < files.length) await sharp(readFileSync(files[next++])).resize(512, 512, { fit: 'inside' }).raw().toBuffer();
};
await Promise.all([lane(), lane()]);
