/**
 * Which PDQ engine this process hashes with: the WebAssembly SIMD module where the runtime has SIMD (the default),
 * else the JS core. UNEXPOSE_PDQ_ENGINE=js forces the JS core, =wasm requires WebAssembly (an error says why when
 * it cannot load); both give the same hashes bit for bit. One engine per thread, created once.
 */
import { createJsPdqEngine, type PdqEngine } from '../core/signals/pdq/pdq-engine.js';
import { createWasmPdqEngine } from '../core/signals/pdq/wasm/pdq-wasm.js';
import { UnexposeError } from '../core/errors.js';
import { readPdqWasm } from '../io/wasm/read-pdq-wasm.js';

export const PDQ_ENGINE_CHOICES = ['auto', 'js', 'wasm'] as const;
export type PdqEngineChoice = (typeof PDQ_ENGINE_CHOICES)[number];

const engines = new Map<PdqEngineChoice, Promise<PdqEngine>>();

async function load(choice: PdqEngineChoice): Promise<PdqEngine> {
  if (choice === 'js') return createJsPdqEngine();
  try {
    const engine = await createWasmPdqEngine(await readPdqWasm());
    if (engine) return engine;
    if (choice === 'wasm') throw new UnexposeError('tool_missing', 'PDQ engine wasm: this runtime has no WebAssembly SIMD (or refuses the module)');
  } catch (err) {
    if (choice === 'wasm') throw err instanceof UnexposeError ? err
      : new UnexposeError('tool_missing', `PDQ engine wasm could not load (${(err as Error).message})`, { cause: err });
  }
  return createJsPdqEngine();
}

/** The engine for a choice; without one, UNEXPOSE_PDQ_ENGINE's (auto when unset). */
export function pdqEngine(choice?: PdqEngineChoice): Promise<PdqEngine> {
  const env = process.env.UNEXPOSE_PDQ_ENGINE;
  const c = choice ?? (PDQ_ENGINE_CHOICES.includes(env as PdqEngineChoice) ? env as PdqEngineChoice : 'auto');
  let e = engines.get(c);
  if (!e) {
    e = load(c);
    engines.set(c, e);
  }
  return e;
}
