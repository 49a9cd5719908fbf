/**
 * Where the robust signals spend their time on the fast pipeline's decode of the 1600x1004 sample photos (CPU ms per
 * photo, bank and lookup side; KERNELS=js for the JS core). Run under `node --cpu-prof --import tsx bench/robust/profile-signals.mts` to profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeForPipeline } from '../../src/services/hash-photo.js';
import { robustPhotoSignals } from '../../src/core/picture/picture-signals.js';
import { jsPictureKernels } from '../../src/core/picture/picture-kernels.js';
import { pictureKernels } from '../../src/services/picture-kernels-default.js';

const data = resolve(import.meta.dirname, '../../../shared/conformance/pdq/repo/pdq/data/bridge-mods');
const files = readdirSync(data).filter((n) => /^(aaa|blur|high|sharpen)/.test(n)).map((n) => join(data, n));
const pix = await Promise.all(files.map(async (f) => (await decodeForPipeline(readFileSync(f), 'fast')).pixels));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const rounds = Number(process.env.ROUNDS ?? 40);
const kernels = process.env.KERNELS === 'js' ? jsPictureKernels : await pictureKernels();
for (const role of ['bank', 'query'] as const) {
  for (const p of pix) robustPhotoSignals(p, 1, role, kernels);
  const t0 = cpu();
  for (let r = 0; r < rounds; r++) for (const p of pix) robustPhotoSignals(p, 1, role, kernels);
  console.log(`${role} (${kernels.name}): ${((cpu() - t0) / (rounds * pix.length)).toFixed(2)} ms per photo (${pix[0].width}x${pix[0].height})`);
}
