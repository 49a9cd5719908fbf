/**
 * The fast path of a bulk load (issue 11): rows wait in memory (entry-buffer.ts), and commit() writes them straight
 * into bank_entry in one transaction, in key order, each key once, without a staging table. A load too big for
 * the memory budget (or with a row the buffer cannot hold) falls back to the staging load of its database: the
 * rows held so far are handed to it in file order, and it carries on from there. Atomic either way.
 */
import { EntryBuffer } from './entry-buffer.js';
import type { BulkLoadResult, EntryBulkLoad, StagedEntry } from './entry-bulk-load.js';

/** Memory the rows of one load may take before it stages them instead (~90 bytes a PDQ row: 1.5 GiB is ~15M rows). */
export const BULK_MEMORY_BYTES = 1.5 * 2 ** 30;

/** Writes buffered rows into the bank in one transaction (the database's own part). */
export type WriteBuffered = (rows: EntryBuffer, staged: number) => Promise<BulkLoadResult>;

export class BufferedEntryLoad implements EntryBulkLoad {
  private buffer: EntryBuffer | undefined = new EntryBuffer();
  private staging: EntryBulkLoad | undefined;
  private pending: StagedEntry[] = [];

  constructor(private readonly write: WriteBuffered, private readonly openStaging: () => Promise<EntryBulkLoad>,
    private readonly memoryBytes = BULK_MEMORY_BYTES) {}

  push(row: StagedEntry): boolean {
    if (this.staging) return this.staging.push(row);
    if (this.pending.length > 0 || !this.buffer?.push(row)) {
      this.pending.push(row);
      return true;
    }
    return this.buffer.bytes > this.memoryBytes;
  }

  async flush(): Promise<void> {
    if (this.staging) return this.staging.flush();
    if (this.pending.length === 0 && (this.buffer?.bytes ?? 0) <= this.memoryBytes) return;
    await this.spill();
  }

  async commit(): Promise<BulkLoadResult> {
    if (this.pending.length > 0) await this.spill();
    if (this.staging) return this.staging.commit();
    const buffer = this.buffer ?? new EntryBuffer();
    this.buffer = undefined;
    try {
      return await this.write(buffer, buffer.size);
    } finally {
      buffer.clear();
    }
  }

  async discard(): Promise<void> {
    this.buffer?.clear();
    this.buffer = undefined;
    this.pending = [];
    await this.staging?.discard();
  }

  /** Hands every row so far, in file order, to the staging load. */
  private async spill(): Promise<void> {
    const staging = await this.openStaging();
    this.staging = staging;
    const buffer = this.buffer;
    this.buffer = undefined;
    const rows = buffer?.size ?? 0;
    for (let i = 0; i < rows; i++) if (staging.push((buffer as EntryBuffer).row(i))) await staging.flush();
    buffer?.clear();
    for (const r of this.pending) if (staging.push(r)) await staging.flush();
    this.pending = [];
    await staging.flush();
  }
}
