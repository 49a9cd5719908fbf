/**
 * PostgreSQL bulk load of bank entries (see entry-bulk-load.ts): one transaction on one pooled client; rows stream
 * into a temporary table by COPY (pg-copy-streams, text format), then one INSERT ... SELECT ... ORDER BY key moves
 * the first row of each key the bank does not hold yet. The table is locked against other writers (readers go on) for that
 * statement only, so the new ids are exactly those above the largest id before it.
 * The bank is checked and held (FOR KEY SHARE) once when the load opens: bank_entry has no foreign key to bank on
 * PostgreSQL (migration 202612020000), because its trigger ran once per row.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntryBuffer } from './entry-buffer.js';
import { UnexposeError } from '../../../core/errors.js';
import { BANK_CHANGE_LOCK_KEY } from '../repos/bank-change-repo.js';
import { dropSecondaryIndexes, recreateIndexes, REBUILD_MIN_ROWS, shouldRebuildIndexes } from './pg-index-rebuild.js';
import type { WriteBuffered } from './buffered-entry-load.js';
import { BULK_BUFFER_ROWS, type BulkLoadResult, type EntryBulkLoad, type StagedEntry } from './entry-bulk-load.js';

/** A value as COPY text format reads it: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyText(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

type CopyStream = ReturnType<typeof copyFrom>;

export class PgEntryLoad implements EntryBulkLoad {
  private lines: string[] = [];
  private staged = 0;
  private failure: unknown;
  private done = false;

  private constructor(private readonly client: pg.PoolClient, private readonly copy: CopyStream, private readonly bankId: number,
    private readonly addedBy: string, private readonly addedAt: string) {
    copy.on('error', (err) => { this.failure ??= err; });
  }

  /** Takes a client, opens the transaction, the staging table and the COPY. */
  static async open(pool: pg.Pool, schema: string | undefined, bankId: number, addedBy: string, addedAt: string): Promise<PgEntryLoad> {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`SET search_path TO "${schema}"`);
      await client.query('BEGIN');
      if ((await client.query('SELECT 1 FROM bank WHERE id = $1 FOR KEY SHARE', [bankId])).rowCount !== 1) {
        throw new UnexposeError('not_found', 'the bank is gone');
      }
      // Keys compare bytewise here as in bank_entry (COLLATE "C"), so the move's sort uses memcmp and abbreviated keys.
      await client.query(`CREATE TEMP TABLE bank_entry_staging (ord bigint GENERATED ALWAYS AS IDENTITY, signal_type text COLLATE "C" NOT NULL,
        signal_key text COLLATE "C" NOT NULL, long_signal text, quality integer, source_ref text, labels text, display text) ON COMMIT DROP`);
      const copy = client.query(copyFrom('COPY bank_entry_staging (signal_type, signal_key, long_signal, quality, source_ref, labels, display) FROM STDIN'));
      return new PgEntryLoad(client, copy, bankId, addedBy, addedAt);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw err;
    }
  }

  push(r: StagedEntry): boolean {
    this.lines.push(`${copyText(r.signalType)}\t${copyText(r.key)}\t${copyText(r.longSignal)}\t${copyText(r.quality)}\t${copyText(r.sourceRef)}\t${copyText(r.labels)}\t${copyText(r.display)}\n`);
    return this.lines.length >= BULK_BUFFER_ROWS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.staged += this.lines.length;
    this.lines = [];
    if (!this.copy.write(chunk)) await drained(this.copy);
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<BulkLoadResult> {
    try {
      const t0 = performance.now();
      await this.flush();
      this.copy.end();
      await finished(this.copy);
      const t1 = performance.now();
      await this.client.query("SET LOCAL work_mem = '256MB'");
      await this.client.query('LOCK TABLE bank_entry IN SHARE ROW EXCLUSIVE MODE');
      const t2 = performance.now();
      const maxId = async () => Number((await this.client.query<{ m: string }>('SELECT coalesce(max(id), 0) AS m FROM bank_entry')).rows[0].m);
      const afterId = await maxId();
      // The first row of each key (DISTINCT ON by ord) that the bank does not hold yet, in key order. No ON CONFLICT:
      // the lock keeps other writers out, and skipped rows then use no identity values, so the new ids run on.
      const moved = await this.client.query(`INSERT INTO bank_entry (bank_id, signal_type, signal_key, long_signal, quality, added_at, added_by,
        source_ref, labels, display) SELECT $1, signal_type, signal_key, long_signal, quality, $2, $3, source_ref, labels, display
        FROM (SELECT DISTINCT ON (signal_type, signal_key) * FROM bank_entry_staging s WHERE NOT EXISTS (SELECT 1 FROM bank_entry e
          WHERE e.bank_id = $1 AND e.signal_type = s.signal_type AND e.signal_key = s.signal_key) ORDER BY signal_type, signal_key, ord) fresh
        ORDER BY signal_type, signal_key`, [this.bankId, this.addedAt, this.addedBy]);
      const added = moved.rowCount ?? 0;
      const lastId = added > 0 ? await maxId() : afterId;
      const t3 = performance.now();
      if (added > 0) await logBulkChange(this.client, afterId, lastId);
      const t4 = performance.now();
      await this.client.query('COMMIT');
      this.finish(false);
      return { staged: this.staged, added, afterId, lastId,
        phases: { copyEnd: t1 - t0, lock: t2 - t1, move: t3 - t2, changeLog: t4 - t3, commit: performance.now() - t4 } };
    } catch (err) {
      await this.discard();
      throw err;
    }
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.lines = [];
    if (!this.copy.writableEnded) this.copy.destroy(new Error('import stopped'));
    // A client left mid-COPY cannot be reused: roll back if it still answers, and let the pool drop it.
    await this.client.query('ROLLBACK').catch(() => undefined);
    this.finish(true);
  }

  private finish(broken: boolean): void {
    this.done = true;
    this.client.release(broken);
  }
}

