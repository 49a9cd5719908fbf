/**
 * What every `notices` subcommand opens: the store, the identifier key beside it, the templates (built-in or the
 * operator's override folder) and the operator's settings from flags and the environment.
 */
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { RECIPIENT_IDS } from '../../core/notices/recipients.js';
import { escapeText } from '../../core/notices/render-notice.js';
import { noticeTemplates, TEMPLATES_ENV } from '../../services/notices/notice-io.js';
import { DEFAULT_DB_PATH, loadStoreKey, openStore, type Store } from '../../services/store.js';
import { noticeSettingsFromEnv, type NoticeDeps } from '../../services/notices/notice-deps.js';

export interface NoticeCliOptions {
  db?: string;
  templates?: string;
  notifierName?: string;
  notifierEmail?: string;
  notifierOrg?: string;
}

export const dbOption = () => new Option('--db <path>', `SQLite file (default ${DEFAULT_DB_PATH}; PostgreSQL from DATABASE_URL when --db is not given)`);
export const templatesOption = () => new Option('--templates <dir>', `folder of notice templates that override the built-in ones (<lang>/<name>.txt; default $${TEMPLATES_ENV})`);

/** Opens the store and builds the notice deps; closes the store after fn. */
export async function withNoticeDeps<T>(o: NoticeCliOptions, fn: (deps: NoticeDeps, store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ dbPath: o.db, databaseUrl: process.env.DATABASE_URL });
  try {
    const key = await loadStoreKey(store);
    const deps: NoticeDeps = {
      db: store.db, key, templates: noticeTemplates(o.templates ?? process.env[TEMPLATES_ENV] ?? null),
      settings: noticeSettingsFromEnv(process.env, { name: o.notifierName, email: o.notifierEmail, organisation: o.notifierOrg }, RECIPIENT_IDS),
    };
    return await fn(deps, store);
  } finally {
    await store.close();
  }
}

/** A line safe for a terminal: no control characters from stored or received text. */
export function safe(s: string | number | null | undefined): string {
  return escapeText(String(s ?? '')).replace(/\n/g, ' ');
}

/** The tool's name and version, from package.json (src/cli/commands and dist/cli/commands are three levels down). */
export function toolVersion(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return { name: 'unexpose', version: 'unknown' };
  }
}

/** Who runs the command, for a chain-of-custody log: --operator, UNEXPOSE_OPERATOR, or the login name. */
export function operatorName(given?: string): string {
  if (given) return given;
  if (process.env.UNEXPOSE_OPERATOR) return process.env.UNEXPOSE_OPERATOR;
  try {
    return userInfo().username;
  } catch {
    return 'unknown operator';
  }
}
