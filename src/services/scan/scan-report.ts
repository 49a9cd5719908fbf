/**
 * The figures of a scan, read back from the database: the summary a journalist quotes, per-chat figures, the
 * clusters of re-posted media with links to the messages, bank matches, and activity per day. Hashes, counts,
 * redacted forms and links only: never an image, a message text, or a phone number or handle in clear.
 */
import type { IngestNotice } from '../../ingest/chat-source.js';
import type { ChatFigures, DayReport, MatchReport, PostRef, ScanReport, ScanSummary } from '../../core/scan/scan-report.js';
import type { StoredMatch } from '../../io/db/repos/match-repo.js';
import { telegramMessageLink } from '../../ingest/telegram/message-link.js';
import { signalTypes } from '../../core/signals/registry.js';
import type { MatchRepo } from '../../io/db/repos/match-repo.js';
import type { ScanRepo } from '../../io/db/repos/scan-repo.js';

export type { ScanReport } from '../../core/scan/scan-report.js';

/** Top clusters listed in a report. */
export const REPORT_CLUSTERS = 50;

const iso = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString());
const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

function sum(rows: ChatFigures[], k: keyof ChatFigures): number {
  return rows.reduce((a, r) => a + Number(r[k] ?? 0), 0);
}

/** Reads the report of the given chats from the database. */
export async function buildScanReport(repos: { scans: ScanRepo; matches: MatchRepo }, chatIds: number[],
  run: { scanId: number; newMessages: number; mediaHashedThisRun: number; notices?: IngestNotice[]; now?: Date }): Promise<ScanReport> {
  const repo = repos.scans;
  const [figures, totals, chats, daily, clusters, matches] = await Promise.all([
    repo.chatFigures(chatIds), repo.totals(chatIds), repo.chats(chatIds), repo.daily(chatIds),
    repo.clusterPosts(chatIds, REPORT_CLUSTERS), repos.matches.ofChats(chatIds),
  ]);
  const chatById = new Map(chats.map((c) => [c.id, c]));
  const ref = (chatId: number, messageId: number): PostRef => {
    const c = chatById.get(chatId);
    return c ? postRef(c, messageId) : { chat: String(chatId), messageId, link: null };
  };
  const summary: ScanSummary = {
    messages: sum(figures, 'messages'), serviceMessages: sum(figures, 'serviceMessages'), photos: sum(figures, 'photos'),
    videos: sum(figures, 'videos'), otherMedia: sum(figures, 'otherMedia'), mediaNotDownloaded: sum(figures, 'mediaNotDownloaded'),
    participants: totals.participants, forwards: sum(figures, 'forwards'), phoneNumbers: totals.phoneNumbers, handles: totals.handles,
    mediaClusters: totals.mediaClusters, bankMatches: totals.bankMatches,
  };
  const byDay = new Map<number, DayReport>();
  for (const d of daily) {
    const r = byDay.get(d.day) ?? { date: day(d.day), messages: 0, media: 0 };
    r.messages += d.messages;
    r.media += d.media;
    byDay.set(d.day, r);
  }
  const figureOf = new Map(figures.map((f) => [f.chatId, f]));
  const firsts = figures.map((f) => f.firstTime).filter((t): t is number => t !== null);
  const lasts = figures.map((f) => f.lastTime).filter((t): t is number => t !== null);
  return {
    scanId: run.scanId,
    generatedAt: (run.now ?? new Date()).toISOString(),
    summary,
    run: {
      newMessages: run.newMessages, mediaHashedThisRun: run.mediaHashedThisRun, mediaHashed: sum(figures, 'mediaHashed'),
      mediaFailed: sum(figures, 'mediaFailed'), firstMessage: iso(firsts.length ? Math.min(...firsts) : null), lastMessage: iso(lasts.length ? Math.max(...lasts) : null),
    },
    chats: chats.map((c) => {
      const { chatId: _, ...f } = figureOf.get(c.id) ?? emptyFigures(c.id);
      return { key: c.chatKey, source: c.source, id: c.externalId, name: c.name, type: c.type, ...f };
    }),
    clusters: clusters.map(({ cluster, posts }) => ({
      id: cluster.id, mediaClass: cluster.mediaClass, representative: cluster.representative, posts: cluster.posts, chats: cluster.chats,
      senders: cluster.senders, firstSeen: iso(cluster.firstSeen), lastSeen: iso(cluster.lastSeen), bankMatches: cluster.bankMatches,
      messages: posts.map((p) => ref(p.chatId, p.messageId)),
    })),
    matches: matches.map((m) => matchReport(m, ref(m.chatId, m.messageId))),
    daily: [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    notices: run.notices ?? [],
  };
}

/** One stored match as the report shows it: a media match, or an identifier match with its redacted form. */
export function matchReport(m: StoredMatch, at: PostRef): MatchReport {
  const identifier = signalTypes.get(m.signalType)?.contentKinds.includes('text') ?? false;
  return {
    ...at, kind: identifier ? 'identifier' : 'media', mediaClass: identifier ? null : m.mediaClass, bank: m.bank, signalType: m.signalType,
    ...(identifier && m.display ? { identifier: m.display } : {}),
    distance: m.distance, sourceRef: m.sourceRef, labels: m.labels, foundBy: m.foundBy,
  };
}

/** Where a stored message is: its chat key, id and, for Telegram, its link. */
export function postRef(chat: { chatKey: string; source: string; type: string; externalId: string }, messageId: number): PostRef {
  const link = chat.source === 'telegram_export' ? telegramMessageLink(chat.type, chat.externalId, messageId) : null;
  return { chat: chat.chatKey, messageId, link };
}

function emptyFigures(chatId: number): ChatFigures {
  return { chatId, messages: 0, serviceMessages: 0, photos: 0, videos: 0, otherMedia: 0, participants: 0, forwards: 0, firstTime: null,
    lastTime: null, mediaNotDownloaded: 0, mediaHashed: 0, mediaFailed: 0, phoneNumbers: 0, handles: 0, bankMatches: 0, mediaClusters: 0 };
}
