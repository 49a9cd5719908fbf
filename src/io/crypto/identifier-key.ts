/**
 * The server secret behind every stored identifier, and the keyed hash (HMAC-SHA256, hex) made with it.
 *
 * Where the secret comes from, in order:
 * 1. the environment variable UNEXPOSE_SECRET (at least 32 characters; its UTF-8 bytes are the key), or
 * 2. a key file, by default `unexpose.key` next to the database: 32 random bytes as 64 hex digits. It is
 *    created on first use with permissions 0600 (exclusive create, so two processes cannot both write one),
 *    and refused when group or others can read it (as ssh does), so a copied database alone reveals nothing.
 *
 * Losing the key means stored hashes can no longer be matched to new findings; changing it is detected through
 * `keyId`, a short fingerprint that is safe to store beside the hashes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UnexposeError } from '../../core/errors.js';

export const SECRET_ENV = 'UNEXPOSE_SECRET';
export const KEY_FILE_NAME = 'unexpose.key';
export const MIN_SECRET_CHARS = 32;

export interface IdentifierKey {
  /** Where the key came from, for messages: "env UNEXPOSE_SECRET" or the key file's path. */
  source: string;
  /** First 16 hex digits of HMAC(key, "unexpose key id"): tells keys apart without revealing them. */
  keyId: string;
  /** True when this call created the key file. */
  created: boolean;
  /** HMAC-SHA256 of the text (UTF-8) under this key, as 64 lower-case hex digits. */
  hmac(text: string): string;
}

export interface LoadKeyOptions {
  /** Environment to read UNEXPOSE_SECRET from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Explicit key file path; wins over dbPath. */
  keyFile?: string;
  /** The database path; the key file goes beside it. For a Postgres URL or no database, use keyFile. */
  dbPath?: string;
}

function makeKey(secret: Uint8Array, source: string, created: boolean): IdentifierKey {
  const key = Buffer.from(secret);
  const hmac = (text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
  return { source, created, keyId: hmac('unexpose key id').slice(0, 16), hmac };
}

/** The key file path for a database path (or the current folder when there is none). */
export function keyFilePathFor(dbPath?: string): string {
  return dbPath ? join(dirname(resolve(dbPath)), KEY_FILE_NAME) : resolve(KEY_FILE_NAME);
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  if (process.platform !== 'win32') {
    const s = await stat(path);
    if ((s.mode & 0o077) !== 0) {
      throw new UnexposeError('invalid_input', `key file ${path} can be read by other users (mode ${(s.mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
    }
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new UnexposeError('invalid_input', `key file ${path} does not hold 64 hex digits; restore it from a backup, or move it away to start with a new key (old hashes will no longer match)`);
  return Buffer.from(text, 'hex');
}

/**
 * Loads the identifier key from UNEXPOSE_SECRET or the key file, creating the file on first use.
 * @throws UnexposeError('invalid_input') for a secret that is too short or a key file that is unsafe or damaged.
 */
export async function loadIdentifierKey(options: LoadKeyOptions = {}): Promise<IdentifierKey> {
  const env = options.env ?? process.env;
  const secret = env[SECRET_ENV];
  if (secret !== undefined && secret !== '') {
    if (secret.length < MIN_SECRET_CHARS) throw new UnexposeError('invalid_input', `${SECRET_ENV} is ${secret.length} characters long; use at least ${MIN_SECRET_CHARS} (e.g. openssl rand -hex 32)`);
    return makeKey(Buffer.from(secret, 'utf8'), `env ${SECRET_ENV}`, false);
  }
  const path = options.keyFile ? resolve(options.keyFile) : keyFilePathFor(options.dbPath);
  try {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const bytes = randomBytes(32);
    try {
      await fh.writeFile(`${bytes.toString('hex')}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    return makeKey(bytes, path, true);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new UnexposeError('invalid_input', `cannot create key file ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
  // Another process may have created the file a moment ago and still be writing it: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      return makeKey(await readKeyFile(path), path, false);
    } catch (err) {
      const young = Date.now() - (await stat(path)).mtimeMs < 2000;
      if (attempt >= 10 || !young || !/64 hex digits/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A key from raw bytes, for tests and for callers that manage secrets themselves. */
export function identifierKeyFromBytes(secret: Uint8Array, source = 'bytes'): IdentifierKey {
  if (secret.length < 16) throw new UnexposeError('invalid_input', `identifier key of ${secret.length} bytes is too short (need 16 or more)`);
  return makeKey(secret, source, false);
}
