/**
 * Tables of scan jobs and of the embedded job queue as Kysely sees them (migration 202612010000-create-scan-job).
 * Nothing in clear that could name a person: an input's path is sealed, notices are redacted, payloads are ids.
 */
import type { Generated } from 'kysely';

export interface ScanJobTable {
  /** A UUID, the API's job id. */
  id: string;
  owner_key_id: number | null;
  /** queued | running | done | failed | cancelled */
  status: string;
  /** clusters | figures while finishing; null before. */
  phase: string | null;
  /** Shown for the input in reports ("upload.zip", or the path redacted). */
  label: string;
  /** JSON: the scan options (banks, region); no path. */
  options: string;
  /** The `scan` row the parts write under. */
  scan_id: number | null;
  created_at: string;
  finished_at: string | null;
  /** Redacted error text of a failed job. */
  error: string | null;
  /** JSON ScanReport when done (redacted as every report). */
  report: string | null;
}

export interface ScanJobPartTable {
  scan_job_id: string;
  part: number;
  /** The input's path, sealed (textSealer under the identifier key). */
  input: string;
  /** A folder to delete when the job ends (an upload's private folder), sealed; null for none. */
  cleanup: string | null;
  /** queued | running | done | failed */
  status: string;
  total_bytes: Generated<number | string>;
  bytes_done: Generated<number | string>;
  messages: Generated<number>;
  new_messages: Generated<number>;
  media_hashed: Generated<number>;
  /** JSON array of chat row ids the part read (set when done). */
  chat_ids: string | null;
  /** JSON array of redacted notices (bounded). */
  notices: string | null;
  updated_at: string;
}

/** The in-process queue of the SQLite default (PostgreSQL uses pg-boss's own tables). */
export interface JobQueueTable {
  id: string;
  name: string;
  /** JSON payload: ids and keyed references only. */
  payload: string;
  /** created | active | retry | completed | failed | cancelled */
  state: string;
  singleton_key: string | null;
  retry_count: number;
  retry_limit: number;
  start_after: string;
  /** JSON progress of the running handler. */
  progress: string | null;
  /** JSON: the last error (redacted) or the handler's result. */
  output: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}
