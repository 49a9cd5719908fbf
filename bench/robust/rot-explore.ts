import sharp from 'sharp';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { lumaPlaneFromPixels } from '../../src/core/picture/luma-plane.js';
import { trimFlatBorders } from '../../src/core/picture/content-box.js';
import { areaTable } from '../../src/core/picture/region-grid.js';
import { hashRegion, subRect } from '../../src/core/picture/region-hash.js';
import { estimateTilt, untilt } from '../../src/core/picture/rotation.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { loadSources } from './robust-data.js';
async function plane(bytes: Buffer) { const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true }); return lumaPlaneFromPixels({ data, width: info.width, height: info.height, channels: info.channels as 3 }); }
const srcs = (await loadSources(3)).filter((s) => !/q000[34]/.test(s.name));
for (const s of srcs) {
  const P = await plane(s.bytes); const B = trimFlatBorders(P); const T = areaTable(P);
  const whole = hashRegion(T, B).hash; const centre = hashRegion(T, subRect(B, 0.6)).hash;
  const out: string[] = [];
  for (const e of PICTURE_EDITS.filter((e) => e.kind === 'rotate')) {
    const Q = await plane(await e.apply(s.bytes, 7));
    const t = estimateTilt(Q);
    const r = [0, -0.5, 0.5].map((da) => { const U = untilt(Q, t + da); const UT = areaTable(U); const UB = trimFlatBorders(U);
      return `${pdqDistance(whole, hashRegion(UT, UB).hash)}/${pdqDistance(whole, hashRegion(UT, {x0:0,y0:0,x1:U.width,y1:U.height}).hash)}/${pdqDistance(centre, hashRegion(UT, subRect({x0:0,y0:0,x1:U.width,y1:U.height}, 0.6)).hash)}`; });
    out.push(`${e.name.split(' ')[1]}:${t} ${r.join(' ')}`);
  }
  console.log(s.name.padEnd(22), out.join(' | '));
}
