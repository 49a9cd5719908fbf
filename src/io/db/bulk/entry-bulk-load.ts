/**
 * A bulk load of bank entries into one bank, the same on both databases. The usual path (buffered-entry-load.ts)
 * holds the rows in memory and writes them straight into bank_entry at commit; a load past its memory budget is
 * staged as follows: rows are staged (SQLite: a TEMP table
 * filled by prepared multi-row inserts; PostgreSQL: a temporary table filled by COPY), then moved into bank_entry by
 * one INSERT ... SELECT in key order inside one transaction, duplicates (of the bank, and within the file) left
 * out by the unique key. Atomic: an import stopped before commit() leaves the bank exactly as it was.
 */
export interface StagedEntry {
  signalType: string;
  /** The unique key (signalKey of the signal): the value itself unless it is long. */
  key: string;
  /** The full value when the key is its hash (longSignal of the signal), else null: a value is stored once. */
  longSignal: string | null;
  quality: number | null;
  sourceRef: string | null;
  /** Labels as JSON text, or null for none. */
  labels: string | null;
  display: string | null;
}

/** What commit() moved: the new rows of the bank are exactly those with afterId < id <= lastId. */
export interface BulkLoadResult {
  staged: number;
  added: number;
  afterId: number;
  lastId: number;
  /** Milliseconds per step of commit() (e.g. copyEnd, move, changeLog), for the benchmark. */
  phases: Record<string, number>;
}

export interface EntryBulkLoad {
  /** Buffers one row; true when the buffer is full and flush() should be awaited before more rows. */
  push(row: StagedEntry): boolean;
  /** Writes the buffered rows to the staging table. */
  flush(): Promise<void>;
  /** Moves every staged row into the bank in one transaction. */
  commit(): Promise<BulkLoadResult>;
  /** Drops the staged rows (the bank is left as it was). Safe to call after a failure. */
  discard(): Promise<void>;
}

/** Rows buffered between flushes. */
export const BULK_BUFFER_ROWS = 20_000;
