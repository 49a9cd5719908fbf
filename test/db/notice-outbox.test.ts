/**
 * The takedown outbox on both dialects: drafting is idempotent, two senders racing never send a notice twice, a
 * send interrupted after the mail may have left is not resent blindly (only --resend, under the same
 * Message-ID), failures are retried with back-off, sending is paced per address, and a removed item that is
 * posted again is flagged once with a follow-up notice that cites the first.
 */
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachDialect } from './each-dialect.js';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import { ScanRepo } from '../../src/io/db/repos/scan-repo.js';
import type { Database } from '../../src/io/db/schema.js';
import { noticeTemplates } from '../../src/io/templates/notice-templates.js';
import { MailError, type Mailer, type OutgoingMail } from '../../src/io/mail/outgoing-mail.js';
import { draftNotices } from '../../src/services/notices/draft-notices.js';
import { checkReappearances } from '../../src/services/notices/check-reappearance.js';
import { listNotices, markNotice, showNotice } from '../../src/services/notices/notice-outbox.js';
import { sendNotices } from '../../src/services/notices/send-notices.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { NoticeRepo } from '../../src/io/db/repos/notice-repo.js';
import { createBank, withdrawBank } from '../../src/services/bank-manage.js';
import type { NoticeDeps } from '../../src/services/notices/notice-deps.js';

const key = identifierKeyFromBytes(new Uint8Array(32).fill(9), 'test');
const PHONE = '+31612340007';
const CHAT = '1987654321';

/** A chat with `n` messages that each spread the synthetic phone number; ids start at `from`. */
async function storePosts(db: Kysely<Database>, from: number, n: number, scanTime = new Date('2026-01-01T00:00:00Z')): Promise<void> {
  const repo = new ScanRepo(db);
  const scanId = await repo.createScan({ paths: ['synthetic'] }, scanTime);
  const chatId = await repo.chatId({ chatKey: `telegram_export:${CHAT}`, source: 'telegram_export', externalId: CHAT, name: 'Synthetische groep', type: 'private_supergroup' }, scanId);
  const ids = Array.from({ length: n }, (_, i) => from + i);
  await repo.saveBatch({
    messages: ids.map((id) => ({ chat_id: chatId, message_id: id, type: 'message', unix_time: 1_740_787_200 + id * 60, sender_hmac: key.hmac('sender:x'), forwarded: 0, media_class: null, raw_hmac: 'a'.repeat(64), scan_id: scanId })),
    media: [], matches: [], chatIds: [chatId],
    findings: ids.map((id) => ({ chat_id: chatId, message_id: id, kind: 'phone', platform: null, hmac: key.hmac(`phone:${PHONE}`), display: '+31 6 •••• ••07', found_in: 'text' })),
  }, scanTime);
  await repo.finishScan(scanId, 'finished', {}, scanTime);
}

function fakeMailer(behaviour: (mail: OutgoingMail, n: number) => void = () => {}): Mailer & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  let n = 0;
  return {
    sent,
    async send(mail) {
      behaviour(mail, ++n);
      sent.push(mail);
      return { messageId: mail.messageId, accepted: [mail.to], response: '250 ok' };
    },
    close() {},
  };
}

function depsOf(db: Kysely<Database>, clock = { t: Date.parse('2026-02-01T00:00:00Z') }): NoticeDeps {
  return {
    db, key, templates: noticeTemplates(null), now: () => new Date(clock.t),
    settings: { notifier: { name: 'Helpline Test', email: 'notices@helpline.example', organisation: null }, addresses: {} },
  };
}

const noSleep = async () => {};

