/**
 * SQLite bulk load of bank entries (see entry-bulk-load.ts): rows go into a TEMP table through one prepared
 * 100-row INSERT (no per-row statement, one transaction per flush), then one INSERT OR IGNORE ... SELECT ... ORDER BY
 * key moves them: the unique index then grows in key order instead of at random, which is what keeps a 10M-row
 * import fast once the index no longer fits the page cache.
 */
import type Sqlite from 'better-sqlite3';
import { UnexposeError } from '../../../core/errors.js';
import type { WriteBuffered } from './buffered-entry-load.js';
import { BULK_BUFFER_ROWS, type BulkLoadResult, type EntryBulkLoad, type StagedEntry } from './entry-bulk-load.js';

const COLS = 7;
const ROWS_PER_INSERT = 100;
/** Page cache while loading (256 MiB), set back afterwards: the final sorted insert walks two indexes. */
const LOAD_CACHE_KIB = 262_144;
const STAGING = 'temp.bank_entry_staging';

export class SqliteEntryLoad implements EntryBulkLoad {
  private params: (string | number | null)[] = [];
  private staged = 0;
  private readonly many: Sqlite.Statement;
  private readonly one: Sqlite.Statement;
  private readonly cacheBefore: number;

  constructor(private readonly file: Sqlite.Database, private readonly bankId: number, private readonly addedBy: string, private readonly addedAt: string) {
    file.exec(`CREATE TEMP TABLE IF NOT EXISTS bank_entry_staging (signal_type TEXT NOT NULL, signal_key TEXT NOT NULL, long_signal TEXT,
      quality INTEGER, source_ref TEXT, labels TEXT, display TEXT)`);
    file.exec(`DELETE FROM ${STAGING}`);
    // Staged rows are bank values on their way in, not deleted data: no need to zero the temp pages when dropped.
    file.pragma('temp.secure_delete = OFF');
    this.cacheBefore = Number(file.pragma('cache_size', { simple: true }));
    file.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
    const row = `(${Array(COLS).fill('?').join(',')})`;
    const head = `INSERT INTO ${STAGING} (signal_type, signal_key, long_signal, quality, source_ref, labels, display) VALUES `;
    this.many = file.prepare(head + Array(ROWS_PER_INSERT).fill(row).join(','));
    this.one = file.prepare(head + row);
  }

  push(r: StagedEntry): boolean {
    this.params.push(r.signalType, r.key, r.longSignal, r.quality, r.sourceRef, r.labels, r.display);
    return this.params.length >= BULK_BUFFER_ROWS * COLS;
  }

  flush(): Promise<void> {
    const p = this.params;
    if (p.length === 0) return Promise.resolve();
    this.params = [];
    const block = ROWS_PER_INSERT * COLS;
    this.file.transaction(() => {
      let i = 0;
      for (; i + block <= p.length; i += block) this.many.run(p.slice(i, i + block));
      for (; i < p.length; i += COLS) this.one.run(p.slice(i, i + COLS));
    })();
    this.staged += p.length / COLS;
    return Promise.resolve();
  }

  async commit(): Promise<BulkLoadResult> {
    await this.flush();
    const maxId = this.file.prepare('SELECT coalesce(max(id), 0) AS m FROM bank_entry').pluck();
    const move = this.file.prepare(`INSERT OR IGNORE INTO bank_entry (bank_id, signal_type, signal_key, long_signal, quality, added_at, added_by,
      source_ref, labels, display, quarantined_at, quarantine_reason)
      SELECT ?, signal_type, signal_key, long_signal, quality, ?, ?, source_ref, labels, display, NULL, NULL
      FROM ${STAGING} ORDER BY signal_type, signal_key, rowid`);
    const logChange = this.file.prepare("INSERT INTO bank_change (origin, added, removed, changed_at) VALUES ('bulk', ?, '[]', ?)");
    try {
      return this.file.transaction(() => {
        const t0 = performance.now();
        const afterId = Number(maxId.get());
        const added = move.run(this.bankId, this.addedAt, this.addedBy).changes;
        const lastId = added > 0 ? Number(maxId.get()) : afterId;
        const t1 = performance.now();
        // The change log (bank-change-repo.ts): replicas on this file read the new ids from it.
        if (added > 0) logChange.run(JSON.stringify([[afterId + 1, lastId]]), new Date().toISOString());
        return { staged: this.staged, added, afterId, lastId, phases: { move: t1 - t0, changeLog: performance.now() - t1 } };
      }).immediate();
    } finally {
      await this.discard();
    }
  }

  discard(): Promise<void> {
    this.params = [];
    this.file.exec(`DELETE FROM ${STAGING}`);
    this.file.pragma(`cache_size = ${this.cacheBefore}`);
    return Promise.resolve();
  }
}

