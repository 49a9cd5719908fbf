/** The real server on a SQLite file for the browser tests, listening on a free port of 127.0.0.1. */
import { ApiKeyRepo } from '../../src/io/db/repos/api-key-repo.js';
import { loadServerConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';
import { createApiKey, parseScopes } from '../../src/services/api-keys.js';

export async function startTestServerSqlite(dbPath: string) {
  process.env.UNEXPOSE_SECRET ??= 'browser-test-secret-0123456789abcdef012345';
  const server = await startServer(loadServerConfig({ port: 0, dbPath, logLevel: 'warn', helplineUrl: 'https://helpline.example/' }, {}), { mode: 'inline' });
  return {
    url: server.url, db: () => server.ctx.store.db, close: () => server.close(),
    /** A new API key with these scopes (comma list), e.g. 'admin' for a caseworker who scans an export. */
    key: async (scopes: string) => (await createApiKey({ repo: new ApiKeyRepo(server.ctx.store.db) }, 'browser-test', parseScopes(scopes))).key,
  };
}