/** The change log (bank-change-repo.ts): replicas read the new ids from it; ordered and announced as there. */
async function logBulkChange(client: pg.PoolClient, afterId: number, lastId: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [BANK_CHANGE_LOCK_KEY]);
  const seq = (await client.query<{ seq: string }>("INSERT INTO bank_change (origin, added, removed, changed_at) VALUES ('bulk', $1, '[]', $2) RETURNING seq",
    [JSON.stringify([[afterId + 1, lastId]]), new Date().toISOString()])).rows[0].seq;
  await client.query("SELECT pg_notify(left('unexpose_bank_' || regexp_replace(lower(current_schema()), '[^a-z0-9_]', '_', 'g'), 63), $1)", [String(seq)]);
}

const ENTRY_COLUMNS = 'bank_id, signal_type, signal_key, long_signal, quality, source_ref, labels, display, added_at, added_by';

/**
 * The fast path (buffered-entry-load.ts): the buffered rows, in (type, key) order and each key once, go by COPY
 * straight into bank_entry when the bank holds nothing yet (checked with the table locked against other writers,
 * so nothing can come between), else into a temporary table from which the rows the bank does not hold are moved
 * in the same order. The new ids are exactly those above the largest id before.
 * The rows are sorted a piece at a time as the COPY takes them (EntryBuffer.sortedPieces), so the server inserts
 * the first pieces while this process sorts the rest. On the fresh path the ids are numbered here, from the larger
 * of the largest id and the identity's last value, and the identity is set to the last of them before commit: the
 * server then does not evaluate the identity default for each row (~10% of its time a row, issue 11). The lock
 * keeps every other insert, and so every other use of the identity, out until commit.
 * A fresh load of at least rebuildMinRows rows that outnumber the rows in the table drops the secondary indexes and
 * builds them after the COPY (pg-index-rebuild.ts); it then locks the table against readers too, from the start,
 * so the lock is never raised half-way (as a guess from the largest id before locking; checked again once locked).
 */
