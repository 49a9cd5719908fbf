/**
 * Banks and entries in the database (SQLite or PostgreSQL through Kysely). Methods are named for their callers;
 * each write is one transaction, recorded in the change log (bank-change-repo.ts) for replicas. Removing deletes
 * rows for real: nothing of a withdrawn bank stays behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Bank, BankEntry, BankEntryInput, BankSettings } from '../../../core/banks/bank.js';
import { UnexposeError } from '../../../core/errors.js';
import { bulkHandleOf } from '../bulk/bulk-handle.js';
import type { BulkLoadResult, EntryBulkLoad } from '../bulk/entry-bulk-load.js';
import { PgEntryLoad, writePgBuffered } from '../bulk/pg-entry-load.js';
import { SqliteEntryLoad, writeSqliteBuffered } from '../bulk/sqlite-entry-load.js';
import { BULK_MEMORY_BYTES, BufferedEntryLoad } from '../bulk/buffered-entry-load.js';
import type { DialectName } from '../open-database.js';
import type { BankEntryTable, BankTable, Database } from '../schema.js';
import { recordBankChange } from './bank-change-repo.js';
import { pgCopyHashPages, sqliteHashPages } from './hash-pages.js';
import type { HashPage } from '../../../core/index/collect-hashes.js';
import type Sqlite from 'better-sqlite3';

/** An entry with the bank settings a match needs. */
export interface EntryWithBank extends BankEntry {
  bank: Bank;
}

/** A stored entry's id, type and value (what the index needs to hear about). */
export interface StoredEntry {
  id: number;
  signalType: string;
  signal: string;
}

export type RemovedEntry = StoredEntry;

/** A bulk load into one bank (see io/db/bulk/entry-bulk-load.ts): push entries, await flush() when told, then commit(). */
export interface EntryLoad {
  /** Buffers one entry; true when flush() should be awaited before more. */
  push(e: BankEntryInput): boolean;
  flush(): Promise<void>;
  commit(): Promise<BulkLoadResult>;
  discard(): Promise<void>;
}

const LONG_SIGNAL = 128;
const ID_CHUNK = 500;
/** Rows per INSERT: 12 parameters each stays under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const INSERT_CHUNK = 1000;

/** The unique key of a value: itself, or the SHA-256 of it when long (PostgreSQL b-tree keys are bounded). */
export function signalKey(signal: string): string {
  return signal.length <= LONG_SIGNAL ? signal : `sha256:${createHash('sha256').update(signal).digest('hex')}`;
}

/** The full value when it is longer than its key (stored in long_signal), else null: a value is stored once. */
export function longSignal(signal: string): string | null {
  return signal.length <= LONG_SIGNAL ? null : signal;
}

/** The stored value of an entry row: long_signal when set, else the key, which is then the value itself. */
const SIGNAL = sql<string>`coalesce(long_signal, signal_key)`.as('signal');
/** The same in a query that joins other tables. */
export const ENTRY_SIGNAL = sql<string>`coalesce(bank_entry.long_signal, bank_entry.signal_key)`;

function toBank(r: Selectable<BankTable>): Bank {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    source: r.source,
    enabled: Number(r.enabled) === 1,
    negative: Number(r.negative) === 1,
    thresholds: JSON.parse(r.thresholds) as Record<string, number>,
    minQuality: Number(r.min_quality),
    labels: JSON.parse(r.labels) as string[],
    createdAt: r.created_at,
  };
}

function toEntry(r: Selectable<BankEntryTable>): BankEntry {
  return {
    id: Number(r.id),
    bankId: Number(r.bank_id),
    signalType: r.signal_type as string,
    signal: r.long_signal ?? r.signal_key,
    quality: r.quality === null ? null : Number(r.quality),
    sourceRef: r.source_ref,
    labels: r.labels ? (JSON.parse(r.labels) as string[]) : [],
    display: r.display,
    addedAt: r.added_at,
    addedBy: r.added_by,
    quarantinedAt: r.quarantined_at,
    quarantineReason: r.quarantine_reason,
  };
}

