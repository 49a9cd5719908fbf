/**
 * The bank change log (table bank_change): every committed write to bank_entry records, in its own transaction,
 * which entry ids it added and removed. On PostgreSQL the row is numbered under a transaction-scoped advisory
 * lock, so sequence order is commit order (a reader that has seen seq N never later finds a smaller one), and a
 * NOTIFY on the schema's channel (delivered at commit) wakes the replicas at once. Readers follow the log from
 * the last seq they applied. Old rows are pruned; the newest row is always kept, so a reader can tell a gap
 * (it must reload) from silence.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { toIdRanges, type IdRange } from '../../../core/index/id-ranges.js';
import { isPostgres } from '../migration-helpers.js';
import type { Database } from '../schema.js';

/** One committed bank write. */
export interface BankChange {
  seq: number;
  origin: string;
  added: IdRange[];
  removed: IdRange[];
}

/** How long change rows are kept: a replica away for longer reloads its index instead of catching up. */
export const BANK_CHANGE_RETENTION_MS = 24 * 3600_000;
/** Pruning runs at most this often per process. */
const PRUNE_EVERY_MS = 10 * 60_000;
/** pg_advisory_xact_lock key that orders bank_change rows ("unex" in ASCII). */
export const BANK_CHANGE_LOCK_KEY = 0x756e6578;

let lastPrune = 0;

/**
 * The LISTEN/NOTIFY channel of a schema's bank changes (also computed in SQL by recordBankChange).
 * @example bankChangeChannel('public') // 'unexpose_bank_public'
 */
export function bankChangeChannel(schema: string): string {
  return `unexpose_bank_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Records one write inside its transaction (call it last, just before commit: on PostgreSQL it holds the change
 * lock until then). Nothing is recorded when nothing changed.
 */
export async function recordBankChange(trx: Transaction<Database>, origin: string, added: readonly number[], removed: readonly number[]): Promise<void> {
  if (added.length === 0 && removed.length === 0) return;
  const pg = isPostgres(trx as unknown as Kysely<unknown>);
  if (pg) await sql`select pg_advisory_xact_lock(${BANK_CHANGE_LOCK_KEY})`.execute(trx);
  const now = Date.now();
  const row = await trx.insertInto('bank_change').values({
    origin, added: JSON.stringify(toIdRanges(added)), removed: JSON.stringify(toIdRanges(removed)), changed_at: new Date(now).toISOString(),
  }).returning('seq').executeTakeFirstOrThrow();
  const seq = Number(row.seq);
  if (now - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = now;
    await trx.deleteFrom('bank_change').where('changed_at', '<', new Date(now - BANK_CHANGE_RETENTION_MS).toISOString()).where('seq', '<', seq).execute();
  }
  if (pg) {
    await sql`select pg_notify(left('unexpose_bank_' || regexp_replace(lower(current_schema()), '[^a-z0-9_]', '_', 'g'), 63), ${String(seq)})`.execute(trx);
  }
}

/** Reads the change log (replicas). */
export class BankChangeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The newest seq (0 when nothing was ever written). */
  async latestSeq(): Promise<number> {
    const r = await this.db.selectFrom('bank_change').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  /** The oldest seq still kept (0 when none). */
  async oldestSeq(): Promise<number> {
    const r = await this.db.selectFrom('bank_change').select((eb) => eb.fn.min('seq').as('seq')).executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  /** Changes after seq, oldest first, at most limit. */
  async changesAfter(seq: number, limit = 500): Promise<BankChange[]> {
    const rows = await this.db.selectFrom('bank_change').select(['seq', 'origin', 'added', 'removed'])
      .where('seq', '>', seq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({
      seq: Number(r.seq), origin: r.origin,
      added: JSON.parse(r.added) as IdRange[], removed: JSON.parse(r.removed) as IdRange[],
    }));
  }
}
