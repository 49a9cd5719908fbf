/**
 * Hands drafted notices to NoticeSend jobs (`unexpose notices send --queue`): one job per notice, keyed by the
 * notice so that queueing it twice while its job waits or runs queues it once. Notices left in 'sending' are not
 * queued: whether they arrived is for an operator to check (`notices send --resend`).
 */
import { UnexposeError } from '../core/errors.js';
import { noticeReference } from '../core/notices/notice-payload.js';
import type { JobRuntime } from './job-runtime.js';

export interface QueuedNotice {
  noticeId: number;
  reference: string;
  /** The job's id, or null when a job for this notice already waits or runs. */
  jobId: string | null;
}

/** @example await queueNoticeSends(rt) // [{ noticeId: 4, reference: 'N-000004', jobId: '…' }] */
export async function queueNoticeSends(rt: JobRuntime, ids?: number[]): Promise<QueuedNotice[]> {
  const rows = ids ? await rt.store.notices.list({ ids }) : await rt.store.notices.list({ state: 'draft' });
  for (const id of ids ?? []) if (!rows.some((r) => r.id === id)) throw new UnexposeError('not_found', `no notice ${noticeReference(id)}`);
  const out: QueuedNotice[] = [];
  for (const row of rows) {
    if (row.state !== 'draft') throw new UnexposeError('conflict', `${noticeReference(row.id)} is ${row.state}, not a draft: only drafts are queued`);
    const jobId = await rt.queue.send('NoticeSend', { noticeId: row.id }, { singletonKey: `notice:${row.id}` });
    out.push({ noticeId: row.id, reference: noticeReference(row.id), jobId });
  }
  return out;
}