export class BankRepo {
  /** Names this repo's writes in the change log, so the index it feeds in-process can skip them there. */
  readonly origin = randomBytes(8).toString('hex');

  constructor(private readonly db: Kysely<Database>, private readonly dialect: DialectName = 'sqlite') {}

  async createBank(name: string, s: BankSettings, now: string): Promise<Bank> {
    if (await this.findBank(name)) throw new UnexposeError('conflict', `bank "${name}" exists already`);
    const row = await this.db.insertInto('bank').values({
      name, description: s.description, source: s.source, enabled: s.enabled ? 1 : 0, negative: s.negative ? 1 : 0,
      thresholds: JSON.stringify(s.thresholds), min_quality: s.minQuality, labels: JSON.stringify(s.labels), created_at: now, updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    return toBank(row);
  }

  async findBank(name: string): Promise<Bank | undefined> {
    const row = await this.db.selectFrom('bank').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toBank(row) : undefined;
  }

  /** The bank, or a not_found error naming it. */
  async requireBank(name: string): Promise<Bank> {
    const bank = await this.findBank(name);
    if (!bank) throw new UnexposeError('not_found', `no bank named "${name}"`);
    return bank;
  }

  async listBanks(): Promise<Bank[]> {
    return (await this.db.selectFrom('bank').selectAll().orderBy('name').execute()).map(toBank);
  }

  /** Entry counts per signal type, and how many are quarantined. */
  async countEntries(bankId: number): Promise<{ byType: Record<string, number>; quarantined: number }> {
    const rows = await this.db.selectFrom('bank_entry').select(['signal_type', (eb) => eb.fn.countAll().as('n')])
      .where('bank_id', '=', bankId).groupBy('signal_type').execute();
    const q = await this.db.selectFrom('bank_entry').select((eb) => eb.fn.countAll().as('n'))
      .where('bank_id', '=', bankId).where('quarantined_at', 'is not', null).executeTakeFirstOrThrow();
    return { byType: Object.fromEntries(rows.map((r) => [r.signal_type, Number(r.n)])), quarantined: Number(q.n) };
  }

  /** How many entries of these signal types the enabled banks hold (0: a scan need not look such values up). */
  async countEntriesOfTypes(signalTypes: string[]): Promise<number> {
    if (signalTypes.length === 0) return 0;
    const r = await this.db.selectFrom('bank_entry').innerJoin('bank', 'bank.id', 'bank_entry.bank_id')
      .select((eb) => eb.fn.countAll().as('n')).where('bank_entry.bank_id', 'in', (eb) => eb.selectFrom('bank').select('id').where('enabled', '=', 1))
      .where('bank_entry.signal_type', 'in', signalTypes).where('bank.enabled', '=', 1).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Inserts a batch in one transaction; values already in the bank are counted as duplicates, not added. */
  async insertEntries(bankId: number, entries: BankEntryInput[], addedBy: string, now: string): Promise<{ added: StoredEntry[]; duplicates: number }> {
    if (entries.length === 0) return { added: [], duplicates: 0 };
    const rows = entries.map((e) => ({
      bank_id: bankId, signal_type: e.signalType, signal_key: signalKey(e.signal), long_signal: longSignal(e.signal), quality: e.quality,
      added_at: now, added_by: addedBy, source_ref: e.sourceRef, labels: e.labels.length ? JSON.stringify(e.labels) : null,
      display: e.display ?? null, quarantined_at: null, quarantine_reason: null,
    }));
    const added = await this.db.transaction().execute(async (trx) => {
      const out: StoredEntry[] = [];
      // PostgreSQL has no foreign key from bank_entry to bank (a per-row trigger a bulk load cannot afford): the bank
      // is checked and held once here instead, as withdrawBank holds it before deleting its entries.
      if (this.dialect === 'postgres' && !(await trx.selectFrom('bank').select('id').where('id', '=', bankId).forKeyShare().executeTakeFirst())) {
        throw new UnexposeError('not_found', 'the bank is gone');
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const ins = await trx.insertInto('bank_entry').values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.doNothing()).returning(['id', 'signal_type', SIGNAL]).execute();
        for (const r of ins) out.push({ id: Number(r.id), signalType: r.signal_type as string, signal: r.signal });
      }
      await recordBankChange(trx, this.origin, out.map((e) => e.id), []);
      return out;
    });
    return { added, duplicates: entries.length - added.length };
  }

  /**
   * Starts an atomic bulk load into a bank (rows held in memory, written in key order in one transaction; past
   * `memoryBytes` staged in a table instead): the fast path of `bank import`.
   * @example const load = await repo.bulkInsert(bank.id, 'import', now); if (load.push(e)) await load.flush(); await load.commit()
   */
  async bulkInsert(bankId: number, addedBy: string, now: string, memoryBytes = BULK_MEMORY_BYTES): Promise<EntryLoad> {
    const handle = bulkHandleOf(this.db);
    if (!handle) throw new UnexposeError('internal', 'bulk import needs a database opened by openDatabase');
    // Rows wait in memory and go straight into bank_entry at commit; past the memory budget they are staged.
    const load: EntryBulkLoad = handle.dialect === 'sqlite'
      ? new BufferedEntryLoad(writeSqliteBuffered(handle.file, bankId, addedBy, now), () => Promise.resolve(new SqliteEntryLoad(handle.file, bankId, addedBy, now)), memoryBytes)
      : new BufferedEntryLoad(writePgBuffered(handle.pool, handle.schema, bankId, addedBy, now), () => PgEntryLoad.open(handle.pool, handle.schema, bankId, addedBy, now), memoryBytes);
    return {
      push: (e) => load.push({ signalType: e.signalType, key: signalKey(e.signal), longSignal: longSignal(e.signal), quality: e.quality, sourceRef: e.sourceRef,
        labels: e.labels.length ? JSON.stringify(e.labels) : null, display: e.display ?? null }),
      flush: () => load.flush(),
      commit: () => load.commit(),
      discard: () => load.discard(),
    };
  }

  /** The entries of a bank with afterId < id <= lastId (what a bulk load added), a page at a time, in id order. */
  async *streamAddedEntries(bankId: number, afterId: number, lastId: number, pageSize = 50_000): AsyncGenerator<StoredEntry[]> {
    let after = afterId;
    const handle = bulkHandleOf(this.db);
    const raw = handle?.dialect === 'sqlite'
      ? handle.file.prepare('SELECT id, bank_id, signal_type, coalesce(long_signal, signal_key) AS signal FROM bank_entry WHERE id > ? AND id <= ? ORDER BY id LIMIT ?')
      : undefined;
    while (after < lastId) {
      const rows = raw ? raw.all(after, lastId, pageSize) as { id: number; bank_id: number; signal_type: string; signal: string }[] : await this.db.selectFrom('bank_entry').select(['id', 'bank_id', 'signal_type', SIGNAL]).where('id', '>', after)
        .where('id', '<=', lastId).orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) return;
      const page: StoredEntry[] = [];
      for (const r of rows) if (Number(r.bank_id) === bankId) page.push({ id: Number(r.id), signalType: r.signal_type, signal: r.signal });
      if (page.length > 0) yield page;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /** Deletes the entries of a bank with this value (of this type, or any type); returns what went. */
  async removeEntries(bankId: number, signal: string, signalType?: string): Promise<RemovedEntry[]> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx.deleteFrom('bank_entry').where('bank_id', '=', bankId).where('signal_key', '=', signalKey(signal));
      if (signalType) q = q.where('signal_type', '=', signalType);
      const rows = await q.returning(['id', 'signal_type', SIGNAL]).execute();
      await recordBankChange(trx, this.origin, [], rows.map((r) => Number(r.id)));
      return rows.map((r) => ({ id: Number(r.id), signalType: r.signal_type as string, signal: r.signal }));
    });
  }

