/** A case PIN stored as an argon2id hash (PHC string), never the PIN; verification in constant time by the library. */
import { hash, verify } from '@node-rs/argon2';

/** argon2id (the library's Algorithm.Argon2id; a const enum, so written out here). */
const ARGON2ID = 2;
/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** @example const stored = await hashPin('48213907') // '$argon2id$v=19$m=19456,t=2,p=1$…' */
export function hashPin(pin: string): Promise<string> {
  return hash(pin, OPTIONS as Parameters<typeof hash>[1]);
}

/** True when the PIN matches the stored hash; false for a malformed hash too. */
export async function verifyPin(stored: string, pin: string): Promise<boolean> {
  try {
    return await verify(stored, pin);
  } catch {
    return false;
  }
}
