/**
 * Nothing taken from an export stays in clear or under a plain, guessable hash (issue 8 §1):
 * - message.raw_sha256 becomes raw_hmac: HMAC-SHA256 under the identifier key of the SHA-256 (hex) of the
 *   message's bytes. Rows written before are marked "sha256:<hex>" here and re-keyed by the first run that
 *   holds the key (services/identifier-key-binding.ts); a plain SHA-256 of a short message let anyone confirm a
 *   guessed phone number.
 * - input_chat.input_key was a SHA-256 of the export's path: marked "sha256:" the same way, re-keyed on first run.
 * - ingest_checkpoint rows held file names and parser state (a personal chat's name) in clear: deleted. They only
 *   say where to resume; a re-run reads those files again and skips the messages already stored.
 * - scan.inputs, chat.name and media.error were stored as given: redacted now (core/identifiers/redact-untrusted).
 */
import { sql, type Kysely } from 'kysely';
import { redactUntrusted } from '../../../core/identifiers/redact-untrusted.js';

async function redactColumn(db: Kysely<any>, table: string, column: string): Promise<void> {
  const rows = await db.selectFrom(table).select(['id', column]).where(column, 'is not', null).execute();
  for (const r of rows) {
    const before = String(r[column]);
    const after = redactUntrusted(before);
    if (after !== before) await db.updateTable(table).set({ [column]: after }).where('id', '=', r.id).execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('message').renameColumn('raw_sha256', 'raw_hmac').execute();
  await sql`update message set raw_hmac = 'sha256:' || raw_hmac`.execute(db);
  await sql`update input_chat set input_key = 'sha256:' || input_key`.execute(db);
  await sql`delete from ingest_checkpoint`.execute(db);
  const scans = await db.selectFrom('scan').select(['id', 'inputs']).execute();
  for (const s of scans) {
    let inputs: { paths?: unknown[] } & Record<string, unknown>;
    try {
      inputs = JSON.parse(s.inputs) as typeof inputs;
    } catch {
      inputs = {};
    }
    const paths = Array.isArray(inputs.paths) ? inputs.paths.map((p) => redactUntrusted(String(p))) : [];
    await db.updateTable('scan').set({ inputs: JSON.stringify({ ...inputs, paths }) }).where('id', '=', s.id).execute();
  }
  await redactColumn(db, 'chat', 'name');
  await redactColumn(db, 'media', 'error');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('message').renameColumn('raw_hmac', 'raw_sha256').execute();
}
