import type { Knex } from 'knex';
import { InvalidatingCache } from '../notifications/invalidating-cache.js';
import type { NotificationFeed } from '../notifications/notification-feed.js';
import type { ReaderRecord } from './reader-record.js';
import { findReader, READER_STATUS_CHANNEL } from './reader-store.js';

/**
 * Readers by id for the authenticator: read once, then kept until a change to the reader is
 * announced (suspend, revoke, new credential, flag), so a tap costs no query to authenticate
 * its reader while a revocation still holds on every process at once.
 */
export class ReaderDirectory {
  readonly #cache: InvalidatingCache<string, ReaderRecord>;
  readonly #knex: Knex;

  constructor(knex: Knex, feed: NotificationFeed, capacity = 50_000) {
    this.#knex = knex;
    this.#cache = new InvalidatingCache(feed, capacity);
    feed.subscribe(READER_STATUS_CHANNEL, (readerId) => this.#cache.delete(readerId));
  }

  get(readerId: string): Promise<ReaderRecord | undefined> {
    return this.#cache.load(readerId, () => findReader(this.#knex, readerId));
  }

  forget(readerId: string): void {
    this.#cache.delete(readerId);
  }
}
