/**
 * The contract every chat source fills in (Telegram export, WhatsApp export, ...): detect its files in an
 * export, stream normalised messages in batches with a checkpoint after each batch, and resolve a message's
 * media reference to bytes through the safe-path checks. Sources never print; what went wrong with the input
 * comes back as notices that name the file, and the rest of the export is still read.
 *
 * A message carries no image bytes. Its text is returned for identifier detection only and must not be
 * stored; the scan stores a keyed hash of `rawSha256` instead, which lets whoever holds the original export and
 * the identifier key check it later. Every other string a source returns (chat names, paths, file names, notice
 * texts) is untrusted: services pass it through core/identifiers/redact-untrusted before storing or showing it,
 * so a new source needs no redaction of its own.
 */
import type { ExportFiles } from '../io/fs/export-files.js';
import { UnexposeError } from '../core/errors.js';

/** Source names are storage keys and never change. */
export type SourceName = 'telegram_export' | 'telegram_html' | 'whatsapp_export';

/**
 * Telegram chat types as exported, plus WhatsApp's ('whatsapp_chat' is what scans before group detection stored),
 * plus 'unknown'.
 */
export type ChatType =
  | 'personal_chat' | 'bot_chat' | 'saved_messages' | 'replies' | 'verification_codes' | 'private_group'
  | 'private_supergroup' | 'public_supergroup' | 'private_channel' | 'public_channel'
  | 'whatsapp_group' | 'whatsapp_personal' | 'whatsapp_chat' | 'unknown';

/** Chats with one other person (or oneself, or a bot): their name is a person's name and their id a person's id. */
export const PERSONAL_CHAT_TYPES: readonly ChatType[] = ['personal_chat', 'bot_chat', 'saved_messages', 'whatsapp_personal', 'whatsapp_chat'];

/**
 * True for a chat whose name and id identify a person (never stored in clear).
 * @example isPersonalChat('personal_chat') // true
 */
export function isPersonalChat(type: string | null): boolean {
  return type !== null && (PERSONAL_CHAT_TYPES as readonly string[]).includes(type);
}

export interface ChatRef {
  source: SourceName;
  /** Telegram: the bare chat id from the export, as text. Telegram HTML: "html:" + a hash of the pages' folder. WhatsApp: "wa:" + a hash of the chat file's path. */
  id: string;
  /** Chat title (or the other person's name in a personal chat: personal data); null when the export has none. */
  name: string | null;
  type: ChatType;
}

/** 'unknown' is WhatsApp's "<Media omitted>", which does not say what it was. */
export type MediaKind = 'photo' | 'video' | 'animation' | 'video_message' | 'voice' | 'sticker' | 'audio' | 'document' | 'contact' | 'unknown';

/** Why a media file is not in the export (Telegram placeholders, WhatsApp "<Media omitted>"). */
export type MediaMissing = 'not_included' | 'too_large' | 'unavailable' | 'omitted' | 'placeholder';

export interface MediaRef {
  kind: MediaKind;
  /** Untrusted path relative to the export files' root ("/"-separated); null when the file is missing. */
  path: string | null;
  missing: MediaMissing | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  fileSize: number | null;
  /** The sender's original file name (untrusted; may itself hold a phone number). */
  fileName: string | null;
}

/** A value in the input that cannot be right (negative size, date in 1970 or 2100): flagged, not fatal. */
export interface ValueFlag {
  field: string;
  value: string;
  why: string;
}

