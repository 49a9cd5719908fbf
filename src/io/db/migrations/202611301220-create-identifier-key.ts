/**
 * The fingerprint of the identifier key the database's hashes were made with (issue 8 §3). One row; a run with
 * another key is refused (services/identifier-key-binding.ts), so a moved database or a changed UNEXPOSE_SECRET
 * cannot silently split every number and sender in two.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identifier_key')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identifier_key').execute();
}
