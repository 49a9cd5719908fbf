/**
 * Every job's name: noun then verb, a storage key (pg-boss queue name, job_queue.name) that never changes.
 * - ExportScan: read one export input of a scan job (messages, findings, media hashes, bank matches), resumable.
 * - ClusterUpdate: group the newly stored media into spread clusters (one pass at a time).
 * - ScanReport: read the scan job's figures back into its report and finish it.
 */
export const JOB_NAMES = ['ExportScan', 'ClusterUpdate', 'ScanReport'] as const;

export type JobName = (typeof JOB_NAMES)[number];

/** Worker roles after HMA's split; `all` runs every job (the embedded default, `unexpose serve` on SQLite). */
export const WORKER_ROLES = ['hasher', 'matcher', 'curator', 'all'] as const;

export type WorkerRole = (typeof WORKER_ROLES)[number];

/** True when the string names a job. */
export function isJobName(s: string): s is JobName {
  return (JOB_NAMES as readonly string[]).includes(s);
}
