/**
 * npm run bench:api — the HTTP server under load (issue 13). Benchmarks are not tests.
 * For each size (BENCH_API_SIZES, default "1000000,10000000") a bench-only helper writes N random PDQ entries plus
 * 1,000 planted ones straight into a SQLite file (kept in BENCH_API_DIR, default /tmp/unexpose-bench-api, and
 * reused), then `unexpose serve` runs on loopback as a child process, and autocannon (in this process, on the same
 * 2 cores) measures: GET /m/lookup-style single lookups on /v1/match with random hashes and with near-duplicates
 * of planted entries (8 bits flipped), POST /v1/match batches of 1,000 hashes, and a bounded soak with the
 * server's RSS sampled. The index alone (same store, same process count) is measured for comparison.
 * Env: BENCH_API_DURATION (s per run, default 10), BENCH_API_SOAK (s, default 60), BENCH_API_CONNECTIONS (default 8).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import autocannon from 'autocannon';
import { openDatabase } from '../dist/io/db/open-database.js';
import { BankRepo } from '../dist/io/db/repos/bank-repo.js';
import { HammingMatchIndex } from '../dist/services/match/match-index.js';

const SIZES = (process.env.BENCH_API_SIZES ?? '1000000,10000000').split(',').map(Number).filter((n) => n > 0);
const DIR = process.env.BENCH_API_DIR ?? '/tmp/unexpose-bench-api';
const DURATION = Number(process.env.BENCH_API_DURATION ?? 10);
const SOAK = Number(process.env.BENCH_API_SOAK ?? 60);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 8);
const CLI = path.resolve('dist/cli/main.js');
const PLANTED = 1000;
const log = (...a) => console.log(...a);

function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}
const hex8 = (n) => n.toString(16).padStart(8, '0');
const randomHex = (rnd) => Array.from({ length: 8 }, () => hex8(rnd())).join('');
function flipHex(hex, k, rnd) {
  const b = Buffer.from(hex, 'hex');
  const seen = new Set();
  while (seen.size < k) seen.add(rnd() & 255);
  for (const bit of seen) b[bit >>> 3] ^= 1 << (bit & 7);
  return b.toString('hex');
}

/** Bench-only: N random PDQ rows and the planted ones, written with one prepared statement per 100k-row transaction. */
async function buildStore(n) {
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `api-${n}.db`);
  const plantedFile = `${file}.planted.json`;
  if (existsSync(file) && existsSync(plantedFile)) return { file, planted: JSON.parse(readFileSync(plantedFile, 'utf8')) };
  const t0 = performance.now();
  const opened = await openDatabase({ dbPath: file });
  await opened.close();
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  const now = new Date().toISOString();
  db.prepare("INSERT INTO bank (name, description, source, enabled, negative, thresholds, min_quality, labels, created_at, updated_at) VALUES ('bench', '', 'bench', 1, 0, '{}', 50, '[]', ?, ?)").run(now, now);
  const ins = db.prepare("INSERT INTO bank_entry (bank_id, signal_type, signal_key, quality, added_at, added_by) VALUES (1, 'pdq', ?, NULL, ?, 'bench')");
  const rnd = rng(1234567);
  const planted = [];
  const every = Math.floor(n / PLANTED);
  const chunk = 100_000;
  for (let done = 0; done < n; done += chunk) {
    db.transaction(() => {
      for (let i = done; i < Math.min(n, done + chunk); i++) {
        const h = randomHex(rnd);
        ins.run(h, now);
        if (i % every === 0 && planted.length < PLANTED) planted.push(h);
      }
    })();
    if ((done / chunk) % 10 === 0) process.stderr.write(`  store ${n}: ${done + chunk} rows\r`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  (await import('node:fs')).writeFileSync(plantedFile, JSON.stringify(planted));
  log(`store: ${n.toLocaleString('en')} PDQ rows written in ${((performance.now() - t0) / 1000).toFixed(0)} s (${(statSync(file).size / 2 ** 30).toFixed(2)} GiB)`);
  return { file, planted };
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startServer(file, port) {
  const keyLine = execFileSync(process.execPath, [CLI, 'apikey', 'create', '--name', 'bench', '--scopes', 'match', '--db', file, '--format', 'jsonl'], { encoding: 'utf8' });
  const key = JSON.parse(keyLine).key;
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--db', file, '--port', String(port), '--rate-limit', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const ok = await fetch(`${url}/status/ready`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error('server exited');
  }
  return { child, url, key, readyMs: performance.now() - t0 };
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))));
}

