/**
 * The one place that says how a message read from an export is found in the store and compared with the digest a
 * scan stored for it. The store keeps an HMAC under the identifier key of the SHA-256 of the message's bytes
 * (raw_hmac; "sha256:<hex>" marks a row written before the key was applied) and keys chat ids that are not plain
 * numbers (WhatsApp's): both through services/scan/untrusted-keys, so this follows the scan. The evidence manifest
 * always carries the plain SHA-256: a court has no server key.
 */
import type { ChatMessage } from '../../ingest/chat-source.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import { keyedChatId, keyedMessageDigest } from '../scan/untrusted-keys.js';

/**
 * The forms under which the store may hold this chat id: keyed as the scan keys it (a personal chat's number is
 * keyed too), or as exported.
 * @example storedChatIdForms(key, 'telegram_export', '1987654321') // ['k:…', '1987654321']
 */
export function storedChatIdForms(key: IdentifierKey, source: string, id: string): string[] {
  return [...new Set([keyedChatId(key, source, id, true), keyedChatId(key, source, id), id])];
}

/** True when the message read now is the one the scan stored (keyed digest, or a not yet re-keyed one). */
export function matchesStoredDigest(m: Pick<ChatMessage, 'rawSha256'>, stored: string, key: IdentifierKey): boolean {
  return stored === keyedMessageDigest(key, m.rawSha256) || stored === `sha256:${m.rawSha256}`;
}
