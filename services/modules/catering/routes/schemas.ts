import type { Request } from 'express';
import { TesseraError } from '../../../../shared/errors/index.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../../shared/ledger/index.js';

export const MANAGES = { kind: 'staff', roles: ['catering-manager'] } as const;
export const READS = { kind: 'staff', roles: ['catering-manager', 'finance'] } as const;
/** Parental top-ups arrive from the payment provider's integration or finance staff. */
export const TOPS_UP = { kind: 'staff', roles: ['catering-manager', 'finance'] } as const;

export const uuid = { type: 'string', format: 'uuid' } as const;
export const date = { type: 'string', format: 'date' } as const;
export const penceSchema = { type: 'integer', minimum: 0, maximum: 100000000 } as const;
export const flags = { type: 'array', maxItems: 32, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' } } as const;
export const anyObject = { type: 'object', additionalProperties: true } as const;

export const schoolIdParams = { type: 'object', additionalProperties: false, required: ['schoolId'], properties: { schoolId: uuid } } as const;
export const dateRangeQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: date, to: date, schoolId: uuid },
} as const;

export function idempotencyKeyOf(req: Request): string {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new TesseraError('ERR_IDEMPOTENCY_KEY_INVALID', 'Send an Idempotency-Key header of 1 to 255 visible ASCII characters (a UUID is best)');
  }
  return key;
}

export function staffIdOf(principal: { id: string } | undefined): string {
  if (!principal) throw new TesseraError('ERR_UNAUTHENTICATED');
  return principal.id;
}
