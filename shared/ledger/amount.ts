import { TesseraError } from '../errors/index.js';

/** A positive whole number of minor units that JavaScript can hold exactly. */
export function assertAmount(value: unknown, field = 'amount'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TesseraError('ERR_AMOUNT_INVALID', `${field} must be a whole number of pence from 1 to ${Number.MAX_SAFE_INTEGER}`, {
      field,
      got: typeof value === 'number' ? value : typeof value,
    });
  }
  return value;
}

/**
 * bigint columns arrive as strings from pg (and may arrive as bigint or number elsewhere); money
 * code converts them here and refuses anything JavaScript cannot hold exactly.
 */
export function safeInteger(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' || typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || (typeof value !== 'number' && String(value) !== String(n))) {
    throw new TesseraError('ERR_BALANCE_OUT_OF_RANGE', `${what} (${String(value)}) is outside the range the ledger can report exactly`);
  }
  return n;
}

export function nullableSafeInteger(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : safeInteger(value, what);
}
