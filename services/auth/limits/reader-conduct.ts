/**
 * Strikes against a reader in a sliding minute: throttled requests, forged or replayed
 * responses, other readers' challenges. Past the limit the reader is flagged (once; an admin
 * clears it) and, while flagged, gets a quarter of the normal rate. Per process and bounded.
 */
export class ReaderConduct {
  readonly #strikes = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #capacity: number;

  constructor(options: { limit: number; windowMs?: number; capacity?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#capacity = options.capacity ?? 10_000;
  }

  /** Records a strike; true when this strike takes the reader over the limit. */
  strike(readerId: string, nowMs: number): boolean {
    const recent = (this.#strikes.get(readerId) ?? []).filter((t) => nowMs - t < this.#windowMs);
    // Keep at most limit + 1 timestamps: enough to know the limit is passed, bounded under a flood.
    if (recent.length > this.#limit) recent.shift();
    recent.push(nowMs);
    this.#strikes.delete(readerId);
    this.#strikes.set(readerId, recent);
    if (this.#strikes.size > this.#capacity) {
      const oldest = this.#strikes.keys().next().value;
      if (oldest !== undefined) this.#strikes.delete(oldest);
    }
    return recent.length > this.#limit;
  }

  reset(readerId: string): void {
    this.#strikes.delete(readerId);
  }
}
