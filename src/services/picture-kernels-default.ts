/**
 * Which kernels this thread computes the robust signals with: the WebAssembly SIMD module where the runtime has
 * SIMD (the same module as PDQ's), else the JS core; UNEXPOSE_PDQ_ENGINE=js forces the JS core for these too. Both
 * give the same values bit for bit. Created once per thread.
 */
import { jsPictureKernels, type PictureKernels } from '../core/picture/picture-kernels.js';
import { createWasmPictureKernels } from '../core/picture/wasm/picture-wasm.js';
import { readPdqWasm } from '../io/wasm/read-pdq-wasm.js';

let kernels: Promise<PictureKernels> | undefined;

/** The thread's kernels. */
export function pictureKernels(): Promise<PictureKernels> {
  if (process.env.UNEXPOSE_PDQ_ENGINE === 'js') return Promise.resolve(jsPictureKernels);
  return (kernels ??= readPdqWasm().then((b) => createWasmPictureKernels(b)).catch(() => null).then((k) => k ?? jsPictureKernels));
}
