/**
 * Tables of scan results as Kysely sees them (migration 202611281400-create-scan). No message text, no image
 * bytes, no phone number or handle in clear: identifiers are HMACs plus a redacted display form.
 * Big integers (message ids, Unix times) come back from PostgreSQL as strings: read them with Number().
 */
import type { Generated } from 'kysely';

export interface ScanTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  /** running | finished | failed | interrupted */
  status: string;
  /** JSON: the export paths and options of the scan. */
  inputs: string;
  /** JSON: the summary figures when finished. */
  summary: string | null;
}

export interface ChatTable {
  id: Generated<number>;
  /** source + ":" + the chat's id in its export; stable across exports of the same chat. */
  chat_key: string;
  source: string;
  external_id: string;
  /** Group or channel title, redacted (redactUntrusted); null for personal chats (a person's name). */
  name: string | null;
  type: string;
  first_scan_id: number;
}

export interface MessageTable {
  chat_id: number;
  message_id: number | string;
  /** message | service | unsupported */
  type: string;
  unix_time: number | string | null;
  /** HMAC of the sender id (a WhatsApp sender is a name or a phone number). */
  sender_hmac: string | null;
  forwarded: number;
  /** photo | video | other | null */
  media_class: string | null;
  /**
   * HMAC-SHA256 under the identifier key of the SHA-256 (hex) of the message's bytes in the export: whoever holds
   * the original export and the key can check a message against it; nobody can confirm a guessed text without
   * the key. "sha256:<hex>" marks a row written before migration 202611301221, until the first run re-keys it.
   */
  raw_hmac: string;
  scan_id: number;
}

export interface MediaTable {
  id: Generated<number>;
  chat_id: number;
  message_id: number | string;
  media_class: string;
  media_kind: string;
  /** hashed | not_downloaded | error | unsafe_path */
  status: string;
  /** Why it was not hashed, redacted (redactUntrusted): error texts name files, and file names can name people. */
  error: string | null;
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  cluster_id: number | null;
  /** 1 once a clustering pass has looked for this media file's near copies. */
  clustered: Generated<number>;
}

/** A 16-bit band of a PDQ hash of a media file (photo, or a video frame), for finding near copies by index. */
export interface MediaBandTable {
  media_id: number;
  band: number;
  value: number;
}

export interface IdentifierFindingTable {
  chat_id: number;
  message_id: number | string;
  /** phone | handle */
  kind: string;
  platform: string | null;
  /** HMAC-SHA256 (server secret) of the normalised identifier. */
  hmac: string;
  /** Redacted, e.g. "+31 6 •••• ••78". */
  display: string;
  /** text | contact | file_name */
  found_in: string;
}

/** One signal of a hashed media file (migration 202611301210): a row per signal type, no fixed columns. */
export interface MediaSignalTable {
  media_id: number;
  signal_type: string;
  value: string;
  /** The value, or "sha256:<hex>" of it when long (vPDQ): what the lookup index holds. */
  value_key: string;
  quality: number | null;
}

/**
 * A bank entry matched by a message (its media, or an identifier in it). Holds the entry's id only: bank name,
 * labels, source reference and value are read from the entry, so deleting the entry deletes the match with it.
 */
export interface BankMatchTable {
  chat_id: number;
  message_id: number | string;
  entry_id: number;
  signal_type: string;
  distance: number;
  /** scan | retro */
  found_by: string;
  /** The scan that found it; null for a retro-match (found when the bank gained the entry). */
  scan_id: number | null;
  found_at: string;
}

export interface MediaClusterTable {
  id: number;
  media_class: string;
  /** The PDQ (or MD5) of the cluster's first post. */
  representative: string;
  posts: number;
  chats: number;
  senders: number;
  first_seen: number | string | null;
  last_seen: number | string | null;
}

export interface IngestCheckpointTable {
  /** Keyed hash (HMAC) of the export's real path: no path is stored, a path can name a person. */
  input_key: string;
  /** Keyed hash of the source name and the message file's name inside the export. */
  file: string;
  /** The chat source's JSON Checkpoint, sealed (AES-256-GCM under a key derived from the identifier key). */
  checkpoint: string;
  updated_at: string;
}

/** The fingerprint of the identifier key this database's hashes were made with (one row). */
export interface IdentifierKeyTable {
  key_id: string;
  created_at: string;
}

/** Which chats an export input holds, so that a resumed scan of a finished input still reports them. */
export interface InputChatTable {
  input_key: string;
  chat_id: number;
}
