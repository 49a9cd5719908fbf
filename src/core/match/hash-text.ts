/**
 * Hashes written as text, as `unexpose match` and the API take them: 64 hex digits are a PDQ or a SHA-256 (both
 * are looked up), 32 an MD5, and `type:value` names any registered type (`vpdq:[...]`, `phone:<hmac>`). Pure:
 * text that is none of these is refused here; whether it is a file is the CLI's business, never a service's.
 */
import { InvalidSignalError } from '../errors.js';
import { signalTypes, type SignalRegistry } from '../signals/registry.js';
import type { Signal } from '../signals/signal-type.js';

const HEX = /^[0-9a-fA-F]+$/;
const TYPED = /^([a-z][a-z0-9_]{0,39}):(.+)$/s;

/** True when the text reads as a hash (so it is not a file name to expand). */
export function looksLikeHashText(text: string, registry: SignalRegistry = signalTypes): boolean {
  const t = text.trim();
  if (HEX.test(t) && t.length >= 16) return true;
  const m = TYPED.exec(t);
  return m !== null && registry.has(m[1]);
}

/**
 * The signals a hash written as text stands for; throws InvalidSignalError when it is not one.
 * @example signalsOfHashText('d41d8cd98f00b204e9800998ecf8427e') // [{ type: 'md5', value: 'd41d8cd9...' }]
 */
export function signalsOfHashText(text: string, registry: SignalRegistry = signalTypes): Signal[] {
  const t = text.trim();
  const typed = TYPED.exec(t);
  if (typed && registry.has(typed[1])) return [{ type: typed[1], value: registry.require(typed[1]).normalise(typed[2]) }];
  if (HEX.test(t) && t.length === 64) {
    const v = t.toLowerCase();
    return ['pdq', 'sha256'].filter((n) => registry.has(n)).map((type) => ({ type, value: v }));
  }
  if (HEX.test(t) && t.length === 32 && registry.has('md5')) return [{ type: 'md5', value: t.toLowerCase() }];
  if (HEX.test(t)) throw new InvalidSignalError(`not a hash: ${t.length} hex digits (PDQ and SHA-256 have 64, MD5 32)`);
  throw new InvalidSignalError(`not a hash: "${t.length > 40 ? `${t.slice(0, 37)}...` : t}" (give 64 or 32 hex digits, or type:value)`);
}
