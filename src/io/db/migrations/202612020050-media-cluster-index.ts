/**
 * Issue 11: media had no index on cluster_id, so each cluster's refresh (its members), each merge and the
 * report's cluster posts read the whole media table: a clustering pass grew slower with every month stored.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('media_cluster_idx').ifNotExists().on('media').columns(['cluster_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('media_cluster_idx').ifExists().execute();
}
