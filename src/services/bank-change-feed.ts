/**
 * Keeps a live index current with bank writes made by other processes (a curator, the CLI, another server):
 * it follows the bank change log (bank_change) from the last seq the index applied. On PostgreSQL a LISTEN
 * connection wakes it the moment a write commits (the repo NOTIFYs in the write's transaction); the connection
 * reconnects with backoff when it drops, and a poll every `pollMs` catches up meanwhile, so a missed
 * notification delays a change by at most one poll and loses nothing. On SQLite there is no notification: the
 * poll alone (500 ms by default) serves a second process on the same file.
 */
import { PgChannel } from '../io/db/pg-channel.js';
import { bankChangeChannel } from '../io/db/repos/bank-change-repo.js';
import type { LiveIndex } from './live-index.js';

export interface BankChangeFeedOptions {
  /** How often to read the log without being woken (ms). */
  pollMs: number;
  /** Rebuild the whole index this often (ms; 0 or absent: only when the log no longer reaches back). */
  reloadMs?: number;
  /** PostgreSQL: listen for NOTIFYs on the schema's channel. */
  listen?: { url: string; schema: string };
  onError(err: unknown): void;
}

/** Poll intervals by database: PostgreSQL is woken by NOTIFY, so its poll is only the safety net. */
export const FEED_POLL_MS = { postgres: 1000, sqlite: 500 } as const;

export class BankChangeFeed {
  private channel: PgChannel | undefined;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  private constructor(private readonly index: LiveIndex, private readonly opts: BankChangeFeedOptions) {}

  /**
   * Starts following (the index loads on its own; catch-ups wait for its first load).
   * @example const feed = await BankChangeFeed.start(liveIndex, { pollMs: 500, onError: log })
   */
  static async start(index: LiveIndex, opts: BankChangeFeedOptions): Promise<BankChangeFeed> {
    const feed = new BankChangeFeed(index, opts);
    if (opts.listen) {
      feed.channel = await PgChannel.open(opts.listen.url, bankChangeChannel(opts.listen.schema), {
        onMessage: (payload) => {
          if (!(Number(payload) <= index.seq)) feed.tick();
        },
        onReconnect: () => feed.tick(),
      }, opts.listen.schema);
    }
    feed.timers.push(setInterval(() => feed.tick(), opts.pollMs).unref());
    if (opts.reloadMs) {
      feed.timers.push(setInterval(() => {
        if (index.ready) index.load().catch((err) => opts.onError(err));
      }, opts.reloadMs).unref());
    }
    return feed;
  }

  /** False while a PostgreSQL LISTEN connection is down (the poll still catches up). */
  get connected(): boolean {
    return this.channel ? this.channel.connected : true;
  }

  /** Catches up now, or once more after the catch-up in progress. */
  tick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.index.catchUp();
        } catch (err) {
          this.opts.onError(err);
        }
      } while (this.again && !this.closed);
      this.running = undefined;
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.channel?.close();
    await this.running;
  }
}
