/**
 * Every job name with its one handler, checked at boot: a name without a handler, a handler without a name, or
 * a flow entry that names an unknown job stops the process before it takes any work.
 */
import { JOB_FLOW } from './job-flow.js';
import { JOB_NAMES, isJobName, type JobName } from './job-names.js';
import type { JobContext } from './job-queue.js';
import type { JobRuntime } from './job-runtime.js';
import { clusterUpdate } from './handlers/cluster-update.js';
import { exportScan } from './handlers/export-scan.js';
import { scanReport } from './handlers/scan-report.js';

export type RuntimeHandler = (rt: JobRuntime, payload: unknown, jc: JobContext) => Promise<unknown>;

export const JOB_HANDLERS: Record<JobName, RuntimeHandler> = {
  ExportScan: exportScan,
  ClusterUpdate: clusterUpdate,
  ScanReport: scanReport,
};

/** Throws when the names, the handlers and the flow table disagree. */
export function checkHandlers(handlers: Record<string, unknown> = JOB_HANDLERS): void {
  const problems: string[] = [];
  for (const name of JOB_NAMES) {
    if (typeof handlers[name] !== 'function') problems.push(`job ${name} has no handler`);
    if (!JOB_FLOW[name]) problems.push(`job ${name} is not in the flow table`);
    for (const next of JOB_FLOW[name]?.next ?? []) if (!isJobName(next)) problems.push(`job ${name} is followed by unknown job ${next}`);
  }
  for (const name of Object.keys(handlers)) if (!isJobName(name)) problems.push(`handler ${name} names no job`);
  if (problems.length > 0) throw new Error(`job handlers: ${problems.join('; ')}`);
}
