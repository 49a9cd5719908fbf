/**
 * Telegram Desktop "Machine-readable JSON" exports as a chat source: single-chat and full account exports,
 * in a folder or a zip, streamed message by message (see JsonMessageScanner) with a checkpoint after every
 * batch. Invalid `\xHH` escapes are repaired and reported; an interrupted export keeps every complete
 * message and says where it stopped; a JSON file that is not an export, or a message that cannot be read,
 * becomes a notice naming the file while the rest goes on.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ExportFiles } from '../../io/fs/export-files.js';
import { checkResumable, MAX_BATCH_BYTES, type ChatMessage, type ChatRef, type ChatSource, type Checkpoint, type IngestNotice, type MessageBatch, type OpenExport, type StreamOptions } from '../chat-source.js';
import { displayPath, openExportOf } from '../export-location.js';
import { checkTimeZone } from '../local-time.js';
import { JsonMessageScanner, MAX_KEPT_STRING, MAX_MESSAGE_BYTES, repairHexEscapes, type ChatMeta, type ScannedMessage, type ScannerState } from './json-message-scanner.js';
import { chatTypeOf, parseTelegramRecord } from './telegram-record.js';

export const TELEGRAM_SOURCE = 'telegram_export';
export const DEFAULT_BATCH_SIZE = 1000;
/** Invalid messages reported one by one per file; beyond this only counted. */
const MAX_DETAILED_NOTICES = 20;

const SINGLE_KEYS = new Set(['name', 'type', 'id', 'messages']);
const FULL_KEYS = new Set(['about', 'personal_information', 'profile_pictures', 'stories', 'contacts', 'frequent_contacts', 'sessions', 'web_sessions', 'other_data', 'chats', 'left_chats']);

export type SniffResult = { ok: true; layout: 'single' | 'full' } | { ok: false; reason: string };

/**
 * Tells from a file's first bytes whether it looks like a Telegram JSON export, by its first key.
 * @example sniffTelegramExport(new TextEncoder().encode('{\n "name": "x",')) // { ok: true, layout: 'single' }
 */
export function sniffTelegramExport(head: Uint8Array): SniffResult {
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, '');
  const m = /^\s*(\{|\[|.)\s*(?:"((?:[^"\\]|\\.){0,64})")?/s.exec(text);
  if (!m || m[1] !== '{') return { ok: false, reason: m?.[1] === '[' ? 'it holds a JSON list, not an object' : 'it is not a JSON object' };
  if (m[2] === undefined) return /^\s*\{\s*\}?\s*$/.test(text) ? { ok: false, reason: 'it is an empty JSON object' } : { ok: false, reason: 'its first key cannot be read' };
  if (SINGLE_KEYS.has(m[2])) return { ok: true, layout: 'single' };
  if (FULL_KEYS.has(m[2])) return { ok: true, layout: 'full' };
  return { ok: false, reason: `its first key is "${m[2]}", which no Telegram export starts with` };
}

async function readHead(files: ExportFiles, rel: string, max = 4096): Promise<Uint8Array> {
  const stream = await files.openStream(rel);
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parts.push(chunk);
    n += chunk.length;
    if (n >= max) break;
  }
  stream.destroy();
  return Buffer.concat(parts).subarray(0, max);
}

export const telegramSource: ChatSource = {
  name: TELEGRAM_SOURCE,
  async detect(files, only) {
    const named = only ?? files.only;
    const candidates = named ? [named] : (await files.list()).filter((f) => posix.basename(f).toLowerCase() === 'result.json');
    const out: string[] = [];
    for (const f of candidates) {
      try {
        if (sniffTelegramExport(await readHead(files, f)).ok) out.push(f);
      } catch {
        /* unreadable: not ours; the registry reports inputs nobody recognises */
      }
    }
    return out;
  },
  open(files, messageFiles) {
    return openTelegramExport(files, messageFiles);
  },
};

function openTelegramExport(files: ExportFiles, messageFiles: string[]): OpenExport {
  return openExportOf(TELEGRAM_SOURCE, files, messageFiles, streamFile);
}

