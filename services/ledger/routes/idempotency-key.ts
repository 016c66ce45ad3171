import type { Request } from 'express';
import { TesseraError } from '../../../shared/errors/index.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../shared/ledger/index.js';

/**
 * Money-moving routes take their key from the `Idempotency-Key` header (IETF
 * draft-ietf-httpapi-idempotency-key-header), never from the body: the body is what the key
 * protects, and a client library can add the header without touching it.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function idempotencyKeyOf(req: Request): string {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new TesseraError(
      'ERR_IDEMPOTENCY_KEY_INVALID',
      'Send an Idempotency-Key header of 1 to 255 visible ASCII characters (a UUID is best) with every money-moving request',
    );
  }
  return key;
}

export const idempotencyKeyDescription =
  'Requires an `Idempotency-Key` header (1 to 255 visible ASCII characters; use a UUID). The same key with the same body ' +
  'returns the first result again (with `Idempotent-Replayed: true`) and moves nothing; the same key with another body is refused with 409.';
