import { openSync, readSync } from 'node:fs';
import { buildHammingIndex } from './src/core/index/index-spec.js';
import { substring } from './src/core/index/multi-index-tables.js';
import { regionMagSignal } from './src/core/signals/region_mag/region-mag-signal.js';
import { regionDctSignal } from './src/core/signals/region_dct/region-dct-signal.js';
import { permuteWords } from './src/core/index/bit-order.js';
const sig = process.argv[2] === 'dct' ? regionDctSignal : regionMagSignal;
const n = Number(process.argv[3]); const nq = Number(process.argv[4]); const file = process.argv[5];
const words = new Uint32Array(n * 8); const queries = new Uint32Array(nq * 8);
const fd = openSync(file, 'r');
const b = new Uint8Array(words.buffer); for (let o = 0; o < b.length; o += 1 << 30) readSync(fd, b, o, Math.min(1 << 30, b.length - o), o);
readSync(fd, new Uint8Array(queries.buffer), 0, queries.byteLength, words.byteLength);
const ids = new Uint32Array(n).map((_, i) => i + 1);
const index = buildHammingIndex(sig.hammingIndex, ids, words) as any;
const m = index.m; const sum = new Float64Array(m);
const q = new Uint32Array(8);
for (let i = 0; i < nq; i++) {
  if (sig.hammingIndex?.bitOrder) permuteWords(queries.subarray(i * 8, i * 8 + 8), sig.hammingIndex.bitOrder, q); else q.set(queries.subarray(i * 8, i * 8 + 8));
  for (let t = 0; t < m; t++) { const k = substring(q, 0, index.starts[t], index.lens[t]); const off = index.parts.offsets[t]; sum[t] += off[k + 1] - off[k]; }
}
console.log(process.argv[2], 'm', m, 'lens', index.lens.join(','), 'mean bucket per table:', [...sum].map((s) => (s / nq).toFixed(0)).join(' '));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const cold: number[] = [], warm: number[] = [];
for (let i = 0; i < 200; i++) index.query(queries.subarray(i * 8, i * 8 + 8), 32);
for (let r = 0; r < 2; r++) for (let i = 0; i < nq; i++) {
  const v = queries.subarray(i * 8, i * 8 + 8);
  let t = cpu(); index.query(v, 32); cold.push(cpu() - t);
  t = cpu(); index.query(v, 32); warm.push(cpu() - t);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(4);
const mean = (a: number[]) => (a.reduce((x, y) => x + y, 0) / a.length).toFixed(4);
console.log(`per value: cold p50 ${med(cold)} mean ${mean(cold)} ms; same value again (cached) p50 ${med(warm)} mean ${mean(warm)} ms`);