export function writePgBuffered(pool: pg.Pool, schema: string | undefined, bankId: number, addedBy: string, addedAt: string,
  rebuildMinRows = REBUILD_MIN_ROWS): WriteBuffered {
  return async (rows, staged) => {
    const t1 = performance.now();
    const client = await pool.connect();
    let broken = true;
    try {
      if (schema) await client.query(`SET search_path TO "${schema}"`);
      await client.query('BEGIN');
      if ((await client.query('SELECT 1 FROM bank WHERE id = $1 FOR KEY SHARE', [bankId])).rowCount !== 1) {
        throw new UnexposeError('not_found', 'the bank is gone');
      }
      const maxId = async () => Number((await client.query<{ m: string }>('SELECT coalesce(max(id), 0) AS m FROM bank_entry')).rows[0].m);
      const bankEmpty = async () => (await client.query('SELECT 1 FROM bank_entry WHERE bank_id = $1 LIMIT 1', [bankId])).rowCount === 0;
      const exclusive = shouldRebuildIndexes(rows.size, await maxId(), rebuildMinRows) && (await bankEmpty());
      await client.query(`LOCK TABLE bank_entry IN ${exclusive ? 'ACCESS EXCLUSIVE' : 'SHARE ROW EXCLUSIVE'} MODE`);
      const t2 = performance.now();
      const afterId = await maxId();
      const fresh = await bankEmpty();
      const pieces = timed(rows.sortedPieces());
      const phases: Record<string, number> = {};
      let added: number;
      let lastId: number;
      if (fresh) {
        const identity = (await client.query<{ s: string; last: string | null }>(
          "SELECT s, pg_sequence_last_value(s::regclass) AS last FROM pg_get_serial_sequence('bank_entry', 'id') AS s")).rows[0];
        const firstId = Math.max(afterId, Number(identity.last ?? 0)) + 1;
        const dropped = exclusive && shouldRebuildIndexes(rows.size, afterId, rebuildMinRows) ? await dropSecondaryIndexes(client) : undefined;
        added = await copyRows(client, `COPY bank_entry (id, ${ENTRY_COLUMNS}) FROM STDIN`, rows, pieces.pieces, firstId, `\t${bankId}\t`,
          `\t${copyText(addedAt)}\t${copyText(addedBy)}\n`);
        lastId = added > 0 ? firstId + added - 1 : afterId;
        if (added > 0) await client.query('SELECT setval($1::regclass, $2)', [identity.s, lastId]);
        if (dropped) {
          const r0 = performance.now();
          await recreateIndexes(client, dropped);
          phases.indexBuild = performance.now() - r0;
        }
      } else {
        await client.query(`CREATE TEMP TABLE bank_entry_sorted (ord bigint GENERATED ALWAYS AS IDENTITY, signal_type text COLLATE "C" NOT NULL,
          signal_key text COLLATE "C" NOT NULL, long_signal text, quality integer, source_ref text, labels text, display text) ON COMMIT DROP`);
        await copyRows(client, 'COPY bank_entry_sorted (signal_type, signal_key, long_signal, quality, source_ref, labels, display) FROM STDIN', rows, pieces.pieces, undefined, '', '\n');
        added = (await client.query(`INSERT INTO bank_entry (${ENTRY_COLUMNS}) SELECT $1, signal_type, signal_key, long_signal, quality, source_ref, labels, display, $2, $3
          FROM bank_entry_sorted s WHERE NOT EXISTS (SELECT 1 FROM bank_entry e WHERE e.bank_id = $1 AND e.signal_type = s.signal_type AND e.signal_key = s.signal_key)
          ORDER BY ord`, [bankId, addedAt, addedBy])).rowCount ?? 0;
        lastId = added > 0 ? await maxId() : afterId;
      }
      const t3 = performance.now();
      if (added > 0) await logBulkChange(client, afterId, lastId);
      const t4 = performance.now();
      await client.query('COMMIT');
      broken = false;
      // sort: the time spent sorting, most of it while the server inserted the pieces before.
      return { staged, added, afterId, lastId, phases: { sort: pieces.ms(), lock: t2 - t1, [fresh ? 'copyIn' : 'copyAndMove']: t3 - t2, ...phases, changeLog: t4 - t3,
        commit: performance.now() - t4 } };
    } finally {
      if (broken) await client.query('ROLLBACK').catch(() => undefined);
      client.release(broken);
    }
  };
}

