/**
 * The one place that says how a message read from an export is found in the store and compared with the digest a
 * scan stored for it. The store has kept the plain SHA-256 of the message's bytes; the privacy work (issue 8)
 * moves it to an HMAC under the identifier key ("sha256:<hex>" marks rows not yet re-keyed) and keys chat ids
 * that are not plain numbers (WhatsApp's). Every form is accepted here, so packages work on stores of either
 * kind. The evidence manifest always carries the plain SHA-256: a court has no server key.
 */
import type { ChatMessage } from '../../ingest/chat-source.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';

const PLAIN_CHAT_ID = /^-?\d{1,20}$/;

/**
 * The forms under which the store may hold this chat id (as exported, or keyed).
 * @example storedChatIdForms(key, 'telegram_export', '1987654321') // ['1987654321']
 */
export function storedChatIdForms(key: IdentifierKey, source: string, id: string): string[] {
  // TODO(#8): use services/scan/untrusted-keys keyedChatId once the privacy work has landed.
  return PLAIN_CHAT_ID.test(id) ? [id] : [id, `k:${key.hmac(`chat-id:${source}:${id}`).slice(0, 24)}`];
}

/** True when the message read now is the one the scan stored (plain, marked or keyed digest). */
export function matchesStoredDigest(m: Pick<ChatMessage, 'rawSha256'>, stored: string, key: IdentifierKey): boolean {
  // TODO(#8): use services/scan/untrusted-keys keyedMessageDigest once the privacy work has landed.
  return stored === m.rawSha256 || stored === `sha256:${m.rawSha256}` || stored === key.hmac(`message-digest:${m.rawSha256}`);
}
