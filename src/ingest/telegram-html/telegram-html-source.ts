/**
 * Telegram Desktop's HTML export (the app's default: messages.html, messages2.html, … with photos/, video_files/,
 * files/, round_video_messages/ …) as a chat source, single-chat or whole-account (chats/chat_NNN/), in a folder or
 * a zip. Each page is streamed through a SAX parser (HtmlMessageReader); pages hold at most 1000 messages, so a
 * checkpoint is the number of messages of a page already delivered and resuming re-reads that page from its start
 * and skips them. What HTML cannot give (links, sender ids, chat id) is said once per export in a notice.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ExportFiles } from '../../io/fs/export-files.js';
import { checkResumable, type ChatMessage, type ChatRef, type ChatSource, type Checkpoint, type IngestNotice, type MessageBatch, type StreamOptions } from '../chat-source.js';
import { displayPath, openExportOf } from '../export-location.js';
import { checkTimeZone } from '../local-time.js';
import { HtmlMessageReader, type HtmlRecord } from './html-message-reader.js';
import { HTML_LIMITS, parseHtmlRecord } from './html-record.js';

export const TELEGRAM_HTML_SOURCE = 'telegram_html';
const DEFAULT_BATCH = 1000;
const PAGE = /(?:^|\/)messages(\d*)\.html$/i;

const pageNumber = (f: string) => Number(PAGE.exec(f)?.[1] || 1);

/** Pages of one chat in reading order: by folder, then messages.html, messages2.html, … numerically. */
export function orderPages(files: string[]): string[] {
  return [...files].sort((a, b) => {
    const da = posix.dirname(a);
    const db = posix.dirname(b);
    return da !== db ? (da < db ? -1 : 1) : pageNumber(a) - pageNumber(b);
  });
}

/** A stable chat id from the page's folder (no chat id exists in HTML): "html:" + 16 hex digits. */
export function htmlChatId(file: string, exportLabel: string): string {
  const dir = posix.dirname(file);
  const base = dir === '.' ? (exportLabel.split(/[\\/]/).filter(Boolean).pop() ?? '').replace(/\.zip$/i, '') : dir;
  return `html:${createHash('sha256').update(base).digest('hex').slice(0, 16)}`;
}

async function readHead(files: ExportFiles, rel: string, max: number): Promise<string> {
  const stream = await files.openStream(rel);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, max));
}

