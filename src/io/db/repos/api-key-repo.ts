/** API keys in the database: stored by the SHA-256 of the key, looked up by it, revoked by setting a time. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database } from '../schema.js';

export interface StoredApiKey {
  id: number;
  name: string;
  keyPrefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

function toKey(r: Selectable<ApiKeyTable>): StoredApiKey {
  return {
    id: Number(r.id), name: r.name, keyPrefix: r.key_prefix, scopes: JSON.parse(r.scopes) as string[],
    createdAt: r.created_at, revokedAt: r.revoked_at,
  };
}

export class ApiKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insertKey(k: { name: string; keyHash: string; keyPrefix: string; scopes: string[]; now: string }): Promise<StoredApiKey> {
    const row = await this.db.insertInto('api_key').values({
      name: k.name, key_hash: k.keyHash, key_prefix: k.keyPrefix, scopes: JSON.stringify(k.scopes), created_at: k.now, revoked_at: null,
    }).returningAll().executeTakeFirstOrThrow();
    return toKey(row);
  }

  async listKeys(): Promise<StoredApiKey[]> {
    return (await this.db.selectFrom('api_key').selectAll().orderBy('id').execute()).map(toKey);
  }

  /** The key with this hash when it is not revoked. */
  async findActiveByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    const row = await this.db.selectFrom('api_key').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
    return row ? toKey(row) : undefined;
  }

  /** Revokes by id; returns how many keys changed (0 when absent or revoked already). */
  async revokeKey(id: number, now: string): Promise<number> {
    const r = await this.db.updateTable('api_key').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
