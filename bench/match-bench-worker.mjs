/**
 * Worker for match-bench. mode "throughput": queries a shared multi-index (plain or sketched) for a fixed time and reports how
 * many it did. mode "brute": scans every shared hash for each of its queries and returns the exact hits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MultiIndexHashing } from '../dist/core/index/multi-index-hashing.js';
import { SketchedMultiIndex } from '../dist/core/index/sketched-multi-index.js';
import { distanceAt } from '../dist/core/index/hamming-index.js';

const d = workerData;
if (d.mode === 'brute') {
  const { words, ids, queries, from, to, radius } = d;
  const n = ids.length;
  const out = [];
  for (let q = from; q < to; q++) {
    const qw = queries.subarray(q * 8, q * 8 + 8);
    const hits = [];
    for (let s = 0; s < n; s++) {
      const dist = distanceAt(qw, words, s * 8, radius);
      if (dist <= radius) hits.push(`${ids[s]}:${dist}`);
    }
    out.push(hits);
  }
  parentPort.postMessage(out);
} else {
  const { parts, queries, radius, seconds, offset } = d;
  const index = parts.entries ? SketchedMultiIndex.fromParts(parts) : MultiIndexHashing.fromParts(parts);
  const n = queries.length / 8;
  let done = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  for (let q = offset * 97; performance.now() < end;) {
    for (let k = 0; k < 50; k++, q++) index.query(queries.subarray((q % n) * 8, (q % n) * 8 + 8), radius);
    done += 50;
  }
  parentPort.postMessage({ done, seconds: (performance.now() - t0) / 1000 });
}
