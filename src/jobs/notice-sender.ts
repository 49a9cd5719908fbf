/**
 * What a NoticeSend job sends with, built once per worker from its environment as `unexpose notices send` builds
 * it from flags and the environment: UNEXPOSE_SMTP_URL (the SMTP server), UNEXPOSE_SMTP_FROM (else the notifier's
 * e-mail), UNEXPOSE_NOTIFIER_*, UNEXPOSE_RECIPIENT_<ID>, UNEXPOSE_TEMPLATES, and the store's identifier key.
 */
import { UnexposeError } from '../core/errors.js';
import { RECIPIENT_IDS } from '../core/notices/recipients.js';
import type { IdentifierKey } from '../io/crypto/identifier-key.js';
import type { Mailer } from '../io/mail/outgoing-mail.js';
import type { Store } from '../services/store.js';
import { noticeSettingsFromEnv, type NoticeDeps } from '../services/notices/notice-deps.js';
import { createSmtpMailer, noticeTemplates, SMTP_URL_ENV, TEMPLATES_ENV } from '../services/notices/notice-io.js';

export interface NoticeSender {
  deps: NoticeDeps;
  mailer: Mailer;
  from: string;
}

/** The sender address of NoticeSend jobs (else the notifier's e-mail address). */
export const SMTP_FROM_ENV = 'UNEXPOSE_SMTP_FROM';

/** @example const sender = noticeSenderFromEnv(store, key, process.env) */
export function noticeSenderFromEnv(store: Pick<Store, 'db'>, key: IdentifierKey, env: Record<string, string | undefined>): NoticeSender {
  const url = env[SMTP_URL_ENV];
  if (!url) throw new UnexposeError('usage', `no SMTP server for NoticeSend jobs: set ${SMTP_URL_ENV} on the curator worker`);
  const settings = noticeSettingsFromEnv(env, {}, RECIPIENT_IDS);
  const from = env[SMTP_FROM_ENV] ?? settings.notifier?.email;
  if (!from) throw new UnexposeError('usage', 'no sender address for NoticeSend jobs: set UNEXPOSE_SMTP_FROM or UNEXPOSE_NOTIFIER_EMAIL on the curator worker');
  return { deps: { db: store.db, key, templates: noticeTemplates(env[TEMPLATES_ENV] ?? null), settings }, mailer: createSmtpMailer(url), from };
}
