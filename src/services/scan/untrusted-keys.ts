/**
 * Keyed stand-ins for strings from an export that must stay findable but not readable: a chat id derived from a
 * name, an input's path, a message file's name, a message's digest. Each is an HMAC under the identifier key with
 * its own purpose prefix, so the same text hashed for two purposes gives unrelated values.
 */
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';

/** Telegram's chat ids are numbers; any other id (WhatsApp's comes from the chat's file name) is keyed. */
const PLAIN_CHAT_ID = /^-?\d{1,20}$/;

/** True for a chat id that is a plain number or already keyed. */
export function isKeyedChatId(id: string): boolean {
  return PLAIN_CHAT_ID.test(id) || /^k:[0-9a-f]{24}$/.test(id);
}

/**
 * The chat id as stored: a group's or channel's number as it is (message links need it); anything else "k:" + 24
 * hex digits of an HMAC — ids made from names (WhatsApp: the chat file's name) and a personal chat's number,
 * which is the other person's Telegram user id.
 * @example keyedChatId(key, 'whatsapp_export', 'wa:3f2a…') // 'k:9c1e…'
 * @example keyedChatId(key, 'telegram_export', '5550000001', true) // 'k:…' (a personal chat)
 */
export function keyedChatId(key: IdentifierKey, source: string, id: string, personal = false): string {
  if (/^k:[0-9a-f]{24}$/.test(id)) return id;
  return isKeyedChatId(id) && !personal ? id : `k:${key.hmac(`chat-id:${source}:${id}`).slice(0, 24)}`;
}

/** The stored digest of a message: HMAC of the SHA-256 (hex) of its bytes in the export. */
export function keyedMessageDigest(key: IdentifierKey, sha256Hex: string): string {
  return key.hmac(`message-digest:${sha256Hex}`);
}

/** The stored key of an export input: HMAC of the SHA-256 (hex) of its real path. */
export function keyedInputKey(key: IdentifierKey, pathSha256Hex: string): string {
  return key.hmac(`input:${pathSha256Hex}`);
}

/** The stored name of a message file inside an input, for its checkpoint row. */
export function keyedCheckpointFile(key: IdentifierKey, source: string, file: string): string {
  return key.hmac(`checkpoint-file:${source}:${file}`);
}
