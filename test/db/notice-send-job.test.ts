/**
 * The NoticeSend job on both databases: a queued draft is sent once however often its job runs or is queued, an
 * SMTP failure is retried with back-off by the queue and then sent, a send that may have arrived (the connection
 * broke while sending, as when a worker dies) is never sent again by a retry and ends dead for an operator, and a
 * poison payload ends dead.
 */
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import { ScanRepo } from '../../src/io/db/repos/scan-repo.js';
import type { Database } from '../../src/io/db/schema.js';
import { MailError, type Mailer, type OutgoingMail } from '../../src/io/mail/outgoing-mail.js';
import { noticeTemplates } from '../../src/io/templates/notice-templates.js';
import { noticeSend } from '../../src/jobs/handlers/notice-send.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobContext, JobQueue } from '../../src/jobs/job-queue.js';
import { createJobRuntime } from '../../src/jobs/job-runtime.js';
import { queueNoticeSends } from '../../src/jobs/notice-jobs.js';
import { runWorkers } from '../../src/jobs/run-workers.js';
import { draftNotices } from '../../src/services/notices/draft-notices.js';
import { storeRepos, type Store } from '../../src/services/store.js';
import { describeEachDialect } from './each-dialect.js';

const key = identifierKeyFromBytes(new Uint8Array(32).fill(9), 'test');
const PHONE = '+31612340007';
const CHAT = '1987654321';
const settings = { retryLimit: 2, retryDelaySeconds: 1, expireSeconds: 60, pollMs: 50, bossSchema: 'unused' };

/** A chat with `n` messages that each spread the synthetic phone number. */
async function storePosts(db: Kysely<Database>, n: number): Promise<void> {
  const at = new Date('2026-01-01T00:00:00Z');
  const repo = new ScanRepo(db);
  const scanId = await repo.createScan({ paths: ['synthetic'] }, at);
  const chatId = await repo.chatId({ chatKey: `telegram_export:${CHAT}`, source: 'telegram_export', externalId: CHAT, name: 'Synthetische groep', type: 'private_supergroup' }, scanId);
  const ids = Array.from({ length: n }, (_, i) => 10 + i);
  await repo.saveBatch({
    messages: ids.map((id) => ({ chat_id: chatId, message_id: id, type: 'message', unix_time: 1_740_787_200 + id * 60, sender_hmac: key.hmac('sender:x'), forwarded: 0, media_class: null, raw_hmac: 'a'.repeat(64), scan_id: scanId })),
    media: [], matches: [], chatIds: [chatId],
    findings: ids.map((id) => ({ chat_id: chatId, message_id: id, kind: 'phone', platform: null, hmac: key.hmac(`phone:${PHONE}`), display: '+31 6 •••• ••07', found_in: 'text' })),
  }, at);
  await repo.finishScan(scanId, 'finished', {}, at);
}

/** Records every attempt; `behaviour` may throw to play an SMTP failure. */
function recordingMailer(behaviour: (n: number) => void = () => {}): Mailer & { attempts: number; sent: OutgoingMail[] } {
  const m = {
    attempts: 0, sent: [] as OutgoingMail[],
    async send(mail: OutgoingMail) {
      behaviour(++m.attempts);
      m.sent.push(mail);
      return { messageId: mail.messageId, accepted: [mail.to], response: '250 ok' };
    },
    close() {},
  };
  return m;
}

async function until(queue: JobQueue, id: string, states: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const j = await queue.get(id);
    if (j && states.includes(j.state)) return j.state;
    await new Promise((r) => setTimeout(r, 50));
  }
  return (await queue.get(id))?.state ?? 'missing';
}

const jc: JobContext = { id: 'test', name: 'NoticeSend', retryCount: 0, lastAttempt: false, progress: async () => undefined, signal: new AbortController().signal };

