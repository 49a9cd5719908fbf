/**
 * Drafts notices: one per item and recipient, each citing every post of the item with its exact location, the
 * legal ground and the notifier (none for CSAM). Drafting the same subject again adds nothing; an item that has
 * a notice to a recipient already is reported as such.
 */
import { UnexposeError } from '../../core/errors.js';
import { GROUND_OF_KIND } from '../../core/notices/legal-grounds.js';
import { MAX_LOCATIONS_PER_NOTICE, type NoticeLocation, type NoticePayload } from '../../core/notices/notice-payload.js';
import { defaultRecipients, RECIPIENTS, recipientTakes, type RecipientId } from '../../core/notices/recipients.js';
import type { NoticeLanguage } from '../../core/notices/render-notice.js';
import { markedChatId, telegramMessageLink } from '../../ingest/telegram/message-link.js';
import type { PostRef, StoredPost } from '../../io/db/repos/finding-repo.js';
import { isEmailAddress, noticeRepos, type NoticeDeps, type NoticeRepos } from './notice-deps.js';
import { noticeItems, type NoticeItem, type NoticeSubject } from './notice-items.js';

export interface DraftOptions {
  recipients?: RecipientId[];
  language?: NoticeLanguage;
  /** The operator says this is child sexual abuse material: Art. 252 Sr, anonymous, stopCA@ too. */
  csam?: boolean;
}

export interface DraftResult {
  drafted: { id: number; itemKey: string; kind: string; recipient: RecipientId; locations: number }[];
  /** Item and recipient pairs that have a notice already. */
  existing: { id: number; itemKey: string; recipient: RecipientId; state: string }[];
  /** Items no chosen recipient takes (e.g. a picture for Instagram). */
  skipped: { itemKey: string; recipient: RecipientId; why: string }[];
}

/** A stored post as a notice cites it: link, ids, UTC time, media hashes. Never text or sender. */
export function noticeLocation(p: StoredPost): NoticeLocation {
  const telegram = p.chat.source === 'telegram_export';
  return {
    chat: {
      source: p.chat.source, externalId: p.chat.externalId, type: p.chat.type, title: p.chat.name,
      markedId: telegram && /^\d+$/.test(p.chat.externalId) ? markedChatId(p.chat.type, p.chat.externalId) : null,
    },
    messageId: p.messageId,
    link: telegram ? telegramMessageLink(p.chat.type, p.chat.externalId, p.messageId) : null,
    utc: p.unixTime === null ? null : new Date(p.unixTime * 1000).toISOString().replace('.000Z', 'Z'),
    media: p.media && { kind: p.media.kind, pdq: p.media.pdq, md5: p.media.md5, sha256: p.media.sha256 },
  };
}

/** The payload of a notice about these posts (reference is filled in when the notice is read). */
export async function buildPayload(repos: NoticeRepos, item: Pick<NoticeItem, 'kind' | 'identifier' | 'match'>, posts: PostRef[], deps: Pick<NoticeDeps, 'settings'>,
  followUp: NoticePayload['followUp']): Promise<{ payload: NoticePayload; stored: StoredPost[] }> {
  const stored = (await repos.findings.posts(posts)).sort((a, b) => (a.unixTime ?? 0) - (b.unixTime ?? 0) || a.chatId - b.chatId || a.messageId - b.messageId);
  const notifier = item.kind === 'csam' ? null : deps.settings.notifier;
  if (item.kind !== 'csam' && !notifier) {
    throw new UnexposeError('usage', 'the notifier\'s name and e-mail are missing (Art. 16(2)(c) asks for them): set UNEXPOSE_NOTIFIER_NAME and UNEXPOSE_NOTIFIER_EMAIL or pass --notifier-name and --notifier-email');
  }
  if (notifier && !isEmailAddress(notifier.email)) throw new UnexposeError('usage', 'the notifier\'s e-mail is not a plain address (name@domain)');
  return {
    stored,
    payload: {
      format: 1, reference: '', kind: item.kind, ground: GROUND_OF_KIND[item.kind], identifier: item.identifier, match: item.match,
      locations: stored.slice(0, MAX_LOCATIONS_PER_NOTICE).map(noticeLocation), moreLocations: Math.max(0, stored.length - MAX_LOCATIONS_PER_NOTICE),
      notifier, followUp, createdAt: repos.now().toISOString(),
    },
  };
}

/** The recipients of an item: the operator's choice where it fits, else the defaults for its source. */
export function recipientsFor(item: NoticeItem, source: string, chosen?: RecipientId[]): { take: RecipientId[]; refuse: RecipientId[] } {
  if (!chosen?.length) return { take: defaultRecipients(item.kind, source, item.platform), refuse: [] };
  const take = chosen.filter((r) => recipientTakes(r, item.kind) && !(RECIPIENTS[r].template === 'platform-report' && r !== item.platform));
  return { take, refuse: chosen.filter((r) => !take.includes(r)) };
}

/**
 * Drafts the notices of a subject.
 * @example await draftNotices(deps, { caseBank: 'case-2026-0012' }, { language: 'nl' })
 */
export async function draftNotices(deps: NoticeDeps, subject: NoticeSubject, opts: DraftOptions = {}): Promise<DraftResult> {
  const repos = noticeRepos(deps);
  for (const r of opts.recipients ?? []) if (!RECIPIENTS[r]) throw new UnexposeError('usage', `not a recipient: ${r} (use ${Object.keys(RECIPIENTS).join(', ')})`);
  const items = await noticeItems(repos.findings, subject, deps.key, opts.csam);
  const result: DraftResult = { drafted: [], existing: [], skipped: [] };
  for (const item of items) {
    const { payload, stored } = await buildPayload(repos, item, item.posts, deps, null);
    if (stored.length === 0) continue;
    const source = stored[0].chat.source;
    const { take, refuse } = recipientsFor(item, source, opts.recipients);
    for (const r of refuse) result.skipped.push({ itemKey: item.key, recipient: r, why: `${RECIPIENTS[r].name} does not take notices about ${item.kind === 'handle' ? `a ${item.platform ?? 'other'} handle` : item.kind.replace('_', ' ')}` });
    for (const recipient of take) {
      const before = await repos.notices.latest(item.key, recipient);
      if (before) {
        result.existing.push({ id: before.id, itemKey: item.key, recipient, state: before.state });
        continue;
      }
      const row = await repos.notices.insertDraft({
        item_key: item.key, item_kind: item.kind, recipient, address: deps.settings.addresses[recipient] ?? RECIPIENTS[recipient].address,
        language: opts.language ?? 'en', payload: JSON.stringify(payload), follow_up_of: null, round: 0,
        message_id: null, next_attempt_at: null, last_error: null,
      }, stored, repos.now().toISOString());
      if (row) result.drafted.push({ id: row.id, itemKey: item.key, kind: item.kind, recipient, locations: stored.length });
    }
  }
  return result;
}
