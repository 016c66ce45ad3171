/**
 * Token buckets by key (a reader, a card), in memory, per process. Each bucket refills at
 * `ratePerSecond` up to `burst`. The map is bounded: when full, the least recently touched
 * bucket goes (a full bucket is what a forgotten key would get anyway).
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  /** Takes one token for `key` at `nowMs`; false when the bucket is empty. */
  take(key: string, nowMs: number, ratePerSecond: number, burst: number): boolean {
    const bucket = this.#buckets.get(key);
    let tokens = burst;
    if (bucket) {
      const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
      tokens = Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
      this.#buckets.delete(key);
    }
    const allowed = tokens >= 1;
    this.#buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: nowMs });
    if (this.#buckets.size > this.#capacity) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return allowed;
  }

  get size(): number {
    return this.#buckets.size;
  }
}
