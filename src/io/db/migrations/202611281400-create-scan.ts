/**
 * Scan results (issue 5): chats, message metadata (never text), media hashes (never bytes), identifier findings
 * (keyed hashes and redacted forms, never the clear value), bank matches, spread clusters and resume checkpoints.
 */
import type { Kysely } from 'kysely';
import { idColumn } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scan')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .execute();
  await db.schema
    .createTable('chat')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('chat_key', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('first_scan_id', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('message')
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chat.id').onDelete('cascade'))
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('unix_time', 'bigint')
    .addColumn('sender_hmac', 'text')
    .addColumn('forwarded', 'integer', (c) => c.notNull())
    .addColumn('media_class', 'text')
    .addColumn('raw_sha256', 'text', (c) => c.notNull())
    .addColumn('scan_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_pk', ['chat_id', 'message_id'])
    .execute();
  await db.schema.createIndex('message_time_idx').on('message').columns(['chat_id', 'unix_time']).execute();
  await db.schema
    .createTable('media')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('media_class', 'text', (c) => c.notNull())
    .addColumn('media_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('pdq', 'text')
    .addColumn('quality', 'integer')
    .addColumn('md5', 'text')
    .addColumn('sha256', 'text')
    .addColumn('vpdq', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('duration_seconds', 'real')
    .addColumn('cluster_id', 'integer')
    .addForeignKeyConstraint('media_message_fk', ['chat_id', 'message_id'], 'message', ['chat_id', 'message_id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('media_message_unique', ['chat_id', 'message_id'])
    .execute();
  await db.schema
    .createTable('identifier_finding')
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text')
    .addColumn('hmac', 'text', (c) => c.notNull())
    .addColumn('display', 'text', (c) => c.notNull())
    .addColumn('found_in', 'text', (c) => c.notNull())
    .addForeignKeyConstraint('finding_message_fk', ['chat_id', 'message_id'], 'message', ['chat_id', 'message_id'], (c) => c.onDelete('cascade'))
    .addPrimaryKeyConstraint('identifier_finding_pk', ['chat_id', 'message_id', 'hmac'])
    .execute();
  await db.schema.createIndex('identifier_finding_hmac_idx').on('identifier_finding').column('hmac').execute();
  await db.schema
    .createTable('media_match')
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('entry_key', 'text', (c) => c.notNull())
    .addColumn('distance', 'integer', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('labels', 'text')
    .addColumn('scan_id', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('match_media_fk', ['chat_id', 'message_id'], 'media', ['chat_id', 'message_id'], (c) => c.onDelete('cascade'))
    .addPrimaryKeyConstraint('media_match_pk', ['chat_id', 'message_id', 'bank_name', 'signal_type', 'entry_key'])
    .execute();
  await db.schema
    .createTable('media_cluster')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('media_class', 'text', (c) => c.notNull())
    .addColumn('representative', 'text', (c) => c.notNull())
    .addColumn('posts', 'integer', (c) => c.notNull())
    .addColumn('chats', 'integer', (c) => c.notNull())
    .addColumn('senders', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'bigint')
    .addColumn('last_seen', 'bigint')
    .addColumn('bank_matches', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ingest_checkpoint')
    .addColumn('input_key', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_checkpoint_pk', ['input_key', 'file'])
    .execute();
  await db.schema
    .createTable('input_chat')
    .addColumn('input_key', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chat.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('input_chat_pk', ['input_key', 'chat_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['input_chat', 'ingest_checkpoint', 'media_cluster', 'media_match', 'identifier_finding', 'media', 'message', 'chat', 'scan']) {
    await db.schema.dropTable(t).execute();
  }
}
