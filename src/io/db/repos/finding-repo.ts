/**
 * Reads of stored scan results that takedown needs: the items a notice or an evidence package is about (bank
 * matches, spread clusters, identifier findings) and the exact location of each post (chat, message id, time,
 * media hashes, the message's stored digest). Read-only; every query the notices and evidence use lives here,
 * so a change of storage (media signals as rows) is met in this one file.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { ENTRY_SIGNAL } from './bank-repo.js';

/** "All messages" or the messages one scan stored. */
export type FindingScope = { scanId: number } | { all: true };

export interface PostRef {
  chatId: number;
  messageId: number;
}

export interface StoredChat {
  id: number;
  source: string;
  externalId: string;
  type: string;
  name: string | null;
}

export interface StoredPost extends PostRef {
  chat: StoredChat;
  unixTime: number | null;
  senderHmac: string | null;
  /** The digest stored for the message's bytes (see services/evidence/message-digest). */
  rawDigest: string;
  /** The scan that stored it. */
  scanId: number;
  media: { kind: string; mediaClass: string; pdq: string | null; md5: string | null; sha256: string | null; clusterId: number | null } | null;
}

export interface EntryMatchGroup {
  bank: string;
  signalType: string;
  entryKey: string;
  /** The entry's value (for a phone or handle: its keyed hash, as identifier findings hold it). */
  signal: string;
  /** Redacted form of an identifier entry; null for media hashes. */
  display: string | null;
  distance: number;
  labels: string[];
  posts: PostRef[];
}

export interface IdentifierGroup {
  hmac: string;
  kind: 'phone' | 'handle';
  platform: string | null;
  display: string;
  posts: PostRef[];
}

