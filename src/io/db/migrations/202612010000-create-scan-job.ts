/**
 * Scans as jobs (issue 14): a scan job (what the API shows: status, progress, report), its parts (one per export
 * input, shared out to workers), and the embedded job queue of the SQLite default (on PostgreSQL, pg-boss keeps
 * its own tables). No path, title or identifier in clear: an input's path is sealed, payloads hold ids only.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scan_job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_key_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('scan_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .addColumn('report', 'text')
    .execute();
  await db.schema
    .createTable('scan_job_part')
    .addColumn('scan_job_id', 'text', (c) => c.notNull().references('scan_job.id').onDelete('cascade'))
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('cleanup', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('media_hashed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chat_ids', 'text')
    .addColumn('notices', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scan_job_part_pk', ['scan_job_id', 'part'])
    .execute();
  await db.schema
    .createTable('job_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('singleton_key', 'text')
    .addColumn('retry_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('start_after', 'text', (c) => c.notNull())
    .addColumn('progress', 'text')
    .addColumn('output', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('job_queue_ready').on('job_queue').columns(['state', 'start_after']).execute();
  await db.schema.createIndex('job_queue_singleton').on('job_queue').columns(['name', 'singleton_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_queue').execute();
  await db.schema.dropTable('scan_job_part').execute();
  await db.schema.dropTable('scan_job').execute();
}
