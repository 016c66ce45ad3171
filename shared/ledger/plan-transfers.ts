import { TesseraError } from '../errors/index.js';
import type { PreparedTransfer } from './prepare-transfer.js';
import type { TransferResult } from './types.js';

/** An account row as locked for this transaction. */
export interface LockedAccount {
  readonly id: string;
  readonly currency: string;
  readonly floor: number | null;
  readonly balance: number;
}

/** A transfer being reversed, locked, with what its earlier reversals already undid. */
export interface OriginalTransfer {
  readonly id: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reversesTransferId: string | null;
  readonly reversedSoFar: number;
}

/** What an idempotency record remembers: the hash of its request and the result it gave. */
export interface StoredRequest {
  readonly requestHash: string;
  readonly result: TransferResult;
}

/** The rows a batch reads under lock before deciding anything. */
export interface LedgerState {
  readonly accounts: ReadonlyMap<string, LockedAccount>;
  readonly originals: ReadonlyMap<string, OriginalTransfer>;
  readonly stored: ReadonlyMap<string, StoredRequest>;
}

export type PlanOutcome =
  | { readonly kind: 'applied'; readonly result: TransferResult }
  | { readonly kind: 'replayed'; readonly result: TransferResult }
  | { readonly kind: 'refused'; readonly error: TesseraError };

export interface EntryWrite {
  readonly transferId: string;
  readonly accountId: string;
  /** < 0 debits the account, > 0 credits it. */
  readonly amount: number;
  readonly balanceAfter: number;
}

export interface LedgerWrites {
  /** Net change per account over the whole batch. */
  readonly deltas: Map<string, number>;
  readonly applied: { readonly prepared: PreparedTransfer; readonly result: TransferResult }[];
  /** In the order the balances moved, so entry ids follow each account's running balance. */
  readonly entries: EntryWrite[];
}

/**
 * Decides each request in arrival order against the locked state, as if they ran one after
 * another: a replay returns its first result, a request that would cross a floor is refused
 * alone, and every applied one moves the running balances the next one sees. Pure: the caller
 * writes `writes` in the same transaction that read `state`.
 */
export function planTransfers(state: LedgerState, batch: readonly PreparedTransfer[]): { outcomes: PlanOutcome[]; writes: LedgerWrites } {
  const balances = new Map<string, number>();
  const reversed = new Map<string, number>();
  const decidedKeys = new Map<string, StoredRequest>();
  const writes: LedgerWrites = { deltas: new Map(), applied: [], entries: [] };

  const outcomes = batch.map((prepared): PlanOutcome => {
    const { request } = prepared;
    const earlier = decidedKeys.get(request.idempotencyKey) ?? state.stored.get(request.idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== prepared.requestHash) {
        return refuse('ERR_IDEMPOTENCY_MISMATCH', `Idempotency key ${request.idempotencyKey} was first used with another request`, {
          idempotencyKey: request.idempotencyKey,
          transferId: earlier.result.transfer.id,
        });
      }
      return { kind: 'replayed', result: earlier.result };
    }
    const debit = state.accounts.get(request.debitAccountId);
    const credit = state.accounts.get(request.creditAccountId);
    for (const [account, id] of [[debit, request.debitAccountId], [credit, request.creditAccountId]] as const) {
      if (!account) return refuse('ERR_ACCOUNT_NOT_FOUND', `No ledger account ${id}`, { accountId: id });
      if (account.currency !== request.currency) {
        return refuse('ERR_CURRENCY_MISMATCH', `Account ${id} holds ${account.currency}, the transfer is in ${request.currency}`, {
          accountId: id,
          accountCurrency: account.currency,
          transferCurrency: request.currency,
        });
      }
    }
    if (request.reversesTransferId !== null) {
      const refusal = checkReversal(state, reversed, prepared);
      if (refusal) return refusal;
    }
    const debitBefore = balances.get(debit!.id) ?? debit!.balance;
    const creditBefore = balances.get(credit!.id) ?? credit!.balance;
    const debitAfter = debitBefore - request.amount;
    const creditAfter = creditBefore + request.amount;
    if (debit!.floor !== null && debitAfter < debit!.floor) {
      return refuse('ERR_INSUFFICIENT_FUNDS', `Account ${debit!.id} holds ${debitBefore}; ${request.amount} would take it below its floor of ${debit!.floor}`, {
        accountId: debit!.id,
        balance: debitBefore,
        floor: debit!.floor,
        amount: request.amount,
      });
    }
    if (!Number.isSafeInteger(debitAfter) || !Number.isSafeInteger(creditAfter)) {
      return refuse('ERR_BALANCE_OUT_OF_RANGE', 'The transfer would take a balance beyond the range the ledger can hold', {});
    }

    balances.set(debit!.id, debitAfter);
    balances.set(credit!.id, creditAfter);
    writes.deltas.set(debit!.id, (writes.deltas.get(debit!.id) ?? 0) - request.amount);
    writes.deltas.set(credit!.id, (writes.deltas.get(credit!.id) ?? 0) + request.amount);
    if (request.reversesTransferId !== null) {
      reversed.set(request.reversesTransferId, (reversed.get(request.reversesTransferId) ?? 0) + request.amount);
    }
    writes.entries.push(
      { transferId: prepared.transferId, accountId: debit!.id, amount: -request.amount, balanceAfter: debitAfter },
      { transferId: prepared.transferId, accountId: credit!.id, amount: request.amount, balanceAfter: creditAfter },
    );
    const result = resultOf(prepared, debitAfter, creditAfter);
    writes.applied.push({ prepared, result });
    decidedKeys.set(request.idempotencyKey, { requestHash: prepared.requestHash, result });
    return { kind: 'applied', result };
  });
  return { outcomes, writes };
}

/** A reversal undoes (part of) one original: opposite direction, same currency, never more than the original in total. */
function checkReversal(state: LedgerState, reversed: Map<string, number>, prepared: PreparedTransfer): PlanOutcome | undefined {
  const { request } = prepared;
  const originalId = request.reversesTransferId!;
  const original = state.originals.get(originalId);
  if (!original) return refuse('ERR_TRANSFER_NOT_FOUND', `No transfer ${originalId}`, { transferId: originalId });
  if (original.reversesTransferId !== null) {
    return refuse('ERR_REVERSAL_INVALID', `Transfer ${originalId} is itself a reversal; record a new transfer instead`, { transferId: originalId });
  }
  if (original.debitAccountId !== request.creditAccountId || original.creditAccountId !== request.debitAccountId || original.currency !== request.currency) {
    return refuse('ERR_REVERSAL_INVALID', `A reversal of ${originalId} must move ${original.currency} from ${original.creditAccountId} back to ${original.debitAccountId}`, {
      transferId: originalId,
    });
  }
  const already = original.reversedSoFar + (reversed.get(originalId) ?? 0);
  if (already + request.amount > original.amount) {
    return refuse('ERR_REVERSAL_EXCEEDS_ORIGINAL', `Transfer ${originalId} moved ${original.amount}; ${already} is already reversed, so at most ${original.amount - already} can be`, {
      transferId: originalId,
      originalAmount: original.amount,
      alreadyReversed: already,
      amount: request.amount,
    });
  }
  return undefined;
}

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

function refuse(code: ConstructorParameters<typeof TesseraError>[0], detail: string, facts: Record<string, unknown>): PlanOutcome {
  return { kind: 'refused', error: new TesseraError(code, detail, facts) };
}
