/**
 * Scan results in the database. Each batch of messages is written in one transaction together with the
 * checkpoint that follows it, so a scan killed at any moment resumes from the last checkpoint without losing or
 * duplicating anything; rows that are already there (a re-scan, a newer export of the same chat) are skipped.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { redactUntrusted } from '../../../core/identifiers/redact-untrusted.js';
import type { ChatFigures, ClusterReport } from '../../../core/scan/scan-report.js';
import { clusterItem, storedClusterHashes } from '../../../core/scan/cluster-keys.js';
import { pdqBands } from '../../../core/scan/pdq-bands.js';
import type { Signal } from '../../../core/signals/signal-type.js';
import type { Database } from '../schema.js';
import type { IdentifierFindingTable, MediaTable, MessageTable } from '../scan-schema.js';
import { signalKey } from './bank-repo.js';
import { insertMatchRows, type MatchRow } from './match-repo.js';

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 400;
/** Chat ids kept in memory (chat key -> row id). */
const MAX_CACHED_CHATS = 10_000;

export interface ChatRow {
  chatKey: string;
  source: string;
  externalId: string;
  name: string | null;
  type: string;
}

/** A media row and the signals hashed from it (stored as media_signal rows). */
export interface MediaRow {
  row: Insertable<MediaTable>;
  signals: Signal[];
}

export interface MessageBatchRows {
  messages: Insertable<MessageTable>[];
  media: MediaRow[];
  findings: Insertable<IdentifierFindingTable>[];
  matches: MatchRow[];
  /** Chats the batch touched (stored with the checkpoint's input). */
  chatIds: number[];
  checkpoint?: { inputKey: string; file: string; checkpoint: string };
}


const pairKey = (chatId: number | string, messageId: number | string) => `${Number(chatId)}:${Number(messageId)}`;

async function insertChunked<T extends keyof Database>(trx: Transaction<Database>, table: T, rows: Insertable<Database[T]>[],
  conflict: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    // Kysely's generic insert types do not narrow over a table-name parameter; the rows are typed by the caller.
    await (trx.insertInto(table) as any).values(chunk).onConflict((oc: any) => oc.columns(conflict).doNothing()).execute();
  }
}

/** Inserts media rows and their signals; media already stored (a re-scan) keep the signals they have. */
async function insertMedia(trx: Transaction<Database>, media: MediaRow[]): Promise<void> {
  const byMessage = new Map(media.map((m) => [pairKey(m.row.chat_id, m.row.message_id), m.signals]));
  for (let i = 0; i < media.length; i += ROWS_PER_INSERT) {
    const ins = await trx.insertInto('media').values(media.slice(i, i + ROWS_PER_INSERT).map((m) => m.row))
      .onConflict((oc) => oc.columns(['chat_id', 'message_id']).doNothing()).returning(['id', 'chat_id', 'message_id']).execute();
    const signals = ins.flatMap((r) => (byMessage.get(pairKey(r.chat_id, r.message_id)) ?? []).map((s) => ({
      media_id: Number(r.id), signal_type: s.type, value: s.value, value_key: signalKey(s.value), quality: s.quality ?? null,
    })));
    for (let j = 0; j < signals.length; j += ROWS_PER_INSERT) await trx.insertInto('media_signal').values(signals.slice(j, j + ROWS_PER_INSERT)).execute();
    // PDQ bands of what clustering will look up (photos; good video frames), so near copies are found by index.
    const bands = ins.flatMap((r) => {
      const item = clusterItem({ id: Number(r.id), mediaClass: '', clusterId: null }, byMessage.get(pairKey(r.chat_id, r.message_id)) ?? []);
      return [...new Set(storedClusterHashes(item).flatMap((h) => pdqBands(h).map((value, band) => `${band}:${value}`)))]
        .map((k) => ({ media_id: Number(r.id), band: Number(k.split(':')[0]), value: Number(k.split(':')[1]) }));
    });
    for (let j = 0; j < bands.length; j += ROWS_PER_INSERT) await trx.insertInto('media_band').values(bands.slice(j, j + ROWS_PER_INSERT)).execute();
  }
}

export class ScanRepo {
  private readonly chatIds = new Map<string, number>();

  constructor(readonly db: Kysely<Database>) {}

