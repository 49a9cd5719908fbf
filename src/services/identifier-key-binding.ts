/**
 * Binds a database to one identifier key (issue 8 §3): the first run stores the key's fingerprint; a later run
 * with another key is refused with both fingerprints and what to do, because every stored hash of a number, a
 * handle or a sender would silently split in two. The first run on a database from before the fingerprint also
 * re-keys what was stored under plain hashes (see migration 202611301221).
 */
import { sql, type Kysely } from 'kysely';
import { UnexposeError } from '../core/errors.js';
import { KEY_FILE_ENV, SECRET_ENV, type IdentifierKey } from '../io/crypto/identifier-key.js';
import type { Database } from '../io/db/schema.js';
import { isPersonalChat, PERSONAL_CHAT_TYPES } from '../ingest/chat-source.js';
import { keyedChatId, keyedMessageDigest, keyedInputKey, isKeyedChatId } from './scan/untrusted-keys.js';

const REKEY_CHUNK = 500;

/** A fingerprint for people, in groups of four ("3f2a:8c91:d0e4:b7a6"), easy to compare by eye. */
export function showFingerprint(keyId: string): string {
  return keyId.match(/.{1,4}/g)?.join(':') ?? keyId;
}

/** The fingerprint this database's hashes were made with, or null before its first run with a key. */
export async function storedFingerprint(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('identifier_key').select('key_id').orderBy('created_at').executeTakeFirst();
  return row?.key_id ?? null;
}

/**
 * Checks (or records) the key's fingerprint, then re-keys rows left from before it was recorded.
 * @throws UnexposeError('conflict') when the database was written with another key.
 * @example await bindIdentifierKey(db, key)
 */
export async function bindIdentifierKey(db: Kysely<Database>, key: IdentifierKey, now = new Date()): Promise<void> {
  const rows = await db.selectFrom('identifier_key').select('key_id').execute();
  const stored = rows.map((r) => r.key_id);
  if (stored.length > 0 && !stored.includes(key.keyId)) {
    throw new UnexposeError('conflict', `this database was written with the identifier key whose fingerprint is ${showFingerprint(stored[0])}, `
      + `but the key from ${key.source} has fingerprint ${showFingerprint(key.keyId)}. Use the key the database was made with: put its unexpose.key `
      + `back beside the database, point ${KEY_FILE_ENV} at it, or set ${SECRET_ENV} to the secret used before. `
      + 'To start afresh with this key, use a new database instead (--db): mixing keys would count every number and sender twice.');
  }
  await rekeyPersonalChatIds(db, key);
  if (stored.length > 0) return;
  // First run with a fingerprint: rows from before it were hashed plainly; re-key them, then record the key
  // (in this order, so an interrupted re-key is finished by the next run).
  await rekeyLegacyRows(db, key);
  await db.insertInto('identifier_key').values({ key_id: key.keyId, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('key_id').doNothing()).execute();
}

async function rekeyLegacyRows(db: Kysely<Database>, key: IdentifierKey): Promise<void> {
  for (;;) {
    const rows = await db.selectFrom('message').select(['chat_id', 'message_id', 'raw_hmac'])
      .where('raw_hmac', 'like', 'sha256:%').limit(REKEY_CHUNK).execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        await trx.updateTable('message').set({ raw_hmac: keyedMessageDigest(key, r.raw_hmac.slice(7)) })
          .where('chat_id', '=', r.chat_id).where('message_id', '=', r.message_id).execute();
      }
    });
  }
  const inputs = await db.selectFrom('input_chat').select(['input_key', 'chat_id']).where('input_key', 'like', 'sha256:%').execute();
  for (const r of inputs) {
    await db.transaction().execute(async (trx) => {
      const fresh = keyedInputKey(key, r.input_key.slice(7));
      await trx.insertInto('input_chat').values({ input_key: fresh, chat_id: r.chat_id }).onConflict((oc) => oc.columns(['input_key', 'chat_id']).doNothing()).execute();
      await trx.deleteFrom('input_chat').where('input_key', '=', r.input_key).where('chat_id', '=', r.chat_id).execute();
    });
  }
  // Chat ids that are not plain numbers were derived from names (WhatsApp: a hash of the chat's file name).
  const chats = await db.selectFrom('chat').select(['id', 'source', 'external_id'])
    .where(sql<boolean>`external_id not like 'k:%'`).execute();
  for (const c of chats) {
    if (isKeyedChatId(c.external_id)) continue;
    const external = keyedChatId(key, c.source, c.external_id);
    if (external === c.external_id) continue;
    await db.updateTable('chat').set({ external_id: external, chat_key: `${c.source}:${external}` }).where('id', '=', c.id).execute();
  }
}

/**
 * A personal chat's id is the other person's Telegram user id: stores written before it was keyed hold it as a
 * plain number. Re-keyed on every open (a few chat rows at most: the query finds none once done).
 */
async function rekeyPersonalChatIds(db: Kysely<Database>, key: IdentifierKey): Promise<void> {
  const chats = await db.selectFrom('chat').select(['id', 'source', 'external_id', 'type'])
    .where('type', 'in', [...PERSONAL_CHAT_TYPES]).where(sql<boolean>`external_id not like 'k:%'`).execute();
  for (const c of chats) {
    if (!isPersonalChat(c.type)) continue;
    const external = keyedChatId(key, c.source, c.external_id, true);
    await db.updateTable('chat').set({ external_id: external, chat_key: `${c.source}:${external}` }).where('id', '=', c.id).execute();
  }
}
