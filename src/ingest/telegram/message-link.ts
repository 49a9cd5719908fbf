/**
 * Telegram message links from what an export holds. Only supergroups and channels have them, as
 * `https://t.me/c/<chat id>/<message id>` (the export's chat id is the bare channel id these links use; the
 * public @username form cannot be built because exports do not record the username). Basic groups, personal
 * and bot chats have none, and neither do messages with migrated (negative) ids.
 */

const LINKABLE = new Set(['private_supergroup', 'public_supergroup', 'private_channel', 'public_channel']);

/**
 * The link of a message, or null when Telegram has none for it.
 * @example telegramMessageLink('private_supergroup', '1987654321', 5) // 'https://t.me/c/1987654321/5'
 */
export function telegramMessageLink(chatType: string | null, chatId: string | null, messageId: number): string | null {
  if (!chatType || !LINKABLE.has(chatType) || !chatId || !/^\d+$/.test(chatId)) return null;
  if (!Number.isSafeInteger(messageId) || messageId <= 0) return null;
  return `https://t.me/c/${chatId}/${messageId}`;
}

/**
 * The Bot API ("marked") id of a chat: -100… for supergroups and channels (computed, not string-prefixed),
 * -id for basic groups, the id for users.
 * @example markedChatId('private_channel', '1987654321') // '-1001987654321'
 */
export function markedChatId(chatType: string | null, chatId: string): string {
  const id = Number(chatId);
  if (chatType && LINKABLE.has(chatType)) return String(-(1_000_000_000_000 + id));
  if (chatType === 'private_group') return String(-id);
  return chatId;
}
