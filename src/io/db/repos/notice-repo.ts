/**
 * The takedown outbox in the database: notices, the messages they cite, their history of states, and
 * reappearances. Every change of state is one conditional UPDATE (… WHERE state = <expected>) plus its history
 * row in one transaction, so two senders racing for one notice cannot both win and no notice is sent twice.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { NoticeTable } from '../notice-schema.js';
import type { Database } from '../schema.js';
import type { PostRef } from './finding-repo.js';

export type NoticeRow = Selectable<NoticeTable> & { id: number };
export type NewNotice = Omit<Insertable<NoticeTable>, 'id' | 'state' | 'created_at' | 'updated_at' | 'attempts'>;

/** The time column a state sets when a notice enters it. */
const STAMP: Record<string, 'sending_at' | 'sent_at' | 'acknowledged_at' | 'closed_at' | undefined> = {
  sending: 'sending_at', sent: 'sent_at', acknowledged: 'acknowledged_at', removed: 'closed_at', refused: 'closed_at', no_answer: 'closed_at',
};

function toRow(r: Selectable<NoticeTable>): NoticeRow {
  return { ...r, id: Number(r.id), round: Number(r.round), attempts: Number(r.attempts), follow_up_of: r.follow_up_of === null ? null : Number(r.follow_up_of) };
}

export interface NoticeFilter {
  state?: string;
  recipient?: string;
  ids?: number[];
}

export class NoticeRepo {
  constructor(readonly db: Kysely<Database>) {}

  /** The latest notice (highest round) about an item to a recipient. */
  async latest(itemKey: string, recipient: string): Promise<NoticeRow | undefined> {
    const r = await this.db.selectFrom('notice').selectAll().where('item_key', '=', itemKey).where('recipient', '=', recipient)
      .orderBy('round', 'desc').executeTakeFirst();
    return r && toRow(r);
  }

