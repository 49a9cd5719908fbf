/**
 * Victims' cases in the database: the case row (number, PIN hash, bank, lockout) and the one read a status page
 * needs — where her bank's entries were found, grouped so that no chat name, sender or message text ever leaves.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, VictimCaseTable } from '../schema.js';

export interface StoredCase {
  id: number;
  caseNumber: string;
  pinHash: string;
  bankId: number;
  language: string;
  createdAt: string;
  failedAttempts: number;
  lockedUntil: string | null;
}

/**
 * One place one of her items was found: a kind of chat on one platform, never which chat or who posted. An item is a
 * photo or video (all entries sharing its source reference: PDQ and region values, vPDQ and MD5) or one identifier.
 */
export interface CaseFindingRow {
  /** The signal types that found this item here, sorted (e.g. ["pdq", "region_dct"]). */
  signalTypes: string[];
  display: string | null;
  /** The item's first entry id (for ordering). */
  entryId: number;
  /** The entries' source reference ("photo 1"); null for an identifier. */
  sourceRef: string | null;
  platform: string;
  chatType: string;
  chats: number;
  /** Distinct posts: a post found by two of the item's signals counts once. */
  posts: number;
  firstSeen: number | null;
  lastSeen: number | null;
}

function toCase(r: Selectable<VictimCaseTable>): StoredCase {
  return {
    id: Number(r.id), caseNumber: r.case_number, pinHash: r.pin_hash, bankId: Number(r.bank_id), language: r.language,
    createdAt: r.created_at, failedAttempts: Number(r.failed_attempts), lockedUntil: r.locked_until,
  };
}

export class VictimCaseRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insertCase(c: { caseNumber: string; pinHash: string; bankId: number; language: string; now: string }): Promise<StoredCase> {
    const row = await this.db.insertInto('victim_case').values({
      case_number: c.caseNumber, pin_hash: c.pinHash, bank_id: c.bankId, language: c.language, created_at: c.now, failed_attempts: 0, locked_until: null,
    }).returningAll().executeTakeFirstOrThrow();
    return toCase(row);
  }

  async findCase(caseNumber: string): Promise<StoredCase | undefined> {
    const row = await this.db.selectFrom('victim_case').selectAll().where('case_number', '=', caseNumber).executeTakeFirst();
    return row ? toCase(row) : undefined;
  }

  async recordFailure(id: number, failedAttempts: number, lockedUntil: string | null): Promise<void> {
    await this.db.updateTable('victim_case').set({ failed_attempts: failedAttempts, locked_until: lockedUntil }).where('id', '=', id).execute();
  }

  async clearFailures(id: number): Promise<void> {
    await this.db.updateTable('victim_case').set({ failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
  }

  async deleteCase(id: number): Promise<void> {
    await this.db.deleteFrom('victim_case').where('id', '=', id).execute();
  }

  /** Entries of her bank by signal type. */
  async countEntries(bankId: number): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('bank_entry').select(['signal_type', sql<number>`count(*)`.as('n')]).where('bank_id', '=', bankId).groupBy('signal_type').execute();
    return Object.fromEntries(rows.map((r) => [r.signal_type, Number(r.n)]));
  }

  /**
   * Her bank's matches grouped by item, platform and chat type: counts of distinct chats and posts, first/last Unix
   * time and the signal types that found them. Entries of `itemTypes` that share a source reference are one item.
   */
  async findings(bankId: number, itemTypes: readonly string[]): Promise<CaseFindingRow[]> {
    for (const t of itemTypes) if (!/^[a-z0-9_]+$/.test(t)) throw new Error(`not a signal type name: ${t}`);
    // Literals, not parameters: PostgreSQL matches a GROUP BY expression to the selected one only when they are equal.
    const types = itemTypes.length ? sql.join(itemTypes.map((t) => sql.lit(t))) : sql.lit('');
    const item = sql<string>`case when bank_entry.source_ref is not null and bank_entry.signal_type in (${types}) then 'ref:' || bank_entry.source_ref else 'entry:' || cast(bank_entry.id as text) end`;
    const matched = () => this.db.selectFrom('bank_match')
      .innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
      .innerJoin('chat', 'chat.id', 'bank_match.chat_id')
      .where('bank_entry.bank_id', '=', bankId);
    // One row per item and post, whichever of the item's entries matched it.
    const posts = matched()
      .leftJoin('message', (j) => j.onRef('message.chat_id', '=', 'bank_match.chat_id').onRef('message.message_id', '=', 'bank_match.message_id'))
      .select([
        item.as('item'), 'chat.source as platform', 'chat.type as chatType', 'bank_match.chat_id as chatId', 'bank_match.message_id as messageId',
        sql<number | null>`max(message.unix_time)`.as('unixTime'), sql<number>`min(bank_entry.id)`.as('entryId'),
        sql<string | null>`max(bank_entry.display)`.as('display'), sql<string | null>`max(bank_entry.source_ref)`.as('sourceRef'),
      ])
      .groupBy([item, 'chat.source', 'chat.type', 'bank_match.chat_id', 'bank_match.message_id']);
    const rows = await this.db.selectFrom(posts.as('p'))
      .select([
        'p.item', 'p.platform', 'p.chatType', sql<number>`min(p."entryId")`.as('entryId'), sql<string | null>`max(p.display)`.as('display'),
        sql<string | null>`max(p."sourceRef")`.as('sourceRef'), sql<number>`count(distinct p."chatId")`.as('chats'), sql<number>`count(*)`.as('posts'),
        sql<number | null>`min(p."unixTime")`.as('firstSeen'), sql<number | null>`max(p."unixTime")`.as('lastSeen'),
      ])
      .groupBy(['p.item', 'p.platform', 'p.chatType'])
      .orderBy(sql`min(p."entryId")`).orderBy('p.platform').orderBy('p.chatType').execute();
    const found = await matched().select([item.as('item'), 'chat.source as platform', 'chat.type as chatType', 'bank_entry.signal_type as signalType']).distinct().execute();
    const typesAt = new Map<string, Set<string>>();
    for (const f of found) {
      const k = `${f.item}\u0000${f.platform}\u0000${f.chatType}`;
      typesAt.set(k, (typesAt.get(k) ?? new Set()).add(f.signalType));
    }
    return rows.map((r) => ({
      signalTypes: [...(typesAt.get(`${r.item}\u0000${r.platform}\u0000${r.chatType}`) ?? [])].sort(),
      entryId: Number(r.entryId), sourceRef: r.item.startsWith('ref:') ? r.sourceRef : null, display: r.display, platform: r.platform, chatType: r.chatType,
      chats: Number(r.chats), posts: Number(r.posts),
      firstSeen: r.firstSeen === null ? null : Number(r.firstSeen), lastSeen: r.lastSeen === null ? null : Number(r.lastSeen),
    }));
  }
}
