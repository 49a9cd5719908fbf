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

/** One place her material was found: a kind of chat on one platform, never which chat or who posted. */
export interface CaseFindingRow {
  signalType: string;
  display: string | null;
  entryId: number;
  /** The entry's source reference: one photo's PDQ and region values share it. */
  sourceRef: string | null;
  platform: string;
  chatType: string;
  chats: number;
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

  /** Her bank's matches grouped by entry, platform and chat type: counts and first/last Unix time only. */
  async findings(bankId: number): Promise<CaseFindingRow[]> {
    const rows = await this.db.selectFrom('bank_match')
      .innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
      .innerJoin('chat', 'chat.id', 'bank_match.chat_id')
      .leftJoin('message', (j) => j.onRef('message.chat_id', '=', 'bank_match.chat_id').onRef('message.message_id', '=', 'bank_match.message_id'))
      .where('bank_entry.bank_id', '=', bankId)
      .select([
        'bank_entry.id as entryId', 'bank_entry.source_ref as sourceRef', 'bank_entry.signal_type as signalType', 'bank_entry.display as display', 'chat.source as platform', 'chat.type as chatType',
        sql<number>`count(distinct bank_match.chat_id)`.as('chats'), sql<number>`count(*)`.as('posts'),
        sql<number | null>`min(message.unix_time)`.as('firstSeen'), sql<number | null>`max(message.unix_time)`.as('lastSeen'),
      ])
      .groupBy(['bank_entry.id', 'bank_entry.source_ref', 'bank_entry.signal_type', 'bank_entry.display', 'chat.source', 'chat.type'])
      .orderBy('bank_entry.id').execute();
    return rows.map((r) => ({
      entryId: Number(r.entryId), sourceRef: r.sourceRef, signalType: r.signalType, display: r.display, platform: r.platform, chatType: r.chatType,
      chats: Number(r.chats), posts: Number(r.posts),
      firstSeen: r.firstSeen === null ? null : Number(r.firstSeen), lastSeen: r.lastSeen === null ? null : Number(r.lastSeen),
    }));
  }
}