/** The pieces, and the milliseconds spent producing them (the sort, done as they are taken). */
function timed(pieces: Iterator<Uint32Array>): { pieces: Iterable<Uint32Array>; ms: () => number } {
  let ms = 0;
  return {
    pieces: { [Symbol.iterator]: () => ({ next: () => { const t = performance.now(); const r = pieces.next(); ms += performance.now() - t; return r; } }) },
    ms: () => ms,
  };
}

/** Bytes of one COPY write: large enough that a write costs little, small enough to stream (and the sort to overlap). */
const COPY_CHUNK_BYTES = 2 ** 21;

/**
 * COPYs the rows in this order ([id] head + the row's fields + tail a line; ids from firstId up when given), written
 * straight as bytes into chunks of COPY_CHUNK_BYTES: a plain row (no long value, source reference, labels or display;
 * every row of a PDQ hash list) costs no string and no garbage, so this process keeps ahead of the server (issue 11:
 * once the server builds the unique index after the load, building the lines was the larger half of the time).
 * Other rows go through the string form. Returns the number of rows.
 */
async function copyRows(client: pg.PoolClient, statement: string, rows: EntryBuffer, pieces: Iterable<Uint32Array>, firstId: number | undefined,
  head: string, tail: string): Promise<number> {
  const copy = client.query(copyFrom(statement));
  let failure: unknown;
  copy.on('error', (err) => { failure ??= err; });
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(tail, 'utf8');
  const typeBytes = rows.typeNames().map((t) => Buffer.from(`${copyText(t)}\t`, 'utf8'));
  // After the key: the long value (none), the quality, source reference, labels and display (none).
  const beforeQuality = Buffer.from('\t\\N\t', 'latin1');
  const afterQuality = Buffer.from('\t\\N\t\\N\t\\N', 'latin1');
  const noQuality = Buffer.from('\\N', 'latin1');
  const fixedBytes = 16 + headBytes.length + Math.max(0, ...typeBytes.map((b) => b.length)) + beforeQuality.length + 6 + afterQuality.length + tailBytes.length;
  let out = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let w = 0;
  let n = 0;
  const send = async (): Promise<void> => {
    if (failure) throw failure;
    if (w === 0) return;
    const full = !copy.write(out.subarray(0, w));
    out = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    w = 0;
    if (full) await drained(copy);
  };
  for (const order of pieces) {
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      const e = rows.extraOf(i);
      if (e !== undefined) {
        const q = rows.qualityOf(i);
        const line = `${firstId === undefined ? '' : firstId + n}${head}${copyText(rows.typeOf(i))}\t${copyText(rows.key(i))}\t${copyText(e.longSignal)}\t${q === null ? '\\N' : q}\t${copyText(e.sourceRef)}\t${copyText(e.labels)}\t${copyText(e.display)}${tail}`;
        const bytes = Buffer.byteLength(line, 'utf8');
        if (w + bytes > out.length) {
          await send();
          if (bytes > out.length) out = Buffer.allocUnsafe(bytes);
        }
        w += out.write(line, w, 'utf8');
        n++;
        continue;
      }
      if (w + fixedBytes + 2 * rows.keyLength(i) > out.length) await send();
      if (firstId !== undefined) w = writeInteger(out, w, firstId + n);
      w += headBytes.copy(out, w);
      w += typeBytes[rows.typeIndexOf(i)].copy(out, w);
      w = rows.writeCopyKey(i, out, w);
      w += beforeQuality.copy(out, w);
      const q = rows.qualityOf(i);
      w = q === null ? w + noQuality.copy(out, w) : writeInteger(out, w, q);
      w += afterQuality.copy(out, w);
      w += tailBytes.copy(out, w);
      n++;
    }
  }
  if (failure) throw failure;
  copy.end(out.subarray(0, w));
  await finished(copy);
  return n;
}

/** Writes a non-negative integer's decimal digits into out at `at`; returns where they end. */
function writeInteger(out: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

/** Resolves when the stream drains, rejects when it fails or closes first (no listener is left behind either way). */
function drained(stream: CopyStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => { off(); resolve(); };
    const onError = (err: unknown) => { off(); reject(err instanceof Error ? err : new Error(String(err))); };
    const onClose = () => { off(); reject(new Error('COPY stopped')); };
    const off = () => { stream.off('drain', onDrain); stream.off('error', onError); stream.off('close', onClose); };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
