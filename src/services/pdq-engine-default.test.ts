import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module (it keeps one engine per choice for the life of the thread). */
async function fresh() {
  vi.resetModules();
  return import('./pdq-engine-default.js');
}

describe('the default PDQ engine', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('is WebAssembly SIMD where the runtime has it, the JS core when asked', async () => {
    const { pdqEngine } = await fresh();
    expect((await pdqEngine()).name).toBe('wasm-simd');
    expect((await pdqEngine('js')).name).toBe('js');
    vi.stubEnv('UNEXPOSE_PDQ_ENGINE', 'js');
    expect((await pdqEngine()).name).toBe('js');
  });

  it('falls back to the JS core without WebAssembly SIMD, and says why when wasm is required', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const { pdqEngine } = await fresh();
    expect((await pdqEngine('auto')).name).toBe('js');
    await expect(pdqEngine('wasm')).rejects.toThrow(/no WebAssembly SIMD/);
  });
});