async function looksLikeExportPage(files: ExportFiles, rel: string): Promise<boolean> {
  const head = await readHead(files, rel, 8192);
  return /class="page_wrap"/.test(head) || (/class="history"/.test(head) && /class="message/.test(head));
}

export const telegramHtmlSource: ChatSource = {
  name: TELEGRAM_HTML_SOURCE,
  async detect(files, only) {
    const named = only ?? files.only;
    const all = named ? [named] : await files.list();
    // "HTML and JSON" exports hold both: the JSON (with ids and links) is read, the same chat's HTML is not.
    const withJson = new Set(all.filter((f) => posix.basename(f).toLowerCase() === 'result.json').map((f) => posix.dirname(f)));
    const candidates = named ? [named] : all.filter((f) => PAGE.test(f) && !withJson.has(posix.dirname(f)) && !withJson.has(posix.dirname(posix.dirname(posix.dirname(f)))));
    const out: string[] = [];
    for (const f of candidates) {
      if (!PAGE.test(f)) continue;
      try {
        if (await looksLikeExportPage(files, f)) out.push(f);
      } catch {
        /* unreadable: not ours */
      }
    }
    return orderPages(out);
  },
  open(files, messageFiles) {
    return openExportOf(TELEGRAM_HTML_SOURCE, files, messageFiles, streamPage);
  },
};

const limitsSaid = new WeakSet<ExportFiles>();

/**
 * An account export's pages (chats/chat_NNN/messages.html) link media as "../../chats/chat_NNN/photos/…": when
 * that lands back inside the page's own folder, the link is rewritten relative to it; anything else is left as
 * written, and the safe-path check refuses it.
 * @example withinPageFolder('chats/chat_1/messages.html', '../../chats/chat_1/photos/a.jpg') // 'photos/a.jpg'
 */
export function withinPageFolder(page: string, href: string): string {
  const dir = posix.dirname(page);
  if (dir === '.') return href;
  const joined = posix.normalize(posix.join(dir, href));
  return joined.startsWith(`${dir}/`) ? joined.slice(dir.length + 1) : href;
}

async function* streamPage(files: ExportFiles, file: string, from: Checkpoint | undefined, options: StreamOptions): AsyncGenerator<MessageBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const zone = options.timeZone ? checkTimeZone(options.timeZone) : 'UTC';
  const where = displayPath(files, file);
  const fileSize = await files.size(file);
  checkResumable(from, fileSize, where);
  const skip = from?.messageIndex ?? 0;
  const chat: ChatRef = { source: TELEGRAM_HTML_SOURCE, id: htmlChatId(file, files.label), name: null, type: 'unknown' };
  let notices: IngestNotice[] = [];
  if (!from && !limitsSaid.has(files)) {
    limitsSaid.add(files);
    notices.push({ level: 'warning', code: 'format_limits', file: where, message: `${displayPath(files, posix.dirname(file))}: a Telegram HTML export cannot give ${HTML_LIMITS.join('; ')}` });
  }
  let index = 0;
  let delivered = skip;
  let lastEnd = 0;
  let localTimes = 0;
  let flagged = 0;
  let batch: ChatMessage[] = [];
  const ready: MessageBatch[] = [];
  let previous: { senderId: string | null; unixTime: number | null } | null = null;
  const cp = (done: boolean): Checkpoint => ({ source: TELEGRAM_HTML_SOURCE, file, messageIndex: delivered, byteOffset: lastEnd, fileSize, done, state: null });
  const onRecord = (rec: HtmlRecord) => {
    const parsed = parseHtmlRecord(rec, { chat, file, index, rawSha256: '', zone, now, previous });
    if (!parsed) return;
    const i = index++;
    previous = { senderId: parsed.message.type === 'message' ? parsed.message.senderId : previous?.senderId ?? null, unixTime: parsed.message.unixTime ?? previous?.unixTime ?? null };
    if (parsed.message.type === 'service') previous.senderId = null; // a service message breaks a run of joined messages
    if (i < skip) return;
    const message = { ...parsed.message, rawSha256: createHash('sha256').update(rec.raw, 'utf8').digest('hex') };
    if (message.media?.path?.startsWith('../')) message.media = { ...message.media, path: withinPageFolder(file, message.media.path) };
    if (parsed.localTime) localTimes++;
    if (message.flags.length) flagged++;
    batch.push(message);
    delivered = i + 1;
    lastEnd = rec.byteOffset + Buffer.byteLength(rec.raw, 'utf8');
    if (batch.length >= batchSize) {
      ready.push({ file, messages: batch, notices, checkpoint: cp(false) });
      batch = [];
      notices = [];
    }
  };
  const reader = new HtmlMessageReader(onRecord);
  let cut = false;
  try {
    const stream = await files.openStream(file);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      reader.write(decoder.write(chunk));
      if (ready.length) yield* ready.splice(0);
    }
    reader.write(decoder.end());
    cut = reader.end();
  } catch (err) {
    notices.push({ level: 'error', code: 'unreadable', file: where, offset: lastEnd, message: `${where} could not be read to the end (${(err as Error).message}); kept ${delivered} messages` });
  }
  if (ready.length) yield* ready.splice(0);
  if (cut) notices.push({ level: 'error', code: 'truncated', file: where, offset: lastEnd, message: `${where} ends before the page does (interrupted export?): kept ${delivered} complete messages, the last one ending at byte ${lastEnd}` });
  if (index === 0 && !from) notices.push({ level: 'warning', code: 'empty_export', file: where, message: `${where} has no messages` });
  if (localTimes) notices.push({ level: 'warning', code: 'local_time', file: where, count: localTimes, message: `${where}: ${localTimes} message time(s) have no UTC offset (an export older than Telegram Desktop 3.7.6): read as ${zone}${options.timeZone ? '' : ' (set --timezone to the exporting computer\'s zone)'}` });
  if (reader.oversized) notices.push({ level: 'warning', code: 'absurd_value', file: where, count: reader.oversized, message: `${where}: ${reader.oversized} message(s) are longer than the limit; each was cut there` });
  if (flagged) notices.push({ level: 'warning', code: 'absurd_value', file: where, count: flagged, message: `${where}: ${flagged} message(s) have an impossible or unreadable date; kept without it` });
  yield { file, messages: batch, notices, checkpoint: cp(true) };
}