export interface ChatMessage {
  source: SourceName;
  chat: ChatRef;
  /** Telegram message id (negative for a migrated legacy group's history); WhatsApp: 1-based number in its file. */
  id: number;
  type: 'message' | 'service' | 'unsupported';
  /** Unix seconds, UTC; null when the input had no usable time. */
  unixTime: number | null;
  /**
   * Telegram "user123"/"channel123"/"chat123", or "name:" + the sender's name when the export has no id; Telegram
   * HTML "html:" + name + "#" + userpic colour; WhatsApp "wa:" + author as written. Names and numbers are personal
   * data: hash them.
   */
  senderId: string | null;
  /** The sender's name as the export writes it (personal data: for an evidence package only, never store it). */
  senderName?: string | null;
  /** True for a forwarded message. */
  forwarded: boolean;
  /** Name of the original sender of a forward, when known (Telegram exports no id for it). */
  forwardedFrom: string | null;
  /** The whole text, parts and entities joined. For identifier detection only: never store it. */
  text: string;
  /** Other untrusted text that can hold identifiers: file name, poll, venue, contact card. Never store. */
  extraText: string[];
  media: MediaRef | null;
  /** The phone number of a shared contact, as written. Personal data. */
  contactPhone: string | null;
  /** https://t.me/c/<chat id>/<message id> for supergroups and channels; null otherwise. */
  link: string | null;
  /** SHA-256 (hex) of the message's bytes exactly as they are in the export file. Never stored as is (see above). */
  rawSha256: string;
  /** Where it was read: the file (relative to the export files), its index in that file, its byte offset. */
  position: { file: string; index: number; offset: number };
  flags: ValueFlag[];
}

export type NoticeCode =
  | 'escape_repaired' | 'truncated' | 'not_an_export' | 'invalid_message' | 'absurd_value' | 'unsafe_path'
  | 'zip_entry_refused' | 'empty_export' | 'unreadable' | 'trailing_data' | 'local_time' | 'text_cut' | 'ambiguous_date_order'
  | 'unparsed_header' | 'format_limits'
  /** Input cut to stay within a resource limit (a too-long message, a video hashed only in part). */
  | 'media_cut' | 'input_cut';

/** Something about the input worth telling the user; `error` means part of a file could not be read. */
export interface IngestNotice {
  level: 'warning' | 'error';
  code: NoticeCode;
  /** Export label (folder or zip) plus the file inside it. */
  file: string;
  message: string;
  /** Byte offset in the file, when it helps. */
  offset?: number;
  count?: number;
}

/**
 * Where a stream stopped: enough to resume without duplicates. JSON-serialisable; store it as is and pass it
 * back as `from`. A checkpoint belongs to one export: the file's size must still match when resuming.
 */
export interface Checkpoint {
  source: SourceName;
  /** The message file it refers to, relative to the export files. */
  file: string;
  /** Messages of this file already delivered (the next index). */
  messageIndex: number;
  /** Byte offset just after the last delivered message. */
  byteOffset: number;
  fileSize: number;
  /** True when the file was read to its end: resuming skips it. */
  done: boolean;
  /** Source-specific parser state at byteOffset (opaque). */
  state: unknown;
}

export interface MessageBatch {
  file: string;
  messages: ChatMessage[];
  /** Notices raised while reading this batch (repairs, truncation, refused values). */
  notices: IngestNotice[];
  /** Resume point after this batch; also emitted with an empty batch at the end of each file (done: true). */
  checkpoint: Checkpoint;
}

export interface StreamOptions {
  /** Resume after this checkpoint (files before it are skipped, its file continues at its offset). */
  from?: Checkpoint;
  /** Messages per batch (default 1000). */
  batchSize?: number;
  /** Clock for plausibility checks, Unix seconds (default now). */
  now?: number;
  /** IANA zone of the phone or computer that wrote times without a zone (default: this machine's zone). */
  timeZone?: string;
}

/** A media file located in an export: read it (once) for hashing; for folders a checked local path too. */
export interface ResolvedMedia {
  /** "/"-separated path relative to the export files. */
  path: string;
  size: number;
  /** Checked absolute path when the export is a folder (for workers that read files themselves); null in a zip. */
  localPath: string | null;
  read(): Promise<Uint8Array>;
}

