/** The real server on a SQLite file for the browser tests, listening on a free port of 127.0.0.1. */
import { loadServerConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';

export async function startTestServerSqlite(dbPath: string) {
  process.env.UNEXPOSE_SECRET ??= 'browser-test-secret-0123456789abcdef012345';
  const server = await startServer(loadServerConfig({ port: 0, dbPath, logLevel: 'warn', helplineUrl: 'https://helpline.example/' }, {}), { mode: 'inline' });
  return { url: server.url, db: () => server.ctx.store.db, close: () => server.close() };
}
