/**
 * Gathers calls made in the same event-loop turn into one batch (at most `maxSize`), so 64
 * readers answering at once cost a few statements, not 64. Each caller gets its own result;
 * when the batch fails, each caller gets the failure (or the per-item fallback's answer).
 */
export class MicroBatcher<T, R> {
  #pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxSize = 64,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const waiting = this.#pending;
    this.#pending = [];
    for (let i = 0; i < waiting.length; i += this.maxSize) {
      const batch = waiting.slice(i, i + this.maxSize);
      this.run(batch.map((w) => w.item)).then(
        (results) => batch.forEach((w, j) => w.resolve(results[j]!)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      );
    }
  }
}
