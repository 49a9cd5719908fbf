/**
 * Turns one batch of chat messages into the rows a scan stores: message metadata (never text), identifier
 * findings (keyed hash + redacted form, never the clear value), media signals (hashed in memory by the worker
 * pool; the bytes are never stored) and bank matches of media and of identifiers. Messages already stored are
 * skipped before any work is done.
 */
import type { Insertable } from 'kysely';
import { isFailedHash, type MediaHashResult } from '../../core/content/media-hash.js';
import { querySignals, storedSignals } from '../../core/content/media-signals.js';
import { describeError, UnexposeError } from '../../core/errors.js';
import { findIdentifiers, identifierKey, isCutForFinding, MAX_TEXT_EXAMINED, redactUntrusted, type IdentifierOptions } from '../../core/identifiers/index.js';
import type { CandidateHit } from '../../core/match/resolve-matches.js';
import { isPersonalChat, mediaClass, type ChatMessage, type IngestNotice, type OpenExport } from '../../ingest/chat-source.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import type { MatchRow } from '../../io/db/repos/match-repo.js';
import type { MediaRow, MessageBatchRows, ScanRepo } from '../../io/db/repos/scan-repo.js';
import type { IdentifierFindingTable, MessageTable } from '../../io/db/scan-schema.js';
import type { HashFileOptions } from '../hash-file.js';
import type { HashPool } from '../hash-media.js';
import type { SignalMatcher } from '../match/signal-matcher.js';
import { keyedChatId, keyedMessageDigest } from './untrusted-keys.js';
import { ByteGate } from './byte-gate.js';

/**
 * Media bytes read but not yet hashed, per scan and worker (both batches in flight share the gate): media wait
 * for room before they are read, so memory does not grow with the number of messages that point at large files.
 */
export const MEDIA_BYTES_IN_FLIGHT_PER_WORKER = 32 * 2 ** 20;
/** ... and never less than this in all (a photo larger than the gate goes alone). */
export const MIN_MEDIA_BYTES_IN_FLIGHT = 64 * 2 ** 20;

/** Sender HMACs cached per scan (about 200 bytes each): an export of a million made-up senders stays at ~20 MB. */
export const MAX_CACHED_SENDER_HMACS = 100_000;

/** A gate for one scan's media bytes in flight, sized for the pool's workers. */
export function createMediaGate(workers: number): ByteGate {
  return new ByteGate(Math.max(MIN_MEDIA_BYTES_IN_FLIGHT, workers * MEDIA_BYTES_IN_FLIGHT_PER_WORKER));
}

export interface BatchContext {
  scanId: number;
  repo: ScanRepo;
  key: IdentifierKey;
  pool: HashPool;
  hashOptions: HashFileOptions;
  identifierOptions: IdentifierOptions;
  /** Matches signals against the enabled banks; absent when there are no banks. */
  matcher?: SignalMatcher;
  /** Whether some bank holds identifier entries (phone, handle): only then are findings looked up. */
  matchIdentifiers: boolean;
  now: () => Date;
  /** Sender id -> HMAC, kept for the scan (a chat has thousands of messages per sender; HMAC objects are costly). */
  senderHmacs: Map<string, string>;
  /** Bounds media bytes read but not yet hashed (see MEDIA_BYTES_IN_FLIGHT_PER_WORKER); one per scan. */
  mediaGate: ByteGate;
}

export interface BatchOutcome {
  rows: MessageBatchRows;
  newMessages: number;
  hashed: number;
  notices: IngestNotice[];
}

/** Groups a batch's messages by chat (the stored chat key is keyed, see processBatch). */
export function chatKeyOf(m: ChatMessage): string {
  return `${m.source}:${m.chat.id}`;
}

