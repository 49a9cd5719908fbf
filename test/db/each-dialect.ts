/**
 * Runs one spec against SQLite (a temporary file) and PostgreSQL (DATABASE_URL, one fresh schema per test file,
 * so parallel files do not clash). PostgreSQL cases skip with a message when DATABASE_URL is absent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from '../../src/io/db/open-database.js';

/** Opens a fresh database, migrated unless told otherwise ({ migrate: false } for tests of a migration). */
export type OpenTestDatabase = (opts?: Pick<OpenDatabaseOptions, 'migrate'>) => Promise<OpenedDatabase>;

const databaseUrl = process.env.DATABASE_URL;

/** Declares the spec twice. `fileTag` (lower snake case) names the PostgreSQL schema for this file. */
export function describeEachDialect(fileTag: string, spec: (open: OpenTestDatabase) => void): void {
  describe('on SQLite', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-db-'));
    let n = 0;
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    spec((opts) => openDatabase({ dbPath: path.join(dir, `t${n++}.db`), ...opts }));
  });

  if (!databaseUrl) console.warn(`${fileTag}: skipping the PostgreSQL cases: DATABASE_URL is not set`);
  describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
    let n = 0;
    const schemas: string[] = [];
    afterAll(async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await client.end();
    });
    spec(async (opts) => {
      const schema = `t_${fileTag}_${process.pid}_${n++}`;
      schemas.push(schema);
      return openDatabase({ databaseUrl, schema, ...opts });
    });
  });
}
