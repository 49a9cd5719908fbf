/**
 * Spread clusters in the database, updated incrementally: near copies of a media file are found through indexes
 * (media_band for PDQ bands, media_signal for MD5), so a clustering pass reads only what touches its own new
 * media. Passes are serialised (PostgreSQL: a transaction-scoped advisory lock; SQLite: one writer at a time), so
 * two scans at once end as one after the other would.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { clusterItem, type BandHit, type ClusterItem } from '../../../core/scan/cluster-keys.js';
import { PDQ_BANDS } from '../../../core/scan/pdq-bands.js';
import type { Signal } from '../../../core/signals/signal-type.js';
import type { DialectName } from '../open-database.js';
import type { Database } from '../schema.js';
import type { ClusterReport } from '../../../core/scan/scan-report.js';

const CHUNK = 500;
/** Band values per lookup: well under SQLite's and PostgreSQL's bound-parameter limits. */
const VALUE_CHUNK = 5000;
/** Any constant: the advisory lock that serialises clustering passes on PostgreSQL. */
const CLUSTER_LOCK = 7_310_009;

/** A cluster's figures, computed from its members: the report's cluster with times as Unix seconds, before links. */
export type ClusterFigures = Omit<ClusterReport, 'firstSeen' | 'lastSeen' | 'bankMatches' | 'messages'> & {
  firstSeen: number | null;
  lastSeen: number | null;
};

