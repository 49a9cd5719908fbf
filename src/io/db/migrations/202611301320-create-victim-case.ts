/**
 * A victim's case (issue 15): the case number, an argon2id hash of her PIN and the bank that holds her hashes and
 * identifiers. No name, no contact, no media: withdrawing deletes the row with the bank.
 */
import type { Kysely } from 'kysely';
import { idColumn } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('victim_case')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('bank_id', 'integer', (c) => c.notNull().references('bank.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('victim_case').execute();
}
