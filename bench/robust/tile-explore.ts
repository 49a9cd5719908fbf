/**
 * Exploration (issue 12): which sub-regions (halves, quadrants, two-thirds bands, corner 3/4 regions) of a picture
 * survive stickers, captions, crops and tilts, and how many unrelated pictures they meet. Chose the quadrants.
 * Run: node --import tsx bench/robust/tile-explore.ts
 */
import sharp from 'sharp';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { lumaPlaneFromPixels, type LumaPlane } from '../../src/core/picture/luma-plane.js';
import { findContentBox, trimFlatBorders } from '../../src/core/picture/content-box.js';
import { areaTable, type Rect } from '../../src/core/picture/region-grid.js';
import { hashRegion } from '../../src/core/picture/region-hash.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { loadSources } from './robust-data.js';
async function plane(bytes: Buffer) { const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true }); return lumaPlaneFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 }); }
const fams: Record<string, [number, number, number, number][]> = {
  halves: [[0, 0, 1, 0.5], [0, 0.5, 1, 1], [0, 0, 0.5, 1], [0.5, 0, 1, 1]],
  quads: [[0, 0, 0.5, 0.5], [0.5, 0, 1, 0.5], [0, 0.5, 0.5, 1], [0.5, 0.5, 1, 1]],
  twothirds: [[0, 0, 1, 2 / 3], [0, 1 / 3, 1, 1], [0, 0, 2 / 3, 1], [1 / 3, 0, 1, 1]],
  corners34: [[0, 0, 0.75, 0.75], [0.25, 0, 1, 0.75], [0, 0.25, 0.75, 1], [0.25, 0.25, 1, 1]],
};
const sub = (b: Rect, f: number[]): Rect => ({ x0: b.x0 + (b.x1 - b.x0) * f[0], y0: b.y0 + (b.y1 - b.y0) * f[1], x1: b.x0 + (b.x1 - b.x0) * f[2], y1: b.y0 + (b.y1 - b.y0) * f[3] });
function hashes(P: LumaPlane, boxes: Rect[]) {
  const T = areaTable(P);
  const out: Record<string, { h: string; q: number }[][]> = {};
  for (const [k, fs] of Object.entries(fams)) out[k] = fs.map((f) => boxes.map((b) => { const r = hashRegion(T, sub(b, f)); return { h: r.hash, q: r.quality }; }));
  return out;
}
const srcs = await loadSources(10);
const bank: { fam: number; h: ReturnType<typeof hashes> }[] = [];
const queries: { fam: number; kind: string; name: string; h: ReturnType<typeof hashes> }[] = [];
for (let f = 0; f < srcs.length; f++) {
  const P = await plane(srcs[f].bytes);
  bank.push({ fam: f, h: hashes(P, [findContentBox(P)]) });
  for (const e of PICTURE_EDITS) {
    if (!/sticker|caption|crop|rotate|screenshot/.test(e.kind)) continue;
    const Q = await plane(await e.apply(srcs[f].bytes, 17 + f));
    const tb = trimFlatBorders(Q); const eb = findContentBox(Q);
    queries.push({ fam: f, kind: e.kind, name: e.name, h: hashes(Q, [tb, eb]) });
  }
  process.stderr.write(`${f} `);
}
const Q = 20;
for (const T of [24, 28, 32]) {
  for (const k of Object.keys(fams)) {
    const byKind = new Map<string, [number, number]>();
    let falseQ = 0;
    for (const q of queries) {
      const b = bank[q.fam].h[k];
      let hit = false;
      q.h[k].forEach((forms, i) => forms.forEach((v) => { if (v.q >= Q && b[i][0].q >= Q && pdqDistance(v.h, b[i][0].h) <= T) hit = true; }));
      const c = byKind.get(q.kind) ?? [0, 0]; c[0] += hit ? 1 : 0; c[1]++; byKind.set(q.kind, c);
      let fm = false;
      for (const o of bank) if (o.fam !== q.fam) for (const bv of o.h[k]) for (const forms of q.h[k]) for (const v of forms) if (v.q >= Q && bv[0].q >= Q && pdqDistance(v.h, bv[0].h) <= T) fm = true;
      if (fm) falseQ++;
    }
    console.log(`T ${T} ${k.padEnd(10)} ${[...byKind].map(([n, c]) => `${n} ${c[0]}/${c[1]}`).join('  ')}  false ${falseQ}/${queries.length}`);
  }
}
