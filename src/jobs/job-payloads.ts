/**
 * The payload of each job, checked with zod when sent and when run. Payloads hold ids only (a scan job's UUID,
 * a part number): never a path, a chat title or an identifier, in clear or not; what a handler needs beyond ids
 * it reads from the rows (an input's path is sealed in scan_job_part).
 */
import { z } from 'zod';
import type { JobName } from './job-names.js';

const scanJobId = z.string().uuid();

export const jobPayloads = {
  ExportScan: z.object({ scanJobId, part: z.number().int().nonnegative() }).strict(),
  ClusterUpdate: z.object({ scanJobId }).strict(),
  ScanReport: z.object({ scanJobId }).strict(),
} satisfies Record<JobName, z.ZodType>;

export type JobPayload<N extends JobName> = z.output<(typeof jobPayloads)[N]>;

/** The payload, checked; throws a zod error naming the bad field. */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return jobPayloads[name].parse(data) as JobPayload<N>;
}
