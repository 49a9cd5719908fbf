/**
 * Reappearance: an item whose notice was marked removed and that is found again (a later scan stored a new post
 * of it, or a retro-match tied an older post to it) is flagged with where and when, and a follow-up notice to
 * the same recipient is drafted that cites the first one and lists only the new posts. Run after every scan;
 * running it twice flags nothing twice.
 */
import { noticeReference } from '../../core/notices/notice-payload.js';
import type { NoticePayload } from '../../core/notices/notice-payload.js';
import type { RecipientId } from '../../core/notices/recipients.js';
import { buildPayload, noticeLocation } from './draft-notices.js';
import { noticeRepos, type NoticeDeps } from './notice-deps.js';
import { postsOfItem } from './notice-items.js';

export interface Reappearance {
  /** The notice whose item was removed and came back. */
  noticeId: number;
  reference: string;
  itemKey: string;
  recipient: RecipientId;
  removedAt: string | null;
  /** The new posts: where and when. */
  posts: { chatId: number; chat: string; messageId: number; link: string | null; utc: string | null }[];
  /** The follow-up notice drafted for it. */
  followUpId: number | null;
}

/**
 * Flags removed items that came back and drafts their follow-ups.
 * @example const found = await checkReappearances(deps); // after a scan
 */
export async function checkReappearances(deps: Pick<NoticeDeps, 'db' | 'settings' | 'now'>): Promise<Reappearance[]> {
  const repos = noticeRepos(deps);
  const out: Reappearance[] = [];
  for (const removed of await repos.notices.removedWithoutFollowUp()) {
    const cited = await repos.notices.citedPosts(removed.item_key, removed.recipient);
    const fresh = (await postsOfItem(repos.findings, removed.item_key)).filter((p) => !cited.has(`${p.chatId}:${p.messageId}`));
    if (fresh.length === 0) continue;
    const first = JSON.parse(removed.payload) as NoticePayload;
    const followUp = { reference: noticeReference(removed.id), sentAt: removed.sent_at, removedAt: removed.closed_at };
    // A CSAM notice stays anonymous; others keep the first notice's notifier when the settings have none now.
    const settings = { ...deps.settings, notifier: deps.settings.notifier ?? first.notifier };
    const { payload, stored } = await buildPayload(repos, first, fresh, { settings }, followUp);
    if (stored.length === 0) continue;
    const now = repos.now().toISOString();
    const row = await repos.notices.insertDraft({
      item_key: removed.item_key, item_kind: removed.item_kind, recipient: removed.recipient, address: removed.address, language: removed.language,
      payload: JSON.stringify(payload), follow_up_of: removed.id, round: removed.round + 1, message_id: null, next_attempt_at: null, last_error: null,
    }, stored, now);
    await repos.notices.addReappearances(removed.id, stored.map((p) => ({ chatId: p.chatId, messageId: p.messageId, unixTime: p.unixTime })), row?.id ?? null, now);
    out.push({
      noticeId: removed.id, reference: noticeReference(removed.id), itemKey: removed.item_key, recipient: removed.recipient as RecipientId,
      removedAt: removed.closed_at, followUpId: row?.id ?? null,
      posts: stored.map((p) => {
        const l = noticeLocation(p);
        return { chatId: p.chatId, chat: `${p.chat.source}:${p.chat.externalId}`, messageId: p.messageId, link: l.link, utc: l.utc };
      }),
    });
  }
  return out;
}
