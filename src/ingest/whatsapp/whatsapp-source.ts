/**
 * WhatsApp "Export chat" text files as a chat source (Android `WhatsApp Chat with <name>.txt`, iOS `_chat.txt`,
 * in a folder or a zip, with or without media beside them). A first pass over the file's headers settles the
 * date order; the second pass streams messages (multi-line bodies joined, system messages as 'service', media
 * markers as media refs) with a checkpoint at each batch's end. A file cut inside a character is reported.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { UnexposeError } from '../../core/errors.js';
import { redactUntrusted } from '../../core/identifiers/redact-untrusted.js';
import type { ExportFiles } from '../../io/fs/export-files.js';
import type { ChatMessage, ChatRef, ChatSource, Checkpoint, IngestNotice, MessageBatch, StreamOptions } from '../chat-source.js';
import { displayPath, openExportOf } from '../export-location.js';
import { DateOrderVote, headerUnixTime, mediaFromLine, parseHeaderLine, splitAuthor, type DateOrder } from './whatsapp-line.js';

export const WHATSAPP_SOURCE = 'whatsapp_export';
const DEFAULT_BATCH = 1000;
/** 2009-01-01: no WhatsApp message is older. */
const WHATSAPP_EPOCH = 1_230_768_000;

interface WaState {
  order: DateOrder;
}

/** Lines of a byte stream with their byte offsets; the last line may lack "\n". */
async function* byteLines(stream: AsyncIterable<Buffer>, start: number): AsyncGenerator<{ bytes: Buffer; offset: number; end: number }> {
  let carry: Buffer | null = null;
  let carryAt = start;
  let pos = start;
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl + 1);
      const bytes: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
      yield { bytes, offset: carry ? carryAt : pos + from, end: pos + nl + 1 };
      carry = null;
      from = nl + 1;
    }
    if (from < chunk.length) {
      if (!carry) carryAt = pos + from;
      carry = carry ? Buffer.concat([carry, chunk.subarray(from)]) : Buffer.from(chunk.subarray(from));
    }
    pos += chunk.length;
  }
  if (carry) yield { bytes: carry, offset: carryAt, end: pos };
}

