/**
 * Tells other server processes on the same PostgreSQL about bank changes made here, and applies theirs to this
 * process's index, within about a second (LISTEN/NOTIFY). Added entries of indexed types (PDQ) travel as id ranges (the receiver
 * reads them from the store), removed ones as (id, hash) pairs, since their rows are gone. After a lost
 * connection the receiver reloads its index, so nothing missed stays missed.
 */
import { randomBytes } from 'node:crypto';
import { MAX_NOTIFY_BYTES, PgChannel } from '../io/db/pg-channel.js';
import type { BankChangeListener, ChangedEntry } from './bank-changes.js';
import type { LiveIndex } from './live-index.js';

interface FeedMessage {
  /** Sender id: a process ignores its own messages. */
  o: string;
  /** Signal type of the entries (one per message). */
  t: string;
  /** Added entry id ranges [from, to]. */
  a?: [number, number][];
  /** Removed entries [id, hex]. */
  r?: [number, string][];
}

export class BankChangeFeed implements BankChangeListener {
  private readonly origin = randomBytes(8).toString('hex');
  private chain: Promise<void> = Promise.resolve();

  private constructor(private channel: PgChannel | undefined, private readonly index: LiveIndex, private readonly onError: (err: unknown) => void) {}

  /**
   * Opens the feed for the index's store.
   * @example const feed = await BankChangeFeed.open(process.env.DATABASE_URL, 'public', liveIndex, log)
   */
  static async open(url: string, schema: string, index: LiveIndex, onError: (err: unknown) => void): Promise<BankChangeFeed> {
    const feed = new BankChangeFeed(undefined, index, onError);
    feed.channel = await PgChannel.open(url, `unexpose_bank_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63), {
      onMessage: (p) => feed.receive(p),
      onReconnect: () => feed.serially(() => index.load()),
      onStateChange: (up) => {
        if (up) index.refreshedAt = Date.now();
      },
    }, schema);
    return feed;
  }

  get connected(): boolean {
    return this.channel?.connected ?? false;
  }

  entriesAdded(entries: readonly ChangedEntry[]): void {
    for (const t of this.index.types) {
      const ids = entries.filter((e) => e.signalType === t).map((e) => e.id).sort((a, b) => a - b);
      const ranges: [number, number][] = [];
      for (const id of ids) {
        const last = ranges[ranges.length - 1];
        if (last && id === last[1] + 1) last[1] = id;
        else ranges.push([id, id]);
      }
      this.send(t, ranges.map((r) => ({ a: [r] })));
    }
  }

  entriesRemoved(entries: readonly ChangedEntry[]): void {
    for (const t of this.index.types) {
      this.send(t, entries.filter((e) => e.signalType === t).map((e) => ({ r: [[e.id, e.signal] as [number, string]] })));
    }
  }

  /** Packs parts into as few messages as fit under the NOTIFY limit. */
  private send(t: string, parts: Omit<FeedMessage, 'o' | 't'>[]): void {
    if (parts.length === 0) return;
    const messages: FeedMessage[] = [];
    let cur: FeedMessage = { o: this.origin, t };
    let size = 60;
    for (const p of parts) {
      const bytes = JSON.stringify(p).length;
      if (size + bytes > MAX_NOTIFY_BYTES) {
        messages.push(cur);
        cur = { o: this.origin, t };
        size = 60;
      }
      if (p.a) (cur.a ??= []).push(...p.a);
      if (p.r) (cur.r ??= []).push(...p.r);
      size += bytes;
    }
    messages.push(cur);
    for (const m of messages) {
      this.channel?.notify(JSON.stringify(m)).catch((err) => this.onError(err));
    }
  }

  private receive(payload: string): void {
    let m: FeedMessage;
    try {
      m = JSON.parse(payload) as FeedMessage;
    } catch {
      return;
    }
    if (m.o === this.origin) return;
    this.index.refreshedAt = Date.now();
    this.serially(async () => {
      if (m.r?.length) this.index.entriesRemoved(m.r.map(([id, signal]) => ({ id, signalType: m.t, signal })));
      for (const [from, to] of m.a ?? []) await this.index.addStoredRange(m.t, from, to);
    });
  }

  /** Applies feed work in arrival order. */
  private serially(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err) => this.onError(err));
  }

  async close(): Promise<void> {
    await this.channel?.close();
    await this.chain;
  }
}
