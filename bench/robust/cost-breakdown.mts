/**
 * bench:robust helper: where the robust signals' hashing time goes (CPU ms per photo): PDQ alone, PDQ + the banked
 * robust values, the robust values alone on a 512 px decode (bank and lookup side), the luma plane, region_dct's
 * and region_mag's banked values (JS), PDQ + robust on the WebAssembly and the JS kernels in alternating rounds. Run: node --import tsx bench/robust/cost-breakdown.mts
 */
import { loadSources } from './robust-data.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { robustPhotoSignals } from '../../src/core/picture/picture-signals.js';
import { lumaPlaneFromPixels } from '../../src/core/picture/luma-plane.js';
import { bankRegionDct } from '../../src/core/signals/region_dct/region-dct.js';
import { bankRegionMag } from '../../src/core/signals/region_mag/region-mag.js';
import sharp from 'sharp';
import { jsPictureKernels } from '../../src/core/picture/picture-kernels.js';
import { pictureKernels } from '../../src/services/picture-kernels-default.js';
import { loadavg } from 'node:os';
const srcs = (await loadSources(2)).slice(0, 12);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function time(f: (b: Buffer) => Promise<unknown> | unknown, rounds = 5) { for (const s of srcs) await f(s.bytes); const t0 = cpu(); for (let r = 0; r < rounds; r++) for (const s of srcs) await f(s.bytes); return (cpu() - t0) / (rounds * srcs.length); }
const pix = await Promise.all(srcs.map(async (s) => { const { data, info } = await sharp(s.bytes).resize(512, 512, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true }); return { data, width: info.width, height: info.height, channels: info.channels as 3 }; }));
const planes = pix.map((p) => lumaPlaneFromPixels(p));
let i = 0;
const next = <T>(a: T[]) => a[i++ % a.length];
// PDQ alone and PDQ + robust on each kernel set, in alternating rounds (so that load changes hit all alike).
const wasm = await pictureKernels();
const variants: Record<string, (b: Buffer) => Promise<unknown>> = {
  'pdq alone': (b) => hashPhotoBytes(b, 'fast'),
  [`pdq+bank (${wasm.name})`]: (b) => hashPhotoBytes(b, 'fast', { robust: 'bank', kernels: wasm }),
  [`pdq+query (${wasm.name})`]: (b) => hashPhotoBytes(b, 'fast', { robust: 'query', kernels: wasm }),
  'pdq+bank (js)': (b) => hashPhotoBytes(b, 'fast', { robust: 'bank', kernels: jsPictureKernels }),
  'pdq+query (js)': (b) => hashPhotoBytes(b, 'fast', { robust: 'query', kernels: jsPictureKernels }),
};
const spent = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
const rounds = Number(process.env.ROUNDS ?? 6);
for (let r = 0; r < rounds; r++) for (const [k, f] of Object.entries(variants)) spent[k] += await time(f, 1);
const alone = spent['pdq alone'] / rounds;
for (const [k, v] of Object.entries(spent)) console.log(`${k.padEnd(22)} ${(v / rounds).toFixed(2)} ms  ${(v / rounds / alone).toFixed(2)}x PDQ alone`);
console.log(`[load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`);
console.log('robust bank on 512 px (wasm)', (await time(() => robustPhotoSignals(next(pix), 1, 'bank', wasm))).toFixed(2));
console.log('robust query on 512 px (wasm)', (await time(() => robustPhotoSignals(next(pix), 1, 'query', wasm))).toFixed(2));
console.log('robust bank on 512 px (js)', (await time(() => robustPhotoSignals(next(pix), 1, 'bank'))).toFixed(2));
console.log('luma plane 512', (await time(() => lumaPlaneFromPixels(next(pix)))).toFixed(2));
console.log('bankDct', (await time(() => bankRegionDct(next(planes)))).toFixed(2));
console.log('bankMag', (await time(() => bankRegionMag(next(planes)))).toFixed(2));