describeEachDialect('notice_send_job', (open) => {
  async function setUp(mailer: Mailer) {
    const opened = await open();
    const store: Store = { db: opened.db, dialect: opened.dialect, location: 'test', close: opened.close, ...storeRepos(opened.db, opened.dialect) };
    const queue = new InProcessQueue(opened.db, settings);
    const deps = {
      db: opened.db, key, templates: noticeTemplates(null),
      settings: { notifier: { name: 'Helpline Test', email: 'notices@helpline.example', organisation: null }, addresses: {} },
    };
    const rt = createJobRuntime(store, queue, { poolMode: 'inline', key: async () => key, noticeSender: () => ({ deps, mailer, from: 'notices@helpline.example' }) });
    await storePosts(opened.db, 3);
    const { drafted } = await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse'] });
    expect(drafted).toHaveLength(1);
    const close = async () => {
      await queue.stop(5000);
      await rt.close();
      await opened.close();
    };
    return { opened, store, queue, rt, noticeId: drafted[0].id, close };
  }

  it('a queued draft is sent once, however often it is queued or its job runs', async () => {
    const mailer = recordingMailer();
    const { store, queue, rt, noticeId, close } = await setUp(mailer);
    try {
      const [q] = await queueNoticeSends(rt);
      expect(q).toMatchObject({ noticeId });
      expect(q.jobId).not.toBeNull();
      expect((await queue.get(q.jobId!))?.payload).toEqual({ noticeId });
      // Queued again while its job waits: one job.
      expect((await queueNoticeSends(rt, [noticeId]))[0].jobId).toBeNull();
      await runWorkers(rt, 'curator', 1);
      expect(await until(queue, q.jobId!, ['completed', 'failed'])).toBe('completed');
      expect(mailer.sent).toHaveLength(1);
      expect((await store.notices.get(noticeId))?.state).toBe('sent');
      // The job run again (a duplicate, or a retry after the worker died past the send): no second mail.
      expect(await noticeSend(rt, { noticeId }, jc)).toEqual({ skipped: 'sent' });
      expect(mailer.sent).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('an SMTP failure is retried by the queue with back-off, then sent once', async () => {
    const mailer = recordingMailer((n) => { if (n === 1) throw new MailError('451 try later', true, false); });
    const { store, queue, rt, noticeId, close } = await setUp(mailer);
    try {
      const [q] = await queueNoticeSends(rt);
      await runWorkers(rt, 'curator', 1);
      expect(await until(queue, q.jobId!, ['completed', 'failed'])).toBe('completed');
      expect(await queue.get(q.jobId!)).toMatchObject({ retryCount: 1 });
      expect(mailer.attempts).toBe(2);
      expect(mailer.sent).toHaveLength(1);
      expect((await store.notices.get(noticeId))?.state).toBe('sent');
    } finally {
      await close();
    }
  });

  it('a send that may have arrived is never sent again by a retry: the job ends dead for an operator', async () => {
    const mailer = recordingMailer(() => { throw new MailError('connection broke while sending', false, false); });
    const { store, queue, rt, noticeId, close } = await setUp(mailer);
    try {
      const [q] = await queueNoticeSends(rt);
      await runWorkers(rt, 'curator', 1);
      expect(await until(queue, q.jobId!, ['failed'])).toBe('failed');
      const dead = await queue.get(q.jobId!);
      expect(dead).toMatchObject({ retryCount: settings.retryLimit });
      expect(JSON.stringify(dead?.output)).toContain('interrupted');
      expect(mailer.attempts).toBe(1);
      expect((await store.notices.get(noticeId))?.state).toBe('sending');
      // Listed for the operator among the dead jobs.
      expect((await queue.list({ state: 'failed', name: 'NoticeSend' })).map((j) => j.id)).toEqual([q.jobId]);
    } finally {
      await close();
    }
  });

  it('a poison payload ends dead without blocking the next notice', async () => {
    const mailer = recordingMailer();
    const { queue, rt, close } = await setUp(mailer);
    try {
      await runWorkers(rt, 'curator', 1);
      const gone = (await queue.send('NoticeSend', { noticeId: 987_654 }))!;
      const bad = (await queue.send('NoticeSend', { noticeId: 'N-1', to: 'x@example.org' }))!;
      const [q] = await queueNoticeSends(rt);
      expect(await until(queue, q.jobId!, ['completed', 'failed'])).toBe('completed');
      for (const id of [gone, bad]) expect(await until(queue, id, ['failed'])).toBe('failed');
      expect(mailer.sent).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
