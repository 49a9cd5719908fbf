/**
 * ScanReport: reads the figures of every chat the job's parts read back into the report (the same report a
 * one-process scan gives: it is read from the store, not summed from the workers), stores it on the job and ends
 * it; an upload's folder is deleted. A job none of whose inputs could be read fails with the inputs' errors.
 * Idempotent: a job already ended is left as it is.
 */
import { UnexposeError } from '../../core/errors.js';
import type { IngestNotice } from '../../ingest/chat-source.js';
import { buildScanReport } from '../../services/scan/scan-report.js';
import type { JobContext } from '../job-queue.js';
import type { JobRuntime } from '../job-runtime.js';
import { parsePayload } from '../job-payloads.js';
import { endScanJob } from '../scan-job-rows.js';

/** Notices kept in a report, as in a one-process scan. */
const MAX_REPORT_NOTICES = 1000;

export async function scanReport(rt: JobRuntime, payload: unknown, jc: JobContext): Promise<unknown> {
  const { scanJobId } = parsePayload('ScanReport', payload);
  const job = await rt.scanJobs.get(scanJobId);
  if (!job) throw new UnexposeError('not_found', `no scan job ${scanJobId}`);
  if (job.status !== 'queued' && job.status !== 'running') return { skipped: job.status };
  const parts = await rt.scanJobs.parts(scanJobId);
  const chatIds = new Set<number>();
  const notices: IngestNotice[] = [];
  let newMessages = 0;
  let mediaHashed = 0;
  for (const p of parts) {
    for (const id of JSON.parse(p.chat_ids ?? '[]') as number[]) chatIds.add(id);
    for (const n of JSON.parse(p.notices ?? '[]') as IngestNotice[]) if (notices.length < MAX_REPORT_NOTICES) notices.push(n);
    newMessages += Number(p.new_messages);
    mediaHashed += Number(p.media_hashed);
  }
  if (chatIds.size === 0 && notices.some((n) => n.level === 'error')) {
    const why = notices.filter((n) => n.level === 'error').map((n) => n.message).join('; ');
    await endScanJob(rt, scanJobId, 'failed', { error: `nothing to scan: ${why}` });
    return { failed: 'no_input' };
  }
  const now = rt.now();
  const report = await buildScanReport({ scans: rt.store.scans, matches: rt.store.matches }, [...chatIds], {
    scanId: job.scan_id ?? 0, mediaHashedThisRun: mediaHashed, newMessages, notices, now,
  });
  if (job.scan_id !== null) await rt.store.scans.finishScan(job.scan_id, 'finished', report.summary, now);
  await jc.progress({ phase: 'report' });
  await endScanJob(rt, scanJobId, 'done', { report });
  return { chats: chatIds.size, messages: report.summary.messages };
}
