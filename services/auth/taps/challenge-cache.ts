import type { ChallengeRow } from './challenge-store.js';

/**
 * Challenges this process issued, until answered or expired. A reader usually sends its answer
 * to the process that gave it the challenge, so the answer needs no read of the taps row; the
 * database still decides single use (the conditional UPDATE), so an answer that reaches
 * another process, or comes twice, is judged exactly as without the cache. Bounded, oldest out.
 */
export class ChallengeCache {
  readonly #rows = new Map<string, ChallengeRow>();

  constructor(private readonly capacity = 100_000) {}

  add(row: ChallengeRow, now: Date): void {
    this.#sweep(now);
    this.#rows.set(row.id, row);
    if (this.#rows.size > this.capacity) this.#rows.delete(this.#rows.keys().next().value!);
  }

  /** The row, removed: a second answer on this process reads the database and finds it consumed. */
  take(id: string): ChallengeRow | undefined {
    const row = this.#rows.get(id);
    if (row) this.#rows.delete(id);
    return row;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Rows arrive in expiry order (one TTL for all), so expired ones are at the front. */
  #sweep(now: Date): void {
    for (const [id, row] of this.#rows) {
      if (row.expiresAt.getTime() > now.getTime()) break;
      this.#rows.delete(id);
    }
  }
}
