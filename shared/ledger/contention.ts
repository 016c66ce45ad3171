import { TesseraError } from '../errors/index.js';

/** SQLSTATEs after which the same work may simply be tried again (PostgreSQL Appendix A). */
const retryableStates = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

/**
 * Another transaction committed the same idempotency key between our read and our insert
 * (a retry racing its original, in another process). Trying again finds it and replays it.
 */
export function isIdempotencyRace(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (e?.code !== '23505') return false;
  return e.constraint === 'ledger_idempotency_pkey' || String(e.message).includes('ledger_idempotency_pkey');
}

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isIdempotencyRace(error) || (typeof code === 'string' && retryableStates.has(code));
}

/** The database could not be reached or went away: class 08, admin shutdown, or a pool timeout. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code) ||
    e?.name === 'KnexTimeoutError'
  );
}

/** Retries the whole unit of work a few times, then tells the client to retry with the same key. */
export async function withContentionRetry<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // The commit may or may not have happened: only a retry with the same key can tell.
        throw new TesseraError('ERR_SERVICE_UNAVAILABLE', 'The ledger database is unreachable; retry with the same idempotency key', {}, { cause: error });
      }
      if (!isRetryable(error)) throw error;
      if (attempt >= attempts) {
        throw new TesseraError('ERR_LEDGER_CONTENTION', 'The ledger stayed busy; retry with the same idempotency key', {}, { cause: error });
      }
    }
  }
}
