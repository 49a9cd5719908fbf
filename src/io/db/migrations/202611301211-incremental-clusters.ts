/**
 * Issue 9: clusters grow incrementally. media_band holds 16-bit bands of the PDQ hashes of each clusterable media
 * file (photos; good video frames) under an index, so a scan finds the near copies of its own new media without
 * reading the store; media.clustered says which media a clustering pass has seen (all start unseen, so the next
 * scan folds the existing store in once); media_cluster.bank_matches goes (a count that withdrawals and
 * retro-matches would make stale: it is counted when a report is read).
 */
import type { Kysely } from 'kysely';
import { storedClusterHashes } from '../../../core/scan/cluster-keys.js';
import { pdqBands } from '../../../core/scan/pdq-bands.js';

const PAGE = 2000;

async function backfillBands(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('media_signal').select(['media_id', 'signal_type', 'value', 'quality'])
      .where('media_id', '>', after).where('signal_type', 'in', ['pdq', 'vpdq']).orderBy('media_id').limit(PAGE).execute();
    if (rows.length === 0) return;
    const bands: { media_id: number; band: number; value: number }[] = [];
    for (const r of rows) {
      const m = r.signal_type === 'pdq' ? { pdq: r.value, quality: r.quality === null ? null : Number(r.quality), vpdq: null } : { pdq: null, quality: null, vpdq: r.value };
      for (const h of storedClusterHashes(m)) pdqBands(h).forEach((value, band) => bands.push({ media_id: Number(r.media_id), band, value }));
    }
    for (let i = 0; i < bands.length; i += 300) {
      await db.insertInto('media_band').values(bands.slice(i, i + 300)).onConflict((oc) => oc.columns(['media_id', 'band', 'value']).doNothing()).execute();
    }
    after = Number(rows[rows.length - 1].media_id);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('media_band')
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('band', 'integer', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_band_pk', ['media_id', 'band', 'value'])
    .execute();
  await db.schema.createIndex('media_band_value_idx').on('media_band').columns(['band', 'value']).execute();
  await db.schema.alterTable('media').addColumn('clustered', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('media_clustered_idx').on('media').columns(['clustered', 'id']).execute();
  await db.schema.alterTable('media_cluster').dropColumn('bank_matches').execute();
  await backfillBands(db);
}

export async function down(): Promise<void> {
  throw new Error('202611301211-incremental-clusters cannot be undone');
}
