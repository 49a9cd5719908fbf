/**
 * The SMTP mailer: nodemailer with the operator's settings (UNEXPOSE_SMTP_URL, e.g.
 * smtps://user:pass@mail.example:465 or smtp://127.0.0.1:2525). Errors are classified for the outbox: a
 * refusal or a failed connection means the message did not leave; a broken connection while sending means it
 * may have.
 */
import nodemailer from 'nodemailer';
import { UnexposeError } from '../../core/errors.js';
import { MailError, type Mailer, type OutgoingMail } from './outgoing-mail.js';

export const SMTP_URL_ENV = 'UNEXPOSE_SMTP_URL';

/** Errors raised before any message byte went out. */
const BEFORE_DATA = new Set(['ECONNECTION', 'EDNS', 'EAUTH', 'ECONNREFUSED', 'ENOTFOUND', 'EENVELOPE', 'ETLS', 'EREQUIREAUTH']);

function classify(err: unknown): MailError {
  const e = err as { code?: string; responseCode?: number; command?: string; message?: string };
  const message = (e.message ?? String(err)).replace(/[\r\n]+/g, ' ').slice(0, 500);
  if (typeof e.responseCode === 'number') {
    // The server answered: it refused. 5xx will not change by trying again; 4xx may.
    return new MailError(`SMTP server refused the message: ${message}`, true, e.responseCode >= 500, { cause: err });
  }
  if (e.code && BEFORE_DATA.has(e.code)) return new MailError(`could not hand the message to the SMTP server: ${message}`, true, false, { cause: err });
  return new MailError(`connection to the SMTP server broke while sending (the message may have been delivered): ${message}`, false, false, { cause: err });
}

/**
 * A mailer for an SMTP URL.
 * @example const mailer = createSmtpMailer('smtp://127.0.0.1:2525'); await mailer.send(mail); mailer.close()
 */
export function createSmtpMailer(url: string, opts: { timeoutMs?: number } = {}): Mailer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnexposeError('usage', `${SMTP_URL_ENV} is not a URL (use smtp://host:port or smtps://user:password@host:465)`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new UnexposeError('usage', `${SMTP_URL_ENV} must start with smtp:// or smtps://`);
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
    secure: parsed.protocol === 'smtps:',
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    // A local test server or relay without TLS is the operator's choice; ask for TLS when a password is sent.
    requireTLS: parsed.protocol === 'smtp:' && parsed.password !== '' && parsed.searchParams.get('requireTLS') !== 'false',
    ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
  });
  return {
    async send(mail: OutgoingMail) {
      try {
        const info = await transport.sendMail({
          from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId, headers: mail.headers,
        });
        return { messageId: info.messageId, accepted: (info.accepted ?? []).map(String), response: String(info.response ?? '') };
      } catch (err) {
        throw classify(err);
      }
    },
    close: () => transport.close(),
  };
}
