/**
 * `unexpose apikey create --name N --scopes match,hash,… | list | revoke ID`: API keys for the server. A new key
 * is printed once (only its SHA-256 is stored); list shows each key's first characters, scopes and state.
 */
import { Command } from 'commander';
import { ApiKeyRepo, type StoredApiKey } from '../../services/face-imports.js';
import { API_SCOPES, createApiKey, listApiKeys, parseScopes, revokeApiKey } from '../../services/api-keys.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { csvRow } from '../render/csv.js';
import { parseNonNegativeInt } from '../parse-options.js';
import { withStore } from './bank.js';
import { printNote } from '../render/terminal-text.js';

interface Opts {
  db?: string;
  format?: OutputFormat;
}

function keyJson(k: StoredApiKey): Record<string, unknown> {
  return { id: k.id, name: k.name, keyPrefix: k.keyPrefix, scopes: k.scopes, createdAt: k.createdAt, revokedAt: k.revokedAt };
}

export function registerApiKeyCommand(program: Command): void {
  const cmd = program.command('apikey').description('API keys for `unexpose serve`: create (shown once), list, revoke');
  const dbHelp = 'SQLite file (default ./unexpose.db; PostgreSQL from DATABASE_URL when --db is not given)';

  cmd.command('create')
    .description('create a key; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--scopes <list>', `comma-separated: ${API_SCOPES.join(', ')}`)
    .option('--db <path>', dbHelp)
    .addOption(formatOption())
    .action(async (o: Opts & { name: string; scopes: string }) => {
      const scopes = parseScopes(o.scopes);
      const k = await withStore(o, (s) => createApiKey({ repo: new ApiKeyRepo(s.db) }, o.name, scopes));
      if (resolveFormat(o.format) === 'text') {
        await writeLine(k.key);
        printNote(`key ${k.id} "${k.name}" with scopes ${k.scopes.join(',')}: copy it now, it is not shown again`);
      } else await writeLine(JSON.stringify({ ...keyJson(k), key: k.key }));
    });

  cmd.command('list')
    .description('list keys (first characters only)')
    .option('--db <path>', dbHelp)
    .addOption(formatOption())
    .action(async (o: Opts) => {
      const format = resolveFormat(o.format);
      const keys = await withStore(o, (s) => listApiKeys({ repo: new ApiKeyRepo(s.db) }));
      if (format === 'csv') await writeLine(csvRow(['id', 'name', 'key_prefix', 'scopes', 'created_at', 'revoked_at']));
      for (const k of keys) {
        if (format === 'jsonl') await writeLine(JSON.stringify(keyJson(k)));
        else if (format === 'csv') await writeLine(csvRow([k.id, k.name, k.keyPrefix, k.scopes.join(';'), k.createdAt, k.revokedAt ?? '']));
        else await writeLine(`${k.id}  ${k.keyPrefix}…  ${k.name}  ${k.scopes.join(',')}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`);
      }
    });

  cmd.command('revoke')
    .description('revoke a key by id (servers refuse it within a second)')
    .argument('<id>', 'the key id from `apikey list`')
    .option('--db <path>', dbHelp)
    .action(async (id: string, o: Opts) => {
      const n = parseNonNegativeInt(id);
      await withStore(o, (s) => revokeApiKey({ repo: new ApiKeyRepo(s.db) }, n));
      printNote(`key ${n} revoked`);
    });
}
