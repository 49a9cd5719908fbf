/**
 * Exploration (issue 12, off-centre crops; not kept): regions centred on the extrema of a blurred picture (content
 * anchors) instead of the frame's centre. The anchors move too much with the crop's change of scale: 3 of 20
 * off-centre crops of 25% found. Run: node --import tsx bench/robust/anchor-explore.ts (env S, K, BLUR).
 */
import sharp from 'sharp';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { lumaPlaneFromPixels, type LumaPlane } from '../../src/core/picture/luma-plane.js';
import { findContentBox } from '../../src/core/picture/content-box.js';
import { areaTable, regionGrid64, type Rect, type AreaTable } from '../../src/core/picture/region-grid.js';
import { hashRegion } from '../../src/core/picture/region-hash.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { loadSources } from './robust-data.js';
async function plane(bytes: Buffer) { const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true }); return lumaPlaneFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 }); }
const S = Number(process.env.S ?? 0.45); const K = Number(process.env.K ?? 4); const BLUR = Number(process.env.BLUR ?? 4);
const r = 0.75 ** (1 / 7);
/** anchors: extrema of a blurred 64-grid of the box, in plane coords, strongest first. Grid cell = box/64 (square cells via shorter side). */
function anchors(T: AreaTable, box: Rect): [number, number][] {
  // grid of cells of equal size in plane pixels: size = shorter side / 48
  const bw = box.x1 - box.x0, bh = box.y1 - box.y0; const c = Math.min(bw, bh) / 48;
  const nx = Math.floor(bw / c), ny = Math.floor(bh / c);
  const g = regionGrid64(T, box); // not used
  void g;
  const v = new Float64Array(nx * ny);
  const sum = (x0: number, y0: number, x1: number, y1: number) => { const w1 = T.width + 1; const s = T.sums; const f = (x: number, y: number) => s[Math.round(y) * w1 + Math.round(x)]; return f(x1, y1) - f(x0, y1) - f(x1, y0) + f(x0, y0); };
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { const x0 = box.x0 + x * c, y0 = box.y0 + y * c; v[y * nx + x] = sum(x0, y0, x0 + c, y0 + c) / (c * c); }
  // blur separable box x3 radius BLUR
  let a = v; for (let it = 0; it < 3; it++) { const b = new Float64Array(a.length); for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { let s = 0, n = 0; for (let d = -BLUR; d <= BLUR; d++) { const xx = Math.min(nx - 1, Math.max(0, x + d)); s += a[y * nx + xx]; n++; } b[y * nx + x] = s / n; } const cc = new Float64Array(a.length); for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { let s = 0, n = 0; for (let d = -BLUR; d <= BLUR; d++) { const yy = Math.min(ny - 1, Math.max(0, y + d)); s += b[yy * nx + x]; n++; } cc[y * nx + x] = s / n; } a = cc; }
  const mean = a.reduce((p, q) => p + q, 0) / a.length;
  const out: [number, number, number][] = [];
  const m = Math.round(Math.min(nx, ny) * 0.15);
  for (let y = Math.max(1, m); y < ny - Math.max(1, m); y++) for (let x = Math.max(1, m); x < nx - Math.max(1, m); x++) {
    const z = a[y * nx + x]; let isMax = true, isMin = true;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) { if (!dx && !dy) continue; const yy = y + dy, xx = x + dx; if (yy < 0 || xx < 0 || yy >= ny || xx >= nx) continue; const w = a[yy * nx + xx]; if (w >= z) isMax = false; if (w <= z) isMin = false; }
    if (!isMax && !isMin) continue;
    const L = a[y * nx + x - 1], R = a[y * nx + x + 1], U = a[(y - 1) * nx + x], D = a[(y + 1) * nx + x];
    const ox = (L - R) / (2 * (L - 2 * z + R)), oy = (U - D) / (2 * (U - 2 * z + D));
    out.push([box.x0 + (x + 0.5 + (Math.abs(ox) < 1 ? ox : 0)) * c, box.y0 + (y + 0.5 + (Math.abs(oy) < 1 ? oy : 0)) * c, Math.abs(z - mean)]);
  }
  out.sort((p, q) => q[2] - p[2]);
  return out.slice(0, K).map((p) => [p[0], p[1]]);
}
function regionsAt(T: AreaTable, box: Rect, sizes: number[]) {
  const side = Math.min(box.x1 - box.x0, box.y1 - box.y0);
  return anchors(T, box).flatMap(([x, y]) => sizes.map((s) => hashRegion(T, { x0: x - s * side / 2, x1: x + s * side / 2, y0: y - s * side / 2, y1: y + s * side / 2 })));
}
const srcs = await loadSources(10);
const res = new Map<string, number[]>();
for (let f = 0; f < srcs.length; f++) {
  const P = await plane(srcs[f].bytes); const T = areaTable(P); const B = findContentBox(P);
  const bank = regionsAt(T, B, [S, S * r ** 4]).filter((h) => h.quality >= 20);
  for (const e of PICTURE_EDITS.filter((e) => /crop/.test(e.kind))) {
    const Q = await plane(await e.apply(srcs[f].bytes, 17 + f)); const QT = areaTable(Q); const QB = findContentBox(Q);
    const qs = regionsAt(QT, QB, [S, S / r, S / r ** 2, S / r ** 3]).filter((h) => h.quality >= 20);
    let best = 256; for (const a of bank) for (const b of qs) best = Math.min(best, pdqDistance(a.hash, b.hash));
    res.set(e.name, [...(res.get(e.name) ?? []), best]);
  }
}
for (const [n, d] of res) console.log(n.padEnd(22), `<=32: ${d.filter((x) => x <= 32).length}/${d.length}`, d.join(' '));