function findingsOf(m: ChatMessage, chatId: number, key: IdentifierKey, opts: IdentifierOptions, notices: IngestNotice[]): Insertable<IdentifierFindingTable>[] {
  const texts: [string, string][] = [];
  if (m.text) texts.push([m.text, 'text']);
  for (const t of m.extraText) texts.push([t, m.media?.fileName === t ? 'file_name' : 'text']);
  if (m.media?.fileName && !m.extraText.includes(m.media.fileName)) texts.push([m.media.fileName, 'file_name']);
  if (m.contactPhone) texts.push([m.contactPhone, 'contact']);
  const out = new Map<string, Insertable<IdentifierFindingTable>>();
  const cut = texts.find(([text]) => isCutForFinding(text));
  if (cut) {
    notices.push({ level: 'warning', code: 'text_cut', file: m.position.file, offset: m.position.offset,
      message: `${m.position.file}: message ${m.id} has ${cut[0].length} characters of text; identifiers were looked for in the first ${MAX_TEXT_EXAMINED} only` });
  }
  for (const [text, foundIn] of texts) {
    for (const f of findIdentifiers(text, opts)) {
      const hmac = key.hmac(identifierKey(f));
      if (out.has(hmac)) continue;
      out.set(hmac, {
        chat_id: chatId, message_id: m.id, kind: f.kind, platform: f.kind === 'handle' ? f.platform : null,
        hmac, display: f.display, found_in: foundIn,
      });
    }
  }
  return [...out.values()];
}

function senderHmac(id: string, ctx: BatchContext): string {
  let h = ctx.senderHmacs.get(id);
  if (h === undefined) {
    h = ctx.key.hmac(id);
    if (ctx.senderHmacs.size < MAX_CACHED_SENDER_HMACS) ctx.senderHmacs.set(id, h);
  }
  return h;
}

function messageRow(m: ChatMessage, chatId: number, ctx: BatchContext): Insertable<MessageTable> {
  return {
    chat_id: chatId, message_id: m.id, type: m.type, unix_time: m.unixTime,
    sender_hmac: m.senderId ? senderHmac(`sender:${m.source}:${m.senderId}`, ctx) : null,
    forwarded: m.forwarded ? 1 : 0, media_class: mediaClass(m.media), raw_hmac: keyedMessageDigest(ctx.key, m.rawSha256), scan_id: ctx.scanId,
  };
}

type MediaOutcome = MediaHashResult | { status: string; error: string };

/**
 * Hashes one message's media file, or says why it was not hashed. The file waits at the scan's byte gate before
 * it is read (a worker reads a folder's file itself, so its size counts too), and a file that several messages
 * of the batch point at is read and hashed once (`seen`).
 */
async function hashMessageMedia(m: ChatMessage, exp: OpenExport, ctx: BatchContext, seen: Map<string, Promise<MediaOutcome>>): Promise<MediaOutcome> {
  let resolved;
  try {
    resolved = await exp.resolveMedia(m);
  } catch (err) {
    // A file named in the chat but left out of the export (WhatsApp "<attached: …>" without the file) was not downloaded.
    const code = err instanceof UnexposeError ? err.code : null;
    const status = code === 'unsafe_path' ? 'unsafe_path' : code === 'not_found' ? 'not_downloaded' : 'error';
    return { status, error: describeError(err) };
  }
  const already = seen.get(resolved.path);
  if (already) return already;
  const work = (async (): Promise<MediaOutcome> => {
    const release = await ctx.mediaGate.acquire(resolved.size);
    try {
      if (resolved.localPath) return await ctx.pool.run({ path: resolved.localPath, opts: ctx.hashOptions });
      return await ctx.pool.run({ path: resolved.path, opts: ctx.hashOptions, bytes: await resolved.read() });
    } catch (err) {
      return { status: 'error', error: describeError(err) };
    } finally {
      release();
    }
  })();
  seen.set(resolved.path, work);
  return work;
}

function mediaRow(m: ChatMessage, chatId: number, cls: string, h: MediaOutcome | null): MediaRow {
  const base = {
    chat_id: chatId, message_id: m.id, media_class: cls, media_kind: m.media!.kind,
    width: m.media!.width, height: m.media!.height, duration_seconds: m.media!.durationSeconds,
  };
  if (h === null) return { row: { ...base, status: m.media!.path === null ? 'not_downloaded' : 'skipped', error: null }, signals: [] };
  // Error texts name files, and a file name can name a person: stored redacted, like everything from an export.
  if ('status' in h) return { row: { ...base, status: h.status, error: redactUntrusted(h.error) }, signals: [] };
  if (isFailedHash(h)) return { row: { ...base, status: 'error', error: redactUntrusted(h.error) }, signals: [] };
  const row = h.kind === 'photo'
    ? { ...base, status: 'hashed', error: null }
    : { ...base, status: 'hashed', error: null, width: h.width, height: h.height, duration_seconds: h.durationSeconds };
  return { row, signals: storedSignals(h) };
}

