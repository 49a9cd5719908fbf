/**
 * bench:robust helper: the robust values' CPU time in this checkout against another checkout's (e.g. main in a
 * second worktree), in one process, on the cost table's 12 photos decoded once, the two taking turns photo by photo
 * (the order swapped every other time), so that the machine's swings hit both alike: on a shared machine two runs of
 * the cost table in turn differ by more than a 10% speed-up. Each checkout uses its own kernels (WebAssembly; KERNELS=js
 * for the JS core) and its own picture-signals code.
 * Run: node --import tsx bench/robust/ab-robust-cost.mts OTHER_CHECKOUT [query|bank|both]   (ROUNDS, default 30)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { decodeForPipeline } from '../../src/services/hash-photo.js';
import { loadSources } from './robust-data.js';
import type { PixelGrid } from '../../src/core/signals/pdq/pixel-grid.js';
import type { PictureKernels } from '../../src/core/picture/picture-kernels.js';

type Signals = (p: PixelGrid, orientation: unknown, role: 'bank' | 'query' | 'both', k: PictureKernels) => unknown;
const other = process.argv[2];
if (!other) throw new Error('usage: ab-robust-cost.mts OTHER_CHECKOUT [query|bank|both]');
const role = (process.argv[3] ?? 'query') as 'bank' | 'query' | 'both';
async function checkout(dir: string): Promise<{ signals: Signals; kernels: PictureKernels }> {
  const signals = (await import(resolve(dir, 'src/core/picture/picture-signals.ts'))).robustPhotoSignals as Signals;
  if (process.env.KERNELS === 'js') return { signals, kernels: (await import(resolve(dir, 'src/core/picture/picture-kernels.ts'))).jsPictureKernels };
  const { createWasmPictureKernels } = await import(resolve(dir, 'src/core/picture/wasm/picture-wasm.ts'));
  const kernels = await createWasmPictureKernels(new Uint8Array(readFileSync(resolve(dir, 'wasm/pdq/pdq-simd.wasm'))));
  if (!kernels) throw new Error(`${dir}: no WebAssembly kernels`);
  return { signals, kernels };
}
const sides = [await checkout(other), await checkout(resolve(import.meta.dirname, '../..'))];
const pixels = await Promise.all((await loadSources(10)).slice(0, 12).map(async (s) => (await decodeForPipeline(s.bytes, 'fast')).pixels));
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
const spent = [0, 0];
const rounds = Number(process.env.ROUNDS ?? 30);
for (let r = -3; r < rounds; r++) {
  pixels.forEach((p, i) => {
    for (const s of (r + i) & 1 ? [0, 1] : [1, 0]) {
      const t = cpu();
      sides[s].signals(p, 1, role, sides[s].kernels);
      if (r >= 0) spent[s] += cpu() - t;
    }
  });
}
const n = rounds * pixels.length;
console.log(`robust ${role} (${sides[1].kernels.name}): other ${(spent[0] / n).toFixed(0)} µs, this ${(spent[1] / n).toFixed(0)} µs a photo = ${(spent[1] / spent[0]).toFixed(3)}x; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
