/**
 * The one place that says how a message read from an export compares with the digest a scan stored for it.
 * Today the store keeps the plain SHA-256 of the message's bytes; if the store moves to a keyed digest, only
 * this function changes. The evidence manifest always carries the plain SHA-256 (a court has no server key).
 */
import type { ChatMessage } from '../../ingest/chat-source.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';

/** The digest the store would hold for this message. */
export function storedDigestOf(m: Pick<ChatMessage, 'rawSha256'>, _key: IdentifierKey): string {
  return m.rawSha256;
}

/** True when the message read now is the one the scan stored. */
export function matchesStoredDigest(m: Pick<ChatMessage, 'rawSha256'>, stored: string, key: IdentifierKey): boolean {
  return storedDigestOf(m, key) === stored;
}
