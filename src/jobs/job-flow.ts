/**
 * The one table that says what follows what, which role runs each job, and how each is retried. A handler sends
 * the jobs listed under `next` (and only those: the boot check holds it to this table), in the same transaction
 * as the rows that make them due.
 *
 *   POST /v1/scans ─▶ ExportScan × inputs ──(last part done)──▶ ClusterUpdate ──▶ ScanReport ──▶ (done)
 *   POST /v1/banks/:name/import | /identifiers ─(entries committed)─▶ BankRetroMatch ──▶ (done)
 *   unexpose notices send --queue ─▶ NoticeSend × notices ──▶ (sent; or dead after the SMTP retries)
 *
 * Roles (after HMA's split, so each scales on its own):
 * - hasher: reads exports and hashes media in memory; writes only its own part's rows (messages, media signals,
 *   findings, matches, the sealed checkpoint) batch by batch, and its part's state. Never banks, clusters or notices.
 * - matcher: read-only lookups (the replicas' side, issue 14); no job of the scan chain runs here.
 * - curator: the only writer of shared state — banks, clusters, reports, retro-matches, the notices outbox (and
 *   the only role that sends mail: UNEXPOSE_SMTP_URL is set on curators).
 */
import type { JobName, WorkerRole } from './job-names.js';

export interface JobPolicy {
  role: Exclude<WorkerRole, 'all'>;
  /** Jobs this one's handler may send. */
  next: JobName[];
  /** When it sends them. */
  when: string;
  /** Attempts after the first before the job is dead (state `failed`, retried by an operator). */
  retryLimit: number;
  /** Seconds before the first retry; doubled each time (back-off). */
  retryDelaySeconds: number;
  /** A running job not finished after this long is taken as lost (a killed worker) and run again. */
  expireSeconds: number;
  /** At most one running at a time, whatever the number of workers. */
  singleton: boolean;
}

export const JOB_FLOW: Record<JobName, JobPolicy> = {
  ExportScan: {
    role: 'hasher', next: ['ClusterUpdate'], when: 'the last part of its scan job is done',
    retryLimit: 3, retryDelaySeconds: 5, expireSeconds: 30 * 60, singleton: false,
  },
  ClusterUpdate: {
    role: 'curator', next: ['ScanReport'], when: 'clustering is done', retryLimit: 3, retryDelaySeconds: 5, expireSeconds: 30 * 60, singleton: true,
  },
  ScanReport: {
    role: 'curator', next: [], when: '-', retryLimit: 3, retryDelaySeconds: 5, expireSeconds: 15 * 60, singleton: false,
  },
  // Sent by the server right after the entries' own transaction commits (a bulk load commits on its own connection).
  BankRetroMatch: {
    role: 'curator', next: [], when: '-', retryLimit: 3, retryDelaySeconds: 10, expireSeconds: 30 * 60, singleton: false,
  },
  // One SMTP attempt per run: the retries are SMTP's back-off (1, 2, 4, 8, 16 min), then the dead-letter state.
  NoticeSend: {
    role: 'curator', next: [], when: '-', retryLimit: 5, retryDelaySeconds: 60, expireSeconds: 10 * 60, singleton: false,
  },
};

/** The jobs a worker of this role runs. */
export function jobsOfRole(role: WorkerRole): JobName[] {
  return (Object.keys(JOB_FLOW) as JobName[]).filter((n) => role === 'all' || JOB_FLOW[n].role === role);
}