  /**
   * Inserts a draft with its cited messages; returns undefined when that item, recipient and round exist already
   * (drafting twice adds nothing).
   */
  async insertDraft(n: NewNotice, posts: PostRef[], now: string): Promise<NoticeRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('notice').values({ ...n, state: 'draft', attempts: 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['item_key', 'recipient', 'round']).doNothing()).returning('id').executeTakeFirst();
      if (!inserted) return undefined;
      const id = Number(inserted.id);
      for (let i = 0; i < posts.length; i += 300) {
        await trx.insertInto('notice_location').values(posts.slice(i, i + 300).map((p) => ({ notice_id: id, chat_id: p.chatId, message_id: p.messageId })))
          .onConflict((oc) => oc.columns(['notice_id', 'chat_id', 'message_id']).doNothing()).execute();
      }
      await trx.insertInto('notice_event').values({ notice_id: id, at: now, from_state: null, to_state: 'draft', note: null }).execute();
      return toRow(await trx.selectFrom('notice').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    });
  }

  async get(id: number): Promise<NoticeRow | undefined> {
    const r = await this.db.selectFrom('notice').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRow(r);
  }

  async list(f: NoticeFilter = {}, limit = 10_000): Promise<NoticeRow[]> {
    let q = this.db.selectFrom('notice').selectAll();
    if (f.state) q = q.where('state', '=', f.state);
    if (f.recipient) q = q.where('recipient', '=', f.recipient);
    if (f.ids) {
      if (f.ids.length === 0) return [];
      q = q.where('id', 'in', f.ids);
    }
    return (await q.orderBy('id').limit(limit).execute()).map(toRow);
  }

  async locations(noticeId: number): Promise<PostRef[]> {
    const rows = await this.db.selectFrom('notice_location').select(['chat_id', 'message_id']).where('notice_id', '=', noticeId)
      .orderBy('chat_id').orderBy('message_id').execute();
    return rows.map((r) => ({ chatId: Number(r.chat_id), messageId: Number(r.message_id) }));
  }

  /** Every message cited by any notice about this item to this recipient. */
  async citedPosts(itemKey: string, recipient: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('notice_location').innerJoin('notice', 'notice.id', 'notice_location.notice_id')
      .select(['notice_location.chat_id', 'notice_location.message_id'])
      .where('notice.item_key', '=', itemKey).where('notice.recipient', '=', recipient).execute();
    return new Set(rows.map((r) => `${Number(r.chat_id)}:${Number(r.message_id)}`));
  }

  async events(noticeId: number): Promise<{ at: string; from: string | null; to: string; note: string | null }[]> {
    const rows = await this.db.selectFrom('notice_event').selectAll().where('notice_id', '=', noticeId).orderBy('id').execute();
    return rows.map((r) => ({ at: r.at, from: r.from_state, to: r.to_state, note: r.note }));
  }

  /**
   * Moves a notice from one state to another if, and only if, it is still in `from`; returns false otherwise.
   * `set` adds column values (message id, attempts, error) to the same UPDATE.
   */
  async move(id: number, from: string, to: string, now: string, note: string | null, set: Partial<Selectable<NoticeTable>> = {},
    trx?: Transaction<Database>): Promise<boolean> {
    const run = async (t: Transaction<Database>) => {
      const stamp = STAMP[to];
      const values: Record<string, unknown> = { ...set, state: to, updated_at: now };
      if (stamp) values[stamp] = now;
      const res = await t.updateTable('notice').set(values).where('id', '=', id).where('state', '=', from).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await t.insertInto('notice_event').values({ notice_id: id, at: now, from_state: from, to_state: to, note }).execute();
      return true;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /** Gives a notice this Message-ID unless it has one; returns the one it has now. */
  async setMessageIdIfNone(id: number, messageId: string): Promise<string> {
    await this.db.updateTable('notice').set({ message_id: messageId }).where('id', '=', id).where('message_id', 'is', null).execute();
    const r = await this.db.selectFrom('notice').select('message_id').where('id', '=', id).executeTakeFirst();
    return r?.message_id ?? messageId;
  }

  /** Records a failed attempt without changing the state. */
  async noteFailure(id: number, error: string, nextAttemptAt: string | null, now: string): Promise<void> {
    await this.db.updateTable('notice').set({ last_error: error, next_attempt_at: nextAttemptAt, updated_at: now }).where('id', '=', id).execute();
  }

  /** Sent notices to an address since a time (pacing). */
  async sentTo(address: string, since: string): Promise<{ count: number; last: string | null }> {
    const r = await this.db.selectFrom('notice')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('sending_at').as('last')])
      .where('address', '=', address).where('sending_at', '>=', since).where('state', '!=', 'draft').executeTakeFirst();
    return { count: Number(r?.n ?? 0), last: (r?.last as string | null | undefined) ?? null };
  }

  /** Notices marked removed that have no later round yet for their item and recipient. */
  async removedWithoutFollowUp(): Promise<NoticeRow[]> {
    const rows = await this.db.selectFrom('notice as n').selectAll('n').where('n.state', '=', 'removed')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('notice as later').select('later.id')
        .whereRef('later.item_key', '=', 'n.item_key').whereRef('later.recipient', '=', 'n.recipient').whereRef('later.round', '>', 'n.round'))))
      .orderBy('n.id').execute();
    return rows.map(toRow);
  }

  /** The notices about a bank's matches, oldest first: what was done for a case (its status page). */
  async forBank(bank: string): Promise<NoticeRow[]> {
    const prefix = `entry:${bank}/`;
    // Filtered here, not with LIKE: bank names hold "_" and collations differ between the dialects.
    const rows = await this.db.selectFrom('notice').selectAll().where('item_kind', 'in', ['intimate_image', 'csam']).orderBy('id').execute();
    return rows.filter((r) => r.item_key.startsWith(prefix)).map(toRow);
  }

  /**
   * Deletes every notice about a bank's matches, and those whose item key is one of itemKeys (the doxxing notices
   * about the bank's own numbers and handles, "identifier:<hmac>"), with their locations, history and reappearances
   * (a withdrawn case leaves nothing behind: the item keys hold the victim's own hashes). Returns how many went.
   */
  async deleteForBank(bank: string, itemKeys: readonly string[] = []): Promise<number> {
    const prefix = `entry:${bank}/`;
    const keyed = new Set(itemKeys);
    // Filtered here, not with LIKE or a range: bank names hold "_" and collations differ between the dialects.
    return this.deleteWhere((r) => (['intimate_image', 'csam'].includes(r.item_kind) && r.item_key.startsWith(prefix)) || keyed.has(r.item_key));
  }

  /**
   * Deletes the notices about the given items ("entry:<bank>/<type>/<key>", "identifier:<hmac>"), with their
   * locations, history and reappearances: an entry removed from a bank leaves no notice about it. Returns how many went.
   */
  async deleteItems(itemKeys: readonly string[]): Promise<number> {
    if (itemKeys.length === 0) return 0;
    const keyed = new Set(itemKeys);
    return this.deleteWhere((r) => keyed.has(r.item_key));
  }

  private async deleteWhere(pick: (r: { item_key: string; item_kind: string }) => boolean): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ids = (await trx.selectFrom('notice').select(['id', 'item_key', 'item_kind']).execute()).filter(pick).map((r) => Number(r.id));
      for (let i = 0; i < ids.length; i += 300) {
        const chunk = ids.slice(i, i + 300);
        await trx.deleteFrom('reappearance').where((eb) => eb.or([eb('notice_id', 'in', chunk), eb('follow_up_id', 'in', chunk)])).execute();
        await trx.deleteFrom('notice_location').where('notice_id', 'in', chunk).execute();
        await trx.deleteFrom('notice_event').where('notice_id', 'in', chunk).execute();
        await trx.updateTable('notice').set({ follow_up_of: null }).where('follow_up_of', 'in', chunk).execute();
      }
      for (let i = 0; i < ids.length; i += 300) await trx.deleteFrom('notice').where('id', 'in', ids.slice(i, i + 300)).execute();
      return ids.length;
    });
  }

  async addReappearances(noticeId: number, posts: { chatId: number; messageId: number; unixTime: number | null }[], followUpId: number | null, now: string): Promise<void> {
    if (posts.length === 0) return;
    for (let i = 0; i < posts.length; i += 300) {
      await this.db.insertInto('reappearance').values(posts.slice(i, i + 300).map((p) => ({
        notice_id: noticeId, chat_id: p.chatId, message_id: p.messageId, unix_time: p.unixTime, found_at: now, follow_up_id: followUpId,
      }))).onConflict((oc) => oc.columns(['notice_id', 'chat_id', 'message_id']).doNothing()).execute();
    }
  }

  async reappearances(noticeId?: number): Promise<{ noticeId: number; chatId: number; messageId: number; unixTime: number | null; foundAt: string; followUpId: number | null }[]> {
    let q = this.db.selectFrom('reappearance').selectAll();
    if (noticeId !== undefined) q = q.where('notice_id', '=', noticeId);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      noticeId: Number(r.notice_id), chatId: Number(r.chat_id), messageId: Number(r.message_id),
      unixTime: r.unix_time === null ? null : Number(r.unix_time), foundAt: r.found_at, followUpId: r.follow_up_id === null ? null : Number(r.follow_up_id),
    }));
  }
}
