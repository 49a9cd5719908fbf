/**
 * Every chat source, listed once. A scan asks each in turn which message files of an export it reads.
 * Names are storage keys: they are checked for uniqueness at load and never change.
 */
import type { ChatSource, SourceName } from './chat-source.js';
import { telegramHtmlSource } from './telegram-html/telegram-html-source.js';
import { telegramSource } from './telegram/telegram-source.js';
import { whatsappSource } from './whatsapp/whatsapp-source.js';

export const chatSources: readonly ChatSource[] = [telegramSource, telegramHtmlSource, whatsappSource];

const byName = new Map<string, ChatSource>();
for (const s of chatSources) {
  if (byName.has(s.name)) throw new Error(`two chat sources are named ${s.name}`);
  byName.set(s.name, s);
}

/** The source with this storage name, or undefined. */
export function chatSourceByName(name: SourceName | string): ChatSource | undefined {
  return byName.get(name);
}
