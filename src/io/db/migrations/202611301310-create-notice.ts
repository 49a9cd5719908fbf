/**
 * The takedown outbox (issue 16): notices with their state and timestamps, the messages each cites, the history
 * of state changes, and reappearances of removed items.
 */
import type { Kysely } from 'kysely';
import { idColumn } from '../migration-helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notice')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('item_kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('follow_up_of', 'integer', (c) => c.references('notice.id').onDelete('set null'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sending_at', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('notice_item_recipient_round_unique', ['item_key', 'recipient', 'round'])
    .execute();
  await db.schema.createIndex('notice_state_idx').on('notice').columns(['state', 'recipient']).execute();
  await db.schema
    .createTable('notice_location')
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_location_pk', ['notice_id', 'chat_id', 'message_id'])
    .execute();
  await db.schema
    .createTable('notice_event')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('notice_event_notice_idx').on('notice_event').column('notice_id').execute();
  await db.schema
    .createTable('reappearance')
    .addColumn('id', 'integer', (c) => idColumn(db, c))
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notice.id').onDelete('cascade'))
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('unix_time', 'bigint')
    .addColumn('found_at', 'text', (c) => c.notNull())
    .addColumn('follow_up_id', 'integer', (c) => c.references('notice.id').onDelete('set null'))
    .addUniqueConstraint('reappearance_unique', ['notice_id', 'chat_id', 'message_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['reappearance', 'notice_event', 'notice_location', 'notice']) await db.schema.dropTable(t).execute();
}
