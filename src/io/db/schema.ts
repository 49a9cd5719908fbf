/**
 * The database's tables as Kysely sees them. Each feature adds its tables with its own migration under
 * migrations/ and its interface here (one line in Database). Booleans are integers 0/1 and times ISO-8601 text,
 * so the same rows work on SQLite and PostgreSQL; labels are JSON arrays in text.
 */
import type { Generated } from 'kysely';
import type {
  BankMatchTable, ChatTable, IdentifierFindingTable, IdentifierKeyTable, IngestCheckpointTable, InputChatTable, MediaBandTable, MediaClusterTable,
  MediaSignalTable, MediaTable, MessageTable, ScanTable,
} from './scan-schema.js';
import type { JobQueueTable, ScanJobPartTable, ScanJobTable } from './job-schema.js';
import type { NoticeEventTable, NoticeLocationTable, NoticeTable, ReappearanceTable } from './notice-schema.js';

export interface BankTable {
  id: Generated<number>;
  name: string;
  description: string;
  source: string;
  enabled: number;
  /** 1 for a negative bank: known false positives that must never produce a match. */
  negative: number;
  /** JSON object: threshold by signal type name, e.g. {"pdq":31}; a type not named uses its default. */
  thresholds: string;
  min_quality: number;
  labels: string;
  created_at: string;
  updated_at: string;
}

export interface BankEntryTable {
  id: Generated<number>;
  bank_id: number;
  signal_type: string;
  /**
   * Unique per bank and type: the normalised value itself (lower-case hex), or "sha256:<hex>" of it when longer than
   * 128 characters (the canonical JSON of a video's vPDQ frames). The value is stored once: see long_signal.
   */
  signal_key: string;
  /** The full value when signal_key is its SHA-256 (longer than 128 characters); null otherwise. */
  long_signal: string | null;
  quality: number | null;
  added_at: string;
  added_by: string;
  source_ref: string | null;
  labels: string | null;
  /** Redacted form of an identifier entry ("+31 6 •••• ••78"); null for media hashes. */
  display: string | null;
  /** Set by flood quarantine: the entry stops producing matches until released. */
  quarantined_at: string | null;
  quarantine_reason: string | null;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  /** SHA-256 (hex) of the key; the key itself is shown once and never stored. */
  key_hash: string;
  /** The key's first characters, to tell keys apart in a list. */
  key_prefix: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

/** A victim's case (migration 202611301320): case number, argon2id PIN hash, her bank; nothing else about her. */
export interface VictimCaseTable {
  id: Generated<number>;
  case_number: string;
  pin_hash: string;
  bank_id: number;
  language: string;
  created_at: string;
  failed_attempts: Generated<number>;
  locked_until: string | null;
}

/** One committed bank write (migration 202612010050): entry ids added and removed, as JSON id ranges. */
export interface BankChangeTable {
  seq: Generated<number>;
  origin: string;
  added: string;
  removed: string;
  changed_at: string;
}

export interface Database {
  api_key: ApiKeyTable;
  bank_change: BankChangeTable;
  bank: BankTable;
  bank_entry: BankEntryTable;
  scan: ScanTable;
  chat: ChatTable;
  message: MessageTable;
  media: MediaTable;
  media_signal: MediaSignalTable;
  media_band: MediaBandTable;
  identifier_finding: IdentifierFindingTable;
  bank_match: BankMatchTable;
  media_cluster: MediaClusterTable;
  ingest_checkpoint: IngestCheckpointTable;
  input_chat: InputChatTable;
  identifier_key: IdentifierKeyTable;
  notice: NoticeTable;
  notice_location: NoticeLocationTable;
  notice_event: NoticeEventTable;
  reappearance: ReappearanceTable;
  victim_case: VictimCaseTable;
  scan_job: ScanJobTable;
  scan_job_part: ScanJobPartTable;
  job_queue: JobQueueTable;
}
