/**
 * Pages of every stored value of one 256-bit hash type as bytes, for building the match index from a big store
 * (issue 11), so that a page of 50,000 hashes is one id list and one blob instead of 100,000 JS values:
 * - SQLite concatenates a span of ids and their hex and decodes it with unhex; a span whose values are not all 64 hex
 *   digits (a damaged row) is read row by row instead. Ids come in order (checked), as the hashes do with them.
 * - PostgreSQL sends every row by one COPY, decoded here as the bytes arrive; a damaged row comes as its text.
 * Either way the index load names a damaged value as reading row by row does.
 */
import type Sqlite from 'better-sqlite3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { HashPage } from '../../../core/index/collect-hashes.js';
import { HEX_VALUE } from '../../../core/index/hash-words.js';

/** A span read row by row (the fallback). */
export type RowSpan = (afterId: number, upToId: number) => Promise<{ ids: number[]; signals: string[] }>;

type Aggregated = [count: number, minLen: number | null, maxLen: number | null, ids: string | null, bytes: Uint8Array | null];

/** SQLite: spans of pageSize ids by the rowid, each one statement. */
export async function* sqliteHashPages(file: Sqlite.Database, signalType: string, pageSize: number, fromId: number, toId: number | undefined,
  rows: RowSpan): AsyncGenerator<HashPage> {
  // +signal_type: filter the type without its index (the span is read by the rowid, in id order, no sort).
  const page = file.prepare(`SELECT count(*), min(length(v)), max(length(v)), group_concat(id), unhex(group_concat(v, ''))
    FROM (SELECT id, coalesce(long_signal, signal_key) AS v FROM bank_entry WHERE id > ? AND id <= ? AND +signal_type = ? ORDER BY id)`).raw(true);
  const largest = file.prepare('SELECT coalesce(max(id), 0) FROM bank_entry').pluck();
  const last = () => Math.min(toId ?? Number.MAX_SAFE_INTEGER, Number(largest.get()));
  let after = fromId - 1;
  for (let end = last(); after < end; end = after < end ? end : last()) {
    const upTo = Math.min(end, after + pageSize);
    const got = decoded(page.get(after, upTo, signalType) as Aggregated) ?? await rows(after, upTo);
    after = upTo;
    if (got.ids.length > 0) yield got;
  }
}

/**
 * PostgreSQL: one COPY (text format) of every row of the type in the table's own order, one sequential scan on the
 * server (issue 11: spans by the primary key, an index range scan and an aggregate each, took 17 s at 10M rows), parsed
 * here from the bytes as they arrive: the id's digits, then 64 hex digits decoded straight into the page. Pages of
 * pageSize hashes; a row whose value is not 64 hex digits comes alone as a page of its text, so the index load names
 * it as before. One statement, so one snapshot: rows written during the read are the change log's to bring.
 */
export async function* pgCopyHashPages(pool: pg.Pool, schema: string | undefined, signalType: string, pageSize: number,
  fromId: number, toId: number | undefined): AsyncGenerator<HashPage> {
  if (!Number.isSafeInteger(fromId) || (toId !== undefined && !Number.isSafeInteger(toId))) throw new RangeError('id bounds must be integers');
  const client = await pool.connect();
  const stream = client.query(copyTo(`COPY (SELECT id, coalesce(long_signal, signal_key) FROM ${schema ? `"${schema}".` : ''}bank_entry
    WHERE signal_type = ${client.escapeLiteral(signalType)} AND id >= ${fromId}${toId === undefined ? '' : ` AND id <= ${toId}`}) TO STDOUT`));
  let ids = new Float64Array(pageSize);
  let bytes = new Uint8Array(pageSize * 32);
  let n = 0;
  let carry: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let at = 0;
      for (let nl = buf.indexOf(10, at); nl >= 0; at = nl + 1, nl = buf.indexOf(10, at)) {
        let id = 0;
        let c = at;
        for (; c < nl && buf[c] !== 9; c++) id = id * 10 + (buf[c] - 48);
        const v = c + 1;
        let good = nl - v === 64;
        for (let k = 0; good && k < 32; k++) {
          const hi = HEX_VALUE[buf[v + 2 * k]];
          const lo = HEX_VALUE[buf[v + 2 * k + 1]];
          if ((hi | lo) < 0) good = false;
          else bytes[n * 32 + k] = (hi << 4) | lo;
        }
        if (good) {
          ids[n++] = id;
          if (n < pageSize) continue;
          yield { ids, bytes };
          ids = new Float64Array(pageSize);
          bytes = new Uint8Array(pageSize * 32);
          n = 0;
          continue;
        }
        if (n > 0) {
          yield { ids: ids.slice(0, n), bytes: bytes.slice(0, n * 32) };
          n = 0;
        }
        yield { ids: [id], signals: [buf.toString('utf8', v, nl)] };
      }
      carry = at < buf.length ? Buffer.from(buf.subarray(at)) : undefined;
    }
    if (n > 0) yield { ids: ids.subarray(0, n), bytes: bytes.subarray(0, n * 32) };
  } finally {
    // Stopped before the COPY's end (an error, or the consumer returned or threw): the connection is mid-COPY, so it
    // is closed, not reused.
    const whole = stream.readableEnded;
    if (!whole) stream.destroy();
    client.release(whole ? undefined : true);
  }
}

/** The page, or undefined when the span must be read row by row. */
function decoded([count, minLen, maxLen, idText, bytes]: Aggregated): HashPage | undefined {
  const n = Number(count);
  if (n === 0) return { ids: [], signals: [] };
  if (minLen !== 64 || maxLen !== 64 || !idText || !bytes || bytes.length !== n * 32) return undefined;
  const ids = new Float64Array(n);
  let k = 0;
  let v = 0;
  for (let i = 0; i < idText.length; i++) {
    const c = idText.charCodeAt(i);
    if (c === 44) {
      ids[k++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  ids[k++] = v;
  if (k !== n) return undefined;
  for (let i = 1; i < n; i++) if (ids[i] <= ids[i - 1]) return undefined;
  return { ids, bytes };
}
