/**
 * node --import tsx bench/robust/dct-model-check.ts — how close the lookup bench's region_dct generators are to real
 * values: real regions (held out: another seed than the model's), the Gaussian model (dct-model.ts) with several
 * component counts, and the old moment-matched blends (region-pool.ts syntheticValues). Per set: bit bias (median and
 * max |P(1) - 0.5| over the 256 bits), and over all pairs of unrelated values (real: regions of different photos or
 * scenes; generated: any two) the share within 32/40/48 bits, mean distance, nearest pair, and the nearest of the
 * first 100,000 pairs. Generation speed per value. Env: BENCH_CHECK_PER_PHOTO (400), BENCH_CHECK_SCENES (150),
 * BENCH_CHECK_COMPONENTS ("63,32,16").
 */
import { loadavg } from 'node:os';
import { popcount } from '../../src/core/index/hamming-index.js';
import { dctModel } from './dct-model.js';
import { poolWords, realPool, syntheticValues, xorshift } from './region-pool.js';

const PER_PHOTO = Number(process.env.BENCH_CHECK_PER_PHOTO ?? 400);
const SCENES = Number(process.env.BENCH_CHECK_SCENES ?? 150);
const COMPONENTS = (process.env.BENCH_CHECK_COMPONENTS ?? '63,32,16').split(',').map(Number);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function report(name: string, w: Uint32Array, n: number, source?: Int32Array): void {
  const ones = new Float64Array(256);
  for (let i = 0; i < n; i++) for (let k = 0; k < 256; k++) if ((w[i * 8 + (k >>> 5)] >>> (k & 31)) & 1) ones[k]++;
  const bias = Array.from(ones, (c) => Math.abs(c / n - 0.5)).sort((a, b) => a - b);
  const close: string[] = [];
  let pairs = 0, in32 = 0, in40 = 0, in48 = 0, sum = 0, nearest = 256, nearest100k = 256;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (source && source[i] === source[j]) continue;
      let d = 0;
      for (let k = 0; k < 8; k++) d += popcount(w[i * 8 + k] ^ w[j * 8 + k]);
      pairs++;
      sum += d;
      if (d <= 48) { in48++; if (d <= 40) { in40++; if (d <= 32) { in32++; if (source) close.push(`${source[i]}/${source[j]}:${d}`); } } }
      if (d < nearest) nearest = d;
      if (pairs <= 100_000 && d < nearest100k) nearest100k = d;
    }
  }
  const e = (x: number) => (x / pairs).toExponential(1);
  console.log(`${name}: ${n} values, bias median ${bias[128].toFixed(3)} max ${bias[255].toFixed(3)}; ${pairs.toLocaleString('en')} unrelated pairs:`
    + ` within 32 ${e(in32)} (${in32}), 40 ${e(in40)} (${in40}), 48 ${e(in48)} (${in48}); mean ${(sum / pairs).toFixed(1)};`
    + ` nearest ${nearest}, nearest of the first 100k ${nearest100k}${close.length ? `; within 32 (sources: photos 0-9, scenes 1000+): ${close.join(' ')}` : ''}`);
}

const real = await realPool(PER_PHOTO, SCENES, 11);
const source = new Int32Array(real.count);
for (let i = 0; i < real.count; i++) source[i] = i < real.photos * PER_PHOTO ? Math.floor(i / PER_PHOTO) : 1000 + Math.floor((i - real.photos * PER_PHOTO) / 20);
const n = real.count;
console.log(`held-out real regions: ${n} (${real.photos} photos x ${PER_PHOTO} + ${SCENES} scenes x 20); load ${load()}`);
report('real', poolWords(real), n, source);

for (const c of COMPONENTS) {
  const model = await dctModel(400, 150, c);
  const w = new Uint32Array(n * 8);
  const rnd = xorshift(99);
  const timed = new Uint32Array(100_000 * 8);
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100_000; i++) model.sample(rnd, timed, i);
  const u = process.cpuUsage(c0);
  for (let i = 0; i < n; i++) model.sample(rnd, w, i);
  report(`model ${c} components (${(model.explained * 100).toFixed(1)}% of the variance; ${((u.user + u.system) / 100_000).toFixed(1)} us CPU a value, load ${load()})`, w, n);
}

const pool = await realPool(200, 50, 7);
const blends = new Uint32Array(n * 8);
const c0 = process.cpuUsage();
syntheticValues(pool, n, blends, 0, 1000);
const u = process.cpuUsage(c0);
report(`blends (pool of ${pool.count}; ${((u.user + u.system) / n).toFixed(1)} us CPU a value)`, blends, n);
