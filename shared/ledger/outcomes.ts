import { TesseraError, type ErrorCode } from '../errors/index.js';
import type { PreparedTransfer } from './prepare-transfer.js';
import type { TransferResult } from './types.js';

/** What happened to one request of a batch. */
export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly result: TransferResult }
  | { readonly kind: 'replayed'; readonly result: TransferResult }
  | { readonly kind: 'refused'; readonly error: TesseraError };

/** The result of an applied transfer, built from the request exactly as a replay rebuilds it from the rows. */
export function resultOf(prepared: PreparedTransfer, debitBalanceAfter: number, creditBalanceAfter: number): TransferResult {
  const { request } = prepared;
  return {
    transfer: {
      id: prepared.transferId,
      debitAccountId: request.debitAccountId,
      creditAccountId: request.creditAccountId,
      amount: request.amount,
      currency: request.currency,
      reason: request.reason,
      module: request.module,
      tapId: request.tapId,
      staffId: request.staffId,
      reversesTransferId: request.reversesTransferId,
      metadata: request.metadata,
      createdAt: prepared.createdAt.toISOString(),
    },
    debitBalanceAfter,
    creditBalanceAfter,
  };
}

type Facts = Record<string, unknown>;

/** The words for each refusal ledger_apply_transfers can give; the facts travel as problem extensions. */
const describe: Partial<Record<ErrorCode, (f: Facts) => string>> = {
  ERR_IDEMPOTENCY_MISMATCH: (f) => `Idempotency key ${f.idempotencyKey} was first used with another request (transfer ${f.transferId})`,
  ERR_ACCOUNT_NOT_FOUND: (f) => `No ledger account ${f.accountId}`,
  ERR_CURRENCY_MISMATCH: (f) => `Account ${f.accountId} holds ${f.accountCurrency}, the transfer is in ${f.transferCurrency}`,
  ERR_TRANSFER_NOT_FOUND: (f) => `No transfer ${f.transferId}`,
  ERR_REVERSAL_INVALID: (f) =>
    f.why === 'is-a-reversal'
      ? `Transfer ${f.transferId} is itself a reversal; record a new transfer instead`
      : `A reversal of ${f.transferId} must move ${f.currency} from ${f.expectedDebitAccountId} back to ${f.expectedCreditAccountId}`,
  ERR_REVERSAL_EXCEEDS_ORIGINAL: (f) =>
    `Transfer ${f.transferId} moved ${f.originalAmount}; ${f.alreadyReversed} is already reversed, so at most ${Number(f.originalAmount) - Number(f.alreadyReversed)} can be`,
  ERR_INSUFFICIENT_FUNDS: (f) => `Account ${f.accountId} holds ${f.balance}; ${f.amount} would take it below its floor of ${f.floor}`,
  ERR_BALANCE_OUT_OF_RANGE: () => 'The transfer would take a balance beyond the range the ledger can hold',
};

export function refusalOf(code: string, facts: Facts): TesseraError {
  const words = describe[code as ErrorCode];
  if (!words) return new TesseraError('ERR_INTERNAL', `The ledger gave an unknown refusal ${code}`);
  return new TesseraError(code as ErrorCode, words(facts), facts);
}
