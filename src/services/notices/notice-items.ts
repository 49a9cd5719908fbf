/**
 * What notices are about: items found in the store, each with every post that carries it. A bank match (one
 * known picture of a victim), a spread cluster (one picture posted more than once), one media file (by its exact
 * hash), or one phone number or handle (by its keyed hash). An item's key is stable across scans, so the same
 * item is never drafted twice to one recipient (keys: "entry:<bank>/<type>/<key>", "cluster:<hash>", "media:<hash>",
 * "identifier:<hmac>") and a later post of it is recognised as a reappearance.
 */
import { UnexposeError } from '../../core/errors.js';
import { findIdentifiers, identifierKey, type IdentifierOptions } from '../../core/identifiers/index.js';
import type { NoticeItemKind } from '../../core/notices/legal-grounds.js';
import type { NoticePayload } from '../../core/notices/notice-payload.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import type { FindingRepo, FindingScope, PostRef } from '../../io/db/repos/finding-repo.js';

export interface NoticeItem {
  key: string;
  kind: NoticeItemKind;
  identifier: NoticePayload['identifier'];
  match: NoticePayload['match'];
  /** The handle's platform, for the platform report. */
  platform: string | null;
  posts: PostRef[];
}

/** What to draft notices about. */
export type NoticeSubject =
  | { scanId: number; clusters?: boolean }
  | { caseBank: string }
  | { clusterId: number }
  | { mediaHash: string }
  | { chat: string; messageId: number }
  | { identifier: string; identifierOptions?: IdentifierOptions };

/** Bank labels that mark child sexual abuse material (the notice goes without the notifier's name). */
const CSAM_LABELS = new Set(['csam', 'cse', 'child_abuse']);

function mediaKind(labels: string[], csam: boolean): NoticeItemKind {
  return csam || labels.some((l) => CSAM_LABELS.has(l.toLowerCase())) ? 'csam' : 'intimate_image';
}

/**
 * The keyed hash of an identifier typed by an operator ("+31 6 ...", "instagram.com/name", "ig @name").
 * @throws UnexposeError('usage') when the text holds no phone number or handle, or more than one.
 */
export function identifierHmacOf(text: string, key: IdentifierKey, opts: IdentifierOptions = {}): string {
  const found = findIdentifiers(text.length > 500 ? text.slice(0, 500) : text, opts);
  const distinct = [...new Set(found.map((f) => identifierKey(f)))];
  if (distinct.length !== 1) {
    throw new UnexposeError('usage', distinct.length === 0
      ? 'no phone number or handle recognised in the given value (write a handle as "instagram.com/NAME", "ig @NAME", "snapchat: NAME" or "tiktok: @NAME")'
      : 'the given value holds more than one phone number or handle: give one');
  }
  return key.hmac(distinct[0]);
}

/**
 * The items of a subject.
 * @example await noticeItems(repo, { caseBank: 'case-2026-0012' }, key)
 */
