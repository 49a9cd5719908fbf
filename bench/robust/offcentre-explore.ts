/**
 * Why off-centre crops are missed: for crops dropping 15/20/25% of each side, placed from centred (split 0.5) to
 * against one corner (split 0 or 1), the nearest banked/looked-up value pair of region_dct and region_mag, which
 * pair it is and its distance against the threshold.
 * node --import tsx bench/robust/offcentre-explore.ts  (env SCENES, default 4)
 */
import sharp from 'sharp';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { hexToWordsInto } from '../../src/core/index/hash-words.js';
import { popcount32 } from '../../src/core/signals/pdq/pdq-hex.js';
import { REGION_DCT_THRESHOLD } from '../../src/core/signals/region_dct/region-dct.js';
import { REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';
import { loadSources } from './robust-data.js';

const words = (hex: string) => { const w = new Uint32Array(8); hexToWordsInto(hex, w, 0); return w; };
const dist = (a: string, b: string) => { const x = words(a), y = words(b); let d = 0; for (let i = 0; i < 8; i++) d += popcount32(x[i] ^ y[i]); return d; };
function nearest(bank: { value: string }[] = [], query: { value: string }[] = []): [number, number, number] {
  let best: [number, number, number] = [256, -1, -1];
  bank.forEach((b, i) => query.forEach((q, j) => { const d = dist(b.value, q.value); if (d < best[0]) best = [d, i, j]; }));
  return best;
}

const sources = await loadSources(Number(process.env.SCENES ?? 4));
const splits: [number, number][] = [[0.5, 0.5], [0.25, 0.5], [0, 0.5], [0.25, 0.25], [0, 0], [1, 0.75]];
const rows = new Map<string, { dct: number[]; mag: number[]; pairs: Map<string, number> }>();
for (const s of sources) {
  const bank = await hashPhotoBytes(s.bytes, 'fast', { robust: 'bank' });
  const meta = await sharp(s.bytes).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = meta.info;
  for (const share of [0.15, 0.2, 0.25]) {
    for (const [sx, sy] of splits) {
      const cw = Math.round(width * (1 - share)), ch = Math.round(height * (1 - share));
      const bytes = await sharp(s.bytes).rotate().extract({ left: Math.round((width - cw) * sx), top: Math.round((height - ch) * sy), width: cw, height: ch }).jpeg({ quality: 80 }).toBuffer();
      const q = await hashPhotoBytes(bytes, 'fast', { robust: 'query' });
      const d = nearest(bank.regionDct, q.regionDctQuery);
      const m = nearest(bank.regionMag, q.regionMagQuery);
      const key = `${share * 100}% split ${sx}/${sy}`;
      const r = rows.get(key) ?? { dct: [] as number[], mag: [] as number[], pairs: new Map<string, number>() };
      r.dct.push(d[0]); r.mag.push(m[0]);
      const pk = `mag b${m[1]}q${m[2]}`;
      r.pairs.set(pk, (r.pairs.get(pk) ?? 0) + 1);
      rows.set(key, r);
    }
  }
  process.stderr.write(`${s.name}\n`);
}
console.log(`| crop | found (dct <= ${REGION_DCT_THRESHOLD} or mag <= ${REGION_MAG_THRESHOLD}) | region_dct nearest (per source) | region_mag nearest | nearest region_mag pair (bank rung, query rung) |`);
console.log('|---|---|---|---|---|');
for (const [k, r] of rows) {
  const f = r.dct.filter((d, i) => d <= REGION_DCT_THRESHOLD || r.mag[i] <= REGION_MAG_THRESHOLD).length;
  console.log(`| ${k} | ${f}/${r.dct.length} | ${r.dct.join(' ')} | ${r.mag.join(' ')} | ${[...r.pairs].map(([p, n]) => `${p}:${n}`).join(' ')} |`);
}
