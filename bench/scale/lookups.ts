/**
 * bench:scale, lookups section (issue 14): lookups per second with 1 and 2 matcher replica processes
 * (`unexpose serve --role matcher`) over HTTP, at BENCH_SCALE_SIZES banked PDQ hashes (default 1,000,000).
 * The store is PostgreSQL when DATABASE_URL is set (schema bench_scale_<n>, dropped afterwards unless
 * BENCH_SCALE_KEEP=1), else a SQLite file in BENCH_SCALE_DIR (default /tmp/unexpose-bench-scale, kept). Rows are
 * written straight into the tables (bench-only). autocannon runs in this process on the same machine and spreads
 * its connections over the replicas; the queries are half random hashes (misses) and half near-duplicates of
 * planted entries (8 bits flipped, hits). Reported: requests/s, p50/p99 latency, errors, each replica's RSS, and
 * the load average before and after (the machine is shared: read the figures with it).
 * Env: BENCH_SCALE_DURATION (s per run, default 10), BENCH_SCALE_CONNECTIONS (default 8), BENCH_SCALE_REPLICAS
 * (default "1,2"). Needs the build (dist). Run alone: `npx tsx bench/scale/lookups.ts`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

const CLI = path.resolve('dist/cli/main.js');
const PLANTED = 1000;
const SECRET = 'bench-scale-secret-not-for-production-0123456789abcdef';

export interface LookupFigures {
  entries: number;
  replicas: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  readyS: number;
  rssMb: number[];
  loadBefore: number[];
  loadAfter: number[];
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
const randomHex = (rnd: () => number) => Array.from({ length: 8 }, () => rnd().toString(16).padStart(8, '0')).join('');
function flipHex(hex: string, k: number, rnd: () => number): string {
  const b = Buffer.from(hex, 'hex');
  const seen = new Set<number>();
  while (seen.size < k) seen.add(rnd() & 255);
  for (const bit of seen) b[bit >>> 3] ^= 1 << (bit & 7);
  return b.toString('hex');
}
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

interface Store {
  env: Record<string, string>;
  args: string[];
  planted: string[];
  drop(): Promise<void>;
}

/** The n random rows (and the planted ones among them), the same for both databases. */
function* rows(n: number, planted: string[]): Generator<string> {
  const rnd = rng(1234567);
  const every = Math.floor(n / PLANTED);
  for (let i = 0; i < n; i++) {
    const h = randomHex(rnd);
    if (i % every === 0 && planted.length < PLANTED) planted.push(h);
    yield h;
  }
}

