/**
 * WhatsApp "Export chat" text files as a chat source (Android `WhatsApp Chat with <name>.txt`, iOS `_chat.txt`,
 * in a folder or a zip, with or without media beside them). A first pass over the whole file settles its header
 * format, the day/month order and whether it is a group (see ChatSurvey); the second pass streams messages
 * (multi-line bodies joined, WhatsApp's own lines as 'service', media markers as media refs, the phone's local
 * time read in the given IANA zone and stored as UTC) with a checkpoint at each batch's end. A personal chat's
 * name is a person's: it is dropped. A file cut inside a character is reported.
 * Hostile input stays bounded: a line is kept up to MAX_LINE_BYTES and a message's text up to MAX_MESSAGE_BYTES
 * (WhatsApp allows 65,536 characters); what is longer is cut, counted and reported, and the rest is read.
 */
import { createHash, type Hash } from 'node:crypto';
import { posix } from 'node:path';
import { redactUntrusted } from '../../core/identifiers/redact-untrusted.js';
import type { ExportFiles } from '../../io/fs/export-files.js';
import { checkResumable, MAX_BATCH_BYTES, type ChatMessage, type ChatRef, type ChatSource, type Checkpoint, type IngestNotice, type MessageBatch, type StreamOptions } from '../chat-source.js';
import { displayPath, openExportOf } from '../export-location.js';
import { checkTimeZone, machineTimeZone, zonedUnixTime } from '../local-time.js';
import { headerWallSeconds, isSystemText, looksLikeHeader, parseHeaderLine, splitAuthor, type HeaderLine } from './whatsapp-line.js';
import { mediaFromLine } from './whatsapp-media.js';
import { ChatSurvey, isWhatsAppHead, type SurveyResult } from './whatsapp-survey.js';

export const WHATSAPP_SOURCE = 'whatsapp_export';
const DEFAULT_BATCH = 1000;
/** 2009-01-01: no WhatsApp message is older. */
const WHATSAPP_EPOCH = 1_230_768_000;

/** Longest line kept (bytes); the rest of a longer line is skipped. */
export const MAX_LINE_BYTES = 256 * 1024;
/** Most text kept of one message (bytes, all its lines): WhatsApp's own limit is 65,536 characters. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Lines of a file's head read to decide whether it is a chat. */
const HEAD_LINES = 2000;
const HEAD_BYTES = 256 * 1024;

interface WaState {
  shape: string | null;
  dayFirst: boolean;
  group: boolean;
  zone: string;
  /** Line number (1-based) of the next line to read. */
  line: number;
}

interface ByteLine {
  /** The line's bytes, at most maxBytes of them (with its "\n" unless cut). */
  bytes: Buffer;
  offset: number;
  /** Byte offset after the whole line, cut part included. */
  end: number;
  /** Bytes of the line that were dropped (over maxBytes). */
  cut: number;
}

/** Lines of a byte stream with their byte offsets; the last line may lack "\n"; a line over maxBytes is cut. */
async function* byteLines(stream: AsyncIterable<Buffer>, start: number, maxBytes = MAX_LINE_BYTES): AsyncGenerator<ByteLine> {
  let carry: Buffer | null = null;
  let carryAt = start;
  let cut = 0;
  let pos = start;
  const keep = (head: Buffer | null, more: Buffer): Buffer => {
    const room = maxBytes - (head?.length ?? 0);
    if (more.length > room) cut += more.length - Math.max(0, room);
    if (head && room <= 0) return head; // full: count the rest, copy nothing
    const kept = room > 0 ? more.subarray(0, room) : more.subarray(0, 0);
    return head ? Buffer.concat([head, kept]) : Buffer.from(kept);
  };
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl + 1);
      const bytes: Buffer = carry || piece.length > maxBytes ? keep(carry, piece) : piece;
      yield { bytes, offset: carry ? carryAt : pos + from, end: pos + nl + 1, cut };
      carry = null;
      cut = 0;
      from = nl + 1;
    }
    if (from < chunk.length) {
      if (!carry) carryAt = pos + from;
      carry = keep(carry, chunk.subarray(from));
    }
    pos += chunk.length;
  }
  if (carry) yield { bytes: carry, offset: carryAt, end: pos, cut };
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

