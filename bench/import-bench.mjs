/**
 * npm run bench:import — `bank import` of PDQ rows (issue 11), side by side with its floor. Benchmarks are not tests.
 * Generates N synthetic PDQ rows in code (random 256-bit hashes, a quality, 0.1% repeated rows) to a temporary
 * CSV file, then, each in its own child process (so peak RSS is that step's alone):
 * - SQLite: importBank (the `bank import` service) into a fresh store; the floor is a raw better-sqlite3 insert of
 *   the same rows (id, hash text) into a bare table in one transaction, one prepared statement;
 * - PostgreSQL (when DATABASE_URL is set; own schema bench_import_<pid>, dropped after): importBank with COPY;
 *   the floor is a raw COPY of the same rows into a bare table;
 * and for each store: the index build from it (HammingMatchIndex.load: read the rows, build the multi-index).
 * Prints rows/s, wall time, peak RSS, store bytes per row. Env: BENCH_IMPORT_SIZES (default "1000000,10000000"),
 * BENCH_IMPORT_STORES=postgres (or sqlite) runs one store only, BENCH_IMPORT_FLOOR=0 leaves the floors out,
 * BENCH_IMPORT_INDEX=0 leaves the index build out, BENCH_IMPORT_JSONL=1 also imports N/4 lines of `unexpose hash --format jsonl` output (4 signals a line).
 * The commit steps printed: sort + insert (SQLite) or lock + copyIn (PostgreSQL, sort: the part of copyIn spent sorting) on the in-memory path
 * (io/db/bulk/buffered-entry-load.ts), move (+ copyEnd) when the load was staged past its memory budget.
 * Rerun: npm run build && BENCH_IMPORT_SIZES=10000000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own db> npm run bench:import
 *
 * Branch pgimport (2026-12-01 10:23–11:09 UTC, load average 4–7 all through from other sessions on the 2 cores: walls
 * are 2–3× a quiet machine's; process and server CPU are the figures to compare):
 * - What changed: (1) PostgreSQL, a fresh load of >= 100,000 rows that outnumber the rows in bank_entry (its largest
 *   id) drops every secondary index (the unique key) inside the load's transaction, COPYs, and makes them again from
 *   their own definitions (maintenance_work_mem 512MB) before commit (io/db/bulk/pg-index-rebuild.ts; the primary key
 *   stays: bank_match references it). It takes ACCESS EXCLUSIVE on bank_entry (readers wait until commit) from the
 *   start. (2) COPY lines written as bytes into 2 MiB chunks, no string a row. (3) The multi-index tables (index build)
 *   sorted in two passes (high bits into buckets, then the low 14 bits within each), the same tables.
 * - Server-side (COPY of 10M sorted rows from a server file into a scratch copy of bank_entry, 10:28–10:30, load 6–7):
 *   both indexes kept 52.3 s (backend CPU 28.7 s); unique dropped, COPY, unique added 34.2 s (COPY 21.0, backend CPU
 *   15.8; ADD CONSTRAINT 13.3, backend 9.0 + parallel workers); primary key dropped too (bank_match's foreign key
 *   dropped and added again) 47.0 s (COPY 23.7, PK 5.4, unique 17.9): not worth the foreign key dance, not kept.
 *   At 2M rows: 15.7 s (CPU 5.2), 10.9 s (CPU 3.9), 7.9 s (CPU 3.1). The unique build alone at 10M, load 5–6:
 *   maintenance_work_mem 64MB 12.5 s, 256MB 8.4, 1GB 9.2–10.3; 0, 1 or 2 parallel workers within noise under load.
 * - 10M import, PostgreSQL (10:47:40–10:49:40, load 6.3–6.9): 62.2 s, 160,647 rows/s (parse+stage 11.5, copyIn 50.7
 *   of which the unique index build 14.3, sort 3.5 inside); process CPU 34.8 s, server backend CPU 22.5 s (the
 *   parallel index workers not counted); the raw COPY floor 27.3 s in the same run. main at 10:28–10:31 (load 7.4,
 *   my experiments running beside it): 84.7 s (copyIn 73.3), process CPU 37.8 s, server CPU 27.4 s. Steps: the rebuild
 *   alone 71.1 s at load 5.1–5.4 (process CPU 40.7, server 20.6); with byte lines 68.2 s at load 4.3–5.3 (process
 *   CPU 33.4, server 21.7). Index build from the PostgreSQL store 30.2 s (read 21.5; main 44.9, read 19.6).
 *   Again at 10:53–10:56 (load 5.2–6.0, final code): floor 29.4 s; import 60.6 s, 164,983 rows/s (parse+stage 11.8,
 *   copyIn 48.7 of which index build 10.7, sort 3.2), process CPU 31.9 s, server CPU 20.8 s; index build 23.4 s
 *   (read 17.5). The goal (<= 50 s) is not shown under this load: import/floor is 2.06 (main: 3.0 at 10:28), which on
 *   the lead's quiet floors (22.3–29.0 s) would be 46–60 s; the parse (~11 s, the server idle) is now the largest
 *   serial step.
 * - Client CPU of the COPY lines, 2M sorted PDQ rows (micro, load 5): strings 4.4–4.8 s, bytes 2.1–2.3 s; most of
 *   what is left is reading each key from where the file put it (sorted order is random in memory, ~0.7 µs a row).
 * - 10M import, SQLite (10:50–10:51, load 5.6–6.9; SQLite's load path unchanged): floor 24.2 s; import 44.1 s,
 *   226,335 rows/s (parse+stage 11.7, sort 2.1, insert 22.2), process CPU 35.7 s; index build from the store 11.2 s
 *   (read 6.0) on one thread, 15.3 s on 2 (main at load 7.7: 32.2 s, read 11.0; 2 threads 60.0): under this load a
 *   second thread does not pay, so the default stays one thread (the server and `match` ask for 2 on SQLite).
 * - Table build (3 tables of 24 bits over 10M hashes, micro, load 5–6): CPU 3.7–4.3 s one pass, 1.1–1.3 s two passes
 *   (low 12, 14 or 16 bits within noise of each other).
 * - Final run, both stores (11:04:53–11:08:57 UTC, load 2.7 at the start, 3.2–3.5 during; other sessions quieter):
 *   SQLite floor 19.5 s; import 37.9 s, 263,859 rows/s (parse+stage 8.8, sort 2.0, insert 22.1), process CPU 36.4 s,
 *   peak RSS 1,338 MB; index build 9.6 s (read 5.5), 2 threads 12.4 s. PostgreSQL floor 20.0 s; import 45.1 s,
 *   221,298 rows/s (parse+stage 8.9, copyIn 36.3 of which the unique index build 7.2, sort 2.5), process CPU 28.7 s,
 *   server CPU 19.1 s, peak RSS 1,020 MB; index build 14.8 s (read 11.0). All four goals met at this load.
 * - Not kept: dropping the primary key too (above); keys kept in 256 groups of pools by their first two bytes, so
 *   that sorted-order reads stay near each other (micro, 2M rows: byte lines 1.4–1.6 s CPU against 1.8–2.0; 10M
 *   PostgreSQL import interleaved at load 2.9: 55.0 s either way, process CPU 29.4 against 30.8 s). Not tried: COPY
 *   during the parse (the table would be locked against readers while a slow input is read), a parse split over threads.
 * Tenth session's machine (2026-12-01 evening, AMD EPYC VM: a page fault costs ~12 us, so 1 GiB of fresh memory ~3 s on
 * 4 KiB pages, ~2 s advised onto huge pages; random reads ~240-320 ns one after another), 10M rows, load 1.4-2.6:
 * - before (16:26-16:31 UTC, no huge pages, no sync between steps): SQLite floor 29.2 s, import 51.2 s = 195,105 rows/s
 *   (parse+stage 13.5, sort 2.8, insert 22.9, the rest of commit ~12), index build 22.0 s (read 6.5), 2 threads 28.6;
 *   PostgreSQL floor 22.3 s, import 49.5 s = 201,675 rows/s (parse+stage 14.0, copyIn 35.5), index build 31.7 s
 *   (read 17.3: spans by the primary key), 2 threads 35.0.
 * - what changed: ASCII chunks are read as latin1 (no UTF-8 decoding; it also made each key's copy into the buffer
 *   cheaper), the plain PDQ row is checked by a table lookup per hex digit instead of a pattern (~400 -> ~165 ns a line),
 *   PostgreSQL's index read is one COPY decoded as it arrives (hash-pages.ts); the bench runs with huge pages advised,
 *   as the Docker image does, and syncs between steps. Parse of 2M rows without the database: 3.24 -> 1.78 s.
 * - after (16:50-16:55 UTC, load 1.4-2.6): SQLite floor 16.7 s, import **46.6 s = 214,234 rows/s** (parse+stage 7.6,
 *   sort 2.4, insert 21.9, commit 14.7: the WAL checkpoint of ~2 GB of new pages), index build 15.2 s (read 6.7),
 *   2 threads 11.5; PostgreSQL floor 17.7 s, import **44.8 s = 223,127 rows/s** (parse+stage 6.8, copyIn 38.0 of which
 *   the unique key 15.0), index build **16.4 s (read 7.3)**, 2 threads 17.0. The same SQLite import alone (no floor
 *   before it) took 45.1 s with and without huge pages; right after the floor without a sync, 57.8 s.
 * Quiet machine, 2026-12-01 11:15-11:17 UTC (lead, load 1.2-1.5, after the pgimport merge), 10M rows: SQLite floor 18.6 s,
 * import 35.0 s = 285,791 rows/s (parse+stage 8.6, sort 1.9, insert 19.7; process CPU 35.4 s), index build 8.2 s (2 threads
 * 7.4); PostgreSQL floor 14.2 s, import 39.3 s = 254,496 rows/s (parse+stage 9.0, copyIn 30.2 of which indexBuild 10.4;
 * process CPU 29.6 s, server CPU 23.3 s), index build 12.3 s (read 8.3).
 * Where PostgreSQL's time goes (branch pgcopy, 2026-12-01 05:38–06:26 UTC, load average 3–11 from other runs on the
 * 2 cores, so walls are 2–3× a quiet machine's and the server backend's CPU (from /proc) is the figure to compare):
 * - COPY of 1M sorted rows into a scratch copy of bank_entry: backend CPU 5.5–6.6 s with both indexes, 3.3–3.7 s
 *   without the unique one, 2.3–2.4 s with no index: the heap ~2.4 µs a row, the id key ~1, the unique key ~2.9.
 *   WAL 337 MB per 1M rows (heap 130, id key 64, unique key 143); 85–90% of the backend's samples on CPU at 1M.
 * - 10M rows: WAL 3.4 GB, 6 checkpoints (requested: max_wal_size 1 GB) during the COPY; the backend's samples 70% CPU,
 *   15% extending the relation files, 13% WAL (writing and zero-filling new segments, fsync at each segment end).
 * - Ids numbered by the client (the identity set after them): backend CPU 4.2–5.5 s per 1M rows against 5.1–6.0
 *   with the identity default, interleaved; 10M import: server backends' CPU 55.7–56.4 s against 67.4 s on main.
 * - Not kept: COPY into a temporary table while parsing (0.8–1.0 s server CPU per 1M, overlapping the parse) then
 *   INSERT ... SELECT ... ORDER BY into bank_entry: 9.3–10.3 s server CPU per 1M (row-at-a-time inserts) against
 *   4.3–4.8 s for the direct COPY. Lines written into byte chunks instead of a string a row: 1.4–1.6 s against
 *   1.5–2.0 s client CPU per 1M, within noise. An identity cache (SET CACHE 1000): 4.7–5.6 s against 5.5–5.7,
 *   but cached values held by other sessions would break "new ids above the largest id before".
 * - 10M import, PostgreSQL only (load 8–10): main 189.4 s (parse+stage 23.0, sort 7.7, copyIn 158.5), process CPU
 *   41.7 s, server CPU 67.4 s; pgcopy 178.2–181.8 s (parse+stage 26.9–28.1, copyIn 150.1–154.8 of which sorting 7.4–7.5
 *   while the server inserts), process CPU 51.3–53.0 s (numbering ids: ~0.6 s per 1M), server CPU 55.7–56.4 s;
 *   raw COPY floor 63.7 s in the same load. At load 4–5 (06:29–06:32, pgcopy first): pgcopy 88.2 s, 113,202 rows/s
 *   (parse+stage 20.1, copyIn 68.1 with sorting 3.9 inside; process CPU 52.6 s, server CPU 50.3 s); main 99.9 s,
 *   100,013 rows/s (parse+stage 15.9, sort 3.3, copyIn 80.7; process CPU 42.0 s, server CPU 52.3 s).
 *   The goal (10M in ≤ 50 s, ≥ 200k rows/s) was not reached, and needs a quiet machine to judge.
 * Figures on a quiet machine (main after importspeed, 2026-12-01 03:39–03:43 UTC, load 0.0 at the start, ~2 from the run itself):
 * - 10M rows, SQLite: floor 543,579 rows/s (18.4 s); import 267,229 rows/s, 37.4 s: parse+stage 11.1 s, sort 2.6, insert 19.3;
 *   process CPU 36.5 s; peak RSS 1,300 MB; index build from the store 16.3 s (read 6.7), 2 threads 13.9 s.
 * - 10M rows, PostgreSQL: floor 447,526 rows/s (22.3 s); import 167,578 rows/s, 59.6 s: parse+stage 10.2 s, sort 2.3,
 *   copyIn 47.1 (the server's backend: the unique index); process CPU 27.6 s; index build 22.7 s (read 12.3).
 * Figures (branch importspeed, 2026-12-01 03:05–03:13 UTC, load average 3.7 at the start, 4.7 after SQLite, 6.9–7.6 during
 * PostgreSQL, 2 cores shared with other runs; "before" is the lead's run of main at 02:33–02:42, load 1.7–2.0):
 * - 10M rows, SQLite: floor 420,092 rows/s (23.8 s); import 169,085 rows/s, 59.1 s (before 98,482 rows/s, 101.4 s):
 *   parse+stage 18.2 s (27.0), sort 3.8 (7.2), insert 29.6 (58.9), the rest of commit (WAL checkpoint) 7.4; process CPU
 *   35.2 s (101.1); peak RSS 1,299 MB, 211.9 bytes/row; index build from the store 29.0 s (46.0), of which read 10.8 (30.4).
 * - 10M rows, PostgreSQL: floor 163,286 rows/s (61.2 s, the load at its highest); import 74,388 rows/s, 134.3 s: parse+stage
 *   17.9 s (27.1), sort 3.6 (7.6), copyIn 112.7 (70.8) = 1.84× the floor's time (before 1.76×): the one server backend
 *   inserting into bank_entry (two indexes, ten columns) is the bound; binary COPY or fewer columns made no difference at
 *   1M (server CPU ~3.3 s per 1M rows either way). Process CPU 43.1 s (64.5). Index build 66.8 s (read 48.8) with the
 *   first form of the PostgreSQL read; the second (hex concatenated from a sorted subquery, two spans in flight) reads
 *   1M rows in 2.7–3.0 s against 5.4–7.7 s row by row (client CPU 0.7 s against 2.8 s), load 5–6.
 * - 1M rows (load 4.7–5.4): SQLite import 3.8–5.8 s wall, process CPU 3.1–3.7 s (before 10.3 s, 6.6 s CPU at load 6.8);
 *   2M rows (load 2.7): SQLite import 290,626 rows/s, 6.9 s (parse+stage 2.2, sort 0.5, insert 3.1), index build 2.4 s.
 * What changed: lines are read a chunk at a time (one await per 1 MiB, not per line); the entry buffer takes a key in two
 * native passes; the sort is a counting pass on 16 prefix bits then a native sort per bucket; SQLite binds a plain row's
 * key and quality only (500 rows a statement, bank/type/time/author named once) with the per-row foreign key probe off
 * inside the locked transaction (the bank is checked there); the index load lets the store concatenate a span's ids and
 * hex (SQLite unhex to bytes) instead of one JS array and string per row.
 *
 * Figures (branch importfast, 30 Nov 2026) under a load average of 11–24 on 2 cores, so the wall times are 5–10× what a quiet
 * machine gives and only the process CPU and the ratios within one line mean much:
 * - 1M rows, SQLite: import process CPU 13.5 s before (staging + sorted move), 10.5–11.2 s after (memory + direct sorted insert);
 * - 10M rows, SQLite: floor 180,839 rows/s (55.3 s); import 14,574 rows/s (685.5 s wall, 92.8 s CPU; sort 38.7 s,
 *   insert 511.5 s wall), peak RSS 1,269 MB; index build 176.7 s (read 119.5 s) — not a usable wall-time figure;
 * - 10M rows, PostgreSQL: floor 118,299 rows/s (84.5 s); import 26,355 rows/s (379.1 s, 4.5× the floor; before: 7× on a
 *   quiet machine), parse+stage 63.5 s, sort 24.0 s, COPY into bank_entry 291.4 s; import process CPU 60.3 s.
 * CPU pressure (/proc/pressure/cpu) was 97% through these runs: the process waited for a core, not for the disk.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '1000000,10000000').split(',').map(Number).filter((n) => n > 0);
const DATABASE_URL = process.env.DATABASE_URL;
const log = (...a) => console.log(...a);

/** N rows of CSV (header + pdq,hex,quality,,) ; every 1000th row repeats an earlier one. */
async function writeCsv(file, n) {
  const out = createWriteStream(file);
  out.write('signal_type,signal,quality,labels,source_ref\n');
  const CHUNK = 10_000;
  let prev = '';
  for (let at = 0; at < n; at += CHUNK) {
    const k = Math.min(CHUNK, n - at);
    const bytes = randomBytes(k * 32);
    let s = '';
    for (let i = 0; i < k; i++) {
      const hex = (at + i) % 1000 === 999 ? prev : bytes.toString('hex', i * 32, i * 32 + 32);
      if (i === 0) prev = hex;
      s += `pdq,${hex},${50 + ((at + i) % 51)},,\n`;
    }
    if (!out.write(s)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** n lines of `unexpose hash --format jsonl` output for photos: PDQ, MD5, SHA-256 (and whatever else the line yields). */
async function writeJsonl(file, n) {
  const out = createWriteStream(file);
  for (let at = 0; at < n; at += 5000) {
    const k = Math.min(5000, n - at);
    const b = randomBytes(k * 80);
    let s = '';
    for (let i = 0; i < k; i++) {
      const o = i * 80;
      s += `${JSON.stringify({ path: `photos/p${at + i}.jpg`, kind: 'photo', pdq: b.toString('hex', o, o + 32), quality: 90,
        md5: b.toString('hex', o + 32, o + 48), sha256: b.toString('hex', o + 48, o + 80) })}\n`;
    }
    if (!out.write(s)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function runChild(args) {
  // What the step before wrote (the CSV, the floor's file) is flushed first, so that a step does not pay for the disk
  // writes of the one before (seen 2026-12-01: the import right after the floor ran 6 s slower than alone).
  try { execFileSync('sync'); } catch { /* no sync command: measured as it is */ }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=7000', self, '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`child ${args.join(' ')} exited ${code}`))));
  });
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function child([what, dialect, file, n, dir]) {
  const { openDatabase } = await import('../dist/io/db/open-database.js');
  const { storeRepos } = await import('../dist/services/store.js');
  const { importBank } = await import('../dist/services/bank-import.js');
  const { readLines } = await import('../dist/cli/read-lines.js');
  const { HammingMatchIndex } = await import('../dist/services/match/match-index.js');
  const schema = `bench_import_${process.ppid}`;
  if (what === 'floor') return floor(dialect, file, dir, schema);
  const dbPath = path.join(dir, `store-${path.basename(file)}.db`);
  const opened = dialect === 'sqlite' ? await openDatabase({ dbPath }) : await openDatabase({ databaseUrl: DATABASE_URL, schema });
  const repos = storeRepos(opened.db, opened.dialect);
  await repos.banks.createBank('bench', { description: '', source: 'bench', enabled: true, negative: false, thresholds: { pdq: 31 }, minQuality: 0, labels: [] }, new Date().toISOString());
  // Per phase: parse + stage (until commit() starts), commit() and its steps (the loader's own timings), after commit.
  const phases = { stage: 0, commit: 0, steps: {} };
  const bulkInsert = repos.banks.bulkInsert.bind(repos.banks);
  repos.banks.bulkInsert = async (...a) => {
    const load = await bulkInsert(...a);
    return { ...load, commit: async () => {
      const c0 = performance.now();
      phases.stage = c0 - t0;
      const r = await load.commit();
      phases.commit = performance.now() - c0;
      phases.steps = r.phases;
      return r;
    } };
  };
  const server0 = opened.dialect === 'sqlite' ? undefined : await serverCpuMs(opened.db);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let committedAt = 0;
  const report = await importBank({ ...repos }, 'bench', readLines(file), {
    onProgress: (p) => { if (p.job === 'bank_import' && p.counts && p.counts.added > 0 && committedAt === 0) committedAt = performance.now(); },
  });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const importPeak = peakMb();
  const server1 = server0 ? await serverCpuMs(opened.db) : undefined;
  phases.serverCpuMs = server1 ? Object.entries(server1).reduce((a, [pid, ms]) => a + ms - (server0[pid] ?? 0), 0) : undefined;
  const { sql } = await import('kysely');
  let bytes;
  if (opened.dialect === 'sqlite') {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(opened.db);
    bytes = statSync(dbPath).size + (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);
  } else {
    bytes = Number((await sql`select pg_total_relation_size('bank_entry') as b`.execute(opened.db)).rows[0].b);
  }
  if (process.env.BENCH_IMPORT_INDEX === '0') {
    await opened.close();
    return { added: report.added, duplicates: report.duplicates, skipped: report.skipped, lines: report.lines, ms: t1 - t0,
      commitToEndMs: committedAt ? t1 - committedAt : 0, phases, cpuMs: (cpu.user + cpu.system) / 1000, importPeakMb: importPeak, bytesPerRow: bytes / report.added,
      buildMs: 0, peakMb: peakMb() };
  }
  const b0 = performance.now();
  const index = await HammingMatchIndex.load(repos.banks);
  const buildMs = performance.now() - b0;
  // The server's threads mode: SQLite reads id ranges and builds tables on 2 threads; PostgreSQL reads here and builds on 2.
  const p0 = performance.now();
  const pi = await HammingMatchIndex.load(repos.banks, opened.dialect === 'sqlite' ? { dbPath, threads: 2 } : { threads: 2 });
  const parallelMs = performance.now() - p0;
  if (pi.size !== index.size) throw new Error(`parallel load has ${pi.size} entries, not ${index.size}`);
  await opened.close();
  return { added: report.added, duplicates: report.duplicates, skipped: report.skipped, lines: report.lines, ms: t1 - t0,
    commitToEndMs: committedAt ? t1 - committedAt : 0, phases, cpuMs: (cpu.user + cpu.system) / 1000, importPeakMb: importPeak, bytesPerRow: bytes / report.added,
    indexSize: index.size, buildMs, readMs: index.readMs, parallelMs, peakMb: peakMb() };
}

/**
 * CPU milliseconds so far of each server backend of this database (by pid), from /proc: the server runs on this
 * machine. The import's pool keeps its backend until close, so the difference over the import is its server CPU.
 */
async function serverCpuMs(db) {
  const { sql } = await import('kysely');
  const pids = (await sql`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  const out = {};
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[pid] = (Number(f[11]) + Number(f[12])) * 10;
    } catch { /* not on this machine */ }
  }
  return out;
}

/** The floor: the same rows, bare table, one transaction (SQLite: one prepared insert; PostgreSQL: COPY). */
async function floor(dialect, file, dir, schema) {
  const { splitLines } = await import('../dist/cli/read-lines.js');
  const { createReadStream } = await import('node:fs');
  const lines = splitLines(createReadStream(file));
  const t0 = performance.now();
  let n = 0;
  let bytes;
  if (dialect === 'sqlite') {
    const Sqlite = (await import('better-sqlite3')).default;
    const dbPath = path.join(dir, `floor-${path.basename(file)}.db`);
    const db = new Sqlite(dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE bare (id INTEGER PRIMARY KEY, signal TEXT NOT NULL)');
    const ins = db.prepare('INSERT INTO bare (signal) VALUES (?)');
    db.exec('BEGIN');
    let first = true;
    for await (const line of lines) {
      if (first) { first = false; continue; }
      if (line === '') continue;
      ins.run(line.slice(4, 68));
      n++;
    }
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    bytes = statSync(dbPath).size;
  } else {
    const pg = (await import('pg')).default;
    const { from: copyFrom } = await import('pg-copy-streams');
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('CREATE TABLE bare (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, signal text NOT NULL)');
    const copy = client.query(copyFrom('COPY bare (signal) FROM STDIN'));
    let buf = [];
    let first = true;
    for await (const line of lines) {
      if (first) { first = false; continue; }
      if (line === '') continue;
      buf.push(line.slice(4, 68));
      n++;
      if (buf.length === 20_000) {
        if (!copy.write(`${buf.join('\n')}\n`)) await once(copy, 'drain');
        buf = [];
      }
    }
    if (buf.length) copy.write(`${buf.join('\n')}\n`);
    copy.end();
    const { finished } = await import('node:stream/promises');
    await finished(copy);
    bytes = Number((await client.query(`select pg_total_relation_size('bare') as b`)).rows[0].b);
    await client.query('DROP TABLE bare');
    await client.end();
  }
  const ms = performance.now() - t0;
  return { added: n, ms, peakMb: peakMb(), bytesPerRow: bytes / n };
}

async function dropSchema() {
  if (!DATABASE_URL) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "bench_import_${process.pid}" CASCADE`);
  await client.end();
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-bench-import-'));
  const fmt = (x, d = 0) => (x === undefined ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  try {
    log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores, shared)`);
    log('rows | store | what | rows/s | wall (s) | peak RSS (MB) | store bytes/row | index build from store (s) | notes');
    const stores = (process.env.BENCH_IMPORT_STORES ?? 'sqlite,postgres').split(',');
    const dialects = (DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']).filter((d) => stores.includes(d));
    const floors = process.env.BENCH_IMPORT_FLOOR !== '0';
    if (!DATABASE_URL) log('(PostgreSQL skipped: DATABASE_URL is not set)');
    for (const n of SIZES) {
      const file = path.join(dir, `rows-${n}.csv`);
      await writeCsv(file, n);
      for (const d of dialects) {
        const f = floors ? await runChild(['floor', d, file, String(n), dir]) : undefined;
        if (f) log(`${fmt(n)} | ${d} | floor (${d === 'sqlite' ? 'raw prepared insert, bare table, 1 transaction' : 'raw COPY, bare table'}) | ${fmt(f.added / (f.ms / 1000))} | ${fmt(f.ms / 1000, 1)} | ${fmt(f.peakMb)} | ${fmt(f.bytesPerRow, 1)} | — |`);
        const r = await runChild(['import', d, file, String(n), dir]);
        log(`${fmt(n)} | ${d} | bank import (CSV) | ${fmt(r.added / (r.ms / 1000))} | ${fmt(r.ms / 1000, 1)} | ${fmt(r.importPeakMb)} | ${fmt(r.bytesPerRow, 1)} | ${fmt(r.buildMs / 1000, 1)} (read ${fmt(r.readMs / 1000, 1)})${r.parallelMs ? `; 2 threads ${fmt(r.parallelMs / 1000, 1)}` : ''} | added ${fmt(r.added)}, duplicates ${fmt(r.duplicates)}, after commit ${fmt(r.commitToEndMs / 1000, 1)} s, index peak RSS ${fmt(r.peakMb)} MB`);
        const steps = Object.entries(r.phases.steps ?? {}).map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`).join(', ');
        log(`${fmt(n)} | ${d} | └ phases | | | | | | parse+stage ${fmt(r.phases.stage / 1000, 1)} s, commit ${fmt(r.phases.commit / 1000, 1)} s (${steps}), import process CPU ${fmt(r.cpuMs / 1000, 1)} s${d === 'postgres' ? `, server backends' CPU ${fmt(r.phases.serverCpuMs / 1000, 1)} s` : ''}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
        if (d === 'postgres') await dropSchema();
      }
      rmSync(file, { force: true });
      for (const f of ['store', 'floor']) rmSync(path.join(dir, `${f}-rows-${n}.csv.db`), { force: true });
      if (process.env.BENCH_IMPORT_JSONL === '1') {
        const jf = path.join(dir, `hash-${n}.jsonl`);
        await writeJsonl(jf, Math.floor(n / 4));
        for (const d of dialects) {
          const r = await runChild(['import', d, jf, String(n), dir]);
          log(`${fmt(Math.floor(n / 4))} lines | ${d} | bank import (hash JSONL) | ${fmt(r.added / (r.ms / 1000))} | ${fmt(r.ms / 1000, 1)} | ${fmt(r.importPeakMb)} | ${fmt(r.bytesPerRow, 1)} | ${fmt(r.buildMs / 1000, 1)} | added ${fmt(r.added)} entries`);
          if (d === 'postgres') await dropSchema();
        }
        rmSync(jf, { force: true });
        rmSync(path.join(dir, `store-hash-${n}.jsonl.db`), { force: true });
      }
    }
    log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema().catch(() => undefined);
  }
}

if (process.argv[2] === '--child') {
  const r = await child(process.argv.slice(3));
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
} else {
  await main();
}
