/**
 * What the notice use cases need, passed in explicitly so that the CLI and a server route build the same thing:
 * the database, the identifier key, the clock, the templates, and the operator's settings (notifier, addresses).
 */
import type { Kysely } from 'kysely';
import type { NoticeNotifier } from '../../core/notices/notice-payload.js';
import type { RecipientId } from '../../core/notices/recipients.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import { FindingRepo } from '../../io/db/repos/finding-repo.js';
import { NoticeRepo } from '../../io/db/repos/notice-repo.js';
import type { Database } from '../../io/db/schema.js';
import type { TemplateSource } from '../../io/templates/notice-templates.js';

export interface NoticeSettings {
  /** Who sends the notices (Art. 16(2)(c)); left out of CSAM notices. */
  notifier: NoticeNotifier | null;
  /** Addresses the operator set per recipient (wins over the built-in ones). */
  addresses: Partial<Record<RecipientId, string>>;
}

export interface NoticeDeps {
  db: Kysely<Database>;
  key: IdentifierKey;
  templates: TemplateSource;
  settings: NoticeSettings;
  now?: () => Date;
}

export interface NoticeRepos {
  notices: NoticeRepo;
  findings: FindingRepo;
  now: () => Date;
}

export function noticeRepos(deps: Pick<NoticeDeps, 'db' | 'now'>): NoticeRepos {
  return { notices: new NoticeRepo(deps.db), findings: new FindingRepo(deps.db), now: deps.now ?? (() => new Date()) };
}

const EMAIL = /^[^\s@<>()",;:\\]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;

/** True for a plain address (no display name, no list, no header tricks). */
export function isEmailAddress(s: string): boolean {
  return EMAIL.test(s);
}

/**
 * Settings from the environment (the CLI's flags win over it): UNEXPOSE_NOTIFIER_NAME, UNEXPOSE_NOTIFIER_EMAIL,
 * UNEXPOSE_NOTIFIER_ORG and UNEXPOSE_RECIPIENT_<ID> (e.g. UNEXPOSE_RECIPIENT_HOSTING_DSA=abuse@host.example).
 * @example noticeSettingsFromEnv(process.env, { name: 'Helpline', email: 'notices@helpline.example' })
 */
export function noticeSettingsFromEnv(env: Record<string, string | undefined>, flags: { name?: string; email?: string; organisation?: string } = {},
  recipientIds: readonly RecipientId[] = []): NoticeSettings {
  const name = flags.name ?? env.UNEXPOSE_NOTIFIER_NAME;
  const email = flags.email ?? env.UNEXPOSE_NOTIFIER_EMAIL;
  const organisation = flags.organisation ?? env.UNEXPOSE_NOTIFIER_ORG ?? null;
  const addresses: NoticeSettings['addresses'] = {};
  for (const id of recipientIds) {
    const a = env[`UNEXPOSE_RECIPIENT_${id.toUpperCase()}`];
    if (a) addresses[id] = a;
  }
  return { notifier: name && email ? { name, email, organisation } : null, addresses };
}