/**
 * A batch also ends once the messages in it add up to this many bytes of input, whatever batchSize says: with two
 * batches in flight, message texts in memory stay bounded when every message is as long as a source allows.
 */
export const MAX_BATCH_BYTES = 16 * 2 ** 20;

/** One export opened by a source. */
export interface OpenExport {
  readonly source: SourceName;
  readonly files: ExportFiles;
  /** The message files this source reads, in stream order (result.json files, chat .txt files). */
  readonly messageFiles: readonly string[];
  stream(options?: StreamOptions): AsyncGenerator<MessageBatch>;
  /** Locates a message's media file. Throws UnexposeError 'unsafe_path' (never read) or 'not_found'. */
  resolveMedia(message: Pick<ChatMessage, 'media' | 'position'>): Promise<ResolvedMedia>;
}

export interface ChatSource {
  readonly name: SourceName;
  /** The message files of this source among the export's files (empty when the export is not of this kind). */
  detect(files: ExportFiles, only?: string): Promise<string[]>;
  open(files: ExportFiles, messageFiles: string[]): OpenExport;
}

/** Image formats a photo hash reads; an SVG, a PDF or an icon is a document however it is labelled. */
const PHOTO_MIME = /^image\/(?:jpeg|jpg|pjpeg|png|webp|heic|heif|avif|bmp|tiff)$/i;
const VIDEO_MIME = /^(?:video\/|image\/gif$)/i;
const PHOTO_EXT = /\.(?:jpe?g|png|webp|heic|heif|avif|bmp|tiff?)$/i;
const VIDEO_EXT = /\.(?:mp4|m4v|mov|webm|mkv|avi|3gp|gif)$/i;

/**
 * 'photo', 'video' or 'other', as a scan counts media: GIF animations and round videos count as video; a document
 * counts by what it is (its MIME type, else its file name), so an SVG or a PDF is never a photo.
 * @example mediaClass({ kind: 'document', mime: 'image/svg+xml', ... }) // 'other'
 */
export function mediaClass(media: MediaRef | null): 'photo' | 'video' | 'other' | null {
  // A shared contact card is personal data, not media: it is searched for phone numbers, not counted as media.
  if (!media || media.kind === 'contact') return null;
  const name = media.fileName ?? media.path ?? '';
  if (media.kind === 'photo') {
    // Telegram's "photo" is always a picture; a WhatsApp file called a photo is judged by its name.
    if (media.mime && !PHOTO_MIME.test(media.mime)) return 'other';
    return !name || PHOTO_EXT.test(name) || !/\.\w{1,5}$/.test(name) ? 'photo' : 'other';
  }
  if (media.kind === 'video' || media.kind === 'animation' || media.kind === 'video_message') return 'video';
  if (media.kind === 'document') {
    if (media.mime) return PHOTO_MIME.test(media.mime) ? 'photo' : VIDEO_MIME.test(media.mime) ? 'video' : 'other';
    if (PHOTO_EXT.test(name)) return 'photo';
    if (VIDEO_EXT.test(name)) return 'video';
  }
  return 'other';
}

/** All text of a message to search for identifiers (text, file name, poll, venue, contact phone). */
export function identifierTexts(m: Pick<ChatMessage, 'text' | 'extraText' | 'contactPhone'>): string[] {
  const out = m.text ? [m.text] : [];
  out.push(...m.extraText);
  if (m.contactPhone) out.push(m.contactPhone);
  return out;
}

/**
 * Refuses to resume from a checkpoint made on a file of another size (the export changed under it).
 * @example checkResumable(from, 1024, 'result.json') // throws 'conflict' when from.fileSize is not 1024
 */
export function checkResumable(from: Checkpoint | undefined, fileSize: number, where: string): void {
  if (from && from.fileSize !== fileSize) {
    throw new UnexposeError('conflict', `checkpoint for ${where} was made on a file of ${from.fileSize} bytes; it now has ${fileSize}: start this file again`);
  }
}
