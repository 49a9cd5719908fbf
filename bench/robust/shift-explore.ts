/**
 * Exploration (issue 12): how far region_dct's hash of a region moves when the region is shifted or rescaled by
 * 1-10% (median and 90th percentile Hamming distance), beside unrelated pictures. Run: node --import tsx
 * bench/robust/shift-explore.ts. Measured: a 2% shift already costs a median 26 bits, so a grid of shifted regions
 * cannot cover off-centre crops with few values (hence region_mag).
 */
import sharp from 'sharp';
import { lumaPlaneFromPixels } from '../../src/core/picture/luma-plane.js';
import { areaTable } from '../../src/core/picture/region-grid.js';
import { hashRegion } from '../../src/core/picture/region-hash.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { loadSources } from './robust-data.js';
async function plane(bytes: Buffer) { const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true }); return lumaPlaneFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 }); }
const srcs = await loadSources(4);
const shifts = [0.01, 0.02, 0.03, 0.05, 0.07, 0.1];
for (const size of [0.5, 0.7]) {
  const rows: number[][] = shifts.map(() => []);
  const unrel: number[] = [];
  const hs: string[] = [];
  for (const s of srcs) {
    const P = await plane(s.bytes); const T = areaTable(P);
    const reg = (cx: number, cy: number, sz: number) => hashRegion(T, { x0: (cx - sz / 2) * P.width, x1: (cx + sz / 2) * P.width, y0: (cy - sz / 2) * P.height, y1: (cy + sz / 2) * P.height }).hash;
    const base = reg(0.5, 0.5, size); hs.push(base);
    shifts.forEach((d, i) => { rows[i].push(pdqDistance(base, reg(0.5 + d * size, 0.5, size)), pdqDistance(base, reg(0.5, 0.5 + d * size, size)), pdqDistance(base, reg(0.5 + d * size * 0.7, 0.5 + d * size * 0.7, size)), pdqDistance(base, reg(0.5, 0.5, size * (1 + d)))); });
  }
  for (let i = 0; i < hs.length; i++) for (let j = i + 1; j < hs.length; j++) unrel.push(pdqDistance(hs[i], hs[j]));
  const med = (a: number[]) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  const p90 = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * 0.9)];
  console.log(`size ${size}`, shifts.map((d, i) => `shift ${d}: med ${med(rows[i])} p90 ${p90(rows[i])}`).join(' | '), `unrelated min ${Math.min(...unrel)} med ${med(unrel)}`);
}
