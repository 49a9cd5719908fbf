/**
 * Pages of every stored value of one 256-bit hash type as bytes, for building the match index from a big store
 * (issue 11): the database concatenates a span of ids and their hex (SQLite also decodes it with unhex; PostgreSQL's
 * hex is decoded here by one native call), so a page of 50,000 hashes comes back as one id list and one blob instead
 * of 100,000 JS values. A span
 * whose values are not all 64 hex digits (a damaged row) is read row by row instead, where the index load names
 * the bad value as before. Ids must come back in order (checked), as the hashes do with them.
 */
import { sql, type Kysely } from 'kysely';
import type Sqlite from 'better-sqlite3';
import type { HashPage } from '../../../core/index/collect-hashes.js';
import type { Database } from '../schema.js';

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

/** PostgreSQL spans read at once (on as many pooled connections): the server's work on one overlaps the decoding of another. */
const PG_SPANS_AHEAD = 2;

/**
 * PostgreSQL: the same spans, by the primary key, the hex concatenated by the server and decoded here (one native
 * Buffer.from per page; a bytea result would be hex-encoded by the server again on the way out). The rows of a span
 * come sorted from a subquery and are aggregated in that order (the ids are checked to ascend, else the span is
 * read row by row), so the server sorts nothing.
 */
export async function* pgHashPages(db: Kysely<Database>, signalType: string, pageSize: number, fromId: number, toId: number | undefined,
  rows: RowSpan): AsyncGenerator<HashPage> {
  const last = async () => Math.min(toId ?? Number.MAX_SAFE_INTEGER,
    Number((await sql<{ m: string }>`SELECT coalesce(max(id), 0) AS m FROM bank_entry`.execute(db)).rows[0].m));
  const span = async (after: number, upTo: number): Promise<HashPage> => {
    const r = (await sql<{ n: number; lo: number | null; hi: number | null; ids: string | null; hex: string | null }>`
      SELECT count(*)::int AS n, min(length(v)) AS lo, max(length(v)) AS hi, string_agg(id::text, ',') AS ids, string_agg(v, '') AS hex
      FROM (SELECT id, coalesce(long_signal, signal_key) AS v FROM bank_entry WHERE id > ${after} AND id <= ${upTo} AND signal_type = ${signalType} ORDER BY id) s`
      .execute(db)).rows[0];
    return decoded([r.n, r.lo, r.hi, r.ids, r.hex === null ? null : Buffer.from(r.hex, 'hex')]) ?? rows(after, upTo);
  };
  let next = fromId - 1;
  let end = await last();
  const ahead: Promise<HashPage>[] = [];
  for (;;) {
    while (ahead.length < PG_SPANS_AHEAD && next < end) {
      const upTo = Math.min(end, next + pageSize);
      const read = span(next, upTo);
      read.catch(() => undefined); // awaited below, in order
      ahead.push(read);
      next = upTo;
    }
    const page = ahead.shift();
    if (page === undefined) {
      // Caught up with the largest id seen: read on if rows were added meanwhile.
      end = await last();
      if (next >= end) return;
      continue;
    }
    const got = await page;
    if (got.ids.length > 0) yield got;
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