const CHUNK = 400;
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export class FindingRepo {
  constructor(readonly db: Kysely<Database>) {}

  async scanExists(scanId: number): Promise<boolean> {
    return (await this.db.selectFrom('scan').select('id').where('id', '=', scanId).executeTakeFirst()) !== undefined;
  }

  /** Bank matches (by a scan or a retro-match) grouped by bank entry: one group per known picture or identifier. */
  async entryMatches(filter: { scope?: FindingScope; bank?: string }): Promise<EntryMatchGroup[]> {
    let q = this.db.selectFrom('bank_match')
      .innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
      .innerJoin('bank', 'bank.id', 'bank_entry.bank_id')
      .select(['bank_match.chat_id', 'bank_match.message_id', 'bank_match.distance', 'bank.name as bank_name', 'bank.labels as bank_labels',
        'bank_entry.id as entry_id', 'bank_entry.signal_type', ENTRY_SIGNAL.as('signal'), 'bank_entry.signal_key', 'bank_entry.labels as entry_labels', 'bank_entry.display']);
    if (filter.bank !== undefined) q = q.where('bank.name', '=', filter.bank);
    if (filter.scope && 'scanId' in filter.scope) q = q.where('bank_match.scan_id', '=', filter.scope.scanId);
    const rows = await q.orderBy('bank.name').orderBy('bank_entry.id').orderBy('bank_match.chat_id').orderBy('bank_match.message_id').execute();
    const groups = new Map<number, EntryMatchGroup>();
    for (const r of rows) {
      const id = Number(r.entry_id);
      let g = groups.get(id);
      if (!g) {
        const labels = [...(JSON.parse(r.bank_labels || '[]') as string[]), ...(r.entry_labels ? (JSON.parse(r.entry_labels) as string[]) : [])];
        g = { bank: r.bank_name, signalType: r.signal_type, entryKey: r.signal_key, signal: r.signal, display: r.display, distance: Number(r.distance), labels, posts: [] };
        groups.set(id, g);
      }
      g.distance = Math.min(g.distance, Number(r.distance));
      g.posts.push({ chatId: Number(r.chat_id), messageId: Number(r.message_id) });
    }
    return [...groups.values()];
  }

  /** Every post that matched one bank entry (for reappearance). */
  async postsOfEntry(bank: string, signalType: string, entryKey: string): Promise<PostRef[]> {
    const rows = await this.db.selectFrom('bank_match')
      .innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
      .innerJoin('bank', 'bank.id', 'bank_entry.bank_id')
      .select(['bank_match.chat_id', 'bank_match.message_id'])
      .where('bank.name', '=', bank).where('bank_entry.signal_type', '=', signalType).where('bank_entry.signal_key', '=', entryKey).execute();
    return rows.map((r) => ({ chatId: Number(r.chat_id), messageId: Number(r.message_id) }));
  }

  /** Identifier findings grouped by keyed hash. */
  async identifierGroups(filter: { scope?: FindingScope; hmac?: string }): Promise<IdentifierGroup[]> {
    let q = this.db.selectFrom('identifier_finding')
      .innerJoin('message', (j) => j.onRef('message.chat_id', '=', 'identifier_finding.chat_id').onRef('message.message_id', '=', 'identifier_finding.message_id'))
      .select(['identifier_finding.chat_id', 'identifier_finding.message_id', 'identifier_finding.kind', 'identifier_finding.platform',
        'identifier_finding.hmac', 'identifier_finding.display']);
    if (filter.hmac !== undefined) q = q.where('identifier_finding.hmac', '=', filter.hmac);
    if (filter.scope && 'scanId' in filter.scope) q = q.where('message.scan_id', '=', filter.scope.scanId);
    const rows = await q.orderBy('identifier_finding.hmac').orderBy('identifier_finding.chat_id').orderBy('identifier_finding.message_id').execute();
    const groups = new Map<string, IdentifierGroup>();
    for (const r of rows) {
      let g = groups.get(r.hmac);
      if (!g) {
        g = { hmac: r.hmac, kind: r.kind as 'phone' | 'handle', platform: r.platform, display: r.display, posts: [] };
        groups.set(r.hmac, g);
      }
      g.posts.push({ chatId: Number(r.chat_id), messageId: Number(r.message_id) });
    }
    return [...groups.values()];
  }

  /** Media posted more than once: the posts of each cluster that has one in scope. */
  async clusterGroups(filter: { scope?: FindingScope; clusterId?: number }): Promise<{ clusterId: number; representative: string; posts: PostRef[] }[]> {
    let q = this.db.selectFrom('media_cluster').select(['id', 'representative']).where('posts', '>', 1);
    if (filter.clusterId !== undefined) q = q.where('id', '=', filter.clusterId);
    if (filter.scope && 'scanId' in filter.scope) {
      const scanId = filter.scope.scanId;
      q = q.where((eb) => eb.exists(eb.selectFrom('media')
        .innerJoin('message', (j) => j.onRef('message.chat_id', '=', 'media.chat_id').onRef('message.message_id', '=', 'media.message_id'))
        .select('media.id').whereRef('media.cluster_id', '=', 'media_cluster.id').where('message.scan_id', '=', scanId)));
    }
    const clusters = await q.orderBy('id').execute();
    const out = [];
    for (const c of clusters) out.push({ clusterId: Number(c.id), representative: c.representative, posts: await this.postsOfCluster(Number(c.id)) });
    return out;
  }

  async postsOfCluster(clusterId: number): Promise<PostRef[]> {
    const rows = await this.db.selectFrom('media').select(['chat_id', 'message_id']).where('cluster_id', '=', clusterId)
      .orderBy('chat_id').orderBy('message_id').execute();
    return rows.map((r) => ({ chatId: Number(r.chat_id), messageId: Number(r.message_id) }));
  }

  /** The cluster whose representative is this hash (clusters are renumbered on each scan; representatives stay). */
  async clusterIdOf(representative: string): Promise<number | null> {
    const r = await this.db.selectFrom('media_cluster').select('id').where('representative', '=', representative).executeTakeFirst();
    return r ? Number(r.id) : null;
  }

  /** Posts whose media has exactly this SHA-256 or MD5. */
  async postsWithMediaHash(hash: string): Promise<PostRef[]> {
    const rows = await this.db.selectFrom('media_signal').innerJoin('media', 'media.id', 'media_signal.media_id')
      .select(['media.chat_id', 'media.message_id']).distinct()
      .where('media_signal.signal_type', 'in', ['sha256', 'md5']).where('media_signal.value_key', '=', hash).execute();
    return rows.map((r) => ({ chatId: Number(r.chat_id), messageId: Number(r.message_id) }));
  }

  /** PDQ, MD5 and SHA-256 of media rows, by media id (media signals are rows, one per type). */
  private async mediaHashes(mediaIds: number[]): Promise<Map<number, { pdq: string | null; md5: string | null; sha256: string | null }>> {
    const out = new Map<number, { pdq: string | null; md5: string | null; sha256: string | null }>();
    for (let i = 0; i < mediaIds.length; i += CHUNK) {
      const rows = await this.db.selectFrom('media_signal').select(['media_id', 'signal_type', 'value'])
        .where('media_id', 'in', mediaIds.slice(i, i + CHUNK)).where('signal_type', 'in', ['pdq', 'md5', 'sha256']).execute();
      for (const r of rows) {
        const h = out.get(Number(r.media_id)) ?? { pdq: null, md5: null, sha256: null };
        h[r.signal_type as 'pdq' | 'md5' | 'sha256'] = r.value;
        out.set(Number(r.media_id), h);
      }
    }
    return out;
  }

  /** Scans by id, for the chain-of-custody log. */
  async scans(ids: number[]): Promise<{ id: number; startedAt: string; finishedAt: string | null; status: string }[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('scan').select(['id', 'started_at', 'finished_at', 'status']).where('id', 'in', ids).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), startedAt: r.started_at, finishedAt: r.finished_at, status: r.status }));
  }

  /** Notices that cite any of these posts, for the chain-of-custody log. */
  async noticesCiting(refs: PostRef[]): Promise<{ id: number; recipient: string; state: string; createdAt: string; sentAt: string | null; closedAt: string | null }[]> {
    const byId = new Map<number, { id: number; recipient: string; state: string; createdAt: string; sentAt: string | null; closedAt: string | null }>();
    const byChat = new Map<number, number[]>();
    for (const p of refs) byChat.set(p.chatId, [...(byChat.get(p.chatId) ?? []), p.messageId]);
    for (const [chatId, ids] of byChat) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await this.db.selectFrom('notice_location').innerJoin('notice', 'notice.id', 'notice_location.notice_id')
          .select(['notice.id', 'notice.recipient', 'notice.state', 'notice.created_at', 'notice.sent_at', 'notice.closed_at'])
          .where('notice_location.chat_id', '=', chatId).where('notice_location.message_id', 'in', ids.slice(i, i + CHUNK)).execute();
        for (const r of rows) byId.set(Number(r.id), { id: Number(r.id), recipient: r.recipient, state: r.state, createdAt: r.created_at, sentAt: r.sent_at, closedAt: r.closed_at });
      }
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /** The chat with this key ("telegram_export:<id>") or export id. */
  async findChat(keyOrId: string): Promise<StoredChat | undefined> {
    const r = await this.db.selectFrom('chat').selectAll().where((eb) => eb.or([eb('chat_key', '=', keyOrId), eb('external_id', '=', keyOrId)]))
      .orderBy('id').executeTakeFirst();
    return r && { id: Number(r.id), source: r.source, externalId: r.external_id, type: r.type, name: r.name };
  }

  /** Full stored rows of these posts (missing ones are left out), in the order asked. */
  async posts(refs: PostRef[]): Promise<StoredPost[]> {
    const byChat = new Map<number, number[]>();
    for (const p of refs) {
      const list = byChat.get(p.chatId) ?? [];
      list.push(p.messageId);
      byChat.set(p.chatId, list);
    }
    const found = new Map<string, StoredPost>();
    for (const [chatId, ids] of byChat) {
      const c = await this.db.selectFrom('chat').selectAll().where('id', '=', chatId).executeTakeFirst();
      if (!c) continue;
      const chat: StoredChat = { id: Number(c.id), source: c.source, externalId: c.external_id, type: c.type, name: c.name };
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await this.db.selectFrom('message')
          .leftJoin('media', (j) => j.onRef('media.chat_id', '=', 'message.chat_id').onRef('media.message_id', '=', 'message.message_id'))
          .select(['message.message_id', 'message.unix_time', 'message.sender_hmac', 'message.raw_hmac', 'message.scan_id',
            'media.id as media_id', 'media.media_kind', 'media.media_class', 'media.cluster_id'])
          .where('message.chat_id', '=', chatId).where('message.message_id', 'in', ids.slice(i, i + CHUNK)).execute();
        const hashes = await this.mediaHashes(rows.filter((r) => r.media_id !== null).map((r) => Number(r.media_id)));
        for (const r of rows) {
          const h = r.media_id === null ? undefined : hashes.get(Number(r.media_id));
          const messageId = Number(r.message_id);
          found.set(`${chatId}:${messageId}`, {
            chatId, messageId, chat, unixTime: num(r.unix_time), senderHmac: r.sender_hmac, rawDigest: r.raw_hmac, scanId: Number(r.scan_id),
            media: r.media_kind === null ? null : {
              kind: r.media_kind, mediaClass: r.media_class ?? 'other', pdq: h?.pdq ?? null, md5: h?.md5 ?? null, sha256: h?.sha256 ?? null,
              clusterId: num(r.cluster_id),
            },
          });
        }
      }
    }
    return refs.map((p) => found.get(`${p.chatId}:${p.messageId}`)).filter((p): p is StoredPost => p !== undefined);
  }
}
