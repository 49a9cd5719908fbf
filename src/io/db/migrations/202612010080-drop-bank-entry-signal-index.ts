/**
 * Issue 11: bank_entry kept two indexes over the same value: the unique (bank_id, signal_type, signal_key) and
 * bank_entry_signal_idx (signal_type, signal_key). The second one cost about a third of a PDQ entry's bytes and of a
 * bulk import's time; lookups by value now name the banks (bank_id IN (...), a handful of ids) and use the unique
 * index instead.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('bank_entry_signal_idx').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('bank_entry_signal_idx').ifNotExists().on('bank_entry').columns(['signal_type', 'signal_key']).execute();
}
