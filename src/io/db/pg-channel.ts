/**
 * A PostgreSQL LISTEN/NOTIFY channel on its own connection: sends small JSON messages to every process on the same
 * database and hands over the ones that arrive. When the connection drops it reconnects with backoff and says so
 * (messages sent meanwhile are lost, so the listener must catch up by other means).
 */
import pg from 'pg';

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; stay below it. */
export const MAX_NOTIFY_BYTES = 7900;

export interface PgChannelEvents {
  onMessage(payload: string): void;
  /** Called after a reconnect (not the first connect): messages may have been missed. */
  onReconnect(): void;
  onStateChange?(connected: boolean): void;
}

export class PgChannel {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 200;
  private everConnected = false;
  connected = false;

  private constructor(private readonly url: string, readonly channel: string, private readonly schema: string | undefined, private readonly events: PgChannelEvents) {}

  /** Connects and listens; the channel name is made of safe characters only. */
  static async open(url: string, channel: string, events: PgChannelEvents, schema?: string): Promise<PgChannel> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    const c = new PgChannel(url, channel, schema, events);
    await c.connect();
    return c;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === this.channel && n.payload !== undefined) this.events.onMessage(n.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    this.client = client;
    this.connected = true;
    this.retryMs = 200;
    this.events.onStateChange?.(true);
    if (this.everConnected) this.events.onReconnect();
    this.everConnected = true;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.connected = false;
    this.events.onStateChange?.(false);
    client.removeAllListeners('end');
    client.end().catch(() => {});
    this.retry();
  }

  private retry(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed) return;
      this.connect().catch(() => {
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        this.retry();
      });
    }, this.retryMs).unref();
  }

  /** Sends one message (at most MAX_NOTIFY_BYTES); false when not connected (the caller may retry or resync). */
  async notify(payload: string): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    await client.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
    }
  }

  /** The schema this channel belongs to (tests run one schema per file). */
  get schemaName(): string | undefined {
    return this.schema;
  }
}
