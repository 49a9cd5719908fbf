/**
 * API keys for the server: created with a set of scopes and shown once, kept only as a SHA-256 of the key (a key
 * has 256 random bits, so a plain hash cannot be reversed by guessing), listed, revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UnexposeError } from '../core/errors.js';
import type { ApiKeyRepo, StoredApiKey } from '../io/db/repos/api-key-repo.js';

/** Route families a key may be allowed; `admin` allows every one. Storage values: never rename. */
export const API_SCOPES = ['match', 'hash', 'banks:read', 'banks:write', 'scans', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const KEY_PREFIX = 'uxk_';
/** Characters of a key shown in lists (prefix + 8 of the random part). */
const SHOWN_CHARS = KEY_PREFIX.length + 8;
const NAME_RE = /^[\p{L}\p{N} _.:@-]{1,100}$/u;

export interface CreatedApiKey extends StoredApiKey {
  /** The key itself: shown this once, never stored. */
  key: string;
}

export interface ApiKeyDeps {
  repo: ApiKeyRepo;
  now?: () => Date;
}

/** SHA-256 hex of a key as stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The scopes from a comma list, checked.
 * @example parseScopes('match,hash') // ['match', 'hash']
 */
export function parseScopes(list: string): ApiScope[] {
  const scopes = [...new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (scopes.length === 0) throw new UnexposeError('usage', `give at least one scope (${API_SCOPES.join(', ')})`);
  for (const s of scopes) {
    if (!(API_SCOPES as readonly string[]).includes(s)) throw new UnexposeError('usage', `unknown scope "${s}" (use ${API_SCOPES.join(', ')})`);
  }
  return scopes as ApiScope[];
}

/** True when a key with these scopes may use a route that needs `needed`. */
export function allowsScope(scopes: readonly string[], needed: ApiScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed) || (needed === 'banks:read' && scopes.includes('banks:write'));
}

/**
 * Creates a key; the result holds the key once.
 * @example (await createApiKey(deps, 'moderation', ['match'])).key // 'uxk_…'
 */
export async function createApiKey(deps: ApiKeyDeps, name: string, scopes: ApiScope[]): Promise<CreatedApiKey> {
  if (!NAME_RE.test(name)) throw new UnexposeError('usage', 'a key name is 1-100 letters, digits, spaces or _ . : @ -');
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const stored = await deps.repo.insertKey({
    name, keyHash: hashApiKey(key), keyPrefix: key.slice(0, SHOWN_CHARS), scopes, now: (deps.now ?? (() => new Date()))().toISOString(),
  });
  return { ...stored, key };
}

export async function listApiKeys(deps: ApiKeyDeps): Promise<StoredApiKey[]> {
  return deps.repo.listKeys();
}

/** Revokes a key by id; not_found when there is no such active key. */
export async function revokeApiKey(deps: ApiKeyDeps, id: number): Promise<void> {
  const n = await deps.repo.revokeKey(id, (deps.now ?? (() => new Date()))().toISOString());
  if (n === 0) throw new UnexposeError('not_found', `no active API key with id ${id}`);
}

/** The active key this text is, or undefined. */
export async function verifyApiKey(deps: ApiKeyDeps, key: string): Promise<StoredApiKey | undefined> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
  return deps.repo.findActiveByHash(hashApiKey(key));
}