  async createScan(inputs: unknown, now: Date): Promise<number> {
    const r = await this.db.insertInto('scan')
      .values({ started_at: now.toISOString(), status: 'running', inputs: JSON.stringify(inputs) })
      .returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async finishScan(id: number, status: 'finished' | 'failed' | 'interrupted', summary: unknown, now: Date): Promise<void> {
    await this.db.updateTable('scan').set({ status, finished_at: now.toISOString(), summary: JSON.stringify(summary) })
      .where('id', '=', id).execute();
  }

  /** The chat's row id, created on first sight. */
  async chatId(given: ChatRow, scanId: number): Promise<number> {
    const cached = this.chatIds.get(given.chatKey);
    if (cached !== undefined) return cached;
    // The storage side of the redaction boundary: a chat name comes from an export (idempotent if done before).
    const chat = { ...given, name: given.name === null ? null : redactUntrusted(given.name) };
    await this.db.insertInto('chat').values({
      chat_key: chat.chatKey, source: chat.source, external_id: chat.externalId, name: chat.name, type: chat.type, first_scan_id: scanId,
    }).onConflict((oc) => oc.column('chat_key').doNothing()).execute();
    const row = await this.db.selectFrom('chat').select('id').where('chat_key', '=', chat.chatKey).executeTakeFirstOrThrow();
    if (chat.name !== null) await this.db.updateTable('chat').set({ name: chat.name }).where('id', '=', row.id).execute();
    // The repository may live as long as a server: the cache stays bounded.
    if (this.chatIds.size >= MAX_CACHED_CHATS) this.chatIds.clear();
    this.chatIds.set(chat.chatKey, Number(row.id));
    return Number(row.id);
  }

  /** Which of these message ids of a chat are stored already. */
  async existingMessageIds(chatId: number, ids: number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < ids.length; i += 900) {
      const rows = await this.db.selectFrom('message').select('message_id')
        .where('chat_id', '=', chatId).where('message_id', 'in', ids.slice(i, i + 900)).execute();
      for (const r of rows) out.add(Number(r.message_id));
    }
    return out;
  }

  async chatIdsOfInput(inputKey: string): Promise<number[]> {
    const rows = await this.db.selectFrom('input_chat').select('chat_id').where('input_key', '=', inputKey).execute();
    return rows.map((r) => Number(r.chat_id));
  }

  async checkpoint(inputKey: string, file: string): Promise<string | null> {
    const r = await this.db.selectFrom('ingest_checkpoint').select('checkpoint')
      .where('input_key', '=', inputKey).where('file', '=', file).executeTakeFirst();
    return r?.checkpoint ?? null;
  }

