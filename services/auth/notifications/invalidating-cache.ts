import type { NotificationFeed } from './notification-feed.js';

/**
 * A bounded cache whose entries are dropped by notification. It only holds entries while the
 * feed is healthy, and a value loaded while any invalidation arrived is not kept (it may be
 * older than the change that was announced), so a stale entry cannot outlive its notification.
 */
export class InvalidatingCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;
  readonly #feed: NotificationFeed;
  #generation = 0;

  constructor(feed: NotificationFeed, capacity: number) {
    this.#feed = feed;
    this.#capacity = capacity;
    feed.onReset(() => this.clear());
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#feed.healthy) return undefined;
    return this.#entries.get(key);
  }

  /** The cached value, or `load()`'s, kept only when nothing was invalidated while it loaded. */
  async load(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && this.#feed.healthy && generation === this.#generation) this.#set(key, value);
    return value;
  }

  delete(key: K): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  /** Drops every entry whose value matches (e.g. all certificates of one card). */
  deleteWhere(matches: (value: V, key: K) => boolean): void {
    this.#generation++;
    for (const [key, value] of this.#entries) if (matches(value, key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  #set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
  }
}