describeEachDialect('notice_outbox', (open) => {
  it('drafts once per item and recipient, and two racing senders send each notice exactly once', async () => {
    const { db, close } = await open();
    try {
      await storePosts(db, 10, 3);
      const deps = depsOf(db);
      const first = await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse'] });
      expect(first.drafted).toHaveLength(1);
      expect(first.drafted[0].locations).toBe(3);
      const again = await draftNotices(deps, { identifier: '06 1234 0007' }, { recipients: ['telegram_abuse'] });
      expect(again.drafted).toHaveLength(0);
      expect(again.existing).toHaveLength(1);
      // The stored notice holds the redacted number only.
      const row = await db.selectFrom('notice').selectAll().executeTakeFirstOrThrow();
      expect(row.payload).not.toContain(PHONE);
      expect(row.payload).not.toContain('612340007');

      const mailer = fakeMailer();
      const opts = { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep };
      const [a, b] = await Promise.all([sendNotices(deps, mailer, opts), sendNotices(deps, mailer, opts)]);
      expect(mailer.sent).toHaveLength(1);
      expect([...a, ...b].filter((o) => o.status === 'sent')).toHaveLength(1);
      const [n] = await listNotices(deps);
      expect(n.state).toBe('sent');
      expect(n.sentAt).not.toBeNull();
      expect(mailer.sent[0].messageId).toBe(n.messageId);
      // Sending again sends nothing.
      expect(await sendNotices(deps, mailer, opts)).toEqual([]);
      expect(mailer.sent).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('leaves a send that may have arrived in "sending" and resends it only when asked, under the same Message-ID', async () => {
    const { db, close } = await open();
    try {
      await storePosts(db, 10, 2);
      const deps = depsOf(db);
      await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse'] });
      const broken = fakeMailer(() => { throw new MailError('connection broke while sending', false, false); });
      const [o] = await sendNotices(deps, broken, { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep });
      expect(o.status).toBe('uncertain');
      const [n] = await listNotices(deps);
      expect(n.state).toBe('sending');
      const messageId = n.messageId;
      expect(messageId).toMatch(/^<unx-000001\.[0-9a-f]+@helpline\.example>$/);

      const good = fakeMailer();
      const later = await sendNotices(deps, good, { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep });
      expect(good.sent).toHaveLength(0);
      expect(later[0].status).toBe('uncertain');

      await sendNotices(deps, good, { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep, resend: true });
      expect(good.sent).toHaveLength(1);
      expect(good.sent[0].messageId).toBe(messageId);
      expect((await listNotices(deps))[0].state).toBe('sent');
    } finally {
      await close();
    }
  });

  it('retries a failure with back-off, gives up into draft with a next attempt time, and paces per address', async () => {
    const { db, close } = await open();
    try {
      await storePosts(db, 10, 1);
      await storePosts(db, 100, 1);
      const clock = { t: Date.parse('2026-02-01T00:00:00Z') };
      const deps = depsOf(db, clock);
      await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse'] });
      const sleeps: number[] = [];
      const sleep = async (ms: number) => { sleeps.push(ms); clock.t += ms; };
      const flaky = fakeMailer((_, n) => { if (n < 3) throw new MailError('451 try later', true, false); });
      const [o] = await sendNotices(deps, flaky, { from: 'notices@helpline.example', minIntervalMs: 0, sleep, attempts: 3, baseDelayMs: 1000 });
      expect(o.status).toBe('sent');
      expect(sleeps).toEqual([1000, 2000]);

      const [n] = await listNotices(deps);
      await markNotice(deps, n.id, 'acknowledged', 'ticket 123');
      await markNotice(deps, n.id, 'removed');
      await expect(markNotice(deps, n.id, 'sent')).rejects.toThrow(/cannot become sent/);

      // A refused message goes back to draft and waits; a paced address waits between two notices.
      await db.deleteFrom('notice').execute();
      await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse', 'telegram_dsa'] });
      await db.updateTable('notice').set({ address: 'abuse@telegram.org' }).execute();
      const refusing = fakeMailer(() => { throw new MailError('550 no', true, true); });
      const refused = await sendNotices(deps, refusing, { from: 'notices@helpline.example', minIntervalMs: 0, sleep, attempts: 3 });
      expect(refused.map((r) => r.status)).toEqual(['failed', 'failed']);
      const drafts = await listNotices(deps, { state: 'draft' });
      expect(drafts).toHaveLength(2);
      expect(drafts[0].lastError).toMatch(/550/);
      const skipped = await sendNotices(deps, fakeMailer(), { from: 'notices@helpline.example', sleep });
      expect(skipped.every((s) => s.status === 'skipped' && /waiting/.test(s.why))).toBe(true);

      await db.updateTable('notice').set({ next_attempt_at: null }).execute();
      sleeps.length = 0;
      const paced = fakeMailer();
      await sendNotices(deps, paced, { from: 'notices@helpline.example', minIntervalMs: 30_000, sleep });
      expect(paced.sent).toHaveLength(2);
      expect(sleeps).toEqual([30_000]);
      const capped = await sendNotices(deps, fakeMailer(), { from: 'notices@helpline.example', ids: [drafts[0].id], sleep });
      expect(capped[0].status).toBe('skipped');
    } finally {
      await close();
    }
  });

  it('sends a hosting notice to the address the operator set after drafting, and only then', async () => {
    const { db, close } = await open();
    try {
      await storePosts(db, 10, 1);
      const deps = depsOf(db);
      await draftNotices(deps, { identifier: PHONE }, { recipients: ['hosting_dsa'] });
      const mailer = fakeMailer();
      const [skipped] = await sendNotices(deps, mailer, { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep });
      expect(skipped).toMatchObject({ status: 'skipped' });
      expect((skipped as { why: string }).why).toMatch(/UNEXPOSE_RECIPIENT_HOSTING_DSA/);
      const later = { ...deps, settings: { ...deps.settings, addresses: { hosting_dsa: 'abuse@host.example' } } };
      const [sent] = await sendNotices(later, mailer, { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep });
      expect(sent).toMatchObject({ status: 'sent', to: 'abuse@host.example' });
      expect((await listNotices(deps))[0].address).toBe('abuse@host.example');
    } finally {
      await close();
    }
  });

  it('flags a removed item posted again, once, with a follow-up that cites the first notice', async () => {
    const { db, close } = await open();
    try {
      await storePosts(db, 10, 2);
      const deps = depsOf(db);
      const { drafted } = await draftNotices(deps, { identifier: PHONE }, { recipients: ['telegram_abuse'] });
      await sendNotices(deps, fakeMailer(), { from: 'notices@helpline.example', minIntervalMs: 0, sleep: noSleep });
      await markNotice(deps, drafted[0].id, 'removed', 'gone');
      expect(await checkReappearances(deps)).toEqual([]);

      await storePosts(db, 500, 1, new Date('2026-03-01T00:00:00Z'));
      const found = await checkReappearances(deps);
      expect(found).toHaveLength(1);
      expect(found[0].reference).toBe('UNX-000001');
      expect(found[0].posts.map((p) => [p.messageId, p.link])).toEqual([[500, `https://t.me/c/${CHAT}/500`]]);
      expect(found[0].followUpId).not.toBeNull();
      expect(await checkReappearances(deps)).toEqual([]);

      const follow = await showNotice(deps, found[0].followUpId!);
      expect(follow.notice.followUpOf).toBe('UNX-000001');
      expect(follow.subject).toMatch(/^Follow-up to UNX-000001/);
      expect(follow.body).toContain(`https://t.me/c/${CHAT}/500`);
      expect(follow.body).not.toContain(`https://t.me/c/${CHAT}/10`);
      expect((await showNotice(deps, drafted[0].id)).reappearances).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('withdrawing a case deletes the notices about its matches, and only those', async () => {
    const { db, close, dialect } = await open();
    try {
      const repo = new ScanRepo(db);
      const now = new Date('2026-01-01T00:00:00Z');
      const scanId = await repo.createScan({ paths: ['synthetic'] }, now);
      const chatId = await repo.chatId({ chatKey: `telegram_export:${CHAT}`, source: 'telegram_export', externalId: CHAT, name: null, type: 'private_channel' }, scanId);
      const banks = ['case_1.a', 'caseX1.a'];
      const bankRepo = new BankRepo(db, dialect);
      const bankDeps = { banks: bankRepo, notices: new NoticeRepo(db) };
      const entryIds: number[] = [];
      for (const [i, b] of banks.entries()) {
        const bank = await createBank(bankDeps, b, {});
        const { added } = await bankRepo.insertEntries(bank.id, [{ signalType: 'pdq', signal: String(i + 1).repeat(64), quality: 100, sourceRef: null, labels: [] }], 'test', now.toISOString());
        entryIds.push(added[0].id);
      }
      await repo.saveBatch({
        messages: [1, 2].map((id) => ({ chat_id: chatId, message_id: id, type: 'message', unix_time: 1_740_787_200 + id, sender_hmac: null, forwarded: 0, media_class: 'photo', raw_hmac: 'b'.repeat(64), scan_id: scanId })),
        media: [1, 2].map((id) => ({
          row: { chat_id: chatId, message_id: id, media_class: 'photo', media_kind: 'photo', status: 'hashed', error: null },
          signals: [{ type: 'pdq', value: String(id).repeat(64), quality: 100 }, { type: 'md5', value: String(id).repeat(32) }, { type: 'sha256', value: String(id + 2).repeat(64) }],
        })),
        matches: [1, 2].map((id) => ({ chat_id: chatId, message_id: id, entry_id: entryIds[id - 1], signal_type: 'pdq', distance: 2, found_by: 'scan', scan_id: scanId, found_at: now.toISOString() })),
        findings: [], chatIds: [chatId],
      }, now);
      const deps = depsOf(db);
      for (const b of banks) {
        const d = await draftNotices(deps, { caseBank: b }, { recipients: ['telegram_abuse'] });
        expect(d.drafted).toHaveLength(1);
      }
      // The notice cites the media's hashes, read from its signal rows.
      expect((await showNotice(deps, 1)).body).toContain(`PDQ ${'1'.repeat(64)}; MD5 ${'1'.repeat(32)}; SHA-256 ${'3'.repeat(64)}`);
      await withdrawBank(bankDeps, 'case_1.a');
      const left = await listNotices(deps);
      expect(left.map((n) => n.itemKey)).toEqual([`entry:caseX1.a/pdq/${'2'.repeat(64)}`]);
      expect(await db.selectFrom('bank_match').select('entry_id').execute()).toEqual([{ entry_id: entryIds[1] }]);
      expect(await db.selectFrom('notice_location').select('notice_id').execute()).toEqual([{ notice_id: left[0].id }]);
    } finally {
      await close();
    }
  });
});
