/**
 * Stored bank matches (bank_match): a message whose media or identifier matched a bank entry, found by a scan or
 * by a retro-match. A row holds the entry's id, never a copy of its value, bank name, labels or source reference:
 * those are read through the entry, and go when it goes (the foreign key cascades).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { BankMatchTable } from '../scan-schema.js';

const ROWS_PER_INSERT = 400;
const CHUNK = 500;

/** A stored match as reports show it. */
export interface StoredMatch {
  chatId: number;
  messageId: number;
  chatKey: string;
  chatSource: string;
  chatType: string;
  chatExternalId: string;
  /** The message's media class (photo, video, other), or null when it has no media. */
  mediaClass: string | null;
  bank: string;
  signalType: string;
  /** Redacted identifier for phone/handle matches. */
  display: string | null;
  distance: number;
  sourceRef: string | null;
  /** The bank's labels and the entry's own. */
  labels: string[];
  foundBy: 'scan' | 'retro';
}

export type MatchRow = Insertable<BankMatchTable>;

/** Inserts match rows (existing ones are left as they are); returns the rows that were new. */
export async function insertMatchRows(db: Kysely<Database> | Transaction<Database>, rows: MatchRow[]): Promise<MatchRow[]> {
  const added: MatchRow[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const ins = await db.insertInto('bank_match').values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['chat_id', 'message_id', 'entry_id']).doNothing())
      .returning(['chat_id', 'message_id', 'entry_id']).execute();
    const key = (r: { chat_id: number; message_id: number | string; entry_id: number }) => `${Number(r.chat_id)}:${Number(r.message_id)}:${Number(r.entry_id)}`;
    const fresh = new Set(ins.map(key));
    for (const r of rows.slice(i, i + ROWS_PER_INSERT)) if (fresh.has(key(r))) added.push(r);
  }
  return added;
}

export class MatchRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(rows: MatchRow[]): Promise<MatchRow[]> {
    return this.db.transaction().execute((trx) => insertMatchRows(trx, rows));
  }

  /** Matches of messages in these chats, in chat and message order. */
  async ofChats(chatIds: number[]): Promise<StoredMatch[]> {
    const out: StoredMatch[] = [];
    for (let i = 0; i < chatIds.length; i += CHUNK) out.push(...(await this.query().where('bank_match.chat_id', 'in', chatIds.slice(i, i + CHUNK)).execute()).map(toMatch));
    return sortMatches(out);
  }

  /** The stored matches behind these rows (e.g. the new ones of a retro-match). */
  async ofRows(rows: Pick<MatchRow, 'chat_id' | 'message_id' | 'entry_id'>[]): Promise<StoredMatch[]> {
    const out: StoredMatch[] = [];
    const entryIds = [...new Set(rows.map((r) => Number(r.entry_id)))];
    const wanted = new Set(rows.map((r) => `${Number(r.chat_id)}:${Number(r.message_id)}:${Number(r.entry_id)}`));
    for (let i = 0; i < entryIds.length; i += CHUNK) {
      const found = await this.query().select('bank_match.entry_id').where('bank_match.entry_id', 'in', entryIds.slice(i, i + CHUNK)).execute();
      for (const r of found) if (wanted.has(`${Number(r.chat_id)}:${Number(r.message_id)}:${Number(r.entry_id)}`)) out.push(toMatch(r));
    }
    return sortMatches(out);
  }

  private query() {
    return this.db.selectFrom('bank_match')
      .innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
      .innerJoin('bank', 'bank.id', 'bank_entry.bank_id')
      .innerJoin('chat', 'chat.id', 'bank_match.chat_id')
      .leftJoin('media', (j) => j.onRef('media.chat_id', '=', 'bank_match.chat_id').onRef('media.message_id', '=', 'bank_match.message_id'))
      .select(['bank_match.chat_id', 'bank_match.message_id', 'bank_match.signal_type', 'bank_match.distance', 'bank_match.found_by',
        'chat.chat_key', 'chat.source', 'chat.type', 'chat.external_id', 'media.media_class', 'bank.name as bank_name', 'bank.labels as bank_labels',
        'bank_entry.labels as entry_labels', 'bank_entry.source_ref', 'bank_entry.display']);
  }
}

interface Row {
  chat_id: number; message_id: number | string; signal_type: string; distance: number; found_by: string; chat_key: string; source: string;
  type: string; external_id: string; media_class: string | null; bank_name: string; bank_labels: string; entry_labels: string | null;
  source_ref: string | null; display: string | null;
}

function toMatch(r: Row): StoredMatch {
  const labels = [...new Set([...(JSON.parse(r.bank_labels) as string[]), ...(r.entry_labels ? (JSON.parse(r.entry_labels) as string[]) : [])])];
  return {
    chatId: Number(r.chat_id), messageId: Number(r.message_id), chatKey: r.chat_key, chatSource: r.source, chatType: r.type,
    chatExternalId: r.external_id, mediaClass: r.media_class,
    bank: r.bank_name, signalType: r.signal_type, display: r.display, distance: Number(r.distance), sourceRef: r.source_ref, labels,
    foundBy: r.found_by === 'retro' ? 'retro' : 'scan',
  };
}

function sortMatches(m: StoredMatch[]): StoredMatch[] {
  return m.sort((a, b) => a.chatId - b.chatId || a.messageId - b.messageId || a.bank.localeCompare(b.bank) || a.signalType.localeCompare(b.signalType));
}
