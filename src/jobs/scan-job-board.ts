/**
 * Scans as the server and the CLI see them: submit (a scan job row, its parts, and one ExportScan job per part,
 * all in one transaction), status and progress read from the rows the workers write, events for a follower
 * (status, progress, notice, phase; polled from the rows, so a worker on another machine is followed the same),
 * cancel. Replaces the server's in-memory job list: a restart forgets nothing.
 */
import { randomUUID } from 'node:crypto';
import { redactUntrusted } from '../core/identifiers/index.js';
import type { ScanReport } from '../core/scan/scan-report.js';
import { textSealer } from '../io/crypto/sealed-text.js';
import type { ScanJobPartRow, ScanJobRow } from '../io/db/repos/scan-job-repo.js';
import type { IngestNotice } from '../ingest/chat-source.js';
import type { JobRuntime } from './job-runtime.js';
import { endScanJob, scanJobOptions, type ScanJobOptions } from './scan-job-rows.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export type JobEvent =
  | { type: 'status'; status: JobStatus; error?: string }
  | { type: 'progress'; bytesDone: number; totalBytes: number; messages: number; mediaHashed: number }
  | { type: 'notice'; level: string; code: string; file: string; message: string }
  | { type: 'phase'; phase: string };

export interface ScanJob {
  id: string;
  /** The API key that started it (only it, or an admin, may see it). */
  ownerKeyId: number | undefined;
  status: JobStatus;
  createdAt: string;
  finishedAt?: string;
  progress: { bytesDone: number; totalBytes: number; messages: number; mediaHashed: number };
  /** One line per part: what a worker is doing with each export. */
  parts: { part: number; status: string; messages: number; mediaHashed: number }[];
  error?: string;
  report?: ScanReport;
}

export interface ScanJobInput {
  /** Export folders or zips, one part each (shared out to workers). */
  paths: string[];
  /** Shown instead of the path in events and the report. */
  label: string;
  ownerKeyId?: number;
  /** A private folder to delete when the job ends (an upload's). */
  cleanupDir?: string;
  options?: ScanJobOptions;
}

/** How often a follower's rows are read. */
const FOLLOW_MS = 250;

function jobOf(row: ScanJobRow, parts: ScanJobPartRow[]): ScanJob {
  const sum = (k: 'bytes_done' | 'total_bytes' | 'messages' | 'media_hashed') => parts.reduce((a, p) => a + Number(p[k]), 0);
  return {
    id: row.id, ownerKeyId: row.owner_key_id ?? undefined, status: row.status as JobStatus, createdAt: row.created_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    progress: { bytesDone: sum('bytes_done'), totalBytes: sum('total_bytes'), messages: sum('messages'), mediaHashed: sum('media_hashed') },
    parts: parts.map((p) => ({ part: p.part, status: p.status, messages: Number(p.messages), mediaHashed: Number(p.media_hashed) })),
    ...(row.error ? { error: row.error } : {}),
    ...(row.report ? { report: JSON.parse(row.report) as ScanReport } : {}),
  };
}

export class ScanJobBoard {
  private cachedDepth = 0;
  private readonly followers = new Set<NodeJS.Timeout>();
  private readonly depthTimer: NodeJS.Timeout;

  constructor(private readonly rt: JobRuntime) {
    this.depthTimer = setInterval(() => void this.refreshDepth(), 5000).unref();
  }

  /** Queues a scan: the job, its parts and their ExportScan jobs are committed together. */
  async submit(input: ScanJobInput): Promise<ScanJob> {
    const key = await this.rt.key();
    const sealer = textSealer(key);
    const id = randomUUID();
    const now = this.rt.now();
    const options = scanJobOptions.parse(input.options ?? {});
    const scanId = await this.rt.store.scans.createScan({ paths: input.paths.map((p) => redactUntrusted(p)), banks: options.banks ?? null, job: id }, now);
    await this.rt.scanJobs.create({
      id, ownerKeyId: input.ownerKeyId ?? null, label: redactUntrusted(input.label), options, scanId,
      parts: input.paths.map((p, i) => ({ input: sealer.seal(p), cleanup: i === 0 && input.cleanupDir ? sealer.seal(input.cleanupDir) : null })),
    }, now, async (trx) => {
      for (let part = 0; part < input.paths.length; part++) await this.rt.queue.send('ExportScan', { scanJobId: id, part }, { tx: trx });
    });
    void this.refreshDepth();
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ScanJob | undefined> {
    const row = await this.rt.scanJobs.get(id);
    return row ? jobOf(row, await this.rt.scanJobs.parts(id)) : undefined;
  }

  /** Jobs waiting or running (as of the last look, at most a few seconds ago). */
  get depth(): number {
    return this.cachedDepth;
  }

  /**
   * Calls fn with the job's events: its status so far, then progress, notices and phases as the rows change, and
   * the final status; returns the unsubscribe function.
   */
  subscribe(id: string, fn: (e: JobEvent) => void): () => void {
    let status: string | undefined;
    let phase: string | null = null;
    let progress = '';
    let noticesSeen = new Map<number, number>();
    let busy = false;
    const emitProgress = (job: ScanJob) => {
      const now = JSON.stringify(job.progress);
      if (now !== progress) fn({ type: 'progress', ...job.progress });
      progress = now;
    };
    const look = async () => {
      if (busy) return;
      busy = true;
      try {
        const row = await this.rt.scanJobs.get(id);
        if (!row) return stop();
        const parts = await this.rt.scanJobs.parts(id);
        const job = jobOf(row, parts);
        if (status === undefined) fn({ type: 'status', status: 'queued' });
        if (job.status === 'running' && status !== 'running') fn({ type: 'status', status: 'running' });
        for (const p of parts) {
          const list = JSON.parse(p.notices ?? '[]') as IngestNotice[];
          for (const n of list.slice(noticesSeen.get(p.part) ?? 0)) fn({ type: 'notice', level: n.level, code: n.code, file: n.file, message: n.message });
          noticesSeen = noticesSeen.set(p.part, list.length);
        }
        if (row.phase && row.phase !== phase) fn({ type: 'phase', phase: row.phase });
        phase = row.phase;
        emitProgress(job);
        if (job.status !== 'queued' && job.status !== 'running') {
          fn({ type: 'status', status: job.status, ...(job.error ? { error: job.error } : {}) });
          stop();
        }
        status = job.status;
      } catch {
        // The database is away for a moment: the next look tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void look(), FOLLOW_MS);
    this.followers.add(timer);
    const stop = () => {
      clearInterval(timer);
      this.followers.delete(timer);
    };
    void look();
    return stop;
  }

  /** Stops a queued or running job (a running part stops after its current batch; what it stored is kept). */
  async cancel(id: string): Promise<boolean> {
    return endScanJob(this.rt, id, 'cancelled', {});
  }

  async close(): Promise<void> {
    clearInterval(this.depthTimer);
    for (const t of this.followers) clearInterval(t);
    this.followers.clear();
  }

  private async refreshDepth(): Promise<void> {
    this.cachedDepth = await this.rt.scanJobs.openCount().catch(() => this.cachedDepth);
  }
}
