/**
 * bench:robust helper: the CPU time of one region_dct lookup in a multi-index of BENCH_ROBUST_VALUES (default
 * 30,000,000 = 10M pictures x 3 values) uniform random values, at several radii (BENCH_ROBUST_RADII, default
 * "21,24,28,32"), one core. Run: node --expose-gc --max-old-space-size=8000 --import tsx bench/robust/lookup-radius.ts
 */
import { loadavg } from 'node:os';
import { MultiIndexHashing } from '../../src/core/index/multi-index-hashing.js';

const N = Number(process.env.BENCH_ROBUST_VALUES ?? 30_000_000);
const RADII = (process.env.BENCH_ROBUST_RADII ?? '21,24,28,32').split(',').map(Number);
const QUERIES = 2000;
let x = 0x1234567;
const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
const words = new Uint32Array(N * 8);
for (let i = 0; i < words.length; i++) words[i] = rnd();
const t0 = performance.now();
const index = MultiIndexHashing.build(Uint32Array.from({ length: N }, (_, i) => i + 1), words);
console.log(`${N.toLocaleString('en')} values built in ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const q = new Uint32Array(8);
for (const r of RADII) {
  const times: number[] = [];
  for (let k = 0; k < QUERIES; k++) {
    for (let j = 0; j < 8; j++) q[j] = rnd();
    const s = cpu();
    index.query(q, r);
    times.push(cpu() - s);
  }
  times.sort((a, b) => a - b);
  console.log(`radius ${r}: p50 ${times[QUERIES >> 1].toFixed(3)} ms, p99 ${times[Math.floor(QUERIES * 0.99)].toFixed(3)} ms CPU per lookup`);
}
