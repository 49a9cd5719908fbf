/**
 * Reads the PDQ WebAssembly module (wasm/pdq/pdq-simd.wasm, built by `npm run build:wasm` and committed, so that a
 * checkout runs without a build) for core/signals/pdq/wasm/pdq-wasm.ts. The path is the same from src/ and dist/.
 */
import { readFile } from 'node:fs/promises';

export const PDQ_WASM_URL = new URL('../../../wasm/pdq/pdq-simd.wasm', import.meta.url);

/** The module's bytes. */
export async function readPdqWasm(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(PDQ_WASM_URL));
}
