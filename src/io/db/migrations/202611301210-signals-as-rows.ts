/**
 * Issue 9: signals as rows. Media hashes move from fixed columns (media.pdq, quality, md5, sha256, vpdq) to
 * media_signal rows (media, signal type, value, quality); a bank keeps a threshold per signal type (bank.thresholds,
 * JSON, from pdq_threshold); identifier entries keep a redacted form (bank_entry.display); stored matches become
 * bank_match rows that point at their bank entry (deleted with it) and say who found them (scan or retro), instead
 * of media_match rows holding copies of the entry's value, bank name, labels and source reference. Old
 * media_match rows whose entry is gone are dropped: they are exactly the traces a withdrawal should have removed.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

const PAGE = 2000;
const LONG_VALUE = 128;

function valueKey(value: string): string {
  return value.length <= LONG_VALUE ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

interface OldMedia {
  id: number;
  pdq: string | null;
  quality: number | null;
  md5: string | null;
  sha256: string | null;
  vpdq: string | null;
}

async function moveMediaSignals(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await db.selectFrom('media').select(['id', 'pdq', 'quality', 'md5', 'sha256', 'vpdq'])
      .where('id', '>', after).orderBy('id').limit(PAGE).execute()) as OldMedia[];
    if (rows.length === 0) return;
    const out: { media_id: number; signal_type: string; value: string; value_key: string; quality: number | null }[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      if (r.pdq) out.push({ media_id: id, signal_type: 'pdq', value: r.pdq, value_key: valueKey(r.pdq), quality: r.quality === null ? null : Number(r.quality) });
      if (r.md5) out.push({ media_id: id, signal_type: 'md5', value: r.md5, value_key: r.md5, quality: null });
      if (r.sha256) out.push({ media_id: id, signal_type: 'sha256', value: r.sha256, value_key: r.sha256, quality: null });
      if (r.vpdq) {
        // Stored as the hash results' frames ({frame, timestamp, pdq, quality}); the value keeps {pdq, quality, timestamp}.
        const frames = (JSON.parse(r.vpdq) as { pdq: string; quality: number; timestamp?: number }[])
          .map((f) => ({ pdq: f.pdq, quality: f.quality, timestamp: f.timestamp }));
        const v = JSON.stringify(frames);
        out.push({ media_id: id, signal_type: 'vpdq', value: v, value_key: valueKey(v), quality: null });
      }
    }
    for (let i = 0; i < out.length; i += 400) await db.insertInto('media_signal').values(out.slice(i, i + 400)).execute();
    after = Number(rows[rows.length - 1].id);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bank').addColumn('thresholds', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await sql`update bank set thresholds = '{"pdq":' || pdq_threshold || '}'`.execute(db);
  await db.schema.alterTable('bank').dropColumn('pdq_threshold').execute();
  await db.schema.alterTable('bank_entry').addColumn('display', 'text').execute();

  await db.schema
    .createTable('media_signal')
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    /** The value, or "sha256:<hex>" of it when long (vPDQ): what the lookup index holds. */
    .addColumn('value_key', 'text', (c) => c.notNull())
    .addColumn('quality', 'integer')
    .addPrimaryKeyConstraint('media_signal_pk', ['media_id', 'signal_type'])
    .execute();
  await db.schema.createIndex('media_signal_value_idx').on('media_signal').columns(['signal_type', 'value_key']).execute();
  await moveMediaSignals(db);
  for (const c of ['pdq', 'quality', 'md5', 'sha256', 'vpdq']) await db.schema.alterTable('media').dropColumn(c).execute();

  await db.schema
    .createTable('bank_match')
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('bank_entry.id').onDelete('cascade'))
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('distance', 'real', (c) => c.notNull())
    /** scan | retro: found while scanning, or when a bank gained the entry after the scan. */
    .addColumn('found_by', 'text', (c) => c.notNull())
    .addColumn('scan_id', 'integer')
    .addColumn('found_at', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('bank_match_message_fk', ['chat_id', 'message_id'], 'message', ['chat_id', 'message_id'], (c) => c.onDelete('cascade'))
    .addPrimaryKeyConstraint('bank_match_pk', ['chat_id', 'message_id', 'entry_id'])
    .execute();
  await db.schema.createIndex('bank_match_entry_idx').on('bank_match').column('entry_id').execute();
  await sql`insert into bank_match (chat_id, message_id, entry_id, signal_type, distance, found_by, scan_id, found_at)
    select mm.chat_id, mm.message_id, be.id, mm.signal_type, mm.distance, 'scan', mm.scan_id, coalesce(s.started_at, be.added_at)
    from media_match mm
    join bank b on b.name = mm.bank_name
    join bank_entry be on be.bank_id = b.id and be.signal_type = mm.signal_type and be.signal_key = mm.entry_key
    left join scan s on s.id = mm.scan_id`.execute(db);
  await db.schema.dropTable('media_match').execute();
}

export async function down(): Promise<void> {
  throw new Error('202611301210-signals-as-rows cannot be undone (media_match held copies that were dropped on purpose)');
}
