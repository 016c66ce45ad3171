import type { TransferInput } from '../../../../shared/ledger/index.js';

/**
 * A reference model of the ledger, as plain as possible: it predicts what each request should
 * do (applied, replayed, or which refusal) and what every balance should be, in the order the
 * real ledger checks (idempotency, accounts, currency, reversal, floor).
 */
export interface ModelAccount {
  id: string;
  currency: string;
  floor: number | null;
  balance: number;
}

interface ModelTransfer {
  id: string;
  debit: string;
  credit: string;
  amount: number;
  isReversal: boolean;
  reversed: number;
}

export type Prediction = 'applied' | 'replayed' | string;

export class LedgerModel {
  readonly accounts = new Map<string, ModelAccount>();
  readonly transfers = new Map<string, ModelTransfer>();
  readonly requests = new Map<string, { body: string; transferId: string }>();

  addAccount(account: ModelAccount): void {
    this.accounts.set(account.id, { ...account });
  }

  predict(input: TransferInput): Prediction {
    const { idempotencyKey, ...body } = input;
    const seen = this.requests.get(idempotencyKey);
    if (seen) return seen.body === JSON.stringify(body) ? 'replayed' : 'ERR_IDEMPOTENCY_MISMATCH';
    if (input.debitAccountId === input.creditAccountId) return 'ERR_SAME_ACCOUNT';
    const debit = this.accounts.get(input.debitAccountId);
    const credit = this.accounts.get(input.creditAccountId);
    if (!debit || !credit) return 'ERR_ACCOUNT_NOT_FOUND';
    if (debit.currency !== input.currency || credit.currency !== input.currency) return 'ERR_CURRENCY_MISMATCH';
    if (input.reversesTransferId) {
      const original = this.transfers.get(input.reversesTransferId);
      if (!original) return 'ERR_TRANSFER_NOT_FOUND';
      if (original.isReversal || original.debit !== input.creditAccountId || original.credit !== input.debitAccountId) return 'ERR_REVERSAL_INVALID';
      if (original.reversed + input.amount > original.amount) return 'ERR_REVERSAL_EXCEEDS_ORIGINAL';
    }
    if (debit.floor !== null && debit.balance - input.amount < debit.floor) return 'ERR_INSUFFICIENT_FUNDS';
    return 'applied';
  }

  /** Records what the ledger did; call after checking it matched the prediction. */
  apply(input: TransferInput, prediction: Prediction, transferId: string): void {
    if (prediction !== 'applied') return;
    const { idempotencyKey, ...body } = input;
    this.accounts.get(input.debitAccountId)!.balance -= input.amount;
    this.accounts.get(input.creditAccountId)!.balance += input.amount;
    this.transfers.set(transferId, {
      id: transferId,
      debit: input.debitAccountId,
      credit: input.creditAccountId,
      amount: input.amount,
      isReversal: Boolean(input.reversesTransferId),
      reversed: 0,
    });
    if (input.reversesTransferId) this.transfers.get(input.reversesTransferId)!.reversed += input.amount;
    this.requests.set(idempotencyKey, { body: JSON.stringify(body), transferId });
  }
}