export async function noticeItems(repo: FindingRepo, subject: NoticeSubject, key: IdentifierKey, csam = false): Promise<NoticeItem[]> {
  const out: NoticeItem[] = [];
  const entries = async (filter: Parameters<FindingRepo['entryMatches']>[0]) => {
    for (const g of await repo.entryMatches(filter)) {
      if (g.signalType === 'phone' || g.signalType === 'handle') {
        // A victim's own number or handle in her case: the same item as the finding it matched.
        const found = (await repo.identifierGroups({ hmac: g.signal }))[0];
        out.push({
          key: `identifier:${g.signal}`, kind: g.signalType, platform: found?.platform ?? null, match: null, posts: g.posts,
          identifier: { kind: g.signalType, platform: found?.platform ?? null, display: g.display ?? found?.display ?? '(redacted)' },
        });
        continue;
      }
      out.push({
        key: `entry:${g.bank}/${g.signalType}/${g.entryKey}`, kind: mediaKind(g.labels, csam), identifier: null, platform: null,
        match: { bank: g.bank, signalType: g.signalType, distance: g.distance }, posts: g.posts,
      });
    }
  };
  const identifiers = async (filter: Parameters<FindingRepo['identifierGroups']>[0]) => {
    for (const g of await repo.identifierGroups(filter)) {
      if (out.some((i) => i.key === `identifier:${g.hmac}`)) continue;
      out.push({
        key: `identifier:${g.hmac}`, kind: g.kind, identifier: { kind: g.kind, platform: g.platform, display: g.display }, platform: g.platform,
        match: null, posts: g.posts,
      });
    }
  };
  const clusters = async (filter: Parameters<FindingRepo['clusterGroups']>[0], skip: Set<string>) => {
    for (const c of await repo.clusterGroups(filter)) {
      if (c.posts.some((p) => skip.has(`${p.chatId}:${p.messageId}`))) continue; // already a bank match item
      out.push({ key: `cluster:${c.representative}`, kind: mediaKind([], csam), identifier: null, platform: null, match: null, posts: c.posts });
    }
  };
  if ('scanId' in subject) {
    if (!(await repo.scanExists(subject.scanId))) throw new UnexposeError('not_found', `no scan ${subject.scanId} in the store`);
    const scope: FindingScope = { scanId: subject.scanId };
    await entries({ scope });
    const matched = new Set(out.flatMap((i) => i.posts.map((p) => `${p.chatId}:${p.messageId}`)));
    if (subject.clusters) await clusters({ scope }, matched);
    await identifiers({ scope });
  } else if ('caseBank' in subject) {
    await entries({ bank: subject.caseBank });
    if (out.length === 0) throw new UnexposeError('not_found', `no match of bank ${subject.caseBank} in the store (scan an export first)`);
  } else if ('clusterId' in subject) {
    await clusters({ clusterId: subject.clusterId }, new Set());
    if (out.length === 0) throw new UnexposeError('not_found', `no cluster ${subject.clusterId} with more than one post`);
  } else if ('mediaHash' in subject) {
    const hash = subject.mediaHash.toLowerCase();
    if (!/^([0-9a-f]{32}|[0-9a-f]{64})$/.test(hash)) throw new UnexposeError('usage', 'a media hash is an MD5 (32 hex digits) or SHA-256 (64 hex digits)');
    const posts = await repo.postsWithMediaHash(hash);
    if (posts.length === 0) throw new UnexposeError('not_found', `no media with hash ${hash} in the store`);
    out.push({ key: `media:${hash}`, kind: mediaKind([], csam), identifier: null, platform: null, match: null, posts });
  } else if ('chat' in subject) {
    const chat = await repo.findChat(subject.chat);
    const post = chat && (await repo.posts([{ chatId: chat.id, messageId: subject.messageId }]))[0];
    const hash = post?.media?.sha256 ?? post?.media?.md5;
    if (!post) throw new UnexposeError('not_found', `no message ${subject.messageId} of chat ${subject.chat} in the store`);
    if (!hash) throw new UnexposeError('not_found', `message ${subject.messageId} of chat ${subject.chat} has no hashed media`);
    out.push({ key: `media:${hash}`, kind: mediaKind([], csam), identifier: null, platform: null, match: null, posts: await repo.postsWithMediaHash(hash) });
  } else {
    const hmac = identifierHmacOf(subject.identifier, key, subject.identifierOptions);
    await identifiers({ hmac });
    if (out.length === 0) throw new UnexposeError('not_found', 'that phone number or handle was not found in any scanned message');
  }
  return out;
}

/** Every post of an item now in the store (a later scan or a retro-match may have added some). */
export async function postsOfItem(repo: FindingRepo, itemKey: string): Promise<PostRef[]> {
  const colon = itemKey.indexOf(':');
  const kind = itemKey.slice(0, colon);
  const value = itemKey.slice(colon + 1);
  if (kind === 'identifier') return (await repo.identifierGroups({ hmac: value }))[0]?.posts ?? [];
  if (kind === 'media') return repo.postsWithMediaHash(value);
  if (kind === 'cluster') {
    const id = await repo.clusterIdOf(value);
    return id === null ? [] : repo.postsOfCluster(id);
  }
  if (kind === 'entry') {
    // Bank names cannot hold "/", signal types and entry keys do not.
    const [bank, signalType, entryKey] = value.split('/');
    return repo.postsOfEntry(bank, signalType, entryKey);
  }
  return [];
}
