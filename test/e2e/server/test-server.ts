/**
 * Starts the real server (startServer, listening on port 0 over real HTTP) on SQLite (a temporary file) and on
 * PostgreSQL (DATABASE_URL, one schema per server via the connection's search_path), with API keys made through
 * the service, fetch helpers, and the log lines captured. PostgreSQL cases skip with a message without DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { ApiKeyRepo } from '../../../src/io/db/repos/api-key-repo.js';
import { loadServerConfig, type ServerConfigInput } from '../../../src/server/config.js';
import { startServer, type RunningServer } from '../../../src/server/start-server.js';
import { createApiKey, parseScopes } from '../../../src/services/api-keys.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface TestServer {
  url: string;
  openUrl?: string;
  server: RunningServer;
  /** Every log line written so far. */
  logs: string[];
  /** A new API key with these scopes (comma list). */
  key(scopes: string): Promise<string>;
  request(method: string, urlPath: string, opts?: { key?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; base?: string }): Promise<Reply>;
  close(): Promise<void>;
}

export type StartTestServer = (flags?: ServerConfigInput) => Promise<TestServer>;

const databaseUrl = process.env.DATABASE_URL;
export const SECRET = '7f3a9c1e5b2d8f40a6c3e9b17d5f2a8c4e6b0d9f1a3c5e7b9d2f4a6c8e0b1d3f';

/** The URL of a PostgreSQL schema: every connection sets search_path to it. */
export function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function start(flags: ServerConfigInput): Promise<TestServer> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(...String(chunk).split('\n').filter((l) => l !== ''));
      done();
    },
  });
  process.env.UNEXPOSE_SECRET ??= SECRET;
  const server = await startServer(loadServerConfig({ port: 0, logLevel: 'info', ...flags }, {}), { logStream, mode: 'inline' });
  const keyRepo = new ApiKeyRepo(server.ctx.store.db);
  const request: TestServer['request'] = async (method, urlPath, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${opts.base ?? server.url}${urlPath}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    url: server.url, openUrl: server.openUrl, server, logs, request,
    key: async (scopes) => (await createApiKey({ repo: keyRepo }, 'test', parseScopes(scopes))).key,
    close: () => server.close(),
  };
}

/** Waits until the index is loaded (a fresh server loads it in the background). */
export async function untilReady(t: TestServer): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (t.server.ctx.index.ready) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('index did not load');
}

/** Declares the spec on SQLite and on PostgreSQL. */
export function describeServerEachDialect(fileTag: string, spec: (start: StartTestServer) => void): void {
  describe('on SQLite', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-server-'));
    let n = 0;
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    spec((flags = {}) => start({ dbPath: path.join(dir, `s${n++}.db`), keyFile: path.join(dir, 'none.key'), ...flags }));
  });
  if (!databaseUrl) console.warn(`${fileTag}: skipping the PostgreSQL cases: DATABASE_URL is not set`);
  describe.skipIf(!databaseUrl)('on PostgreSQL', () => {
    let n = 0;
    const schemas: string[] = [];
    afterAll(async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await c.end();
    });
    spec(async (flags = {}) => {
      const schema = `t_${fileTag}_${process.pid}_${n++}`;
      schemas.push(schema);
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await c.end();
      return start({ databaseUrl: schemaUrl(databaseUrl!, schema), ...flags });
    });
  });
}
