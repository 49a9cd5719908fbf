/**
 * The dependency rule is enforced by ESLint (eslint.config.js, run by `npm test`): these cases are what it must
 * refuse and allow, checked through ESLint's own API on code placed at the path where it would live.
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the dependency rule (ESLint)', () => {
  it('refuses in core: Node built-ins, native packages even as a type, and imports of any other layer', async () => {
    const bad = [
      "import type { Sharp } from 'sharp';",
      "import { readFile } from 'node:fs/promises';",
      "import path from 'path';",
      "import type Database from 'better-sqlite3';",
      "import { Kysely } from 'kysely';",
      "import { openZipArchive } from '../../io/fs/zip-archive.js';",
      "import type { ScanReport } from '../../services/scan/scan-report.js';",
      "export { telegramSource } from '../ingest/telegram/telegram-source.js';",
      "import { buildProgram } from '../cli/main.js';",
    ];
    for (const line of bad) {
      const found = await problems('src/core/signals/toy/toy-signal.ts', line);
      expect(found.length, line).toBeGreaterThan(0);
      for (const p of found) expect(p, line).toMatch(/^no-restricted-imports: .*core/);
    }
    expect(await problems('src/core/signals/toy/toy-signal.ts', "import { hashPdqGrid } from '../pdq/pdq-hash.js';\nimport { parsePhoneNumber } from 'libphonenumber-js/max';")).toEqual([]);
  });

  it('refuses io importing services, ingest importing services, and a face importing io or ingest', async () => {
    expect(await problems('src/io/db/repos/x-repo.ts', "import { scanExports } from '../../../services/scan/scan-exports.js';")).toHaveLength(1);
    expect(await problems('src/ingest/telegram/x.ts', "import type { ScanOptions } from '../../services/scan/scan-exports.js';")).toHaveLength(1);
    expect(await problems('src/cli/commands/x.ts', "import { loadIdentifierKey } from '../../io/crypto/identifier-key.js';")).toHaveLength(1);
    expect(await problems('src/server/routes/x.ts', "import { telegramSource } from '../../ingest/telegram/telegram-source.js';")).toHaveLength(1);
    expect(await problems('src/cli/commands/x.ts', "import { scanExports } from '../../services/scan/scan-exports.js';\nimport { isFailedHash } from '../../core/content/media-hash.js';")).toEqual([]);
    expect(await problems('src/io/fs/x.ts', "import { UnexposeError } from '../../core/errors.js';\nimport { stat } from 'node:fs/promises';")).toEqual([]);
  });

  it('passes on the whole tree as it is', async () => {
    const results = await eslint.lintFiles(['src']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  }, 120_000);
});
