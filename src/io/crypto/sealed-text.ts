/**
 * Sealed text: AES-256-GCM under a key derived from the identifier key, for state that must come back exactly
 * (a scan's resume checkpoint holds parser state, which can hold a personal chat's name) but must not be
 * readable in the database. "v1:" + base64(12-byte nonce | 16-byte tag | ciphertext).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { IdentifierKey } from './identifier-key.js';

export interface TextSealer {
  seal(text: string): string;
  /** The text, or null when the sealed value is damaged, of another key, or not sealed at all. */
  open(sealed: string): string | null;
}

/**
 * @example const s = textSealer(key); s.open(s.seal('x')) // 'x'
 */
export function textSealer(key: IdentifierKey): TextSealer {
  const k = Buffer.from(key.hmac('unexpose sealed text v1'), 'hex');
  return {
    seal(text) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1:')) return null;
      try {
        const raw = Buffer.from(sealed.slice(3), 'base64');
        const d = createDecipheriv('aes-256-gcm', k, raw.subarray(0, 12));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
