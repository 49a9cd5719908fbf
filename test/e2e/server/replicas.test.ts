/**
 * Matcher replicas as real processes over one PostgreSQL (issue 14): a curator writes, matcher replicas
 * (`serve --role matcher`) see every bank change within a second; a replica whose LISTEN connection is killed
 * keeps answering and loses nothing; a background reload under lookups gives no failed or empty answer; memory
 * stays flat over thousands of changes. And two processes on one SQLite file. PostgreSQL cases skip with a
 * message without DATABASE_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../src/io/db/open-database.js';
import { bankChangeChannel, BankChangeRepo } from '../../../src/io/db/repos/bank-change-repo.js';
import { BankRepo } from '../../../src/io/db/repos/bank-repo.js';
import { runCli } from '../../support/run-cli.js';
import { killServeProcesses, probeProcess, serveProcess, waitReady, type ServeProcess } from '../../support/serve-process.js';
import { SECRET } from './test-server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('replicas.test.ts: skipping the PostgreSQL cases: DATABASE_URL is not set');
afterAll(() => killServeProcesses());

/** A random-looking PDQ hash from a seed (synthetic: far apart from each other). */
function pdq(seed: number): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  for (let i = 0; i < 64; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += (x & 15).toString(16);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client of the servers with one admin key. */
function client(key: string) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return {
    async matches(base: string, hex: string): Promise<number> {
      const r = await fetch(`${base}/v1/match?signal_type=pdq&signal=${hex}`, { headers });
      if (r.status !== 200) throw new Error(`lookup answered ${r.status}: ${await r.text()}`);
      return ((await r.json()) as { matches: unknown[] }).matches.length;
    },
    async call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
      const r = await fetch(url, { method, headers: body === undefined ? { authorization: headers.authorization } : headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Milliseconds until every replica answers `want` matches for hex (fails after 5 s). */
async function until(c: ReturnType<typeof client>, replicas: ServeProcess[], hex: string, want: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const got = await Promise.all(replicas.map((r) => c.matches(r.url, hex)));
    if (got.every((n) => n === want)) return Date.now() - t0;
    if (Date.now() - t0 > 5000) throw new Error(`replicas answered ${got.join(', ')} matches, wanted ${want}`);
    await sleep(10);
  }
}

async function schemaEnv(schema: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await c.end();
  const u = new URL(databaseUrl!);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { DATABASE_URL: u.toString(), UNEXPOSE_SECRET: SECRET };
}

async function adminKey(env: Record<string, string>): Promise<string> {
  const r = await runCli(['apikey', 'create', '--name', 'replicas', '--scopes', 'admin', '--format', 'jsonl'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).key as string;
}

describe.skipIf(!databaseUrl)('matcher replicas on one PostgreSQL', () => {
  const schema = `t_replicas_${process.pid}`;
  let env: Record<string, string>;
  let key: string;
  let c: ReturnType<typeof client>;
  let curator: ServeProcess;
  let m1: ServeProcess;
  let m2: ServeProcess;
  let db: OpenedDatabase;
  let repo: BankRepo;

  beforeAll(async () => {
    env = await schemaEnv(schema);
    key = await adminKey(env);
    c = client(key);
    curator = await serveProcess(['--role', 'curator'], env);
    [m1, m2] = await Promise.all([serveProcess(['--role', 'matcher', '--rate-limit', '0'], env), serveProcess(['--role', 'matcher', '--rate-limit', '0'], env)]);
    await Promise.all([waitReady(curator.url), waitReady(m1.url), waitReady(m2.url)]);
    db = await openDatabase({ databaseUrl, schema });
    repo = new BankRepo(db.db, 'postgres');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([curator?.stop(), m1?.stop(), m2?.stop()]);
    await db?.close();
    const pgc = new pg.Client({ connectionString: databaseUrl });
    await pgc.connect();
    await pgc.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pgc.end();
  });

  it('both replicas see an added entry, a removed entry and a deleted bank within a second; a replica serves no writes', async () => {
    expect((await c.call('POST', `${m1.url}/v1/banks`, { name: 'nope' })).status).toBe(404);
    expect((await c.call('GET', `${curator.url}/v1/match?signal_type=pdq&signal=${pdq(1)}`)).status).toBe(404);
    expect((await c.call('POST', `${curator.url}/v1/banks`, { name: 'shared' })).status).toBe(201);
    const added = await c.call('POST', `${curator.url}/v1/banks/shared/entries`, { entries: [{ signalType: 'pdq', signal: pdq(1) }, { signalType: 'pdq', signal: pdq(2) }] });
    expect(added.json.added).toBe(2);
    expect(await until(c, [m1, m2], pdq(1), 1)).toBeLessThan(1000);
    expect((await c.call('DELETE', `${curator.url}/v1/banks/shared/entries/${added.json.ids[0]}`)).json.removed).toBe(1);
    expect(await until(c, [m1, m2], pdq(1), 0)).toBeLessThan(1000);
    expect(await c.matches(m1.url, pdq(2))).toBe(1);
    expect((await c.call('DELETE', `${curator.url}/v1/banks/shared`)).status).toBe(200);
    expect(await until(c, [m1, m2], pdq(2), 0)).toBeLessThan(1000);
  }, 60_000);

  it('a replica whose LISTEN connection is killed keeps answering, catches up, and listens again', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const listeners = async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where query = $1', [`LISTEN ${bankChangeChannel(schema)}`])).rows.map((r) => r.pid);
      const before = await listeners();
      expect(before.length).toBeGreaterThanOrEqual(2);
      const bank = await repo.createBank('outage', { description: '', source: 'test', enabled: true, negative: false, thresholds: {}, minQuality: 0, labels: [] }, new Date().toISOString());
      // Kill every listener as soon as it comes back, for 3 s, while lookups go on and a change is made.
      let killing = true;
      const killed = new Set<number>();
      const killer = (async () => {
        while (killing) {
          for (const pid of await listeners()) {
            await admin.query('select pg_terminate_backend($1)', [pid]);
            killed.add(pid);
          }
          await sleep(50);
        }
      })();
      const answers: number[] = [];
      let looking = true;
      const looker = (async () => {
        while (looking) {
          for (const m of [m1, m2]) answers.push((await fetch(`${m.url}/v1/match?signal_type=pdq&signal=${pdq(3)}`, { headers: { authorization: `Bearer ${key}` } })).status);
          await sleep(20);
        }
      })();
      await sleep(300);
      await repo.insertEntries(bank.id, [{ signalType: 'pdq', signal: pdq(3), quality: null, sourceRef: null, labels: [] }], 'test', new Date().toISOString());
      const seenIn = await until(c, [m1, m2], pdq(3), 1);
      await sleep(2500 - seenIn);
      killing = false;
      await killer;
      expect(killed.size).toBeGreaterThanOrEqual(2);
      // Both listen again (backoff at most 5 s), on new connections, and a change reaches them within a second.
      const t0 = Date.now();
      while ((await listeners()).length < 2 && Date.now() - t0 < 8000) await sleep(100);
      const after = await listeners();
      expect(after.length).toBeGreaterThanOrEqual(2);
      expect(after.some((p) => killed.has(p))).toBe(false);
      await repo.removeEntries(bank.id, pdq(3));
      expect(await until(c, [m1, m2], pdq(3), 0)).toBeLessThan(1000);
      looking = false;
      await looker;
      expect(seenIn).toBeLessThan(1500);
      expect(answers.length).toBeGreaterThan(20);
      expect(answers.filter((s) => s !== 200)).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 60_000);

  it('a background reload under lookups gives no failed and no empty answer', async () => {
    const bank = await repo.createBank('reload', { description: '', source: 'test', enabled: true, negative: false, thresholds: {}, minQuality: 0, labels: [] }, new Date().toISOString());
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ signalType: 'pdq', signal: pdq(100_000 + i), quality: null, sourceRef: null, labels: [] }));
    await repo.insertEntries(bank.id, entries, 'test', new Date().toISOString());
    const m3 = await serveProcess(['--role', 'matcher', '--rate-limit', '0', '--index-reload-seconds', '1'], env);
    try {
      await waitReady(m3.url);
      const loadsAt = async () => ((await (await fetch(`${m3.url}/status/ready`)).json()) as { indexLoads: number }).indexLoads;
      const first = await loadsAt();
      const answers: number[] = [];
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 4 }, async (_, w) => {
        for (let i = w; Date.now() - t0 < 4000; i += 4) answers.push(await c.matches(m3.url, pdq(100_000 + (i * 7919) % 20_000)).catch(() => -1));
      }));
      expect(await loadsAt() - first).toBeGreaterThanOrEqual(2);
      expect(answers.length).toBeGreaterThan(50);
      expect(answers.filter((n) => n !== 1)).toEqual([]);
    } finally {
      await m3.stop();
      await repo.withdrawBank(bank.id);
    }
  }, 90_000);

  it('keeps memory flat over thousands of bank changes', async () => {
    const probe = await probeProcess({ role: 'matcher', rateLimit: '0' }, env);
    try {
      await waitReady(probe.url);
      const bank = await repo.createBank('churn', { description: '', source: 'test', enabled: true, negative: false, thresholds: {}, minQuality: 0, labels: [] }, new Date().toISOString());
      await repo.insertEntries(bank.id, Array.from({ length: 2000 }, (_, i) => ({ signalType: 'pdq', signal: pdq(500_000 + i), quality: null, sourceRef: null, labels: [] })), 'test', new Date().toISOString());
      const changes = new BankChangeRepo(db.db);
      let n = 0;
      /** `cycles` adds and removes of one entry each (two changes a cycle), four writers at once. */
      const churn = (cycles: number) => Promise.all(Array.from({ length: 4 }, async () => {
        for (let i = 0; i < cycles / 4; i++) {
          const hex = pdq(900_000 + n++);
          await repo.insertEntries(bank.id, [{ signalType: 'pdq', signal: hex, quality: null, sourceRef: null, labels: [] }], 'test', new Date().toISOString());
          await repo.removeEntries(bank.id, hex);
        }
      }));
      const settled = async () => {
        const latest = await changes.latestSeq();
        for (let t0 = Date.now(); Date.now() - t0 < 10_000; await sleep(50)) if ((await probe.heap()).seq >= latest) break;
        return probe.heap();
      };
      await churn(400);
      const h1 = await settled();
      await churn(1600);
      const h2 = await settled();
      expect(h2.entries).toBe(h1.entries);
      expect(h2.seq - h1.seq).toBeGreaterThanOrEqual(3200);
      const grew = (h2.heapUsed + h2.arrayBuffers) - (h1.heapUsed + h1.arrayBuffers);
      // 3,200 changes: a leak of even 330 bytes per change would show.
      expect(grew, `heap ${h1.heapUsed} -> ${h2.heapUsed}, array buffers ${h1.arrayBuffers} -> ${h2.arrayBuffers}`).toBeLessThan(1024 * 1024);
      await repo.withdrawBank(bank.id);
    } finally {
      await probe.stop();
    }
  }, 180_000);
});