const DIRECT_COLS = 10;
/** Rows a statement of the plain direct insert (2 parameters a row: key, quality; the rest named once). */
const PLAIN_ROWS = 500;

/**
 * The fast path (buffered-entry-load.ts): the buffered rows go straight into bank_entry, in (type, key) order and
 * each key once, by prepared INSERT OR IGNORE statements (which leave out what the bank holds already) in one
 * IMMEDIATE transaction: the new ids are exactly those above the largest id before it. A plain row (no long value,
 * source reference, labels or display: every row of a PDQ hash list) binds its key and quality only, 500 rows a
 * statement, the bank, type, time and author named once; other rows go one by one with every column, in order.
 * The bank is checked inside the transaction (the write lock then keeps it), so the foreign key check on bank_id is
 * switched off for this connection during the insert (it was a probe of the bank table per row) and back on after.
 */
export function writeSqliteBuffered(file: Sqlite.Database, bankId: number, addedBy: string, addedAt: string): WriteBuffered {
  return (rows, staged) => {
    const t0 = performance.now();
    const order = rows.sortedUnique();
    const t1 = performance.now();
    const row = `(${Array(DIRECT_COLS).fill('?').join(',')})`;
    const one = file.prepare(`INSERT OR IGNORE INTO bank_entry (bank_id, signal_type, signal_key, long_signal, quality, source_ref, labels, display, added_at, added_by) VALUES ${row}`);
    const plainHead = 'INSERT OR IGNORE INTO bank_entry (bank_id, signal_type, signal_key, quality, added_at, added_by) VALUES ';
    const plainRow = '(@bank, @type, ?, ?, @at, @by)';
    const plainMany = file.prepare(plainHead + Array(PLAIN_ROWS).fill(plainRow).join(','));
    const plainOne = file.prepare(plainHead + plainRow);
    const maxId = file.prepare('SELECT coalesce(max(id), 0) AS m FROM bank_entry').pluck();
    const logChange = file.prepare("INSERT INTO bank_change (origin, added, removed, changed_at) VALUES ('bulk', ?, '[]', ?)");
    const cacheBefore = Number(file.pragma('cache_size', { simple: true }));
    const foreignKeysBefore = Number(file.pragma('foreign_keys', { simple: true }));
    file.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
    file.pragma('foreign_keys = OFF');
    const p: (string | number | null)[] = new Array(PLAIN_ROWS * 2);
    const full: (string | number | null)[] = new Array(DIRECT_COLS);
    try {
      let t4 = 0;
      const result = file.transaction(() => {
        const t2 = performance.now();
        if (file.prepare('SELECT 1 FROM bank WHERE id = ?').get(bankId) === undefined) throw new UnexposeError('not_found', 'the bank is gone');
        const afterId = Number(maxId.get());
        let added = 0;
        // The plain rows waiting in p (all of type `named.type`), written in order before any other row.
        const named = { bank: bankId, type: '', at: addedAt, by: addedBy };
        let waiting = 0;
        const flushPlain = (): void => {
          if (waiting === PLAIN_ROWS) added += plainMany.run(p, named).changes;
          else for (let k = 0; k < waiting; k++) added += plainOne.run(p[2 * k], p[2 * k + 1], named).changes;
          waiting = 0;
        };
        for (let j = 0; j < order.length; j++) {
          const i = order[j];
          const e = rows.extraOf(i);
          const type = rows.typeOf(i);
          if (e !== undefined || type !== named.type) flushPlain();
          if (e !== undefined) {
            full[0] = bankId; full[1] = type; full[2] = rows.key(i); full[3] = e.longSignal; full[4] = rows.qualityOf(i);
            full[5] = e.sourceRef; full[6] = e.labels; full[7] = e.display; full[8] = addedAt; full[9] = addedBy;
            added += one.run(full).changes;
            continue;
          }
          named.type = type;
          p[2 * waiting] = rows.key(i);
          p[2 * waiting + 1] = rows.qualityOf(i);
          if (++waiting === PLAIN_ROWS) flushPlain();
        }
        flushPlain();
        const lastId = added > 0 ? Number(maxId.get()) : afterId;
        const t3 = performance.now();
        if (added > 0) logChange.run(JSON.stringify([[afterId + 1, lastId]]), new Date().toISOString());
        t4 = performance.now();
        const phases: Record<string, number> = { sort: t1 - t0, insert: t3 - t2, changeLog: t4 - t3 };
        return { staged, added, afterId, lastId, phases };
      }).immediate();
      // COMMIT: the rest of the new pages into the WAL, then (past wal_autocheckpoint) the WAL into the file.
      result.phases.commit = performance.now() - t4;
      return Promise.resolve(result);
    } finally {
      file.pragma(`foreign_keys = ${foreignKeysBefore ? 'ON' : 'OFF'}`);
      file.pragma(`cache_size = ${cacheBefore}`);
    }
  };
}