export class ClusterRepo {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>, private readonly dialect: DialectName = 'sqlite') {}

  /** Runs fn in one transaction that no other clustering pass runs alongside. */
  async locked<T>(fn: (repo: ClusterRepo) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CLUSTER_LOCK})`.execute(trx);
      return fn(new ClusterRepo(trx, this.dialect));
    });
  }

  /** Hashed media no pass has looked at yet, in id order. */
  async pendingMedia(limit: number): Promise<number[]> {
    const rows = await this.db.selectFrom('media').select('id').where('clustered', '=', 0).where('status', '=', 'hashed').orderBy('id').limit(limit).execute();
    return rows.map((r) => Number(r.id));
  }

  async markClustered(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) await this.db.updateTable('media').set({ clustered: 1 }).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
  }

  /** The media files with their cluster and cluster-relevant signals. */
  async items(ids: number[]): Promise<ClusterItem[]> {
    const out: ClusterItem[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const media = await this.db.selectFrom('media').select(['id', 'media_class', 'cluster_id']).where('id', 'in', chunk).execute();
      const signals = await this.db.selectFrom('media_signal').select(['media_id', 'signal_type', 'value', 'quality'])
        .where('media_id', 'in', chunk).where('signal_type', 'in', ['pdq', 'md5', 'vpdq']).execute();
      const by = new Map<number, Signal[]>();
      for (const s of signals) by.set(Number(s.media_id), [...(by.get(Number(s.media_id)) ?? []), { type: s.signal_type, value: s.value, quality: s.quality === null ? null : Number(s.quality) }]);
      for (const m of media) {
        out.push(clusterItem({ id: Number(m.id), mediaClass: m.media_class, clusterId: m.cluster_id === null ? null : Number(m.cluster_id) }, by.get(Number(m.id)) ?? []));
      }
    }
    return out;
  }

  /**
   * For each query (a list of probe sets, one per hash: probes[band] = values to look for in that band), the media
   * with a band equal to one of its probes that `keep` accepts. One indexed query per band (and chunk) for the whole
   * page of queries; each hit comes with the stored file's PDQ (null for a video, whose frames' bands are stored),
   * so that hits too far to join are dropped row by row instead of piling up (they grow with the store).
   */
  async bandCandidates(queries: number[][][][], keep: (query: number, hit: BandHit) => boolean): Promise<Set<number>[]> {
    const out = queries.map(() => new Set<number>());
    for (let band = 0; band < PDQ_BANDS; band++) {
      const askers = new Map<number, number[]>();
      queries.forEach((hashes, q) => {
        for (const probes of hashes) {
          for (const v of probes[band]) {
            const a = askers.get(v);
            if (a) a.push(q);
            else askers.set(v, [q]);
          }
        }
      });
      const values = [...askers.keys()];
      for (let i = 0; i < values.length; i += VALUE_CHUNK) {
        const rows = await this.db.selectFrom('media_band')
          .leftJoin('media_signal as s', (j) => j.onRef('s.media_id', '=', 'media_band.media_id').on('s.signal_type', '=', 'pdq'))
          .select(['media_band.media_id', 'media_band.value', 's.value as pdq', 's.quality'])
          .where('media_band.band', '=', band).where('media_band.value', 'in', values.slice(i, i + VALUE_CHUNK)).execute();
        for (const r of rows) {
          const hit: BandHit = { id: Number(r.media_id), pdq: r.pdq ?? null, quality: r.quality === null ? null : Number(r.quality) };
          for (const q of askers.get(Number(r.value)) ?? []) if (!out[q].has(hit.id) && keep(q, hit)) out[q].add(hit.id);
        }
      }
    }
    return out;
  }

  /** Media by MD5 of their file, for these MD5s. */
  async sameFiles(md5s: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    const unique = [...new Set(md5s)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db.selectFrom('media_signal').select(['media_id', 'value_key'])
        .where('signal_type', '=', 'md5').where('value_key', 'in', unique.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.set(r.value_key, [...(out.get(r.value_key) ?? []), Number(r.media_id)]);
    }
    return out;
  }

  /** Puts these media and every member of these clusters into cluster `id`, and drops the other cluster rows. */
  async merge(id: number, mediaIds: number[], clusterIds: number[]): Promise<void> {
    for (let i = 0; i < mediaIds.length; i += CHUNK) await this.db.updateTable('media').set({ cluster_id: id }).where('id', 'in', mediaIds.slice(i, i + CHUNK)).execute();
    const others = clusterIds.filter((c) => c !== id);
    if (others.length === 0) return;
    await this.db.updateTable('media').set({ cluster_id: id }).where('cluster_id', 'in', others).execute();
    await this.db.deleteFrom('media_cluster').where('id', 'in', others).execute();
  }

  /** Recomputes a cluster's figures from its members and stores them. */
  async refresh(id: number): Promise<ClusterFigures> {
    const members = await this.db.selectFrom('media')
      .innerJoin('message', (j) => j.onRef('message.chat_id', '=', 'media.chat_id').onRef('message.message_id', '=', 'media.message_id'))
      .leftJoin('media_signal as p', (j) => j.onRef('p.media_id', '=', 'media.id').on('p.signal_type', '=', 'pdq'))
      .leftJoin('media_signal as m', (j) => j.onRef('m.media_id', '=', 'media.id').on('m.signal_type', '=', 'md5'))
      .select(['media.id', 'media.chat_id', 'media.media_class', 'message.sender_hmac', 'message.unix_time', 'p.value as pdq', 'm.value as md5'])
      .where('media.cluster_id', '=', id).execute();
    const times = members.map((m) => (m.unix_time === null ? null : Number(m.unix_time)));
    const known = times.filter((t): t is number => t !== null);
    const order = members.map((m, i) => ({ m, t: times[i] ?? Infinity })).sort((a, b) => a.t - b.t || Number(a.m.id) - Number(b.m.id));
    const earliest = order[0].m;
    const figures: ClusterFigures = {
      id, mediaClass: earliest.media_class, representative: earliest.pdq ?? earliest.md5 ?? '', posts: members.length,
      chats: new Set(members.map((m) => Number(m.chat_id))).size,
      senders: new Set(members.map((m) => m.sender_hmac).filter((s) => s !== null)).size,
      firstSeen: known.length ? Math.min(...known) : null, lastSeen: known.length ? Math.max(...known) : null,
    };
    const row = {
      media_class: figures.mediaClass, representative: figures.representative, posts: figures.posts, chats: figures.chats,
      senders: figures.senders, first_seen: figures.firstSeen, last_seen: figures.lastSeen,
    };
    await this.db.insertInto('media_cluster').values({ id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    return figures;
  }
}
