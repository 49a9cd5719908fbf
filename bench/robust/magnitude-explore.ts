/**
 * Exploration (issue 12, off-centre crops): is a hash of the low-frequency DFT magnitudes of a windowed region
 * (translation-tolerant) able to meet an off-centre crop's central region with the original's? Prints the nearest
 * distance per crop and the unrelated distances. Run: node --import tsx bench/robust/magnitude-explore.ts
 */
import sharp from 'sharp';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { lumaPlaneFromPixels } from '../../src/core/picture/luma-plane.js';
import { findContentBox } from '../../src/core/picture/content-box.js';
import { areaTable, regionGrid64, type AreaTable, type Rect } from '../../src/core/picture/region-grid.js';
import { subRect } from '../../src/core/picture/region-hash.js';
import { pdqDistance, pdqWordsToHex } from '../../src/core/signals/pdq/pdq-hex.js';
import { loadSources } from './robust-data.js';
async function plane(bytes: Buffer) { const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true }); return lumaPlaneFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 }); }
const F = Number(process.env.F ?? 6);
const S = Number(process.env.S ?? 0.6);
const hann = Float64Array.from({ length: 64 }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / 64));
const feats: [number, number][] = [];
for (let u = 0; u <= F; u++) for (let v = -F; v <= F; v++) if (u > 0 || v > 0) feats.push([u, v]);
const D = feats.length;
const planes = (() => { const o = new Float64Array(256 * D); let x = 0x2545f491; for (let i = 0; i < o.length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; o[i] = x & 0x10000 ? 1 : -1; } return o; })();
function magHash(T: AreaTable, r: Rect): string {
  const g = regionGrid64(T, r);
  let mean = 0; for (const v of g) mean += v; mean /= g.length;
  // row DFT for u in 0..F along y, then x for v in -F..F
  const re1 = new Float64Array((F + 1) * 64), im1 = new Float64Array((F + 1) * 64);
  for (let u = 0; u <= F; u++) for (let x = 0; x < 64; x++) { let a = 0, b = 0; for (let y = 0; y < 64; y++) { const w = (g[y * 64 + x] - mean) * hann[y] * hann[x]; const t = (-2 * Math.PI * u * y) / 64; a += w * Math.cos(t); b += w * Math.sin(t); } re1[u * 64 + x] = a; im1[u * 64 + x] = b; }
  const f = new Float64Array(D);
  feats.forEach(([u, v], k) => { let a = 0, b = 0; for (let x = 0; x < 64; x++) { const t = (-2 * Math.PI * v * x) / 64; const c = Math.cos(t), s = Math.sin(t); a += re1[u * 64 + x] * c - im1[u * 64 + x] * s; b += re1[u * 64 + x] * s + im1[u * 64 + x] * c; } f[k] = Math.log(1e-3 + Math.hypot(a, b)); });
  const order = Array.from(f.keys()).sort((i, j) => f[i] - f[j]); const rk = new Float64Array(D); order.forEach((k, r) => { rk[k] = r - (D - 1) / 2; });
  const w = new Uint32Array(8); for (let k = 0; k < 256; k++) { let s = 0; for (let j = 0; j < D; j++) s += planes[k * D + j] * rk[j]; if (s > 0) w[k >>> 5] |= 1 << (k & 31); }
  return pdqWordsToHex(w);
}
const r = 0.75 ** (1 / 7);
const srcs = await loadSources(10);
const res = new Map<string, number[]>(); const banks: string[][] = []; const qsAll: { f: number; q: string[] }[] = [];
for (let f = 0; f < srcs.length; f++) {
  const P = await plane(srcs[f].bytes); const T = areaTable(P); const B = findContentBox(P);
  const bank = [0, 4].map((k) => magHash(T, subRect(B, S * r ** k))); banks.push(bank);
  for (const e of PICTURE_EDITS.filter((e) => /crop|sticker|recompress/.test(e.kind))) {
    const Q = await plane(await e.apply(srcs[f].bytes, 17 + f)); const QT = areaTable(Q); const QB = findContentBox(Q);
    const qs = [0, 1, 2, 3].map((k) => magHash(QT, subRect(QB, S / r ** k))); qsAll.push({ f, q: qs });
    let best = 256; for (const a of bank) for (const b of qs) best = Math.min(best, pdqDistance(a, b));
    res.set(e.name, [...(res.get(e.name) ?? []), best]);
  }
}
for (const [n, d] of res) console.log(n.padEnd(22), [24, 28, 32, 36].map((t) => `<=${t}: ${d.filter((x) => x <= t).length}`).join(' '), d.join(' '));
const un = qsAll.map(({ f, q }) => Math.min(...banks.flatMap((b, g) => (g === f ? [] : b.flatMap((x) => q.map((y) => pdqDistance(x, y))))))).sort((a, b) => a - b);
console.log(`nearest unrelated: min ${un[0]} p1 ${un[Math.floor(un.length / 100)]} p10 ${un[Math.floor(un.length / 10)]} median ${un[un.length >> 1]}`);
