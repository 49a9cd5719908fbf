/**
 * Sends drafted notices by e-mail, one at a time, never twice:
 * 1. claim: draft → sending in one conditional UPDATE that also fixes the Message-ID (a second sender loses);
 * 2. hand the mail to SMTP, retrying a failure that certainly left nothing behind, with back-off;
 * 3. mark: sending → sent.
 * A crash between 2 and 3 leaves the notice in 'sending' with its Message-ID: a later run does not send it again
 * but reports it, and only `resend` (after checking the mailbox) sends it again, under the same Message-ID.
 * Sending is paced per address (a flood of reports is ignored or blocked): a minimum interval and a daily cap.
 */
import { randomBytes } from 'node:crypto';
import { describeError, UnexposeError } from '../../core/errors.js';
import { noticeReference } from '../../core/notices/notice-payload.js';
import { RECIPIENTS, type RecipientId } from '../../core/notices/recipients.js';
import type { NoticeRow } from '../../io/db/repos/notice-repo.js';
import { MailError, type Mailer } from '../../io/mail/outgoing-mail.js';
import { isEmailAddress, noticeRepos, type NoticeDeps } from './notice-deps.js';
import { newMessageId, noticeMail, renderStoredNotice } from './render-stored-notice.js';

export interface SendOptions {
  from: string;
  /** Send these notices (default: every draft that is due). */
  ids?: number[];
  /** Send notices left in 'sending' again, under their own Message-ID (after checking they did not arrive). */
  resend?: boolean;
  /** Minimum time between two notices to one address (default 60 s). */
  minIntervalMs?: number;
  /** At most this many notices to one address per 24 hours (default 50). */
  maxPerDay?: number;
  /** Wait at most this long for pacing in one run; the rest stays for the next run (default 10 min). */
  maxWaitMs?: number;
  /** Attempts per notice in one run (default 3), with back-off from baseDelayMs (default 2 s), doubling. */
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type SendOutcome =
  | { id: number; reference: string; status: 'sent'; to: string; messageId: string; attempts: number }
  | { id: number; reference: string; status: 'failed'; error: string; retryAt: string }
  | { id: number; reference: string; status: 'uncertain'; messageId: string | null; error: string }
  | { id: number; reference: string; status: 'skipped'; why: string };

const DAY_MS = 86_400_000;
const MAX_BACKOFF_MS = 3_600_000;

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function due(row: NoticeRow, now: Date): boolean {
  return row.next_attempt_at === null || row.next_attempt_at <= now.toISOString();
}

/**
 * Sends notices through the mailer and reports one outcome per notice.
 * @example const outcomes = await sendNotices(deps, createSmtpMailer(url), { from: 'notices@helpline.example' })
 */
export async function sendNotices(deps: NoticeDeps, mailer: Mailer, opts: SendOptions, onOutcome: (o: SendOutcome) => void = () => {}): Promise<SendOutcome[]> {
  if (!isEmailAddress(opts.from.replace(/^.*<([^>]+)>$/, '$1'))) throw new UnexposeError('usage', `the sender address is not an e-mail address: ${opts.from}`);
  const repos = noticeRepos(deps);
  const sleep = opts.sleep ?? wait;
  const minInterval = opts.minIntervalMs ?? 60_000;
  const maxPerDay = opts.maxPerDay ?? 50;
  const maxWait = opts.maxWaitMs ?? 600_000;
  const attempts = Math.max(1, opts.attempts ?? 3);
  const baseDelay = opts.baseDelayMs ?? 2000;
  // Interrupted sends are always listed: without --resend they are reported, never sent.
  const rows = opts.ids ? await repos.notices.list({ ids: opts.ids }) : [
    ...await repos.notices.list({ state: 'sending' }), ...await repos.notices.list({ state: 'draft' }),
  ];
  if (opts.ids) for (const id of opts.ids) if (!rows.some((r) => r.id === id)) throw new UnexposeError('not_found', `no notice ${noticeReference(id)}`);
  const out: SendOutcome[] = [];
  const report = (o: SendOutcome) => { out.push(o); onOutcome(o); };
  let waited = 0;

  for (const row of rows) {
    const reference = noticeReference(row.id);
    const skip = (why: string) => report({ id: row.id, reference, status: 'skipped', why });
    const recipient = RECIPIENTS[row.recipient as RecipientId];
    if (row.state === 'sending' && !opts.resend) {
      report({ id: row.id, reference, status: 'uncertain', messageId: row.message_id,
        error: `a send of ${reference} was interrupted: it may have arrived (Message-ID ${row.message_id}); check the sent folder, then run "notices mark ${row.id} sent" or send again with --resend` });
      continue;
    }
    if (row.state !== 'draft' && row.state !== 'sending') { skip(`already ${row.state}`); continue; }
    // An address set by the operator since drafting (UNEXPOSE_RECIPIENT_<ID>) counts too.
    const address = row.address ?? deps.settings.addresses[row.recipient as RecipientId] ?? null;
    if (!address) {
      skip(recipient?.channel === 'web_form'
        ? `${recipient.name} takes reports through ${recipient.formUrl}: export it (notices export ${row.id}), send it there, then "notices mark ${row.id} sent"`
        : `no address for ${row.recipient}: set UNEXPOSE_RECIPIENT_${row.recipient.toUpperCase()}, or export it (notices export ${row.id})`);
      continue;
    }
    if (!isEmailAddress(address)) { skip(`the address ${address} is not a plain e-mail address`); continue; }
    if (row.state === 'draft' && !due(row, repos.now())) { skip(`waiting after a failed attempt until ${row.next_attempt_at}`); continue; }

    // Pacing per address.
    const now0 = repos.now();
    const recent = await repos.notices.sentTo(address, new Date(now0.getTime() - DAY_MS).toISOString());
    if (recent.count >= maxPerDay) { skip(`paced: ${recent.count} notices went to ${address} in the last 24 hours (limit ${maxPerDay})`); continue; }
    if (recent.last) {
      const gap = new Date(recent.last).getTime() + minInterval - now0.getTime();
      if (gap > 0) {
        if (waited + gap > maxWait) { skip(`paced: the next notice to ${address} may go at ${new Date(now0.getTime() + gap).toISOString()}`); continue; }
        waited += gap;
        await sleep(gap);
      }
    }

    // Claim it: draft → sending, with its Message-ID fixed before anything leaves.
    const messageId = row.message_id ?? newMessageId(row, opts.from, randomBytes(6).toString('hex'));
    const rendered = await renderStoredNotice(row, deps.templates, deps.key);
    const claimedAt = repos.now().toISOString();
    const claimed = row.state === 'draft'
      ? await repos.notices.move(row.id, 'draft', 'sending', claimedAt, null, { message_id: messageId, attempts: row.attempts + 1, address })
      : await repos.notices.move(row.id, 'sending', 'sending', claimedAt, 'resend under the same Message-ID', { attempts: row.attempts + 1 });
    if (!claimed) { skip('another sender took it'); continue; }

    const mail = { ...noticeMail(row, rendered, opts.from, address, messageId), to: address };
    let done = false;
    for (let attempt = 1; attempt <= attempts && !done; attempt++) {
      try {
        await mailer.send(mail);
        await repos.notices.move(row.id, 'sending', 'sent', repos.now().toISOString(), null, { last_error: null, next_attempt_at: null });
        report({ id: row.id, reference, status: 'sent', to: address, messageId, attempts: attempt });
        done = true;
      } catch (err) {
        const error = describeError(err);
        if (err instanceof MailError && !err.certain) {
          // It may have arrived: keep 'sending' so that nothing sends it again blindly.
          await repos.notices.noteFailure(row.id, error, null, repos.now().toISOString());
          report({ id: row.id, reference, status: 'uncertain', messageId, error });
          done = true;
        } else if (attempt === attempts || (err instanceof MailError && err.permanent)) {
          const total = row.attempts + attempt;
          // A refusal (5xx) waits a day: trying again at once would only be refused again.
          const delay = err instanceof MailError && err.permanent ? DAY_MS : Math.min(MAX_BACKOFF_MS, baseDelay * 2 ** total);
          const retryAt = new Date(repos.now().getTime() + delay).toISOString();
          await repos.notices.move(row.id, 'sending', 'draft', repos.now().toISOString(), error.slice(0, 500), { last_error: error.slice(0, 1000), next_attempt_at: retryAt });
          report({ id: row.id, reference, status: 'failed', error, retryAt });
          done = true;
        } else {
          await sleep(baseDelay * 2 ** (attempt - 1));
        }
      }
    }
  }
  return out;
}