/** True when the bytes end in the middle of a UTF-8 sequence (a file cut off while written or copied). */
export function endsInsideUtf8Character(b: Uint8Array): boolean {
  for (let back = 1; back <= Math.min(4, b.length); back++) {
    const c = b[b.length - back];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back;
  }
  return false;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const lineText = (b: Buffer) => decoder.decode(b).replace(/\r?\n$/, '');

/**
 * "WhatsApp Chat with Groep X.txt" → "Groep X"; "_chat.txt" → its folder's name. A personal chat with an
 * unsaved contact is named after their phone number: that number is redacted ("+31 6 •••• ••78").
 */
export function whatsappChatName(file: string, exportLabel = ''): string {
  const base = chatBase(file, exportLabel);
  const m = /^(?:WhatsApp Chat (?:with|mit|met|-)|Chat de WhatsApp con|Conversa do WhatsApp com|Discussion WhatsApp avec|Chat WhatsApp con)\s*-?\s*(.+)$/i.exec(base);
  const name = m ? m[1].trim() : base || 'WhatsApp chat';
  return redactUntrusted(name);
}

/** The chat file's name without .txt; iOS's "_chat.txt" takes the name of its folder or zip instead. */
function chatBase(file: string, exportLabel: string): string {
  const base = posix.basename(file).replace(/\.txt$/i, '');
  if (base !== '_chat') return base;
  const dir = posix.dirname(file);
  const holder = dir !== '.' ? posix.basename(dir) : exportLabel.split(/[\\/]/).filter(Boolean).pop() ?? '';
  return holder.replace(/\.zip$/i, '');
}

/**
 * A stable chat id ("wa:" + 16 hex digits of a hash, so no name or number is in it) from the chat's file name
 * (iOS: its folder or zip name), the same whether the export is read from a folder or a zip.
 */
export function whatsappChatId(file: string, exportLabel = ''): string {
  return `wa:${createHash('sha256').update(chatBase(file, exportLabel)).digest('hex').slice(0, 16)}`;
}

async function firstLines(files: ExportFiles, rel: string, n: number): Promise<string[]> {
  const out: string[] = [];
  const stream = await files.openStream(rel);
  for await (const l of byteLines(stream as AsyncIterable<Buffer>, 0)) {
    const t = lineText(l.bytes);
    if (t.trim()) out.push(t);
    if (out.length >= n || l.end > 64 * 1024) break;
  }
  stream.destroy();
  return out;
}

export const whatsappSource: ChatSource = {
  name: WHATSAPP_SOURCE,
  async detect(files, only) {
    const named = only ?? files.only;
    const candidates = named ? [named] : (await files.list()).filter((f) => /\.txt$/i.test(f));
    const out: string[] = [];
    for (const f of candidates) {
      try {
        const lines = await firstLines(files, f, 5);
        if (lines.length > 0 && lines.filter((l) => parseHeaderLine(l)).length >= Math.min(2, lines.length) && parseHeaderLine(lines[0])) out.push(f);
      } catch {
        /* unreadable: not ours */
      }
    }
    return out;
  },
  open(files, messageFiles) {
    return openExportOf(WHATSAPP_SOURCE, files, messageFiles, streamChat);
  },
};

async function settleOrder(files: ExportFiles, file: string): Promise<DateOrder> {
  const vote = new DateOrderVote();
  for await (const l of byteLines((await files.openStream(file)) as AsyncIterable<Buffer>, 0)) {
    const h = parseHeaderLine(lineText(l.bytes));
    if (h) vote.add(h);
  }
  return vote.result();
}

async function* streamChat(files: ExportFiles, file: string, from: Checkpoint | undefined, options: StreamOptions): AsyncGenerator<MessageBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const where = displayPath(files, file);
  const fileSize = await files.size(file);
  if (from && from.fileSize !== fileSize) throw new UnexposeError('conflict', `checkpoint for ${where} was made on a file of ${from.fileSize} bytes; it now has ${fileSize}: start this file again`);
  const order = from ? (from.state as WaState).order : await settleOrder(files, file);
  const chat: ChatRef = { source: WHATSAPP_SOURCE, id: whatsappChatId(file, files.label), name: whatsappChatName(file, files.label), type: 'whatsapp_chat' };
  let delivered = from?.messageIndex ?? 0;
  let lastEnd = from?.byteOffset ?? 0;
  let batch: ChatMessage[] = [];
  let notices: IngestNotice[] = [];
  let badDates = 0;
  let orphan = 0;
  const cp = (done: boolean): Checkpoint => ({ source: WHATSAPP_SOURCE, file, messageIndex: delivered, byteOffset: lastEnd, fileSize, done, state: { order } satisfies WaState });

  let cur: { header: NonNullable<ReturnType<typeof parseHeaderLine>>; lines: string[]; raw: Buffer[]; offset: number; end: number } | null = null;
  const finish = () => {
    if (!cur) return;
    const { author, text: first } = splitAuthor(cur.header.rest);
    const media = author !== null ? mediaFromLine(first) : null;
    const body = media ? cur.lines : [first, ...cur.lines];
    const written = headerUnixTime(cur.header, order);
    // WhatsApp began in 2009; a date before it or days ahead of now cannot be right.
    const unixTime = written !== null && written >= WHATSAPP_EPOCH && written <= now + 2 * 86_400 ? written : null;
    if (unixTime === null) badDates++;
    const index = delivered++;
    batch.push({
      source: WHATSAPP_SOURCE, chat, id: index + 1, type: author === null ? 'service' : 'message', unixTime,
      senderId: author === null ? null : `wa:${author}`, forwarded: false, forwardedFrom: null,
      text: body.join('\n').replace(/[\u200e\u202a\u202c]/g, ''), extraText: media?.fileName ? [media.fileName] : [],
      media, contactPhone: null, link: null,
      rawSha256: createHash('sha256').update(Buffer.concat(cur.raw)).digest('hex'),
      position: { file, index, offset: cur.offset }, flags: unixTime === null ? [{ field: 'date', value: `${cur.header.a}/${cur.header.b}/${cur.header.c} ${cur.header.hour}:${cur.header.minute}`, why: 'impossible date' }] : [],
    });
    lastEnd = cur.end;
    cur = null;
  };

  let truncated = false;
  try {
    const stream = (await files.openStream(file, lastEnd)) as AsyncIterable<Buffer>;
    for await (const l of byteLines(stream, lastEnd)) {
      const text = lineText(l.bytes);
      if (l.end === fileSize && endsInsideUtf8Character(l.bytes)) truncated = true;
      const h = parseHeaderLine(text);
      if (h) {
        finish();
        if (batch.length >= batchSize) {
          yield { file, messages: batch, notices, checkpoint: cp(false) };
          batch = [];
          notices = [];
        }
        cur = { header: h, lines: [], raw: [l.bytes], offset: l.offset, end: l.end };
      } else if (cur) {
        cur.lines.push(text);
        cur.raw.push(l.bytes);
        cur.end = l.end;
      } else if (text.trim()) {
        orphan++;
        lastEnd = l.end;
      }
    }
  } catch (err) {
    notices.push({ level: 'error', code: 'unreadable', file: where, offset: lastEnd, message: `${where} could not be read to the end (${(err as Error).message}); kept ${delivered + (cur ? 1 : 0)} messages` });
  }
  finish();
  if (truncated) notices.push({ level: 'error', code: 'truncated', file: where, offset: lastEnd, message: `${where} ends inside a character (cut off?): kept ${delivered} messages; the last one may be incomplete` });
  if (delivered === 0 && !from) notices.push({ level: 'warning', code: 'empty_export', file: where, message: `${where} has no WhatsApp messages` });
  if (orphan) notices.push({ level: 'warning', code: 'invalid_message', file: where, count: orphan, message: `${where}: ${orphan} line(s) before the first message were skipped` });
  if (badDates) notices.push({ level: 'warning', code: 'absurd_value', file: where, count: badDates, message: `${where}: ${badDates} message(s) have an impossible date; kept without a time` });
  yield { file, messages: batch, notices, checkpoint: cp(true) };
}
