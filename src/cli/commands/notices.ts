/**
 * `unexpose notices draft|list|show|send|mark|export|check`: takedown notices (DSA Art. 16) in an outbox.
 * draft from a scan, a case (bank) or one finding; send by SMTP (UNEXPOSE_SMTP_URL), paced per recipient and
 * never twice; export .eml for web forms or sending by hand; mark answers; check for removed items that came back.
 * Exit 0 on success, 1 when something failed (a send that failed or may have arrived), 2 on bad usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { UnexposeError } from '../../core/errors.js';
import { MARKABLE_STATES, NOTICE_STATES, type MarkableState } from '../../core/notices/notice-state.js';
import { RECIPIENT_IDS, type RecipientId } from '../../core/notices/recipients.js';
import { NOTICE_LANGUAGES, type NoticeLanguage } from '../../core/notices/render-notice.js';
import { createSmtpMailer, SMTP_URL_ENV } from '../../services/notices/notice-io.js';
import { checkReappearances } from '../../services/notices/check-reappearance.js';
import { draftNotices } from '../../services/notices/draft-notices.js';
import type { NoticeSubject } from '../../services/notices/notice-items.js';
import { exportNoticeEml, listNotices, markNotice, parseNoticeId, showNotice, type NoticeSummary } from '../../services/notices/notice-outbox.js';
import { sendNotices, type SendOutcome } from '../../services/notices/send-notices.js';
import { queueNoticeSends } from '../../jobs/notice-jobs.js';
import { openJobSession } from '../../jobs/job-session.js';
import { csvRow } from '../render/csv.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { parseNonNegativeInt, parsePositiveNumber } from '../parse-options.js';
import { printNote } from '../render/terminal-text.js';
import { dbOption, safe, templatesOption, withNoticeDeps, type NoticeCliOptions } from './notice-context.js';

const collect = (v: string, acc: string[] = []) => [...acc, v];
const langOption = () => new Option('--lang <lang>', 'language of the notice').choices(NOTICE_LANGUAGES);
const includeOption = () => new Option('--include-identifier <value>', 'put this phone number or handle in clear in the notice, when the victim chose so (checked against the notice; never stored)');

interface DraftCli extends NoticeCliOptions {
  scan?: number; case?: string; cluster?: number; media?: string; message?: string; identifier?: string; clusters?: boolean;
  recipient?: string[]; lang?: NoticeLanguage; csam?: boolean; region: string; format?: OutputFormat;
}

function subjectOf(o: DraftCli): NoticeSubject {
  const given = [o.scan !== undefined, o.case !== undefined, o.cluster !== undefined, o.media !== undefined, o.message !== undefined, o.identifier !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UnexposeError('usage', 'give exactly one of --scan, --case, --cluster, --media, --message, --identifier');
  if (o.scan !== undefined) return { scanId: o.scan, clusters: o.clusters };
  if (o.case !== undefined) return { caseBank: o.case };
  if (o.cluster !== undefined) return { clusterId: o.cluster };
  if (o.media !== undefined) return { mediaHash: o.media };
  if (o.message !== undefined) {
    const m = /^(.+):(-?\d{1,18})$/.exec(o.message);
    if (!m) throw new UnexposeError('usage', '--message takes CHAT:MESSAGE_ID, e.g. telegram_export:1987654321:17 or 1987654321:17');
    return { chat: m[1], messageId: Number(m[2]) };
  }
  return { identifier: o.identifier!, identifierOptions: { defaultRegion: o.region.toUpperCase() } };
}

async function printSummaries(list: NoticeSummary[], format: OutputFormat): Promise<void> {
  const cols = ['id', 'reference', 'state', 'recipient', 'kind', 'locations', 'language', 'address', 'created_at', 'sent_at', 'closed_at', 'follow_up_of', 'last_error'];
  if (format === 'csv') await writeLine(csvRow(cols));
  for (const n of list) {
    if (format === 'jsonl') await writeLine(JSON.stringify(n));
    else if (format === 'csv') {
      await writeLine(csvRow([n.id, n.reference, n.state, n.recipient, n.kind, n.locations, n.language, n.address ?? '', n.createdAt, n.sentAt ?? '', n.closedAt ?? '', n.followUpOf ?? '', n.lastError ?? '']));
    } else {
      const to = n.address ?? n.formUrl ?? '(no address)';
      await writeLine(safe(`${n.reference}  ${n.state.padEnd(12)} ${n.recipient.padEnd(15)} ${n.kind.padEnd(14)} ${n.locations} post(s)  ${to}${n.followUpOf ? `  follow-up of ${n.followUpOf}` : ''}${n.lastError ? `  last error: ${n.lastError}` : ''}`));
    }
  }
}

function outcomeLine(o: SendOutcome): string {
  if (o.status === 'sent') return `${o.reference}: sent to ${o.to} (${o.messageId}${o.attempts > 1 ? `, attempt ${o.attempts}` : ''})`;
  if (o.status === 'failed') return `${o.reference}: not sent: ${o.error}; next attempt from ${o.retryAt}`;
  if (o.status === 'uncertain') return `${o.reference}: MAY HAVE BEEN SENT: ${o.error}`;
  return `${o.reference}: skipped: ${o.why}`;
}

/** Adds `notices` and its subcommands. */
export function registerNoticesCommand(program: Command): void {
  const notices = program.command('notices').description('takedown notices (DSA Art. 16) to Telegram, hosting services and platforms: draft, list, show, send, mark, export, check');

  notices.command('draft').description('draft one notice per item and recipient from a scan, a case (bank) or one finding')
    .addOption(new Option('--scan <id>', 'items of this scan: bank matches and spread phone numbers/handles').argParser(parseNonNegativeInt))
    .option('--clusters', 'with --scan: also pictures posted more than once that matched no bank')
    .option('--case <bank>', 'every picture that matched this bank (a victim\'s case)')
    .addOption(new Option('--cluster <id>', 'one cluster of re-posted media (ids as in the scan report)').argParser(parseNonNegativeInt))
    .option('--media <hash>', 'one media file by its SHA-256 or MD5')
    .option('--message <chat:id>', 'the media of one message, e.g. telegram_export:1987654321:17')
    .option('--identifier <value>', 'one phone number or handle, as written (hashed at once; never stored in clear)')
    .option('--recipient <id>', `recipient (repeatable; default by item): ${RECIPIENT_IDS.join(', ')}`, collect)
    .addOption(langOption().default('en'))
    .option('--csam', 'child sexual abuse material: Art. 252 Sr, stopCA@telegram.org, no notifier name (Art. 16(2)(c))')
    .option('--notifier-name <name>', 'the notifier\'s name (default $UNEXPOSE_NOTIFIER_NAME)')
    .option('--notifier-email <email>', 'the notifier\'s e-mail (default $UNEXPOSE_NOTIFIER_EMAIL)')
    .option('--notifier-org <org>', 'the notifier\'s organisation (default $UNEXPOSE_NOTIFIER_ORG)')
    .option('--region <code>', 'country for a phone number written without +country', 'NL')
    .addOption(dbOption()).addOption(templatesOption()).addOption(formatOption())
    .action(async (o: DraftCli) => {
      const subject = subjectOf(o);
      for (const r of o.recipient ?? []) if (!RECIPIENT_IDS.includes(r as RecipientId)) throw new UnexposeError('usage', `not a recipient: ${r} (use ${RECIPIENT_IDS.join(', ')})`);
      await withNoticeDeps(o, async (deps) => {
        const r = await draftNotices(deps, subject, { recipients: o.recipient as RecipientId[] | undefined, language: o.lang, csam: o.csam });
        const format = resolveFormat(o.format);
        if (format === 'jsonl') await writeLine(JSON.stringify(r));
        else {
          for (const d of r.drafted) await writeLine(safe(`drafted ${d.id}: ${d.kind} to ${d.recipient}, ${d.locations} post(s) (${d.itemKey.slice(0, 60)})`));
          for (const e of r.existing) await writeLine(safe(`already there ${e.id} (${e.state}): to ${e.recipient} (${e.itemKey.slice(0, 60)})`));
          for (const s of r.skipped) await writeLine(safe(`skipped: ${s.why}`));
        }
        printNote(`unexpose notices: ${r.drafted.length} drafted, ${r.existing.length} already in the outbox, ${r.skipped.length} skipped`);
      });
      process.exitCode = EXIT_OK;
    });

  notices.command('list').description('the outbox')
    .addOption(new Option('--state <state>', 'only this state').choices(NOTICE_STATES))
    .addOption(new Option('--recipient <id>', 'only this recipient').choices(RECIPIENT_IDS))
    .addOption(dbOption()).addOption(formatOption())
    .action(async (o: NoticeCliOptions & { state?: string; recipient?: string; format?: OutputFormat }) => {
      await withNoticeDeps(o, async (deps) => printSummaries(await listNotices(deps, { state: o.state, recipient: o.recipient }), resolveFormat(o.format)));
      process.exitCode = EXIT_OK;
    });

  notices.command('show').description('one notice as it will be sent, with its history').argument('<id>', 'notice id or reference (UNX-000123)')
    .addOption(langOption()).addOption(includeOption()).option('--region <code>', 'country for a phone number written without +country', 'NL')
    .addOption(dbOption()).addOption(templatesOption()).addOption(formatOption())
    .action(async (id: string, o: NoticeCliOptions & { lang?: NoticeLanguage; includeIdentifier?: string; region: string; format?: OutputFormat }) => {
      await withNoticeDeps(o, async (deps) => {
        const d = await showNotice(deps, parseNoticeId(id), { language: o.lang, includeIdentifier: o.includeIdentifier, identifierOptions: { defaultRegion: o.region.toUpperCase() } });
        if (resolveFormat(o.format) === 'jsonl') return writeLine(JSON.stringify(d));
        await printSummaries([d.notice], 'text');
        await writeLine(`Subject: ${d.subject}\n`);
        await writeLine(d.body);
        await writeLine('History:');
        for (const h of d.history) await writeLine(safe(`  ${h.at}  ${h.from ?? '-'} -> ${h.to}${h.note ? `  (${h.note})` : ''}`));
        for (const r of d.reappearances) await writeLine(`  reappeared: chat ${r.chatId} message ${r.messageId}, found ${r.foundAt}${r.followUpId ? `, follow-up ${r.followUpId}` : ''}`);
      });
      process.exitCode = EXIT_OK;
    });

  notices.command('send').description(`send drafted notices by SMTP ($${SMTP_URL_ENV}), paced per recipient, never twice`)
    .argument('[ids...]', 'notices to send (default: every draft that is due)')
    .option('--smtp <url>', `SMTP server, e.g. smtps://user:password@mail.example:465 (default $${SMTP_URL_ENV})`)
    .option('--from <address>', 'sender address (default $UNEXPOSE_SMTP_FROM, else the notifier\'s e-mail)')
    .option('--resend', 'send again notices whose earlier send was interrupted (check the sent folder first), under the same Message-ID')
    .option('--queue', 'hand the drafts to NoticeSend jobs: a curator worker (unexpose worker, or serve) sends them, with retries and a dead-letter state (unexpose jobs list)')
    .addOption(new Option('--interval <seconds>', 'minimum time between two notices to one address').argParser(parseNonNegativeInt).default(60))
    .addOption(new Option('--max-per-day <n>', 'at most this many notices to one address per 24 hours').argParser(parsePositiveNumber).default(50))
    .addOption(new Option('--attempts <n>', 'attempts per notice, with back-off').argParser(parsePositiveNumber).default(3))
    .addOption(new Option('--backoff <seconds>', 'first back-off delay (doubles per attempt)').argParser(parseNonNegativeInt).default(2))
    .addOption(dbOption()).addOption(templatesOption()).addOption(formatOption())
    .action(async (ids: string[], o: NoticeCliOptions & { smtp?: string; from?: string; resend?: boolean; queue?: boolean; interval: number; maxPerDay: number; attempts: number; backoff: number; format?: OutputFormat }) => {
      if (o.queue) {
        if (o.resend) throw new UnexposeError('usage', '--resend is for an operator who checked the sent folder: it is not queued');
        const session = await openJobSession({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL });
        try {
          const format = resolveFormat(o.format);
          const queued = await queueNoticeSends(session.rt, ids.length ? ids.map(parseNoticeId) : undefined);
          for (const q of queued) {
            await writeLine(format === 'jsonl' ? JSON.stringify(q) : `${q.reference}: ${q.jobId ? `queued as job ${q.jobId}` : 'already queued'}`);
          }
          printNote(`unexpose notices: ${queued.filter((q) => q.jobId).length} queued for a curator worker (unexpose jobs list --name NoticeSend)`);
        } finally {
          await session.close();
        }
        process.exitCode = EXIT_OK;
        return;
      }
      const url = o.smtp ?? process.env[SMTP_URL_ENV];
      if (!url) throw new UnexposeError('usage', `no SMTP server: pass --smtp or set ${SMTP_URL_ENV}`);
      const format = resolveFormat(o.format);
      let bad = 0;
      await withNoticeDeps(o, async (deps) => {
        const from = o.from ?? process.env.UNEXPOSE_SMTP_FROM ?? deps.settings.notifier?.email;
        if (!from) throw new UnexposeError('usage', 'no sender address: pass --from or set UNEXPOSE_SMTP_FROM or UNEXPOSE_NOTIFIER_EMAIL');
        const mailer = createSmtpMailer(url);
        try {
          await sendNotices(deps, mailer, {
            from, ids: ids.length ? ids.map(parseNoticeId) : undefined, resend: o.resend, minIntervalMs: o.interval * 1000,
            maxPerDay: o.maxPerDay, attempts: o.attempts, baseDelayMs: o.backoff * 1000,
          }, (out) => {
            if (out.status === 'failed' || out.status === 'uncertain') bad++;
            void writeLine(format === 'jsonl' ? JSON.stringify(out) : safe(outcomeLine(out)));
          });
        } finally {
          mailer.close();
        }
      });
      process.exitCode = bad ? EXIT_FAILED : EXIT_OK;
    });

  notices.command('mark').description('record an answer, or a notice sent by hand through a web form')
    .argument('<id>', 'notice id or reference').addArgument(new Argument('<state>', `new state: ${MARKABLE_STATES.join(', ')}`).choices(MARKABLE_STATES))
    .option('--note <text>', 'what happened (e.g. the platform\'s answer)')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (id: string, state: MarkableState, o: NoticeCliOptions & { note?: string; format?: OutputFormat }) => {
      await withNoticeDeps(o, async (deps) => printSummaries([await markNotice(deps, parseNoticeId(id), state, o.note ?? null)], resolveFormat(o.format)));
      process.exitCode = EXIT_OK;
    });

  notices.command('export').description('write notices as .eml files, for a web form or sending by hand')
    .argument('<ids...>', 'notice ids or references').requiredOption('--out <dir>', 'folder for the .eml files')
    .option('--from <address>', 'sender address (default $UNEXPOSE_SMTP_FROM, else the notifier\'s e-mail)')
    .addOption(includeOption()).option('--region <code>', 'country for a phone number written without +country', 'NL')
    .addOption(dbOption()).addOption(templatesOption())
    .action(async (ids: string[], o: NoticeCliOptions & { out: string; from?: string; includeIdentifier?: string; region: string }) => {
      await withNoticeDeps(o, async (deps) => {
        const from = o.from ?? process.env.UNEXPOSE_SMTP_FROM ?? deps.settings.notifier?.email ?? 'notices@unexpose.invalid';
        await mkdir(o.out, { recursive: true });
        for (const id of ids) {
          const eml = await exportNoticeEml(deps, parseNoticeId(id), from, { includeIdentifier: o.includeIdentifier, identifierOptions: { defaultRegion: o.region.toUpperCase() } });
          await writeFile(join(o.out, eml.fileName), eml.bytes);
          await writeLine(join(o.out, eml.fileName));
        }
      });
      process.exitCode = EXIT_OK;
    });

  notices.command('check').description('flag removed items that were found again and draft follow-up notices')
    .option('--notifier-name <name>').option('--notifier-email <email>').option('--notifier-org <org>')
    .addOption(dbOption()).addOption(formatOption())
    .action(async (o: NoticeCliOptions & { format?: OutputFormat }) => {
      await withNoticeDeps(o, async (deps) => {
        const found = await checkReappearances(deps);
        const format = resolveFormat(o.format);
        for (const r of found) {
          if (format === 'jsonl') await writeLine(JSON.stringify(r));
          else {
            await writeLine(safe(`REAPPEARED ${r.reference} (removed ${r.removedAt ?? '?'}) to ${r.recipient}: ${r.posts.length} new post(s); follow-up ${r.followUpId ?? '-'}`));
            for (const p of r.posts) await writeLine(safe(`  ${p.utc ?? 'time unknown'}  ${p.link ?? `${p.chat} message ${p.messageId}`}`));
          }
        }
        printNote(`unexpose notices: ${found.length} removed item(s) found again`);
      });
      process.exitCode = EXIT_OK;
    });
}
