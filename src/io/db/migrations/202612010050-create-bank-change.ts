/**
 * Issue 14: the bank change log. Every committed write to bank_entry adds one row in the same transaction: which
 * entry ids were added and which removed (as [from, to] ranges; ids only, never the values, so nothing of a
 * withdrawn bank lingers here). Matcher replicas follow it from the last sequence number they applied, so a
 * replica that missed a NOTIFY (connection lost, restarted) catches up by reading, not by reloading everything.
 */
import type { Kysely } from 'kysely';
import { idColumn } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bank_change')
    .addColumn('seq', 'integer', (c) => idColumn(db, c))
    /** The writing process (a replica skips what it applied itself). */
    .addColumn('origin', 'text', (c) => c.notNull())
    /** JSON [[from, to], ...] of added entry ids. */
    .addColumn('added', 'text', (c) => c.notNull())
    /** JSON [[from, to], ...] of removed entry ids. */
    .addColumn('removed', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('bank_change').execute();
}
