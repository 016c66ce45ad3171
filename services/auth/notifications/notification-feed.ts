import pg from 'pg';
import type { Database } from '../../../shared/db/index.js';
import type { Logger } from '../../../shared/logging/index.js';

export type NotificationHandler = (payload: string) => void;

/**
 * PostgreSQL LISTEN for the caches of one platform process. Caches trust their entries only
 * while the feed is `healthy` (connected and listening): when the connection drops, every
 * cache is reset and bypassed until it is back, because a notification sent meanwhile is lost.
 * That is what makes a revocation hold on every replica at once (ARCHITECTURE.md, Scale-out).
 */
export interface NotificationFeed {
  readonly healthy: boolean;
  /** Calls `handler` with each payload on `channel`. Subscribe before start(). */
  subscribe(channel: string, handler: NotificationHandler): void;
  /** Called whenever notifications may have been missed (connection lost, or regained). */
  onReset(handler: () => void): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

abstract class BaseFeed {
  protected readonly handlers = new Map<string, NotificationHandler[]>();
  protected readonly resets: (() => void)[] = [];

  subscribe(channel: string, handler: NotificationHandler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  onReset(handler: () => void): void {
    this.resets.push(handler);
  }

  protected deliver(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(payload);
  }

  protected reset(): void {
    for (const handler of this.resets) handler();
  }
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/** LISTEN on a dedicated connection (not from the pool), reconnecting with backoff. */
class PostgresFeed extends BaseFeed implements NotificationFeed {
  #client: pg.Client | undefined;
  #healthy = false;
  #closed = false;
  #retryMs = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger | undefined,
  ) {
    super();
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'tessera-listen' });
    client.on('notification', (message) => this.deliver(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen "${channel.replaceAll('"', '')}"`);
    } catch (error) {
      this.#lost(client, error as Error);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryMs = RECONNECT_MIN_MS;
    this.#healthy = true;
    // Anything committed while we were not listening is unknown: start from empty caches.
    this.reset();
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#client !== undefined && this.#client !== client) return;
    const wasHealthy = this.#healthy;
    this.#healthy = false;
    this.#client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.#closed) return;
    if (wasHealthy) this.logger?.warn({ err: error.message }, 'lost the LISTEN connection; caches are bypassed until it is back');
    this.reset();
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#healthy = false;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}

interface PgliteListener {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  waitReady: Promise<void>;
}

/** The embedded database runs in this process only: its own listen() sees every notification. */
class PgliteFeed extends BaseFeed implements NotificationFeed {
  #healthy = false;
  #unsubscribe: (() => Promise<void>)[] = [];

  constructor(private readonly pglite: PgliteListener) {
    super();
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  async start(): Promise<void> {
    await this.pglite.waitReady;
    for (const channel of this.handlers.keys()) {
      this.#unsubscribe.push(await this.pglite.listen(channel, (payload) => this.deliver(channel, payload)));
    }
    this.#healthy = true;
  }

  async close(): Promise<void> {
    this.#healthy = false;
    for (const unsubscribe of this.#unsubscribe.splice(0)) await unsubscribe().catch(() => undefined);
  }
}

/** The feed for `db`: a LISTEN connection of its own on PostgreSQL, the instance's listen() on PGlite. */
export function notificationFeedFor(db: Database, logger?: Logger): NotificationFeed {
  const client = db.knex.client as { config?: { connection?: unknown }; pglite?: PgliteListener };
  if (db.kind === 'pglite') {
    if (!client.pglite) throw new Error('the embedded database exposes no PGlite instance to listen on');
    return new PgliteFeed(client.pglite);
  }
  const connection = client.config?.connection;
  const connectionString = typeof connection === 'string' ? connection : (connection as { connectionString?: string } | undefined)?.connectionString;
  if (!connectionString) throw new Error('cannot find the PostgreSQL connection string to LISTEN on');
  return new PostgresFeed(connectionString, logger);
}
