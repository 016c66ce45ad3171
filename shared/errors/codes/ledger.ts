import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the double-entry ledger. A request the ledger cannot apply in the current state
 * (no funds, wrong currency, a reversal beyond the original) is 422; a key reused with another
 * body is 409; contention the caller may retry with the same idempotency key is 503.
 */
export const ledgerErrors = {
  ERR_INSUFFICIENT_FUNDS: { status: 422, title: 'The account would go below its floor' },
  ERR_IDEMPOTENCY_MISMATCH: { status: 409, title: 'This idempotency key was already used with another request' },
  ERR_IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'A money-moving request needs a valid Idempotency-Key' },
  ERR_ACCOUNT_NOT_FOUND: { status: 404, title: 'No such ledger account' },
  ERR_ACCOUNT_INVALID: { status: 400, title: 'The account cannot be opened as described' },
  ERR_CURRENCY_MISMATCH: { status: 422, title: 'The currencies of the transfer and its accounts differ' },
  ERR_AMOUNT_INVALID: { status: 400, title: 'An amount must be a positive whole number of minor units (pence)' },
  ERR_TRANSFER_INVALID: { status: 400, title: 'The transfer is not well formed' },
  ERR_SAME_ACCOUNT: { status: 422, title: 'A transfer needs two different accounts' },
  ERR_BALANCE_OUT_OF_RANGE: { status: 422, title: 'The balance would leave the range the ledger can hold' },
  ERR_TRANSFER_NOT_FOUND: { status: 404, title: 'No such transfer' },
  ERR_REVERSAL_INVALID: { status: 422, title: 'This transfer cannot be reversed that way' },
  ERR_REVERSAL_EXCEEDS_ORIGINAL: { status: 422, title: 'The reversals would exceed the original transfer' },
  ERR_LEDGER_CONTENTION: { status: 503, title: 'The ledger is busy; retry with the same idempotency key' },
} as const satisfies ErrorDefinitions;
