/**
 * Scans run as background jobs inside the server: one at a time (a scan uses every core), the rest wait in a
 * queue. Each job keeps its progress, a bounded list of its events (replayed to a late subscriber), and its
 * report when done. An uploaded export's private folder is deleted when its job ends, whatever the outcome.
 * Jobs live in memory: the scan's data is in the store, the job list is not (a restart forgets finished jobs).
 */
import { randomUUID } from 'node:crypto';
import { describeError } from '../core/errors.js';
import type { ScanReport } from '../core/scan/scan-report.js';
import type { IdentifierKey } from '../io/crypto/identifier-key.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { ClusterRepo } from '../io/db/repos/cluster-repo.js';
import type { MatchRepo } from '../io/db/repos/match-repo.js';
import type { ScanRepo } from '../io/db/repos/scan-repo.js';
import { createHashPool } from './hash-media.js';
import { scanExports, ScanInterrupted, type ScanEvent } from './scan/scan-exports.js';

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
  error?: string;
  report?: ScanReport;
}

export interface ScanJobInput {
  path: string;
  /** Shown instead of the path in events and the report (an upload's temporary folder is nobody's business). */
  label: string;
  ownerKeyId?: number;
  /** Runs when the job ends (deletes an upload's folder). */
  cleanup?: () => Promise<void>;
}

/** Events kept per job for late subscribers. */
const MAX_EVENTS_KEPT = 500;
/** Finished jobs kept in memory. */
const MAX_FINISHED_KEPT = 100;

interface JobSlot {
  job: ScanJob;
  input: ScanJobInput;
  events: JobEvent[];
  subscribers: Set<(e: JobEvent) => void>;
  abort: AbortController;
}

export interface ScanJobDeps {
  scans: ScanRepo;
  banks: BankRepo;
  matches: MatchRepo;
  clusters: ClusterRepo;
  key: () => Promise<IdentifierKey>;
  /** Hashing threads (the compiled worker) or this thread (tests on the sources). */
  poolMode: 'threads' | 'inline';
  workers?: number;
}

export class ScanJobs {
  private readonly slots = new Map<string, JobSlot>();
  private readonly queue: JobSlot[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly deps: ScanJobDeps) {}

  /** Queues a scan; it starts when the one before it ends. */
  submit(input: ScanJobInput): ScanJob {
    const job: ScanJob = {
      id: randomUUID(), ownerKeyId: input.ownerKeyId, status: 'queued', createdAt: new Date().toISOString(),
      progress: { bytesDone: 0, totalBytes: 0, messages: 0, mediaHashed: 0 },
    };
    const slot: JobSlot = { job, input, events: [], subscribers: new Set(), abort: new AbortController() };
    this.slots.set(job.id, slot);
    this.queue.push(slot);
    this.emit(slot, { type: 'status', status: 'queued' });
    this.pump();
    this.forgetOld();
    return job;
  }

  get(id: string): ScanJob | undefined {
    return this.slots.get(id)?.job;
  }

  /** Jobs waiting or running. */
  get depth(): number {
    return [...this.slots.values()].filter((s) => s.job.status === 'queued' || s.job.status === 'running').length;
  }

  /** Calls fn with every event so far, then each new one; returns the unsubscribe function. */
  subscribe(id: string, fn: (e: JobEvent) => void): () => void {
    const slot = this.slots.get(id);
    if (!slot) return () => {};
    for (const e of slot.events) fn(e);
    slot.subscribers.add(fn);
    return () => slot.subscribers.delete(fn);
  }

  /** Stops a queued or running job (a running scan stops after its current batch; its data so far is kept). */
  cancel(id: string): boolean {
    const slot = this.slots.get(id);
    if (!slot || (slot.job.status !== 'queued' && slot.job.status !== 'running')) return false;
    slot.abort.abort();
    const at = this.queue.indexOf(slot);
    if (at >= 0) {
      this.queue.splice(at, 1);
      void this.finish(slot, 'cancelled');
    }
    return true;
  }

  /** Cancels everything and waits for the running scan to stop. */
  async close(): Promise<void> {
    for (const s of [...this.queue]) this.cancel(s.job.id);
    for (const s of this.slots.values()) if (s.job.status === 'running') s.abort.abort();
    await this.running;
  }

  private pump(): void {
    if (this.running) return;
    const slot = this.queue.shift();
    if (!slot) return;
    this.running = this.runJob(slot).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private async runJob(slot: JobSlot): Promise<void> {
    slot.job.status = 'running';
    this.emit(slot, { type: 'status', status: 'running' });
    const hide = (text: string) => text.split(slot.input.path).join(slot.input.label);
    const pool = createHashPool({ mode: this.deps.poolMode, workers: this.deps.workers });
    try {
      const { scans, banks, matches, clusters } = this.deps;
      const report = await scanExports({ scans, banks, matches, clusters, pool, key: await this.deps.key() }, [slot.input.path],
        { signal: slot.abort.signal }, (e: ScanEvent) => this.onScanEvent(slot, e, hide));
      slot.job.report = JSON.parse(hide(JSON.stringify(report))) as ScanReport;
      await this.finish(slot, 'done');
    } catch (err) {
      slot.job.error = hide(describeError(err));
      await this.finish(slot, err instanceof ScanInterrupted || slot.abort.signal.aborted ? 'cancelled' : 'failed');
    } finally {
      await pool.close();
    }
  }

  private onScanEvent(slot: JobSlot, e: ScanEvent, hide: (t: string) => string): void {
    const p = slot.job.progress;
    if (e.type === 'start') p.totalBytes = e.totalBytes;
    else if (e.type === 'progress') {
      p.bytesDone = e.progress.done;
      p.messages = e.progress.counts?.messages ?? p.messages;
      p.mediaHashed = e.progress.counts?.mediaHashed ?? p.mediaHashed;
      this.emit(slot, { type: 'progress', ...p });
    } else if (e.type === 'notice') {
      this.emit(slot, { type: 'notice', level: e.notice.level, code: e.notice.code, file: hide(e.notice.file), message: hide(e.notice.message) });
    } else if (e.type === 'phase') this.emit(slot, { type: 'phase', phase: e.phase });
  }

  private async finish(slot: JobSlot, status: JobStatus): Promise<void> {
    slot.job.status = status;
    slot.job.finishedAt = new Date().toISOString();
    try {
      await slot.input.cleanup?.();
    } finally {
      this.emit(slot, { type: 'status', status, ...(slot.job.error ? { error: slot.job.error } : {}) });
      slot.subscribers.clear();
    }
  }

  private emit(slot: JobSlot, e: JobEvent): void {
    if (slot.events.length < MAX_EVENTS_KEPT || e.type === 'status') slot.events.push(e);
    for (const fn of slot.subscribers) fn(e);
  }

  private forgetOld(): void {
    const finished = [...this.slots.values()].filter((s) => s.job.finishedAt);
    for (const s of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_KEPT))) this.slots.delete(s.job.id);
  }
}