  /**
   * Writes a batch and its checkpoint in one transaction; rows already stored are left as they are. `alongside` writes
   * in the same transaction (a scan job part's figures, so that they move with the rows they count).
   */
  async saveBatch(rows: MessageBatchRows, now: Date, alongside?: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await alongside?.(trx);
      await insertChunked(trx, 'message', rows.messages, ['chat_id', 'message_id']);
      // Error texts name files: stored redacted, the storage side of the redaction boundary.
      await insertMedia(trx, rows.media.map((m) => (m.row.error ? { ...m, row: { ...m.row, error: redactUntrusted(m.row.error) } } : m)));
      await insertChunked(trx, 'identifier_finding', rows.findings, ['chat_id', 'message_id', 'hmac']);
      await insertMatchRows(trx, rows.matches);
      if (rows.checkpoint) {
        const { inputKey, file, checkpoint } = rows.checkpoint;
        await trx.insertInto('ingest_checkpoint').values({ input_key: inputKey, file, checkpoint, updated_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['input_key', 'file']).doUpdateSet({ checkpoint, updated_at: now.toISOString() })).execute();
        await insertChunked(trx, 'input_chat', rows.chatIds.map((chat_id) => ({ input_key: inputKey, chat_id })), ['input_key', 'chat_id']);
      }
    });
  }

  /** Per-chat counts over stored rows (so a resumed or repeated scan reports the whole chat). */
  async chatFigures(chatIds: number[]): Promise<ChatFigures[]> {
    if (chatIds.length === 0) return [];
    const msgs = await this.db.selectFrom('message')
      .select((eb) => [
        'chat_id',
        eb.fn.count<number>(sql`case when type = 'message' then 1 end`).as('messages'),
        eb.fn.count<number>(sql`case when type = 'service' then 1 end`).as('service_messages'),
        eb.fn.count<number>(sql`case when media_class = 'photo' then 1 end`).as('photos'),
        eb.fn.count<number>(sql`case when media_class = 'video' then 1 end`).as('videos'),
        eb.fn.count<number>(sql`case when media_class = 'other' then 1 end`).as('other_media'),
        eb.fn.count<number>(sql`distinct case when type = 'message' then sender_hmac end`).as('participants'),
        eb.fn.sum<number>('forwarded').as('forwards'),
        eb.fn.min<number>('unix_time').as('first_time'),
        eb.fn.max<number>('unix_time').as('last_time'),
      ])
      .where('chat_id', 'in', chatIds).groupBy('chat_id').execute();
    const media = await this.db.selectFrom('media')
      .select((eb) => ['chat_id',
        eb.fn.count<number>(sql`case when status = 'not_downloaded' then 1 end`).as('not_downloaded'),
        eb.fn.count<number>(sql`case when status = 'hashed' then 1 end`).as('hashed'),
        eb.fn.count<number>(sql`case when status in ('error', 'unsafe_path') then 1 end`).as('failed'),
      ])
      .where('chat_id', 'in', chatIds).groupBy('chat_id').execute();
    const ids = await this.db.selectFrom('identifier_finding')
      .select((eb) => ['chat_id',
        eb.fn.count<number>(sql`distinct case when kind = 'phone' then hmac end`).as('phones'),
        eb.fn.count<number>(sql`distinct case when kind = 'handle' then hmac end`).as('handles'),
      ])
      .where('chat_id', 'in', chatIds).groupBy('chat_id').execute();
    const matches = await this.db.selectFrom('bank_match')
      .select((eb) => ['chat_id', eb.fn.count<number>(sql`distinct message_id`).as('matched')])
      .where('chat_id', 'in', chatIds).groupBy('chat_id').execute();
    const clusters = await this.db.selectFrom('media').innerJoin('media_cluster', 'media_cluster.id', 'media.cluster_id')
      .select((eb) => ['media.chat_id', eb.fn.count<number>(sql`distinct media.cluster_id`).as('clusters')])
      .where('media.chat_id', 'in', chatIds).where('media_cluster.posts', '>', 1).groupBy('media.chat_id').execute();
    const by = <T extends { chat_id: number }>(rows: T[]) => new Map(rows.map((r) => [Number(r.chat_id), r]));
    const m = by(media);
    const i = by(ids);
    const x = by(matches);
    const c = by(clusters);
    return msgs.map((r) => {
      const id = Number(r.chat_id);
      return {
        chatId: id,
        messages: Number(r.messages), serviceMessages: Number(r.service_messages), photos: Number(r.photos),
        videos: Number(r.videos), otherMedia: Number(r.other_media), participants: Number(r.participants),
        forwards: Number(r.forwards ?? 0), firstTime: r.first_time === null ? null : Number(r.first_time),
        lastTime: r.last_time === null ? null : Number(r.last_time),
        mediaNotDownloaded: Number(m.get(id)?.not_downloaded ?? 0), mediaHashed: Number(m.get(id)?.hashed ?? 0),
        mediaFailed: Number(m.get(id)?.failed ?? 0),
        phoneNumbers: Number(i.get(id)?.phones ?? 0), handles: Number(i.get(id)?.handles ?? 0),
        bankMatches: Number(x.get(id)?.matched ?? 0), mediaClusters: Number(c.get(id)?.clusters ?? 0),
      };
    });
  }

  /** Distinct counts across chats (a number posted in two chats counts once). */
  async totals(chatIds: number[]): Promise<{ participants: number; phoneNumbers: number; handles: number; mediaClusters: number; bankMatches: number }> {
    const none = { participants: 0, phoneNumbers: 0, handles: 0, mediaClusters: 0, bankMatches: 0 };
    if (chatIds.length === 0) return none;
    const p = await this.db.selectFrom('message').select((eb) => eb.fn.count<number>(sql`distinct sender_hmac`).as('n'))
      .where('chat_id', 'in', chatIds).where('type', '=', 'message').executeTakeFirst();
    const f = await this.db.selectFrom('identifier_finding')
      .select((eb) => [
        eb.fn.count<number>(sql`distinct case when kind = 'phone' then hmac end`).as('phones'),
        eb.fn.count<number>(sql`distinct case when kind = 'handle' then hmac end`).as('handles'),
      ]).where('chat_id', 'in', chatIds).executeTakeFirst();
    const c = await this.db.selectFrom('media').innerJoin('media_cluster', 'media_cluster.id', 'media.cluster_id')
      .select((eb) => eb.fn.count<number>(sql`distinct media.cluster_id`).as('n'))
      .where('media.chat_id', 'in', chatIds).where('media_cluster.posts', '>', 1).executeTakeFirst();
    const x = await this.db.selectFrom('bank_match')
      .select((eb) => eb.fn.count<number>(sql`distinct chat_id || ':' || message_id`).as('n'))
      .where('chat_id', 'in', chatIds).executeTakeFirst();
    return {
      participants: Number(p?.n ?? 0), phoneNumbers: Number(f?.phones ?? 0), handles: Number(f?.handles ?? 0),
      mediaClusters: Number(c?.n ?? 0), bankMatches: Number(x?.n ?? 0),
    };
  }

  /** Messages and media per UTC day, per chat. */
  async daily(chatIds: number[]): Promise<{ chatId: number; day: number; messages: number; media: number }[]> {
    if (chatIds.length === 0) return [];
    const rows = await this.db.selectFrom('message')
      .select((eb) => ['chat_id', sql<number>`unix_time / 86400`.as('day'),
        eb.fn.count<number>(sql`case when type = 'message' then 1 end`).as('messages'),
        eb.fn.count<number>(sql`case when media_class in ('photo', 'video') then 1 end`).as('media')])
      .where('chat_id', 'in', chatIds).where('unix_time', 'is not', null)
      .groupBy(['chat_id', sql`unix_time / 86400`]).execute();
    return rows.map((r) => ({ chatId: Number(r.chat_id), day: Number(r.day), messages: Number(r.messages), media: Number(r.media) }));
  }

  async chats(chatIds: number[]): Promise<{ id: number; chatKey: string; source: string; externalId: string; name: string | null; type: string }[]> {
    if (chatIds.length === 0) return [];
    const rows = await this.db.selectFrom('chat').selectAll().where('id', 'in', chatIds).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), chatKey: r.chat_key, source: r.source, externalId: r.external_id, name: r.name, type: r.type }));
  }

  /** Clusters with their posts' chats and message ids, largest spread first. */
  async clusterPosts(chatIds: number[], limit: number): Promise<{ cluster: MediaClusterRow; posts: { chatId: number; messageId: number }[] }[]> {
    if (chatIds.length === 0) return [];
    const clusters = await this.db.selectFrom('media_cluster').selectAll().where('posts', '>', 1)
      .orderBy('chats', 'desc').orderBy('posts', 'desc').orderBy('id').limit(limit).execute();
    const out = [];
    for (const c of clusters) {
      const posts = await this.db.selectFrom('media').select(['chat_id', 'message_id'])
        .where('cluster_id', '=', c.id).where('chat_id', 'in', chatIds).orderBy('chat_id').orderBy('message_id').limit(200).execute();
      // Counted when read: withdrawals and retro-matches change it after the cluster was made.
      const matched = await this.db.selectFrom('media')
        .innerJoin('bank_match', (j) => j.onRef('bank_match.chat_id', '=', 'media.chat_id').onRef('bank_match.message_id', '=', 'media.message_id'))
        .innerJoin('media_signal', (j) => j.onRef('media_signal.media_id', '=', 'media.id').onRef('media_signal.signal_type', '=', 'bank_match.signal_type'))
        .select((eb) => eb.fn.count<number>(sql`distinct media.id`).as('n')).where('media.cluster_id', '=', c.id).executeTakeFirst();
      out.push({ cluster: toClusterRow(c, Number(matched?.n ?? 0)), posts: posts.map((p) => ({ chatId: Number(p.chat_id), messageId: Number(p.message_id) })) });
    }
    return out;
  }
}

/** A stored cluster: the report's cluster with Unix times and without its message list. */
export type MediaClusterRow = Omit<ClusterReport, 'firstSeen' | 'lastSeen' | 'messages'> & { firstSeen: number | null; lastSeen: number | null };

function toClusterRow(c: { id: number; media_class: string; representative: string; posts: number; chats: number; senders: number;
  first_seen: number | string | null; last_seen: number | string | null }, bankMatches: number): MediaClusterRow {
  return {
    id: Number(c.id), mediaClass: c.media_class, representative: c.representative, posts: Number(c.posts), chats: Number(c.chats),
    senders: Number(c.senders), firstSeen: c.first_seen === null ? null : Number(c.first_seen),
    lastSeen: c.last_seen === null ? null : Number(c.last_seen), bankMatches,
  };
}