async function surveyLines(files: ExportFiles, rel: string, maxLines: number, maxBytes: number): Promise<SurveyResult> {
  const survey = new ChatSurvey();
  const stream = await files.openStream(rel);
  let n = 0;
  try {
    for await (const l of byteLines(stream as AsyncIterable<Buffer>, 0)) {
      survey.add(lineText(l.bytes));
      if (++n >= maxLines || l.end >= maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  return survey.result();
}

export const whatsappSource: ChatSource = {
  name: WHATSAPP_SOURCE,
  async detect(files, only) {
    const named = only ?? files.only;
    const candidates = named ? [named] : (await files.list()).filter((f) => /\.txt$/i.test(f));
    const out: string[] = [];
    for (const f of candidates) {
      try {
        if (isWhatsAppHead(await surveyLines(files, f, HEAD_LINES, HEAD_BYTES))) out.push(f);
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

async function* streamChat(files: ExportFiles, file: string, from: Checkpoint | undefined, options: StreamOptions): AsyncGenerator<MessageBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // A personal chat's file is named after the other person: notices name it by its chat id instead.
  let where = `WhatsApp chat ${whatsappChatId(file, files.label)}`;
  const fileSize = await files.size(file);
  checkResumable(from, fileSize, where);
  let notices: IngestNotice[] = [];
  let state: WaState;
  const saved = from?.state as Partial<WaState> | undefined;
  if (saved && typeof saved.dayFirst === 'boolean' && typeof saved.zone === 'string' && typeof saved.line === 'number') {
    state = saved as WaState;
    if (state.group) where = displayPath(files, file);
  } else {
    const zone = options.timeZone ? checkTimeZone(options.timeZone) : machineTimeZone();
    const survey = await surveyLines(files, file, Infinity, Infinity);
    state = { shape: survey.shape, dayFirst: survey.dayFirst, group: survey.group, zone, line: 1 };
    if (state.group) where = displayPath(files, file);
    notices.push({ level: 'warning', code: 'local_time', file: where, message: `${where}: WhatsApp writes the phone's local time without a zone; read as ${zone}${options.timeZone ? '' : " (this machine's zone; set --timezone to change it)"} and stored as UTC` });
    const order = survey.dayFirst ? 'day before month' : 'month before day';
    if (survey.conflicting) notices.push({ level: 'warning', code: 'ambiguous_date_order', file: where, message: `${where}: some dates read only day-first and others only month-first; read as ${order} (the majority)` });
    else if (survey.ambiguous) notices.push({ level: 'warning', code: 'ambiguous_date_order', file: where, message: `${where}: no date in the file tells day from month (all are 12 or less); read as ${order}, the order with fewer steps back in time` });
  }
  const { shape, dayFirst, zone } = state;
  const chat: ChatRef = {
    source: WHATSAPP_SOURCE, id: whatsappChatId(file, files.label),
    // A personal chat is named after the other person: never keep it.
    name: state.group ? whatsappChatName(file, files.label) : null,
    type: state.group ? 'whatsapp_group' : 'whatsapp_personal',
  };
  let delivered = from?.messageIndex ?? 0;
  let lastEnd = from?.byteOffset ?? 0;
  let lineNo = state.line;
  let lineAtEnd = lineNo;
  let batch: ChatMessage[] = [];
  let badDates = 0;
  let orphan = 0;
  let unparsed = 0;
  let firstUnparsed = 0;
  let cutMessages = 0;
  let batchBytes = 0;
  const cp = (done: boolean): Checkpoint => ({ source: WHATSAPP_SOURCE, file, messageIndex: delivered, byteOffset: lastEnd, fileSize, done, state: { ...state, line: lineAtEnd } satisfies WaState });

  let cur: { header: HeaderLine; lines: string[]; textBytes: number; cut: boolean; hash: Hash; offset: number; end: number; endLine: number } | null = null;
  const finish = () => {
    if (!cur) return;
    const { author, text: first, marked } = splitAuthor(cur.header.rest);
    const media = author !== null ? mediaFromLine(first) : null;
    const service = author === null || (marked && !media) || (!media && isSystemText(first, author));
    const body = media ? cur.lines : [first, ...cur.lines];
    const wall = headerWallSeconds(cur.header, { dayFirst });
    const written = wall === null ? null : zonedUnixTime(wall, zone);
    // WhatsApp began in 2009; a date before it or days ahead of now cannot be right.
    const unixTime = written !== null && written >= WHATSAPP_EPOCH && written <= now + 2 * 86_400 ? written : null;
    if (unixTime === null) badDates++;
    const index = delivered++;
    batch.push({
      source: WHATSAPP_SOURCE, chat, id: index + 1, type: service ? 'service' : 'message', unixTime,
      senderId: service ? null : `wa:${author}`, senderName: service ? null : author, forwarded: false, forwardedFrom: null,
      text: body.join('\n').replace(/[\u200e\u202a\u202c]/g, ''), extraText: media?.fileName ? [media.fileName] : [],
      media: service ? null : media, contactPhone: null, link: null,
      rawSha256: cur.hash.digest('hex'),
      position: { file, index, offset: cur.offset }, flags: unixTime === null ? [{ field: 'date', value: `${cur.header.a}/${cur.header.b}/${cur.header.c} ${cur.header.hour}:${cur.header.minute}`, why: 'impossible date' }] : [],
    });
    lastEnd = cur.end;
    lineAtEnd = cur.endLine;
    batchBytes += cur.textBytes;
    if (cur.cut) cutMessages++;
    cur = null;
  };

  let truncated = false;
  try {
    const stream = (await files.openStream(file, lastEnd)) as AsyncIterable<Buffer>;
    for await (const l of byteLines(stream, lastEnd)) {
      const text = lineText(l.bytes);
      const at = lineNo++;
      if (l.end === fileSize && l.cut === 0 && endsInsideUtf8Character(l.bytes)) truncated = true;
      const h = parseHeaderLine(text);
      if (h && h.shape === shape) {
        finish();
        if (batch.length >= batchSize || batchBytes >= MAX_BATCH_BYTES) {
          yield { file, messages: batch, notices, checkpoint: cp(false) };
          batch = [];
          batchBytes = 0;
          notices = [];
        }
        // The digest covers the message's bytes as kept (a line over MAX_LINE_BYTES counts up to its cut).
        cur = { header: h, lines: [], textBytes: l.bytes.length, cut: l.cut > 0, hash: createHash('sha256').update(l.bytes), offset: l.offset, end: l.end, endLine: lineNo };
        continue;
      }
      if (h || looksLikeHeader(text)) {
        // Starts like a header but not in this file's format: kept with the message before it, and said.
        if (!unparsed) firstUnparsed = at;
        unparsed++;
      }
      if (cur) {
        if (cur.textBytes + l.bytes.length <= MAX_MESSAGE_BYTES) {
          cur.lines.push(text);
          cur.textBytes += l.bytes.length;
        } else cur.cut = true;
        if (l.cut > 0) cur.cut = true;
        cur.hash.update(l.bytes);
        cur.end = l.end;
        cur.endLine = lineNo;
      } else if (text.trim()) {
        orphan++;
        lastEnd = l.end;
        lineAtEnd = lineNo;
      }
    }
  } catch (err) {
    notices.push({ level: 'error', code: 'unreadable', file: where, offset: lastEnd, message: `${where} could not be read to the end (${(err as Error).message}); kept ${delivered + (cur ? 1 : 0)} messages` });
  }
  finish();
  if (truncated) notices.push({ level: 'error', code: 'truncated', file: where, offset: lastEnd, message: `${where} ends inside a character (cut off?): kept ${delivered} messages; the last one may be incomplete` });
  if (delivered === 0 && !from) notices.push({ level: 'warning', code: 'empty_export', file: where, message: `${where} has no WhatsApp messages` });
  if (orphan) notices.push({ level: 'warning', code: 'invalid_message', file: where, count: orphan, message: `${where}: ${orphan} line(s) before the first message were skipped` });
  if (unparsed) notices.push({ level: 'warning', code: 'unparsed_header', file: where, count: unparsed, message: `${where}: ${unparsed} line(s) start like a message header but not in this file's format (the first is line ${firstUnparsed}); each was kept as part of the message before it` });
  if (cutMessages) notices.push({ level: 'warning', code: 'input_cut', file: where, count: cutMessages, message: `${where}: ${cutMessages} message(s) longer than ${MAX_MESSAGE_BYTES / 1024} KiB (or with a line that long) were cut to that length` });
  if (badDates) notices.push({ level: 'warning', code: 'absurd_value', file: where, count: badDates, message: `${where}: ${badDates} message(s) have an impossible date; kept without a time` });
  yield { file, messages: batch, notices, checkpoint: cp(true) };
}
