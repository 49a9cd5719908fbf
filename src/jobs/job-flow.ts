/**
 * The one table that says what follows what, which role runs each job, and how each is retried. A handler sends
 * the jobs listed under `next` (and only those: the boot check holds it to this table), in the same transaction
 * as the rows that make them due.
 *
 *   POST /v1/scans ─▶ ExportScan × inputs ──(last part done)──▶ ClusterUpdate ──▶ ScanReport ──▶ (done)
 *
 * Roles (after HMA's split, so each scales on its own):
 * - hasher: reads exports and hashes media in memory; writes only its own part's rows (messages, media signals,
 *   findings, matches, the sealed checkpoint) batch by batch, and its part's state. Never banks, clusters or notices.
 * - matcher: read-only lookups (the replicas' side, issue 14); no job of the scan chain runs here.
 * - curator: the only writer of shared state — banks, clusters, reports.
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
};

/** The jobs a worker of this role runs. */
export function jobsOfRole(role: WorkerRole): JobName[] {
  return (Object.keys(JOB_FLOW) as JobName[]).filter((n) => role === 'all' || JOB_FLOW[n].role === role);
}
