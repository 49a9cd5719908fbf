/** Banks of known hashes and their entries (issue 4). */
import type { Kysely } from 'kysely';
import { idColumn } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bank')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('negative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pdq_threshold', 'integer', (c) => c.notNull().defaultTo(31))
    .addColumn('min_quality', 'integer', (c) => c.notNull().defaultTo(50))
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bank_entry')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('bank_id', 'integer', (c) => c.notNull().references('bank.id').onDelete('cascade'))
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('signal_key', 'text', (c) => c.notNull())
    .addColumn('quality', 'integer')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('labels', 'text')
    .addColumn('quarantined_at', 'text')
    .addColumn('quarantine_reason', 'text')
    .addUniqueConstraint('bank_entry_bank_signal_unique', ['bank_id', 'signal_type', 'signal_key'])
    .execute();
  await db.schema.createIndex('bank_entry_signal_idx').on('bank_entry').columns(['signal_type', 'signal_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bank_entry').execute();
  await db.schema.dropTable('bank').execute();
}
