/**
 * Issue 11: a bank entry's value was stored twice, as `signal` and as `signal_key` (the unique key: the value itself,
 * or "sha256:<hex>" of it when longer than 128 characters). Every PDQ, MD5 and SHA-256 value is short, so it was
 * the same text twice: a third of a PDQ entry's bytes, and of a bulk import's. Now the value lives once, in
 * signal_key; only a long value (a video's vPDQ frames) keeps its full text in long_signal. Readers take
 * coalesce(long_signal, signal_key).
 *
 * On PostgreSQL also:
 * - signal_type and signal_key compare bytewise (COLLATE "C"): values are hex digits, type names and the
 *   sha256: prefix, which sort the same either way, and the import's sort and unique index then compare with
 *   memcmp and abbreviated keys instead of the locale's strcoll.
 * - the foreign key bank_entry.bank_id -> bank.id goes: it cost one trigger call per row (a quarter of a bulk
 *   import's move). A bulk load checks and locks its bank once (FOR KEY SHARE); insertEntries does the same;
 *   withdrawBank locks the bank (FOR UPDATE) before deleting its entries, and deletes them itself, as it did.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('bank_entry').addColumn('long_signal', 'text').execute();
  await sql`update bank_entry set long_signal = signal where signal <> signal_key`.execute(db);
  await db.schema.alterTable('bank_entry').dropColumn('signal').execute();
  if (isPostgres(db)) {
    await sql`alter table bank_entry drop constraint if exists bank_entry_bank_id_fkey`.execute(db);
    await sql`alter table bank_entry alter column signal_type type text collate "C", alter column signal_key type text collate "C"`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table bank_entry alter column signal_type type text collate "default", alter column signal_key type text collate "default"`.execute(db);
    await sql`delete from bank_entry e where not exists (select 1 from bank b where b.id = e.bank_id)`.execute(db);
    await sql`alter table bank_entry add constraint bank_entry_bank_id_fkey foreign key (bank_id) references bank (id) on delete cascade`.execute(db);
  }
  await db.schema.alterTable('bank_entry').addColumn('signal', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update bank_entry set signal = coalesce(long_signal, signal_key)`.execute(db);
  await db.schema.alterTable('bank_entry').dropColumn('long_signal').execute();
}
