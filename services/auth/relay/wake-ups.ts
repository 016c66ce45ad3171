/**
 * In-process wake-ups by key (a reader id, an exchange id), fed by LISTEN notifications. A
 * waiter also wakes on its own after `pollMs`, so a lost notification costs latency, never a
 * hang.
 */
export class WakeUps {
  readonly #waiting = new Map<string, Set<() => void>>();

  wake(key: string): void {
    const waiters = this.#waiting.get(key);
    if (!waiters) return;
    this.#waiting.delete(key);
    for (const wake of waiters) wake();
  }

  /** Registers at once; `promise` resolves on wake(key), after `ms`, on abort or on cancel(). */
  arm(key: string, ms: number, signal?: AbortSignal): { promise: Promise<void>; cancel: () => void } {
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiting.get(key)?.delete(done);
        resolve();
      };
    });
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    let set = this.#waiting.get(key);
    if (!set) this.#waiting.set(key, (set = new Set()));
    set.add(done);
    return { promise, cancel: done };
  }

  /**
   * Calls `check` until it gives a value or `timeoutMs` passes, sleeping between calls until
   * woken (or `pollMs`). The wake-up is armed before each check, so a notification that lands
   * between the check and the sleep is not lost. Resolves undefined on timeout.
   */
  async until<T>(key: string, check: () => Promise<T | undefined>, options: { timeoutMs: number; pollMs: number; signal?: AbortSignal }): Promise<T | undefined> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      const armed = this.arm(key, Math.max(1, Math.min(left, options.pollMs)), options.signal);
      const value = await check();
      if (value !== undefined) {
        armed.cancel();
        return value;
      }
      if (left <= 0 || options.signal?.aborted) {
        armed.cancel();
        return undefined;
      }
      await armed.promise;
    }
  }
}
