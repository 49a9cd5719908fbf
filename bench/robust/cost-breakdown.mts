/**
 * bench:robust helper: where the robust signals' hashing time goes (CPU ms per photo): PDQ alone, PDQ + the banked
 * robust values, the robust values alone on a 512 px decode (bank and lookup side), the luma plane, region_dct's
 * and region_mag's banked values. Run: node --import tsx bench/robust/cost-breakdown.mts
 */
import { loadSources } from './robust-data.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { robustPhotoSignals } from '../../src/core/picture/picture-signals.js';
import { lumaPlaneFromPixels } from '../../src/core/picture/luma-plane.js';
import { bankRegionDct } from '../../src/core/signals/region_dct/region-dct.js';
import { bankRegionMag } from '../../src/core/signals/region_mag/region-mag.js';
import sharp from 'sharp';
const srcs = (await loadSources(2)).slice(0, 12);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function time(f: (b: Buffer) => Promise<unknown> | unknown, rounds = 5) { for (const s of srcs) await f(s.bytes); const t0 = cpu(); for (let r = 0; r < rounds; r++) for (const s of srcs) await f(s.bytes); return (cpu() - t0) / (rounds * srcs.length); }
const pix = await Promise.all(srcs.map(async (s) => { const { data, info } = await sharp(s.bytes).resize(512, 512, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true }); return { data, width: info.width, height: info.height, channels: info.channels as 3 }; }));
const planes = pix.map((p) => lumaPlaneFromPixels(p));
let i = 0;
const next = <T>(a: T[]) => a[i++ % a.length];
console.log('pdq alone', (await time((b) => hashPhotoBytes(b, 'fast'))).toFixed(2));
console.log('pdq+bank', (await time((b) => hashPhotoBytes(b, 'fast', { robust: 'bank' }))).toFixed(2));
console.log("pdq+query", (await time((b) => hashPhotoBytes(b, "fast", { robust: "query" }))).toFixed(2));
console.log('robust bank on 512 px', (await time(() => robustPhotoSignals(next(pix), 1, 'bank'))).toFixed(2));
console.log('robust query on 512 px', (await time(() => robustPhotoSignals(next(pix), 1, 'query'))).toFixed(2));
console.log('luma plane 512', (await time(() => lumaPlaneFromPixels(next(pix)))).toFixed(2));
console.log('bankDct', (await time(() => bankRegionDct(next(planes)))).toFixed(2));
console.log('bankMag', (await time(() => bankRegionMag(next(planes)))).toFixed(2));