  /**
   * Deletes a bank and every entry in it, in one transaction, with everything derived from them: stored matches
   * go with their entries (bank_match.entry_id cascades), and the bank's name is taken out of the scans that
   * named it in their options. Returns the entries that went.
   */
  async withdrawBank(bankId: number): Promise<RemovedEntry[]> {
    return this.db.transaction().execute(async (trx: Transaction<Database>) => {
      // On PostgreSQL the bank row is locked first: a bulk load into it (which holds it FOR KEY SHARE) either commits
      // before, and its entries go too, or waits and then finds the bank gone (there is no foreign key to do this).
      const find = trx.selectFrom('bank').select('name').where('id', '=', bankId);
      const bank = await (this.dialect === 'postgres' ? find.forUpdate() : find).executeTakeFirstOrThrow();
      const rows = await trx.deleteFrom('bank_entry').where('bank_id', '=', bankId).returning(['id', 'signal_type', SIGNAL]).execute();
      await trx.deleteFrom('bank').where('id', '=', bankId).execute();
      await forgetBankInScans(trx, bank.name);
      await recordBankChange(trx, this.origin, [], rows.map((r) => Number(r.id)));
      return rows.map((r) => ({ id: Number(r.id), signalType: r.signal_type as string, signal: r.signal }));
    });
  }