describe('two processes on one SQLite file', () => {
  it('a matcher never migrates: it refuses a store that needs migrations and names what to start first', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unexpose-replicas-'));
    try {
      const r = await runCli(['serve', '--db', path.join(dir, 'fresh.db'), '--role', 'matcher', '--port', '0'], { env: { UNEXPOSE_SECRET: SECRET } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/needs \d+ migration.*start the curator/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a matcher process sees the writer\'s add, remove and bank delete within a second (polling the change log)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unexpose-replicas-'));
    try {
      const dbFile = path.join(dir, 'x.db');
      const env = { UNEXPOSE_SECRET: SECRET };
      const r = await runCli(['apikey', 'create', '--name', 't', '--scopes', 'admin', '--db', dbFile, '--format', 'jsonl'], { env });
      const c = client(JSON.parse(r.stdout).key as string);
      const writer = await serveProcess(['--db', dbFile], env);
      const matcher = await serveProcess(['--db', dbFile, '--role', 'matcher', '--rate-limit', '0'], env);
      await Promise.all([waitReady(writer.url), waitReady(matcher.url)]);
      expect((await c.call('POST', `${writer.url}/v1/banks`, { name: 'b' })).status).toBe(201);
      const added = await c.call('POST', `${writer.url}/v1/banks/b/entries`, { entries: [{ signalType: 'pdq', signal: pdq(7) }, { signalType: 'pdq', signal: pdq(8) }] });
      expect(await until(c, [matcher], pdq(7), 1)).toBeLessThan(1000);
      await c.call('DELETE', `${writer.url}/v1/banks/b/entries/${added.json.ids[0]}`);
      expect(await until(c, [matcher], pdq(7), 0)).toBeLessThan(1000);
      expect(await c.matches(matcher.url, pdq(8))).toBe(1);
      await c.call('DELETE', `${writer.url}/v1/banks/b`);
      expect(await until(c, [matcher], pdq(8), 0)).toBeLessThan(1000);
      await Promise.all([writer.stop(), matcher.stop()]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