async function* streamFile(files: ExportFiles, file: string, from: Checkpoint | undefined, options: StreamOptions): AsyncGenerator<MessageBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const zone = options.timeZone ? checkTimeZone(options.timeZone) : 'UTC';
  const where = displayPath(files, file);
  const fileSize = await files.size(file);
  let offset = 0;
  let state: ScannerState | undefined;
  if (from) {
    checkResumable(from, fileSize, where);
    offset = from.byteOffset;
    state = from.state as ScannerState;
  }
  const scanner = new JsonMessageScanner(offset, state);
  const chats = new Map<number, ChatRef>();
  const chatRef = (meta: ChatMeta): ChatRef => {
    let c = chats.get(meta.ordinal);
    if (!c || c.id !== (meta.id ?? `${file}#${meta.ordinal}`) || c.name !== meta.name) {
      c = { source: TELEGRAM_SOURCE, id: meta.id ?? `${file}#${meta.ordinal}`, name: meta.name, type: chatTypeOf(meta.type) };
      chats.set(meta.ordinal, c);
    }
    return c;
  };
  let batch: ChatMessage[] = [];
  let batchBytes = 0;
  let notices: IngestNotice[] = [];
  const ready: MessageBatch[] = [];
  let invalid = 0;
  let flagged = 0;
  let firstFlag = '';
  let localTimes = 0;
  let lastEnd = offset;
  let delivered = from?.messageIndex ?? 0;
  const checkpoint = (done: boolean): Checkpoint => ({ source: TELEGRAM_SOURCE, file, messageIndex: delivered, byteOffset: lastEnd, fileSize, done, state: done ? null : scanner.state() });
  const bad = (m: ScannedMessage, why: string) => {
    invalid++;
    if (invalid <= MAX_DETAILED_NOTICES) notices.push({ level: 'error', code: 'invalid_message', file: where, offset: m.offset, message: `message ${m.index + 1} at byte ${m.offset} of ${where} cannot be read (${why}); skipped` });
  };
  const onMessage = (m: ScannedMessage) => {
    lastEnd = m.end;
    delivered = m.index + 1;
    if (m.tooLarge !== undefined) {
      bad(m, `it is ${m.tooLarge} bytes, over the limit of ${MAX_MESSAGE_BYTES / 2 ** 20} MiB for one message`);
      return;
    }
    const rawSha256 = createHash('sha256').update(m.raw).digest('hex');
    let obj: unknown;
    let json = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength).toString('utf8');
    if (m.hasHexEscape) json = repairHexEscapes(json).text;
    try {
      obj = JSON.parse(json);
    } catch (err) {
      bad(m, (err as Error).message);
    }
    if (obj !== undefined) {
      let rec: ReturnType<typeof parseTelegramRecord>;
      try {
        rec = parseTelegramRecord(obj, { chat: chatRef(m.chat), file, index: m.index, offset: m.offset, rawSha256, now, timeZone: zone });
      } catch (err) {
        rec = `its content cannot be read (${(err as Error).message})`; // a crafted shape (deep nesting): skip it, go on
      }
      if (typeof rec === 'string') bad(m, rec);
      else {
        const absurd = rec.flags.filter((f) => f.field !== 'date');
        if (absurd.length < rec.flags.length) localTimes++;
        if (absurd.length) {
          flagged++;
          if (!firstFlag) firstFlag = `message ${rec.id}: ${absurd[0].field} ${absurd[0].value} (${absurd[0].why})`;
        }
        batch.push(rec);
        batchBytes += m.raw.length;
      }
    }
    if (batch.length >= batchSize || batchBytes >= MAX_BATCH_BYTES) {
      ready.push({ file, messages: batch, notices, checkpoint: checkpoint(false) });
      batch = [];
      batchBytes = 0;
      notices = [];
    }
  };

  let readError: Error | null = null;
  try {
    const stream = await files.openStream(file, offset);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanner.push(chunk, onMessage);
      if (ready.length) yield* ready.splice(0);
      if (scanner.error) {
        stream.destroy();
        break;
      }
    }
  } catch (err) {
    readError = err as Error;
  }

  const kept = scanner.messageCount;
  if (readError) {
    notices.push({ level: 'error', code: 'unreadable', file: where, offset: scanner.offset, message: `${where} could not be read to the end (${readError.message}); kept ${kept} messages before byte ${lastEnd}` });
  } else if (scanner.error) {
    const notExport = !scanner.sawMessagesArray && kept === 0;
    notices.push({
      level: 'error', code: notExport ? 'not_an_export' : 'unreadable', file: where, offset: scanner.error.offset,
      message: notExport ? `${where} is not a Telegram export: ${scanner.error.message}` : `${where} has invalid JSON at byte ${scanner.error.offset} (${scanner.error.message}); kept ${kept} messages before it`,
    });
  } else if (!scanner.complete) {
    const inside = scanner.insideMessage ? `inside a message that starts at byte ${scanner.messageStart}` : `at byte ${scanner.offset}`;
    if (!scanner.sawMessagesArray && kept === 0) {
      notices.push({ level: 'error', code: scanner.offset === 0 ? 'empty_export' : 'truncated', file: where, offset: scanner.offset, message: scanner.offset === 0 ? `${where} is empty` : `${where} ends ${inside} before any message (interrupted export?)` });
    } else {
      notices.push({ level: 'error', code: 'truncated', file: where, offset: lastEnd, message: `${where} ends ${inside} (interrupted export?): kept ${kept} complete messages, the last one ending at byte ${lastEnd}` });
    }
  } else if (!scanner.sawMessagesArray) {
    const keys = scanner.topLevelKeys.slice(0, 8).map((k) => `"${k}"`).join(', ');
    notices.push({ level: 'error', code: 'not_an_export', file: where, message: `${where} is not a Telegram export: it has no "messages" list (top-level keys: ${keys || 'none'})` });
  } else if (kept === 0 && !from) {
    notices.push({ level: 'warning', code: 'empty_export', file: where, message: `${where} is a Telegram export without messages` });
  }
  if (scanner.trailingAt >= 0) notices.push({ level: 'warning', code: 'trailing_data', file: where, offset: scanner.trailingAt, message: `${where} has extra data after the export ends, at byte ${scanner.trailingAt}; ignored` });
  if (scanner.hexEscapes > 0) {
    notices.push({ level: 'warning', code: 'escape_repaired', file: where, offset: scanner.firstHexEscapeAt, count: scanner.hexEscapes, message: `${where}: repaired ${scanner.hexEscapes} invalid \\xHH escape(s) (Telegram writes control characters that way), the first at byte ${scanner.firstHexEscapeAt}` });
  }
  if (scanner.stringsCut > 0) {
    notices.push({ level: 'warning', code: 'input_cut', file: where, count: scanner.stringsCut, message: `${where}: ${scanner.stringsCut} chat name(s) or key(s) longer than ${MAX_KEPT_STRING / 1024} KiB were cut to that length` });
  }
  if (invalid > MAX_DETAILED_NOTICES) notices.push({ level: 'error', code: 'invalid_message', file: where, count: invalid, message: `${where}: ${invalid} messages could not be read in all (the first ${MAX_DETAILED_NOTICES} are listed)` });
  if (localTimes > 0) notices.push({ level: 'warning', code: 'local_time', file: where, count: localTimes, message: `${where}: ${localTimes} message(s) have no date_unixtime (an export older than Telegram Desktop 3.7.6): their local time was read as ${zone}${options.timeZone ? '' : ' (set --timezone to the exporting computer\'s zone)'}` });
  if (flagged > 0) notices.push({ level: 'warning', code: 'absurd_value', file: where, count: flagged, message: `${where}: ${flagged} message(s) have impossible values, kept with the value left out (first: ${firstFlag})` });
  yield { file, messages: batch, notices, checkpoint: checkpoint(true) };
}
