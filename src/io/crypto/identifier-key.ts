/**
 * The server secret behind every stored identifier, and the keyed hash (HMAC-SHA256, hex) made with it.
 *
 * Where the secret comes from, in order:
 * 1. the environment variable UNEXPOSE_SECRET (its UTF-8 bytes are the key; refused when weak, see
 *    secretWeakness), or
 * 2. a key file: UNEXPOSE_KEY_FILE, else `unexpose.key` next to the database: 32 random bytes as 64 hex digits.
 *    It is created on first use with permissions 0600 (exclusive create, so two processes cannot both write
 *    one), and refused when it is a symbolic link, is not a plain file, belongs to another user, or group or
 *    others can read it (as ssh does), so a copied database alone reveals nothing.
 *
 * Losing the key means stored hashes can no longer be matched to new findings; the database stores `keyId`, a
 * short fingerprint, and refuses another key (services/identifier-key-binding.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readFile, readlink, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UnexposeError } from '../../core/errors.js';

export const SECRET_ENV = 'UNEXPOSE_SECRET';
export const KEY_FILE_NAME = 'unexpose.key';
export const KEY_FILE_ENV = 'UNEXPOSE_KEY_FILE';
/** Rules for UNEXPOSE_SECRET: long enough, varied enough, and not a pattern (see secretWeakness). */
export const MIN_SECRET_CHARS = 32;
export const MIN_SECRET_DISTINCT_CHARS = 10;
/** Length times the per-character Shannon entropy of the secret's own characters (32 hex digits give ~115). */
export const MIN_SECRET_ESTIMATED_BITS = 96;

/**
 * Why a secret is too weak to key identifier hashes, or null when it is fine. A secret must have at least 32
 * characters, at least 10 different characters, an estimated entropy of 96 bits or more (length × Shannon
 * entropy of its character frequencies), and must not be a shorter string repeated ("abcd" × 8) or a run of
 * consecutive characters ("abcdef…", "123456…").
 * @example secretWeakness('a'.repeat(32)) // 'it has only 1 different character(s); use at least 10'
 */
export function secretWeakness(secret: string): string | null {
  const chars = [...secret];
  if (chars.length < MIN_SECRET_CHARS) return `it is ${chars.length} characters long; use at least ${MIN_SECRET_CHARS}`;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < MIN_SECRET_DISTINCT_CHARS) return `it has only ${counts.size} different character(s); use at least ${MIN_SECRET_DISTINCT_CHARS}`;
  for (let p = 1; p <= chars.length / 2; p++) {
    if (chars.every((c, i) => i < p || c === chars[i - p])) return `it is the same ${p} character(s) repeated`;
  }
  let steps = 0;
  for (let i = 1; i < chars.length; i++) if (Math.abs(chars[i].codePointAt(0)! - chars[i - 1].codePointAt(0)!) === 1) steps++;
  if (steps * 2 >= chars.length - 1) return 'it is mostly a run of consecutive characters';
  let bits = 0;
  for (const n of counts.values()) bits -= n * Math.log2(n / chars.length);
  if (bits < MIN_SECRET_ESTIMATED_BITS) return `its estimated entropy is ${Math.round(bits)} bits; use at least ${MIN_SECRET_ESTIMATED_BITS}`;
  return null;
}

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
  /** Create the key file when it is missing (default true); false for a database that already has a key. */
  create?: boolean;
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

/** Refuses a key path that is a symbolic link, not a plain file, or someone else's. */
async function checkKeyPath(path: string): Promise<void> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) {
    const target = await readlink(path).catch(() => '?');
    const dangling = await stat(path).then(() => false, () => true);
    throw new UnexposeError('invalid_input', `key file ${path} is a symbolic link (to ${target}${dangling ? ', which does not exist' : ''}); `
      + `a key file must be a plain file: point ${KEY_FILE_ENV} at the real file, or replace the link with it`);
  }
  if (!s.isFile()) throw new UnexposeError('invalid_input', `key file ${path} is not a plain file`);
  const uid = process.getuid?.();
  if (uid !== undefined && s.uid !== uid) {
    throw new UnexposeError('invalid_input', `key file ${path} belongs to another user (uid ${s.uid}, you are ${uid}); run unexpose as its owner, or copy the key to a file of your own (chmod 600)`);
  }
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  await checkKeyPath(path);
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
    const weak = secretWeakness(secret);
    if (weak) throw new UnexposeError('invalid_input', `${SECRET_ENV} is too weak to key identifier hashes: ${weak} (make one with: openssl rand -hex 32)`);
    return makeKey(Buffer.from(secret, 'utf8'), `env ${SECRET_ENV}`, false);
  }
  const explicit = options.keyFile ?? (env[KEY_FILE_ENV] || undefined);
  const path = explicit ? resolve(explicit) : keyFilePathFor(options.dbPath);
  const existing = await lstat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (existing === null) {
    if (options.create === false) throw new UnexposeError('not_found', `key file ${path} does not exist`);
    const folder = dirname(path);
    if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
      throw new UnexposeError('invalid_input', `key file ${path} cannot be created: its folder ${folder} does not exist`);
    }
  } else {
    await checkKeyPath(path);
  }
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
    await checkKeyPath(path);
  }
  // Another process may have created the file a moment ago and still be writing it: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      return makeKey(await readKeyFile(path), path, false);
    } catch (err) {
      const young = Date.now() - ((await stat(path).catch(() => null))?.mtimeMs ?? 0) < 2000;
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
