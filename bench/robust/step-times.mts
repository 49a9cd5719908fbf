/**
 * bench:robust helper: where the robust lookup side's fixed cost goes, step by step (CPU µs per photo), in the flow
 * the cost table of bench:robust measures (each photo decoded and PDQ-hashed, then its robust lookup values made,
 * so that caches are as cold as there): the luma plane, the summed-area table, the trimmed box, the content box, the
 * box by ends, the tilt, and the region hashes of region_dct, region_mag and region_mag's off-centre forms; a row per
 * step with each photo's figure. Photos: the cost table's 12 (bench/robust/robust-data.ts loadSources).
 * Run: node --import tsx bench/robust/step-times.mts (UNEXPOSE_PDQ_ENGINE=js for the JS kernels; ROUNDS, default 20).
 */
import { decodeForPipeline } from '../../src/services/hash-photo.js';
import { pdqEngine } from '../../src/services/pdq-engine-default.js';
import { pictureKernels } from '../../src/services/picture-kernels-default.js';
import { RegionContext } from '../../src/core/picture/region-context.js';
import { queryRegionDct } from '../../src/core/signals/region_dct/region-dct.js';
import { queryRegionMag, queryRegionMagShifted } from '../../src/core/signals/region_mag/region-mag.js';
import { loadSources } from './robust-data.js';

const photos = (await loadSources(10)).slice(0, 12).map((s) => s.bytes);
const kernels = await pictureKernels();
const engine = await pdqEngine();
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
const rounds = Number(process.env.ROUNDS ?? 20);
const steps = new Map<string, Float64Array>();
let photo = 0;
function add(name: string, us: number): void {
  (steps.get(name) ?? steps.set(name, new Float64Array(photos.length)).get(name)!)[photo] += us;
}
function time<T>(name: string, f: () => T): T {
  const t = cpu();
  const r = f();
  add(name, cpu() - t);
  return r;
}
for (let r = -3; r < rounds; r++) {
  if (r === 0) steps.clear();
  for (photo = 0; photo < photos.length; photo++) {
    const t = cpu();
    const { pixels, windows } = await decodeForPipeline(photos[photo], 'fast');
    add('decode (all threads)', cpu() - t);
    time('pdq', () => engine.hash(pixels, windows));
    const plane = time('luma plane', () => kernels.lumaPlane(pixels));
    const ctx = new RegionContext(plane, kernels);
    time('area table', () => ctx.table);
    time('trimmed box', () => ctx.trimmed);
    time('content box', () => ctx.embedded);
    time('box by ends', () => ctx.embeddedByEnds);
    time('tilt', () => ctx.upright);
    time('region_dct', () => queryRegionDct(plane, ctx));
    time('region_mag', () => queryRegionMag(plane, ctx));
    time('region_mag off-centre', () => queryRegionMagShifted(plane, ctx));
  }
}
let robust = 0;
console.log(`step (${kernels.name})`.padEnd(24), 'mean µs', ' per photo');
for (const [name, row] of steps) {
  const mean = row.reduce((a, b) => a + b, 0) / (rounds * photos.length);
  if (name !== 'decode (all threads)' && name !== 'pdq') robust += mean;
  console.log(name.padEnd(24), mean.toFixed(0).padStart(7), ' ', [...row].map((v) => (v / rounds).toFixed(0)).join(' '));
}
console.log('robust lookup work'.padEnd(24), robust.toFixed(0).padStart(7));