async function migrate(env: Record<string, string>, args: string[]): Promise<void> {
  // Any writing command migrates the store; an API key is needed anyway.
  execFileSync(process.execPath, [CLI, 'apikey', 'list', ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
}

async function postgresStore(url: string, n: number): Promise<Store> {
  const schema = `bench_scale_${n}`;
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const env = { DATABASE_URL: u.toString(), UNEXPOSE_SECRET: SECRET };
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await migrate(env, []);
  await c.query(`SET search_path TO "${schema}"`);
  const planted: string[] = [];
  const have = Number((await c.query('select count(*) as n from bank_entry')).rows[0].n);
  if (have !== n) {
    const t0 = performance.now();
    await c.query('delete from bank_entry; delete from bank');
    const now = new Date().toISOString();
    const bank = (await c.query("insert into bank (name, description, source, enabled, negative, thresholds, min_quality, labels, created_at, updated_at) values ('bench', '', 'bench', 1, 0, '{}', 50, '[]', $1, $1) returning id", [now])).rows[0].id as number;
    let batch: string[] = [];
    const flush = async () => {
      await c.query(`insert into bank_entry (bank_id, signal_type, signal_key, added_at, added_by)
        select $1, 'pdq', s, $2, 'bench' from unnest($3::text[]) as s`, [bank, now, batch]);
      batch = [];
    };
    for (const h of rows(n, planted)) {
      batch.push(h);
      if (batch.length === 50_000) {
        await flush();
        process.stderr.write(`  postgres ${n}: ${planted.length} planted, writing…\r`);
      }
    }
    if (batch.length) await flush();
    console.log(`store: ${n.toLocaleString('en')} PDQ rows written to PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    for (const _ of rows(n, planted));
  }
  await c.end();
  return {
    env, args: [], planted,
    async drop() {
      if (process.env.BENCH_SCALE_KEEP === '1') return;
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await d.end();
    },
  };
}

async function sqliteStore(n: number): Promise<Store> {
  const dir = process.env.BENCH_SCALE_DIR ?? '/tmp/unexpose-bench-scale';
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `scale-${n}.db`);
  const env = { UNEXPOSE_SECRET: SECRET };
  const args = ['--db', file];
  const planted: string[] = [];
  if (!existsSync(`${file}.done`)) {
    await migrate(env, args);
    const t0 = performance.now();
    const db = new Sqlite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const now = new Date().toISOString();
    db.prepare("INSERT INTO bank (name, description, source, enabled, negative, thresholds, min_quality, labels, created_at, updated_at) VALUES ('bench', '', 'bench', 1, 0, '{}', 50, '[]', ?, ?)").run(now, now);
    const ins = db.prepare("INSERT INTO bank_entry (bank_id, signal_type, signal_key, quality, added_at, added_by) VALUES (1, 'pdq', ?, NULL, ?, 'bench')");
    const all = rows(n, planted);
    for (let done = 0; done < n; done += 100_000) {
      db.transaction(() => {
        for (let i = 0; i < 100_000; i++) {
          const r = all.next();
          if (r.done) return;
          ins.run(r.value, now);
        }
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    writeFileSync(`${file}.done`, '');
    console.log(`store: ${n.toLocaleString('en')} PDQ rows written to ${file} in ${((performance.now() - t0) / 1000).toFixed(0)} s (${(statSync(file).size / 2 ** 30).toFixed(2)} GiB)`);
  } else {
    for (const _ of rows(n, planted));
  }
  return { env, args, planted, drop: async () => {} };
}

async function startReplica(store: Store): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...store.args, '--role', 'matcher', '--port', '0', '--rate-limit', '0', '--log-level', 'warn'], {
    env: { ...process.env, ...store.env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/[^\s,]+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${err}`)));
  });
  for (;;) {
    if ((await fetch(`${url}/status/ready`).catch(() => undefined))?.status === 200) return { child, url };
    if (child.exitCode !== null) throw new Error(`replica exited: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

/** Runs the lookups section; prints as it goes and returns the figures. */
export async function runLookups(): Promise<LookupFigures[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000000').split(',').map(Number).filter((n) => n > 0);
  const replicaCounts = (process.env.BENCH_SCALE_REPLICAS ?? '1,2').split(',').map(Number).filter((n) => n > 0);
  const duration = Number(process.env.BENCH_SCALE_DURATION ?? 10);
  const connections = Number(process.env.BENCH_SCALE_CONNECTIONS ?? 8);
  const url = process.env.DATABASE_URL;
  console.log(`\n== lookups with matcher replicas — ${os.cpus().length} cores, ${url ? 'PostgreSQL' : 'SQLite'}, autocannon ${connections} connections in this process, ${duration} s per run`);
  const out: LookupFigures[] = [];
  for (const n of sizes) {
    const store = url ? await postgresStore(url, n) : await sqliteStore(n);
    try {
      const key = JSON.parse(execFileSync(process.execPath, [CLI, 'apikey', 'create', '--name', 'bench', '--scopes', 'match', ...store.args, '--format', 'jsonl'],
        { env: { ...process.env, ...store.env }, encoding: 'utf8' })).key as string;
      for (const count of replicaCounts) {
        const t0 = performance.now();
        const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(store)));
        const readyS = (performance.now() - t0) / 1000;
        const rnd = rng(99 + count);
        let i = 0;
        const check = await (await fetch(`${replicas[0].url}/v1/match?signal_type=pdq&signal=${flipHex(store.planted[0], 8, rnd)}`, { headers: { authorization: `Bearer ${key}` } })).json() as { matches: unknown[] };
        if (check.matches.length !== 1) throw new Error(`a planted near-duplicate found ${check.matches.length} matches, not 1`);
        const loadBefore = load();
        const r = await cannon({
          url: replicas.map((x) => x.url), connections: connections - (connections % count), duration,
          headers: { authorization: `Bearer ${key}` },
          requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/match?signal_type=pdq&signal=${(i++ & 1) ? randomHex(rnd) : flipHex(store.planted[i % store.planted.length], 8, rnd)}` }) }],
        });
        const f: LookupFigures = {
          entries: n, replicas: count, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99,
          errors: r.errors + r.non2xx, readyS: Number(readyS.toFixed(1)), rssMb: replicas.map((x) => rssMb(x.child.pid!)), loadBefore, loadAfter: load(),
        };
        out.push(f);
        console.log(`${n.toLocaleString('en')} entries, ${count} replica(s): ${f.requestsPerSecond.toLocaleString('en')} lookups/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, `
          + `errors ${f.errors}; ready in ${f.readyS} s; RSS ${f.rssMb.join(' + ')} MB; load ${f.loadBefore.join(' ')} -> ${f.loadAfter.join(' ')}`);
        await Promise.all(replicas.map((x) => new Promise((res) => {
          x.child.once('exit', res);
          x.child.kill('SIGTERM');
        })));
      }
    } finally {
      await store.drop();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();

/** The section entry bench/scale/index.ts calls (settings come from the BENCH_SCALE_* variables above). */
export async function run(): Promise<void> {
  const figures = await runLookups();
  if (process.env.BENCH_SCALE_JSON) writeFileSync(process.env.BENCH_SCALE_JSON, JSON.stringify(figures, null, 2));
}