  /** Every entry of a bank in id order, a page at a time (keyset paging works the same on both databases). */
  async *streamEntries(bankId: number, pageSize = 5000): AsyncGenerator<BankEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('bank_entry').selectAll().where('bank_id', '=', bankId).where('id', '>', after)
        .orderBy('id').limit(pageSize).execute();
      for (const r of rows) yield toEntry(r);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /**
   * Pages of every stored value of one signal type (all banks), as [id, signal] pairs, for building an index.
   * Pages walk the primary key only and filter the type in code: with the type in the WHERE clause SQLite picks
   * the (signal_type, signal_key) index and sorts every page again, which made a 1M-row load take 34 s.
   */
  async *streamSignals(signalType: string, pageSize = 50_000, fromId = 1, toId?: number): AsyncGenerator<{ ids: number[]; signals: string[] }> {
    let after = fromId - 1;
    const handle = bulkHandleOf(this.db);
    if (handle?.dialect === 'sqlite') {
      // Id spans of pageSize read by the rowid (sqliteSpan): about half the CPU of keyset pages on a 10M-row load.
      // Rows added meanwhile are read too.
      const span = sqliteSpan(handle.file, signalType);
      const largest = handle.file.prepare('SELECT coalesce(max(id), 0) FROM bank_entry').pluck();
      const last = () => Math.min(toId ?? Number.MAX_SAFE_INTEGER, Number(largest.get()));
      for (let end = last(); after < end; end = after < end ? end : last()) {
        const upTo = Math.min(end, after + pageSize);
        const got = span(after, upTo);
        after = upTo;
        if (got.ids.length > 0) yield got;
      }
      return;
    }
    for (;;) {
      let q = this.db.selectFrom('bank_entry').select(['id', 'signal_type', SIGNAL]).where('id', '>', after);
      if (toId !== undefined) q = q.where('id', '<=', toId);
      const rows = await q.orderBy('id').limit(pageSize).execute();
      const ids: number[] = [];
      const signals: string[] = [];
      for (const r of rows) {
        if (r.signal_type !== signalType) continue;
        ids.push(Number(r.id));
        signals.push(r.signal);
      }
      if (ids.length > 0) yield { ids, signals };
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /**
   * Pages of every stored value of one 256-bit hash type (PDQ), for building an index, as 32 bytes a hash
   * (hash-pages.ts): SQLite reads spans of pageSize ids and reads rows added meanwhile too; PostgreSQL reads one
   * COPY, in the table's order, as of its start. Without a driver handle (a Kysely made elsewhere), row by row.
   * @example const { ids, words } = await collectHashes(repo.streamHashPages('pdq'))
   */
  streamHashPages(signalType: string, pageSize = 50_000, fromId = 1, toId?: number): AsyncGenerator<HashPage> {
    const handle = bulkHandleOf(this.db);
    if (handle?.dialect === 'sqlite') {
      const span = sqliteSpan(handle.file, signalType);
      return sqliteHashPages(handle.file, signalType, pageSize, fromId, toId, (after, upTo) => Promise.resolve(span(after, upTo)));
    }
    if (handle?.dialect === 'postgres') return pgCopyHashPages(handle.pool, handle.schema, signalType, pageSize, fromId, toId);
    return this.streamSignals(signalType, pageSize, fromId, toId);
  }

  /** The smallest and largest entry id and the number of entries (for splitting a load between threads). */
  async entryIdRange(): Promise<{ min: number; max: number; count: number }> {
    const r = await this.db.selectFrom('bank_entry')
      .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max'), eb.fn.countAll().as('count')]).executeTakeFirstOrThrow();
    return { min: Number(r.min ?? 0), max: Number(r.max ?? 0), count: Number(r.count) };
  }

  /** The entries with these ids and their banks (ids that no longer exist are left out). */
  async entriesWithBanks(ids: number[]): Promise<EntryWithBank[]> {
    const out: EntryWithBank[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      out.push(...(await this.joined().where('bank_entry.id', 'in', chunk).orderBy('bank_entry.id').execute()).map(splitJoined));
    }
    return out;
  }

  /** Entries whose value equals this one exactly (MD5, SHA-256): one probe of the unique (bank, type, key) index per bank. */
  async findExact(signalType: string, signal: string): Promise<EntryWithBank[]> {
    const rows = await this.joined().where('bank_entry.bank_id', 'in', (eb) => eb.selectFrom('bank').select('id'))
      .where('bank_entry.signal_type', '=', signalType).where('bank_entry.signal_key', '=', signalKey(signal)).execute();
    return rows.map(splitJoined);
  }

  /** All entries of one signal type with their banks (vPDQ banks are small: a video's frames per entry). */
  async entriesOfType(signalType: string): Promise<EntryWithBank[]> {
    return (await this.joined().where('bank_entry.bank_id', 'in', (eb) => eb.selectFrom('bank').select('id'))
      .where('bank_entry.signal_type', '=', signalType).execute()).map(splitJoined);
  }

  /**
   * Makes deleted values unrecoverable from the files: SQLite zeroes freed pages (secure_delete is on) and the
   * WAL is checkpointed and truncated; PostgreSQL is vacuumed (dead tuples pruned; see the issue 4 note on limits).
   */
  async scrubDeleted(): Promise<void> {
    if (this.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
    else for (const t of ['bank_entry', 'bank', 'bank_match', 'scan']) await sql`VACUUM ${sql.table(t)}`.execute(this.db);
  }

  async quarantineEntry(id: number, reason: string, now: string): Promise<void> {
    await this.db.updateTable('bank_entry').set({ quarantined_at: now, quarantine_reason: reason }).where('id', '=', id).execute();
  }

  /** Lets quarantined entries of a bank with this value match again; returns how many. */
  async releaseEntries(bankId: number, signal: string): Promise<number> {
    const r = await this.db.updateTable('bank_entry').set({ quarantined_at: null, quarantine_reason: null })
      .where('bank_id', '=', bankId).where('signal_key', '=', signalKey(signal)).where('quarantined_at', 'is not', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Replaces a bank's settings (and its name, when renamed); returns the bank as stored. */
  async updateBank(id: number, name: string, s: BankSettings, now: string): Promise<Bank> {
    const row = await this.db.updateTable('bank').set({
      name, description: s.description, source: s.source, enabled: s.enabled ? 1 : 0, negative: s.negative ? 1 : 0,
      thresholds: JSON.stringify(s.thresholds), min_quality: s.minQuality, labels: JSON.stringify(s.labels), updated_at: now,
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return toBank(row);
  }

  /** One entry by id with its bank, or undefined. */
  async findEntry(id: number): Promise<EntryWithBank | undefined> {
    const row = await this.joined().where('bank_entry.id', '=', id).executeTakeFirst();
    return row ? splitJoined(row) : undefined;
  }

  /** Deletes one entry by id; returns it when it was there. */
  async removeEntryById(id: number): Promise<RemovedEntry | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('bank_entry').where('id', '=', id).returning(['id', 'signal_type', SIGNAL]).executeTakeFirst();
      if (r) await recordBankChange(trx, this.origin, [], [Number(r.id)]);
      return r ? { id: Number(r.id), signalType: r.signal_type, signal: r.signal } : undefined;
    });
  }

  private joined() {
    return this.db.selectFrom('bank_entry').innerJoin('bank', 'bank.id', 'bank_entry.bank_id').selectAll('bank_entry').select([
      'bank.name as b_name', 'bank.description as b_description', 'bank.source as b_source', 'bank.enabled as b_enabled',
      'bank.negative as b_negative', 'bank.thresholds as b_thresholds', 'bank.min_quality as b_min_quality',
      'bank.labels as b_labels', 'bank.created_at as b_created_at', 'bank.updated_at as b_updated_at',
    ]);
  }
}

/** Rewrites the options of scans that named the bank (`--bank NAME`) without it: a withdrawn bank leaves no name behind. */
async function forgetBankInScans(trx: Transaction<Database>, name: string): Promise<void> {
  // One row per scan run: few enough to read whole (a LIKE pattern would need the name's _ and % escaped).
  const scans = await trx.selectFrom('scan').select(['id', 'inputs']).execute();
  for (const s of scans) {
    const inputs = JSON.parse(s.inputs) as { banks?: string[] | null };
    if (!Array.isArray(inputs.banks) || !inputs.banks.includes(name)) continue;
    inputs.banks = inputs.banks.filter((b) => b !== name);
    await trx.updateTable('scan').set({ inputs: JSON.stringify(inputs) }).where('id', '=', s.id).execute();
  }
}

type JoinedRow = Selectable<BankEntryTable> & Record<`b_${string}`, unknown>;

function splitJoined(r: JoinedRow): EntryWithBank {
  const bank = toBank({
    id: r.bank_id, name: r.b_name as string, description: r.b_description as string, source: r.b_source as string,
    enabled: r.b_enabled as number, negative: r.b_negative as number, thresholds: r.b_thresholds as string,
    min_quality: r.b_min_quality as number, labels: r.b_labels as string, created_at: r.b_created_at as string, updated_at: r.b_updated_at as string,
  });
  return { ...toEntry(r), bank };
}

/** A bank_entry row as a span reads it: id, signal_type, signal_key, long_signal. */
type SpanRow = [number, string, string, string | null];

/**
 * SQLite: the ids and values of one type's rows in an id span (after, upTo], by one prepared statement returning rows
 * as arrays, read by the rowid (no sort, no LIMIT, no coalesce).
 */
function sqliteSpan(file: Sqlite.Database, signalType: string): (after: number, upTo: number) => { ids: number[]; signals: string[] } {
  const page = file.prepare('SELECT id, signal_type, signal_key, long_signal FROM bank_entry WHERE id > ? AND id <= ?').raw(true);
  return (after, upTo) => pickType(page.all(after, upTo) as SpanRow[], signalType);
}

/** The ids and values (the long value where there is one) of the rows of one type, in order. */
function pickType(rows: SpanRow[], signalType: string): { ids: number[]; signals: string[] } {
  const ids: number[] = [];
  const signals: string[] = [];
  for (const r of rows) {
    if (r[1] !== signalType) continue;
    ids.push(r[0]);
    signals.push(r[3] ?? r[2]);
  }
  return { ids, signals };
}