const fmt = (r) => `${Math.round(r.requests.average).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx}`;

async function benchSize(n) {
  const { file, planted } = await buildStore(n);
  const { child, url, key, readyMs } = await startServer(file, 18300 + (n % 97));
  log(`\n== ${n.toLocaleString('en')} PDQ entries — load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  log(`server ready (index loaded) in ${(readyMs / 1000).toFixed(1)} s; RSS ${rssMb(child.pid).toFixed(0)} MB`);
  const headers = { authorization: `Bearer ${key}` };
  const rnd = rng(99);
  const single = (make) => ({ url, connections: CONNECTIONS, duration: DURATION, headers, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/match?signal_type=pdq&signal=${make()}` }) }] });
  const random = await run(single(() => randomHex(rnd)));
  log(`GET single lookup, random hashes:         ${fmt(random)}`);
  let hits = 0;
  const near = await run({ ...single(() => flipHex(planted[(hits++) % planted.length], 8, rnd)) });
  log(`GET single lookup, planted near-dups (8b): ${fmt(near)}`);
  const check = await (await fetch(`${url}/v1/match?signal_type=pdq&signal=${flipHex(planted[0], 8, rnd)}`, { headers })).json();
  log(`  (a planted near-duplicate answers with ${check.matches.length} match at distance ${check.matches[0]?.distance})`);
  const batchBody = () => JSON.stringify({ signals: Array.from({ length: 1000 }, (_, i) => ({ signalType: 'pdq', signal: i % 100 === 0 ? flipHex(planted[i % planted.length], 8, rnd) : randomHex(rnd) })) });
  const bodies = Array.from({ length: 20 }, batchBody);
  const times = [];
  for (const body of bodies) {
    const t0 = performance.now();
    const r = await fetch(`${url}/v1/match`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    await r.json();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  log(`POST batch of 1,000 hashes (20 sequential): p50 ${times[10].toFixed(0)} ms, max ${times[19].toFixed(0)} ms`);
  if (SOAK > 0) {
    const samples = [];
    const timer = setInterval(() => samples.push(rssMb(child.pid)), 5000);
    samples.push(rssMb(child.pid));
    const soak = await run({ ...single(() => (rnd() & 1 ? randomHex(rnd) : flipHex(planted[rnd() % planted.length], 8, rnd))), duration: SOAK });
    clearInterval(timer);
    samples.push(rssMb(child.pid));
    log(`soak ${SOAK} s (mixed): ${fmt(soak)}, ${soak.requests.total.toLocaleString('en')} requests`);
    log(`  server RSS MB sampled every 5 s: ${samples.map((s) => s.toFixed(0)).join(' ')}`);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));

  // The index alone, same store, on this thread (one core), for the HTTP overhead.
  const opened = await openDatabase({ dbPath: file, migrate: false });
  const index = await HammingMatchIndex.load(new BankRepo(opened.db), { dbPath: file, threads: 2 });
  const q = new Uint32Array(8);
  const t0 = performance.now();
  let count = 0;
  while (performance.now() - t0 < 5000) {
    for (let i = 0; i < 8; i++) q[i] = rnd();
    index.query([q], 31);
    count++;
  }
  log(`index alone (one core, random queries, radius 31): ${Math.round(count / 5).toLocaleString('en')} lookups/s`);
  await opened.close();
}

log(`bench:api — ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, autocannon ${CONNECTIONS} connections in the same machine`);
for (const n of SIZES) await benchSize(n);
