import type { Request } from 'express';
import { TesseraError } from '../../../../shared/errors/index.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../../shared/ledger/index.js';

/** Finance moves money; budgets managers also look after providers and terminals and read everything. */
export const FINANCE = { kind: 'staff', roles: ['finance'] } as const;
export const PROVIDERS = { kind: 'staff', roles: ['finance', 'budgets-manager'] } as const;
export const READS = { kind: 'staff', roles: ['finance', 'budgets-manager'] } as const;

export const uuid = { type: 'string', format: 'uuid' } as const;
export const date = { type: 'string', format: 'date' } as const;
export const anyObject = { type: 'object', additionalProperties: true } as const;
export const categories = { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' } } as const;
export const idParams = (name: string) => ({ type: 'object', additionalProperties: false, required: [name], properties: { [name]: uuid } }) as const;

export const keyNote = 'Requires an `Idempotency-Key` header: the same key and body apply once and answer the same again (`Idempotent-Replayed: true`); another body is refused with 409.';

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
