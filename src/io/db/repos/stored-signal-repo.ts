/**
 * What earlier scans stored, read back by signal: media signals (media_signal rows) and identifier findings
 * (keyed hashes). Retro-matching reads these when a bank gains entries; clustering reads a media file's signals.
 */
import type { Kysely } from 'kysely';
import type { Signal } from '../../../core/signals/signal-type.js';
import type { Database } from '../schema.js';
import { signalKey } from './bank-repo.js';

const CHUNK = 500;

export interface StoredMediaSignal {
  mediaId: number;
  value: string;
  quality: number | null;
}

export interface MessageRef {
  chatId: number;
  messageId: number;
}

export class StoredSignalRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every stored media value of one type, a page at a time in media id order. */
  async *streamMediaSignals(signalType: string, pageSize = 5000): AsyncGenerator<StoredMediaSignal[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('media_signal').select(['media_id', 'value', 'quality'])
        .where('signal_type', '=', signalType).where('media_id', '>', after).orderBy('media_id').limit(pageSize).execute();
      if (rows.length > 0) yield rows.map((r) => ({ mediaId: Number(r.media_id), value: r.value, quality: r.quality === null ? null : Number(r.quality) }));
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].media_id);
    }
  }

  /** Media holding one of these values of a type exactly. */
  async mediaWithValues(signalType: string, values: string[]): Promise<number[]> {
    const out = new Set<number>();
    const keys = [...new Set(values.map(signalKey))];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await this.db.selectFrom('media_signal').select('media_id')
        .where('signal_type', '=', signalType).where('value_key', 'in', keys.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.add(Number(r.media_id));
    }
    return [...out];
  }

  /** The stored signals of these media files, by media id. */
  async signalsOfMedia(mediaIds: number[]): Promise<Map<number, Signal[]>> {
    const out = new Map<number, Signal[]>();
    for (let i = 0; i < mediaIds.length; i += CHUNK) {
      const rows = await this.db.selectFrom('media_signal').select(['media_id', 'signal_type', 'value', 'quality'])
        .where('media_id', 'in', mediaIds.slice(i, i + CHUNK)).execute();
      for (const r of rows) {
        const list = out.get(Number(r.media_id)) ?? [];
        list.push({ type: r.signal_type, value: r.value, quality: r.quality === null ? null : Number(r.quality) });
        out.set(Number(r.media_id), list);
      }
    }
    return out;
  }

  /** The message each media file was posted in. */
  async messagesOfMedia(mediaIds: number[]): Promise<Map<number, MessageRef>> {
    const out = new Map<number, MessageRef>();
    for (let i = 0; i < mediaIds.length; i += CHUNK) {
      const rows = await this.db.selectFrom('media').select(['id', 'chat_id', 'message_id']).where('id', 'in', mediaIds.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.set(Number(r.id), { chatId: Number(r.chat_id), messageId: Number(r.message_id) });
    }
    return out;
  }

  /** True when earlier scans stored anything a new bank entry could match (a media signal or an identifier finding). */
  async holdsAnything(): Promise<boolean> {
    const media = await this.db.selectFrom('media_signal').select('media_id').limit(1).executeTakeFirst();
    if (media) return true;
    return (await this.db.selectFrom('identifier_finding').select('chat_id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** Messages in which an identifier of this kind (phone, handle) with one of these keyed hashes was found. */
  async findingsWithHmacs(kind: string, hmacs: string[]): Promise<(MessageRef & { hmac: string })[]> {
    const out: (MessageRef & { hmac: string })[] = [];
    const unique = [...new Set(hmacs)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db.selectFrom('identifier_finding').select(['chat_id', 'message_id', 'hmac'])
        .where('kind', '=', kind).where('hmac', 'in', unique.slice(i, i + CHUNK)).execute();
      for (const r of rows) out.push({ chatId: Number(r.chat_id), messageId: Number(r.message_id), hmac: r.hmac });
    }
    return out;
  }
}
