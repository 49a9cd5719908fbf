/**
 * Scan jobs and their parts (migration 202612010000): what the API shows of a scan running on workers, and the
 * state each part's worker writes. Finishing a part and sending the jobs that follow happen in one transaction,
 * with the job's row locked (PostgreSQL) so that two parts ending at once see each other.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ScanJobPartTable, ScanJobTable } from '../job-schema.js';
import type { Database } from '../schema.js';
import type { DialectName } from '../open-database.js';

export type ScanJobRow = Selectable<ScanJobTable>;
export type ScanJobPartRow = Selectable<ScanJobPartTable>;

export interface PartProgress {
  totalBytes: number;
  bytesDone: number;
  messages: number;
  newMessages: number;
  mediaHashed: number;
}

export class ScanJobRepo {
  constructor(readonly db: Kysely<Database>, private readonly dialect: DialectName) {}

  /** Creates the job and its parts; `then` runs in the same transaction (it sends the parts' jobs). */
  async create(job: { id: string; ownerKeyId: number | null; label: string; options: unknown; scanId: number; parts: { input: string; cleanup: string | null }[] },
    now: Date, then: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const at = now.toISOString();
      await trx.insertInto('scan_job').values({
        id: job.id, owner_key_id: job.ownerKeyId, status: 'queued', phase: null, label: job.label, options: JSON.stringify(job.options),
        scan_id: job.scanId, created_at: at, finished_at: null, error: null, report: null,
      }).execute();
      await trx.insertInto('scan_job_part').values(job.parts.map((p, part) => ({
        scan_job_id: job.id, part, input: p.input, cleanup: p.cleanup, status: 'queued', chat_ids: null, notices: null, updated_at: at,
      }))).execute();
      await then(trx);
    });
  }

  async get(id: string): Promise<ScanJobRow | undefined> {
    return this.db.selectFrom('scan_job').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async parts(id: string): Promise<ScanJobPartRow[]> {
    return this.db.selectFrom('scan_job_part').selectAll().where('scan_job_id', '=', id).orderBy('part').execute();
  }

  async part(id: string, part: number): Promise<ScanJobPartRow | undefined> {
    return this.db.selectFrom('scan_job_part').selectAll().where('scan_job_id', '=', id).where('part', '=', part).executeTakeFirst();
  }

  /** Jobs waiting or running. */
  async openCount(): Promise<number> {
    const r = await this.db.selectFrom('scan_job').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async markRunning(id: string, part: number, now: Date): Promise<void> {
    await this.db.updateTable('scan_job').set({ status: 'running' }).where('id', '=', id).where('status', '=', 'queued').execute();
    await this.db.updateTable('scan_job_part').set({ status: 'running', updated_at: now.toISOString() })
      .where('scan_job_id', '=', id).where('part', '=', part).where('status', 'in', ['queued', 'running']).execute();
  }

  async saveProgress(id: string, part: number, p: PartProgress, notices: unknown[], now: Date): Promise<void> {
    await this.db.updateTable('scan_job_part').set({
      total_bytes: p.totalBytes, bytes_done: p.bytesDone, messages: p.messages, new_messages: p.newMessages, media_hashed: p.mediaHashed,
      notices: JSON.stringify(notices), updated_at: now.toISOString(),
    }).where('scan_job_id', '=', id).where('part', '=', part).where('status', '=', 'running').execute();
  }

  /**
   * Marks a part done (or failed) with its figures; `then` gets whether every part is now finished, in the same
   * transaction (it sends the job that follows). A part already finished is left as it is (`then` sees false).
   */
  async finishPart(id: string, part: number, status: 'done' | 'failed', out: { progress?: PartProgress; chatIds: number[]; notices: unknown[] }, now: Date,
    then: (trx: Transaction<Database>, allDone: boolean) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select id from scan_job where id = ${id} for update`.execute(trx);
      const p = out.progress;
      const r = await trx.updateTable('scan_job_part').set({
        status, chat_ids: JSON.stringify(out.chatIds), notices: JSON.stringify(out.notices), updated_at: now.toISOString(),
        ...(p ? { total_bytes: p.totalBytes, bytes_done: p.bytesDone, messages: p.messages, new_messages: p.newMessages, media_hashed: p.mediaHashed } : {}),
      }).where('scan_job_id', '=', id).where('part', '=', part).where('status', 'in', ['queued', 'running']).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return then(trx, false);
      const open = await trx.selectFrom('scan_job_part').select('part').where('scan_job_id', '=', id).where('status', 'in', ['queued', 'running']).execute();
      await then(trx, open.length === 0);
    });
  }

  async setPhase(id: string, phase: string, trx?: Transaction<Database>): Promise<void> {
    await (trx ?? this.db).updateTable('scan_job').set({ phase }).where('id', '=', id).where('status', 'in', ['queued', 'running']).execute();
  }

  /** Ends the job (if still open); returns false when it had already ended. */
  async finish(id: string, status: 'done' | 'failed' | 'cancelled', out: { report?: unknown; error?: string }, now: Date): Promise<boolean> {
    const r = await this.db.updateTable('scan_job').set({
      status, finished_at: now.toISOString(), report: out.report === undefined ? null : JSON.stringify(out.report), error: out.error ?? null,
    }).where('id', '=', id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
