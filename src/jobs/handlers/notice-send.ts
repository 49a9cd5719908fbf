/**
 * NoticeSend: sends one drafted notice through the outbox (claim draft → sending, SMTP, mark sent), one attempt per
 * run: the queue's retries with back-off are the SMTP retries, and after the limit the job is dead (listed by
 * `unexpose jobs list --state failed`, retried by `unexpose jobs retry`). Never a second mail: a notice already
 * sent is skipped, and one left in 'sending' (a send that broke, or a worker killed while sending) is never sent
 * again by a job — the job fails until it is dead, and an operator checks the sent folder, then marks it sent or
 * sends it with `notices send --resend`.
 */
import { UnexposeError } from '../../core/errors.js';
import { noticeReference } from '../../core/notices/notice-payload.js';
import { sendNotices } from '../../services/notices/send-notices.js';
import type { JobContext } from '../job-queue.js';
import type { JobRuntime } from '../job-runtime.js';
import { parsePayload } from '../job-payloads.js';

/** Longest a job waits for the pacing per address; a notice paced for longer is tried again by a retry. */
const MAX_PACING_WAIT_MS = 120_000;

export async function noticeSend(rt: JobRuntime, payload: unknown, jc: JobContext): Promise<unknown> {
  const { noticeId } = parsePayload('NoticeSend', payload);
  const notice = await rt.store.notices.get(noticeId);
  if (!notice) throw new UnexposeError('not_found', `no notice ${noticeReference(noticeId)}`);
  // Idempotent: a notice past the outbox (sent, answered, exported by hand…) is left as it is.
  if (notice.state !== 'draft' && notice.state !== 'sending') return { skipped: notice.state };
  const sender = await rt.noticeSender();
  const [outcome] = await sendNotices(sender.deps, sender.mailer, {
    from: sender.from, ids: [noticeId], resend: false, attempts: 1, baseDelayMs: 0, maxWaitMs: MAX_PACING_WAIT_MS,
  });
  await jc.progress({ notice: noticeId, outcome: outcome?.status ?? 'none' });
  if (outcome?.status === 'sent') return { sent: outcome.reference, messageId: outcome.messageId };
  const after = await rt.store.notices.get(noticeId);
  if (after && after.state !== 'draft' && after.state !== 'sending') return { skipped: after.state };
  const why = !outcome ? 'nothing sent' : outcome.status === 'skipped' ? outcome.why : outcome.error;
  throw new UnexposeError(outcome?.status === 'uncertain' ? 'conflict' : 'unavailable', `${noticeReference(noticeId)} not sent: ${why}`);
}