function matchRows(m: ChatMessage, chatId: number, ctx: BatchContext, matched: CandidateHit[]): MatchRow[] {
  const foundAt = ctx.now().toISOString();
  return matched.map((hit) => ({
    chat_id: chatId, message_id: m.id, entry_id: hit.entry.id, signal_type: hit.entry.signalType, distance: hit.distance,
    found_by: 'scan', scan_id: ctx.scanId, found_at: foundAt,
  }));
}

/**
 * Processes a batch: skips stored messages, hashes the new ones' media in parallel, finds identifiers, matches.
 * @example const { rows } = await processBatch(batch.messages, openExport, ctx); await repo.saveBatch(rows, now)
 */
export async function processBatch(messages: ChatMessage[], exp: OpenExport, ctx: BatchContext): Promise<BatchOutcome> {
  const rows: MessageBatchRows = { messages: [], media: [], findings: [], matches: [], chatIds: [] };
  const notices: IngestNotice[] = [];
  const byChat = new Map<string, ChatMessage[]>();
  for (const m of messages) {
    const list = byChat.get(chatKeyOf(m));
    if (list) list.push(m);
    else byChat.set(chatKeyOf(m), [m]);
  }
  let hashed = 0;
  const work: Promise<void>[] = [];
  const seenMedia = new Map<string, Promise<MediaOutcome>>();
  for (const [chatKey, list] of byChat) {
    const chat = list[0].chat;
    const personal = isPersonalChat(chat.type);
    const name = personal || chat.name === null ? null : redactUntrusted(chat.name, ctx.identifierOptions);
    // An id made from a name (WhatsApp: the chat file's name) or a person's id (a personal chat) is keyed.
    const externalId = keyedChatId(ctx.key, list[0].source, chat.id, personal);
    const chatId = await ctx.repo.chatId({ chatKey: `${list[0].source}:${externalId}`, source: list[0].source, externalId, name, type: chat.type }, ctx.scanId);
    rows.chatIds.push(chatId);
    const stored = await ctx.repo.existingMessageIds(chatId, list.map((m) => m.id));
    const seen = new Set<number>();
    for (const m of list) {
      if (stored.has(m.id) || seen.has(m.id)) continue;
      seen.add(m.id);
      rows.messages.push(messageRow(m, chatId, ctx));
      const findings = findingsOf(m, chatId, ctx.key, ctx.identifierOptions, notices);
      rows.findings.push(...findings);
      if (ctx.matcher && ctx.matchIdentifiers && findings.length > 0) {
        const { matched } = await ctx.matcher.match(`message ${m.id}`, findings.map((f) => ({ type: f.kind, value: f.hmac })));
        rows.matches.push(...matchRows(m, chatId, ctx, matched));
      }
      const cls = mediaClass(m.media);
      if (!m.media || !cls) continue;
      if (cls === 'other' || m.media.path === null) {
        rows.media.push(mediaRow(m, chatId, cls, null));
        continue;
      }
      work.push((async () => {
        const h = await hashMessageMedia(m, exp, ctx, seenMedia);
        rows.media.push(mediaRow(m, chatId, cls, h));
        if ('status' in h) {
          if (h.status === 'not_downloaded') return;
          notices.push({ level: 'warning', code: h.status === 'unsafe_path' ? 'unsafe_path' : 'unreadable', file: m.position.file, message: h.error });
          return;
        }
        if (isFailedHash(h)) {
          notices.push({ level: 'warning', code: 'unreadable', file: m.position.file, message: `${m.media!.path}: ${h.error}` });
          return;
        }
        hashed++;
        if (h.kind === 'video' && h.notes?.length) {
          notices.push({ level: 'warning', code: 'media_cut', file: m.position.file, message: `${m.media!.path}: ${h.notes.join('; ')}` });
        }
        if (ctx.matcher) rows.matches.push(...matchRows(m, chatId, ctx, (await ctx.matcher.match(m.media!.path ?? '', querySignals(h))).matched));
      })());
    }
  }
  await Promise.all(work);
  return { rows, newMessages: rows.messages.length, hashed, notices };
}
