/**
 * `unexpose serve` as a process: bad configuration stops it at start with exit 2 and a clear line; SIGTERM lets a
 * request in flight finish and exits 0; and two server processes on one PostgreSQL see each other's bank changes
 * within a second (LISTEN/NOTIFY).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../../support/run-cli.js';
import { schemaUrl, SECRET } from './test-server.js';

const databaseUrl = process.env.DATABASE_URL;
const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts `unexpose serve` and resolves with its URL once it listens. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    env: { ...process.env, UNEXPOSE_SECRET: SECRET, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/[^\s,]+)/.exec(err);
      if (m) resolve({ child, url: m[1], stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/status/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('not ready');
}

describe('unexpose serve', () => {
  it('refuses a bad configuration at start, naming the flag and the variable', async () => {
    const r = await runCli(['serve', '--port', 'x'], { env: { UNEXPOSE_RATE_LIMIT: '-5' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port: /);
    expect(r.stderr).toMatch(/UNEXPOSE_RATE_LIMIT: /);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unexpose-serve-'));
    try {
      const db = path.join(dir, 'x.db');
      const key = JSON.parse((await runCli(['apikey', 'create', '--name', 't', '--scopes', 'banks:write', '--db', db, '--format', 'jsonl'])).stdout).key as string;
      const { child, url } = await serve(['--db', db]);
      await waitReady(url);
      // A slow client: the import body arrives in two parts, SIGTERM comes in between.
      let push!: (s: string | null) => void;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          push = (s) => (s === null ? c.close() : c.enqueue(new TextEncoder().encode(s)));
        },
      });
      await fetch(`${url}/v1/banks`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name":"b"}' });
      const pending = fetch(`${url}/v1/banks/b/import?format=hashes`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' }, body, duplex: 'half',
      } as RequestInit);
      push(`${PDQ}\n`);
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      push(`${PDQ.replace('f8', '07')}\n`);
      push(null);
      const res = await pending;
      expect(res.status).toBe(200);
      expect((await res.json()).added).toBe(2);
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!databaseUrl)('two servers on one PostgreSQL', () => {
  const schema = `t_two_servers_${process.pid}`;
  afterAll(async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });

  it('a bank change made through one is seen by the other within a second', async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await c.end();
    const env = { DATABASE_URL: schemaUrl(databaseUrl!, schema) };
    const key = JSON.parse((await runCli(['apikey', 'create', '--name', 't', '--scopes', 'admin', '--format', 'jsonl'], { env })).stdout).key as string;
    const a = await serve([], env);
    const b = await serve([], env);
    await Promise.all([waitReady(a.url), waitReady(b.url)]);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const lookupB = async () => (await (await fetch(`${b.url}/v1/match?signal_type=pdq&signal=${PDQ}`, { headers: auth })).json()).matches.length as number;
    expect((await fetch(`${a.url}/v1/banks`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'shared' }) })).status).toBe(201);
    expect(await lookupB()).toBe(0);
    await fetch(`${a.url}/v1/banks/shared/entries`, { method: 'POST', headers: auth, body: JSON.stringify({ entries: [{ signalType: 'pdq', signal: PDQ }] }) });
    const t0 = Date.now();
    while ((await lookupB()) === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    const seenAfter = Date.now() - t0;
    expect(await lookupB()).toBe(1);
    expect(seenAfter).toBeLessThan(1000);
    await fetch(`${a.url}/v1/banks/shared`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    const t1 = Date.now();
    while ((await lookupB()) === 1 && Date.now() - t1 < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - t1).toBeLessThan(1000);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([new Promise((r) => a.child.once('exit', r)), new Promise((r) => b.child.once('exit', r))]);
  }, 60_000);
});
