/**
 * Exponential backoff with full jitter (delay = random(0, min(max, base * 2^attempt))): many
 * readers that lost the platform at once do not all come back in the same millisecond.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Attempts in all, the first included; Infinity retries until the signal aborts. */
  readonly attempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 10_000, attempts: 6 };

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30)));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` until it succeeds, `retryable` says an error is final, the attempts run out or
 * the signal aborts. `onRetry` hears about each failure that will be retried.
 */
export async function withRetries<T>(
  work: (attempt: number) => Promise<T>,
  options: { policy?: BackoffPolicy; retryable: (error: unknown) => boolean; signal?: AbortSignal; onRetry?: (error: unknown, attempt: number, delayMs: number) => void },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await work(attempt);
    } catch (error) {
      if (!options.retryable(error) || attempt + 1 >= policy.attempts || options.signal?.aborted) throw error;
      const delay = backoffDelay(policy, attempt);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
