/** Worker for match-bench: queries a shared MultiIndexHashing for a fixed time and reports how many it did. */
import { parentPort, workerData } from 'node:worker_threads';
import { MultiIndexHashing } from '../dist/core/index/multi-index-hashing.js';

const { parts, queries, radius, seconds, offset } = workerData;
const index = MultiIndexHashing.fromParts(parts);
const n = queries.length / 8;
let done = 0;
const t0 = performance.now();
const end = t0 + seconds * 1000;
for (let q = offset * 97; performance.now() < end; q++) {
  for (let k = 0; k < 50; k++, q++) index.query(queries.subarray((q % n) * 8, (q % n) * 8 + 8), radius);
  done += 50;
}
parentPort.postMessage({ done, seconds: (performance.now() - t0) / 1000 });
